//! Access tokens over real HTTP, with both backends: one token request however many callers
//! wait for it, one refresh when WeChat calls the token stale, one shared failure for a wrong
//! secret, and each token endpoint asked the way WeChat expects.

mod support;

#[cfg(feature = "reqwest")]
mod reqwest_client {
    //! The async `Client` on `ReqwestBackend`, callers as tasks of a multi-thread runtime.

    use tokio::sync::Barrier;
    use tokio::task::JoinSet;
    use wechat_core::{Client, Error, OfficialAccount, TokenEndpoint};

    use crate::checks;
    use crate::support::clients::{
        PATIENT, async_builder, async_client, reqwest_backend, text_message,
    };
    use crate::support::{
        self, CORP_SECRET, CORPID, GETTOKEN, SEND, STABLE_TOKEN, TOKEN, WeChatServer,
    };

    /// Sends the test message from `callers` tasks released at once, so that they all meet the
    /// token logic together.
    async fn send_together(
        client: &Client<OfficialAccount>,
        callers: usize,
    ) -> Vec<Result<(), Error>> {
        let barrier = std::sync::Arc::new(Barrier::new(callers));
        let mut tasks = JoinSet::new();
        for _ in 0..callers {
            let (client, barrier) = (client.clone(), barrier.clone());
            tasks.spawn(async move {
                barrier.wait().await;
                client.execute(&text_message()).await
            });
        }
        tasks.join_all().await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn two_hundred_concurrent_sends_on_a_cold_cache_make_one_token_request() {
        let server = WeChatServer::start();
        let client = async_client(server.url());

        let outcomes = send_together(&client, 200).await;

        checks::all_succeeded(&outcomes);
        checks::one_token_served_every_send(&server, 200);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_rotated_token_40001_is_refreshed_once_for_a_concurrent_batch() {
        let server = WeChatServer::start();
        let client = async_client(server.url());
        client.execute(&text_message()).await.unwrap();
        let old = server.current_token().unwrap();
        let new = server.rotate_token();

        let outcomes = send_together(&client, checks::BATCH).await;

        checks::all_succeeded(&outcomes);
        checks::refreshed_once(&server, &old, &new);
        assert_eq!(client.access_token().await.unwrap().secret().expose(), new);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn an_expired_token_42001_is_refreshed_once_for_a_concurrent_batch() {
        let server = WeChatServer::start();
        let client = async_client(server.url());
        client.execute(&text_message()).await.unwrap();
        let old = server.current_token().unwrap();
        server.expire_token();

        let outcomes = send_together(&client, checks::BATCH).await;

        checks::all_succeeded(&outcomes);
        let new = server.current_token().expect("the refresh issued a token");
        checks::refreshed_once(&server, &old, &new);
        assert_eq!(client.access_token().await.unwrap().secret().expose(), new);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_wrong_secret_makes_one_token_request_whose_40125_every_caller_gets() {
        let server = WeChatServer::start();
        let client = Client::official_account(support::APPID, checks::WRONG_SECRET)
            .base_url(server.url())
            .backend(reqwest_backend(PATIENT))
            .build()
            .unwrap();

        let outcomes = send_together(&client, 200).await;

        checks::all_refused_with_wrong_secret(&server, &outcomes);
        // The failure is shared only with the callers that waited for it: a later call asks again.
        let again = client.execute(&text_message()).await.unwrap_err();
        assert_eq!(support::expect::errcode(&again), 40125);
        assert_eq!(server.count(STABLE_TOKEN), 2);
    }

    #[tokio::test]
    async fn the_default_token_endpoint_is_stable_token_with_a_json_body() {
        let server = WeChatServer::start();
        let client = async_client(server.url());

        let token = client.access_token().await.unwrap();
        client.access_token().await.unwrap();

        checks::asked_stable_token(&server, token.secret().expose());
    }

    #[tokio::test]
    async fn the_classic_token_endpoint_is_a_get_with_the_credentials_in_the_query() {
        let server = WeChatServer::start();
        let client = async_builder(server.url(), PATIENT)
            .token_endpoint(TokenEndpoint::Classic)
            .build()
            .unwrap();

        let token = client.access_token().await.unwrap();
        client.access_token().await.unwrap();

        checks::asked_classic_token(&server, token.secret().expose());
        assert_eq!(server.count(TOKEN), 1);
    }

    #[tokio::test]
    async fn a_work_client_gets_its_token_from_gettoken_with_corpid_and_corpsecret() {
        let server = WeChatServer::start();
        let client = Client::work(CORPID, CORP_SECRET)
            .base_url(server.url())
            .backend(reqwest_backend(PATIENT))
            .build()
            .unwrap();

        let token = client.access_token().await.unwrap();
        client.access_token().await.unwrap();

        checks::asked_gettoken(&server, token.secret().expose());
        assert_eq!(server.count(GETTOKEN), 1);
        assert_eq!(server.count(SEND), 0);
    }
}

#[cfg(feature = "ureq")]
mod ureq_client {
    //! The `BlockingClient` on `UreqBackend`, callers as threads sharing one client.

    use std::sync::{Arc, Barrier};
    use std::thread;

    use wechat_core::{BlockingClient, Error, OfficialAccount, TokenEndpoint};

    use crate::checks;
    use crate::support::clients::{
        PATIENT, blocking_builder, blocking_client, text_message, ureq_backend,
    };
    use crate::support::{
        self, CORP_SECRET, CORPID, GETTOKEN, SEND, STABLE_TOKEN, TOKEN, WeChatServer,
    };

    /// Sends the test message from `callers` threads released at once, each with its clone of
    /// `client`.
    fn send_together(
        client: &BlockingClient<OfficialAccount>,
        callers: usize,
    ) -> Vec<Result<(), Error>> {
        let barrier = Arc::new(Barrier::new(callers));
        let threads: Vec<_> = (0..callers)
            .map(|_| {
                let (client, barrier) = (client.clone(), barrier.clone());
                thread::spawn(move || {
                    barrier.wait();
                    client.execute(&text_message())
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|thread| thread.join().expect("a caller panicked"))
            .collect()
    }

    #[test]
    fn two_hundred_concurrent_sends_on_a_cold_cache_make_one_token_request() {
        let server = WeChatServer::start();
        let client = blocking_client(server.url());

        let outcomes = send_together(&client, 200);

        checks::all_succeeded(&outcomes);
        checks::one_token_served_every_send(&server, 200);
    }

    #[test]
    fn a_rotated_token_40001_is_refreshed_once_for_a_concurrent_batch() {
        let server = WeChatServer::start();
        let client = blocking_client(server.url());
        client.execute(&text_message()).unwrap();
        let old = server.current_token().unwrap();
        let new = server.rotate_token();

        let outcomes = send_together(&client, checks::BATCH);

        checks::all_succeeded(&outcomes);
        checks::refreshed_once(&server, &old, &new);
        assert_eq!(client.access_token().unwrap().secret().expose(), new);
    }

    #[test]
    fn an_expired_token_42001_is_refreshed_once_for_a_concurrent_batch() {
        let server = WeChatServer::start();
        let client = blocking_client(server.url());
        client.execute(&text_message()).unwrap();
        let old = server.current_token().unwrap();
        server.expire_token();

        let outcomes = send_together(&client, checks::BATCH);

        checks::all_succeeded(&outcomes);
        let new = server.current_token().expect("the refresh issued a token");
        checks::refreshed_once(&server, &old, &new);
        assert_eq!(client.access_token().unwrap().secret().expose(), new);
    }

    #[test]
    fn a_wrong_secret_makes_one_token_request_whose_40125_every_caller_gets() {
        let server = WeChatServer::start();
        let client = BlockingClient::official_account(support::APPID, checks::WRONG_SECRET)
            .base_url(server.url())
            .backend(ureq_backend(PATIENT))
            .build()
            .unwrap();

        let outcomes = send_together(&client, 200);

        checks::all_refused_with_wrong_secret(&server, &outcomes);
        // The failure is shared only with the callers that waited for it: a later call asks again.
        let again = client.execute(&text_message()).unwrap_err();
        assert_eq!(support::expect::errcode(&again), 40125);
        assert_eq!(server.count(STABLE_TOKEN), 2);
    }

    #[test]
    fn the_default_token_endpoint_is_stable_token_with_a_json_body() {
        let server = WeChatServer::start();
        let client = blocking_client(server.url());

        let token = client.access_token().unwrap();
        client.access_token().unwrap();

        checks::asked_stable_token(&server, token.secret().expose());
    }

    #[test]
    fn the_classic_token_endpoint_is_a_get_with_the_credentials_in_the_query() {
        let server = WeChatServer::start();
        let client = blocking_builder(server.url(), PATIENT)
            .token_endpoint(TokenEndpoint::Classic)
            .build()
            .unwrap();

        let token = client.access_token().unwrap();
        client.access_token().unwrap();

        checks::asked_classic_token(&server, token.secret().expose());
        assert_eq!(server.count(TOKEN), 1);
    }

    #[test]
    fn a_work_client_gets_its_token_from_gettoken_with_corpid_and_corpsecret() {
        let server = WeChatServer::start();
        let client = BlockingClient::work(CORPID, CORP_SECRET)
            .base_url(server.url())
            .backend(ureq_backend(PATIENT))
            .build()
            .unwrap();

        let token = client.access_token().unwrap();
        client.access_token().unwrap();

        checks::asked_gettoken(&server, token.secret().expose());
        assert_eq!(server.count(GETTOKEN), 1);
        assert_eq!(server.count(SEND), 0);
    }
}

#[cfg(any(feature = "reqwest", feature = "ureq"))]
mod checks {
    //! The expectations both backends' tests share.

    use wechat_core::Error;

    use crate::support::expect::{errcode, names_endpoint_without_credentials};
    use crate::support::{
        APPID, CORP_SECRET, CORPID, GETTOKEN, SECRET, SEND, STABLE_TOKEN, TOKEN, WeChatServer,
    };

    /// How many calls run together after the token went stale.
    pub(crate) const BATCH: usize = 50;

    /// A secret the server refuses with 40125; distinctive, so a leak of it would show.
    pub(crate) const WRONG_SECRET: &str = "WRONG_LOOPBACK_SECRET_0e1f";

    /// Every call succeeded.
    pub(crate) fn all_succeeded(outcomes: &[Result<(), Error>]) {
        let failures: Vec<_> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
        assert!(
            failures.is_empty(),
            "{} calls failed, first: {:?}",
            failures.len(),
            failures.first()
        );
    }

    /// One token request was made, and each of the `sends` messages went out once with the
    /// token it returned.
    pub(crate) fn one_token_served_every_send(server: &WeChatServer, sends: usize) {
        assert_eq!(server.count(STABLE_TOKEN), 1);
        let token = server.current_token().unwrap();
        let sent = server.requests_to(SEND);
        assert_eq!(sent.len(), sends);
        assert!(
            sent.iter()
                .all(|r| r.access_token().as_ref() == Some(&token))
        );
    }

    /// After the warm-up call, the token went stale: exactly one more token request was made,
    /// every call of the batch was finally sent with the `new` token, and the only other sends
    /// are the first tries that still carried the `old` one.
    pub(crate) fn refreshed_once(server: &WeChatServer, old: &str, new: &str) {
        assert_eq!(server.count(STABLE_TOKEN), 2);
        let batch = &server.requests_to(SEND)[1..];
        let with = |token: &str| {
            batch
                .iter()
                .filter(|r| r.access_token().as_deref() == Some(token))
                .count()
        };
        assert_eq!(
            with(new),
            BATCH,
            "every call succeeded once, with the new token"
        );
        let stale = with(old);
        assert!(
            (1..=BATCH).contains(&stale),
            "{stale} sends with the old token"
        );
        assert_eq!(
            batch.len(),
            BATCH + stale,
            "no send carried any other token"
        );
        assert_eq!(batch.last().unwrap().access_token().as_deref(), Some(new));
    }

    /// Every call failed with the 40125 of the one token request made, and nothing was sent.
    pub(crate) fn all_refused_with_wrong_secret(
        server: &WeChatServer,
        outcomes: &[Result<(), Error>],
    ) {
        assert_eq!(server.count(STABLE_TOKEN), 1);
        assert_eq!(server.count(SEND), 0);
        for outcome in outcomes {
            let error = outcome.as_ref().unwrap_err();
            assert!(matches!(error, Error::Api(_)), "{error:?}");
            assert_eq!(errcode(error), 40125);
            names_endpoint_without_credentials(error, STABLE_TOKEN);
            assert!(
                !format!("{error} {error:?}").contains(WRONG_SECRET),
                "{error:?}"
            );
        }
    }

    /// The token came from one `POST /cgi-bin/stable_token` with the credentials as JSON.
    pub(crate) fn asked_stable_token(server: &WeChatServer, token: &str) {
        assert_eq!(server.current_token().as_deref(), Some(token));
        let requests = server.requests();
        assert_eq!(requests.len(), 1, "the second call used the cached token");
        let request = &requests[0];
        assert_eq!(
            (request.method.as_str(), request.path.as_str()),
            ("POST", STABLE_TOKEN)
        );
        assert_eq!(
            request.query, "",
            "no access_token, no credentials in the URL"
        );
        assert_eq!(request.header("content-type"), Some("application/json"));
        let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"grant_type": "client_credential", "appid": APPID, "secret": SECRET})
        );
    }

    /// The token came from one `GET /cgi-bin/token?grant_type=client_credential&appid&secret`.
    pub(crate) fn asked_classic_token(server: &WeChatServer, token: &str) {
        assert_eq!(server.current_token().as_deref(), Some(token));
        let requests = server.requests();
        assert_eq!(requests.len(), 1, "the second call used the cached token");
        let request = &requests[0];
        assert_eq!(
            (request.method.as_str(), request.path.as_str()),
            ("GET", TOKEN)
        );
        assert_eq!(
            request.query_param("grant_type").as_deref(),
            Some("client_credential")
        );
        assert_eq!(request.query_param("appid").as_deref(), Some(APPID));
        assert_eq!(request.query_param("secret").as_deref(), Some(SECRET));
        assert_eq!(request.access_token(), None);
        assert!(request.body.is_empty());
    }

    /// The token came from one `GET /cgi-bin/gettoken?corpid&corpsecret`.
    pub(crate) fn asked_gettoken(server: &WeChatServer, token: &str) {
        assert_eq!(server.current_token().as_deref(), Some(token));
        let requests = server.requests();
        assert_eq!(requests.len(), 1, "the second call used the cached token");
        let request = &requests[0];
        assert_eq!(
            (request.method.as_str(), request.path.as_str()),
            ("GET", GETTOKEN)
        );
        assert_eq!(request.query_param("corpid").as_deref(), Some(CORPID));
        assert_eq!(
            request.query_param("corpsecret").as_deref(),
            Some(CORP_SECRET)
        );
        assert_eq!(request.access_token(), None);
        assert!(request.body.is_empty());
    }
}
