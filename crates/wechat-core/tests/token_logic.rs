#![cfg(feature = "test-util")]
//! The access_token rules, checked deterministically with replayed answers and a clock moved by
//! hand: fetch once and reuse, refresh ahead of expiry (margin capped at half the lifetime),
//! refresh once on a stale-token errcode, share refreshes through a store, token endpoint
//! failures, token keys, the retry policy, and endpoints sent without a token.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use wechat_core::endpoints::{common, mp, work};
use wechat_core::test_util::{
    ManualClock, ReplayBackend, errcode_response, json_response, ok_response, token_response,
};
use wechat_core::{
    AccessToken, BlockingClient, BlockingTokenStore, Client, Clock, Error, HttpRequest,
    HttpResponse, MemoryTokenStore, OfficialAccount, PlatformKind, RetryPolicy, Secret,
    TokenEndpoint, TokenKey, TransportError, TransportErrorKind,
};
use wechat_types::common::{AccessTokenResponse, StableTokenRequest, TokenQuery};
use wechat_types::mp::{CustomMessage, Text};
use wechat_types::work::GetTokenQuery;

/// The Official Account's AppID.
const APPID: &str = "wx0123456789abcdef";
/// The AppSecret.
const SECRET: &str = "APPSECRET_d41d8cd9";
/// The WeChat Work CorpID.
const CORPID: &str = "ww0123456789abcdef";

/// The stable token request as [`line`] prints it.
const STABLE_TOKEN: &str = "POST /cgi-bin/stable_token";
/// A [`hello`] call with token `T1`, as [`line`] prints it.
const SEND_T1: &str = "POST /cgi-bin/message/custom/send T1";
/// A [`hello`] call with token `T2`, as [`line`] prints it.
const SEND_T2: &str = "POST /cgi-bin/message/custom/send T2";

/// Where every [`ManualClock`] of this file starts.
fn start() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

/// The customer-service message every call below sends.
fn hello() -> mp::SendCustomMessage {
    mp::SendCustomMessage::new(CustomMessage::new("OPENID", Text::new("Hello")))
}

/// A request as `METHOD /path` followed by its access_token, if it carries one.
fn line(request: &HttpRequest) -> String {
    let head = format!("{} {}", request.method().as_str(), request.path());
    match request.query_param("access_token") {
        Some(token) => format!("{head} {token}"),
        None => head,
    }
}

/// Every request `backend` received, as [`line`]s.
fn lines(backend: &ReplayBackend) -> Vec<String> {
    backend.requests().iter().map(line).collect()
}

/// The errcode of an [`Error::Api`], or a panic naming the other error.
fn api_code(error: &Error) -> i64 {
    match error {
        Error::Api(api) => api.code().value(),
        other => panic!("expected an API error, got {other:?}"),
    }
}

/// Which client a scenario runs on.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// [`BlockingClient`].
    Blocking,
    /// [`Client`], driven on a current-thread tokio runtime.
    Async,
}

/// Both kinds of client.
const BOTH: [Kind; 2] = [Kind::Blocking, Kind::Async];

/// How a scenario configures its client: a manual clock, and optionally a refresh margin, a retry
/// policy and a shared token store.
struct Setup {
    /// The clock token freshness is judged by.
    clock: Arc<ManualClock>,
    /// The refresh margin, if not the default 5 minutes.
    margin: Option<Duration>,
    /// The retry policy, if not the default (never).
    retry: Option<RetryPolicy>,
    /// A token store shared with the test, if not the client's own.
    store: Option<Arc<MemoryTokenStore>>,
}

impl Setup {
    /// A clock at [`start`], the default margin and retry policy, a store of the client's own.
    fn new() -> Self {
        Setup {
            clock: Arc::new(ManualClock::new(start())),
            margin: None,
            retry: None,
            store: None,
        }
    }
}

/// Applies a [`Setup`] to either builder (they have the same setters but no common trait).
macro_rules! configure {
    ($builder:expr, $setup:expr) => {{
        let setup: &Setup = $setup;
        let mut builder = $builder.clock(setup.clock.clone());
        if let Some(margin) = setup.margin {
            builder = builder.refresh_margin(margin);
        }
        if let Some(retry) = &setup.retry {
            builder = builder.retry_policy(retry.clone());
        }
        if let Some(store) = &setup.store {
            builder = builder.token_store(store.clone());
        }
        builder.build().expect("the client builds")
    }};
}

/// An Official Account client of either kind, executing calls on the test thread.
enum Caller {
    /// A blocking client.
    Blocking(BlockingClient<OfficialAccount>),
    /// An async client and the runtime driving it.
    Async(Client<OfficialAccount>, tokio::runtime::Runtime),
}

impl Caller {
    /// A client of `kind` over `backend`, configured by `setup`.
    fn new(kind: Kind, backend: &ReplayBackend, setup: &Setup) -> Self {
        match kind {
            Kind::Blocking => Caller::Blocking(configure!(
                BlockingClient::official_account(APPID, SECRET).backend(backend.clone()),
                setup
            )),
            Kind::Async => Caller::Async(
                configure!(
                    Client::official_account(APPID, SECRET).backend(backend.clone()),
                    setup
                ),
                tokio::runtime::Builder::new_current_thread()
                    .build()
                    .expect("a current-thread runtime"),
            ),
        }
    }

    /// Sends [`hello`].
    fn send(&self) -> Result<(), Error> {
        match self {
            Caller::Blocking(client) => client.execute(&hello()),
            Caller::Async(client, runtime) => runtime.block_on(client.execute(&hello())),
        }
    }

    /// The client's token, from its store or freshly obtained.
    fn access_token(&self) -> Result<AccessToken, Error> {
        match self {
            Caller::Blocking(client) => client.access_token(),
            Caller::Async(client, runtime) => runtime.block_on(client.access_token()),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Freshness.

#[test]
fn a_token_is_fetched_once_and_reused_while_fresh() {
    for kind in BOTH {
        let backend = ReplayBackend::new([
            token_response("T1", 7200),
            ok_response(),
            ok_response(),
            ok_response(),
        ]);
        let setup = Setup::new();
        let caller = Caller::new(kind, &backend, &setup);
        caller.send().unwrap();
        setup.clock.advance(Duration::from_secs(3600));
        caller.send().unwrap();
        // The last second before the default 5-minute margin starts.
        setup
            .clock
            .advance(Duration::from_secs(7200 - 300 - 1 - 3600));
        caller.send().unwrap();
        assert_eq!(
            lines(&backend),
            [STABLE_TOKEN, SEND_T1, SEND_T1, SEND_T1],
            "{kind:?}"
        );
        assert_eq!(backend.remaining(), 0, "{kind:?}");
    }
}

#[test]
fn the_token_is_refreshed_before_the_call_once_within_the_margin_of_its_expiry() {
    for kind in BOTH {
        let backend = ReplayBackend::new([
            token_response("T1", 7200),
            ok_response(),
            token_response("T2", 7200),
            ok_response(),
        ]);
        let setup = Setup::new();
        let caller = Caller::new(kind, &backend, &setup);
        caller.send().unwrap();
        // Exactly `expires_in - refresh_margin` (default 300 s) later: still valid at WeChat,
        // but due for refresh.
        setup.clock.advance(Duration::from_secs(7200 - 300));
        caller.send().unwrap();
        assert_eq!(
            lines(&backend),
            [STABLE_TOKEN, SEND_T1, STABLE_TOKEN, SEND_T2],
            "{kind:?}"
        );
        let token = caller.access_token().unwrap();
        assert_eq!(token.secret().expose(), "T2");
        assert_eq!(token.obtained_at(), 1_700_000_000 + 6900);
        assert_eq!(token.expires_at(), 1_700_000_000 + 6900 + 7200);
    }
}

#[test]
fn a_token_already_in_the_store_is_used_while_fresh_and_replaced_once_due() {
    for kind in BOTH {
        let store = Arc::new(MemoryTokenStore::new());
        let key = TokenKey::new(
            PlatformKind::OfficialAccount,
            APPID,
            TokenEndpoint::Stable,
            &Secret::new(SECRET),
        );
        // Obtained by another process an hour ago.
        let earlier = start() - Duration::from_secs(3600);
        BlockingTokenStore::put(
            &*store,
            &key,
            AccessToken::new("T1", earlier, Duration::from_secs(7200)),
        )
        .unwrap();
        let backend =
            ReplayBackend::new([ok_response(), token_response("T2", 7200), ok_response()]);
        let setup = Setup {
            store: Some(store.clone()),
            ..Setup::new()
        };
        let caller = Caller::new(kind, &backend, &setup);
        caller.send().unwrap();
        setup.clock.advance(Duration::from_secs(3600 - 300));
        caller.send().unwrap();
        assert_eq!(
            lines(&backend),
            [SEND_T1, STABLE_TOKEN, SEND_T2],
            "{kind:?}"
        );
        let stored = BlockingTokenStore::get(&*store, &key).unwrap().unwrap();
        assert_eq!(stored.secret().expose(), "T2", "{kind:?}");
    }
}

#[test]
fn a_configured_refresh_margin_moves_the_refresh() {
    for kind in BOTH {
        let backend = ReplayBackend::new([
            token_response("T1", 7200),
            ok_response(),
            ok_response(),
            token_response("T2", 7200),
            ok_response(),
        ]);
        let setup = Setup {
            margin: Some(Duration::from_secs(600)),
            ..Setup::new()
        };
        let caller = Caller::new(kind, &backend, &setup);
        caller.send().unwrap();
        setup.clock.advance(Duration::from_secs(7200 - 600 - 1));
        caller.send().unwrap();
        setup.clock.advance(Duration::from_secs(1));
        caller.send().unwrap();
        assert_eq!(
            lines(&backend),
            [STABLE_TOKEN, SEND_T1, SEND_T1, STABLE_TOKEN, SEND_T2],
            "{kind:?}"
        );
    }
}

#[test]
fn the_margin_is_capped_at_half_the_lifetime_so_a_10_s_token_is_reused_for_5_s() {
    for kind in BOTH {
        let backend = ReplayBackend::new([
            token_response("T1", 10),
            ok_response(),
            ok_response(),
            token_response("T2", 10),
            ok_response(),
        ]);
        let setup = Setup::new();
        let caller = Caller::new(kind, &backend, &setup);
        caller.send().unwrap();
        setup.clock.advance(Duration::from_secs(4));
        caller.send().unwrap();
        setup.clock.advance(Duration::from_secs(1));
        caller.send().unwrap();
        assert_eq!(
            lines(&backend),
            [STABLE_TOKEN, SEND_T1, SEND_T1, STABLE_TOKEN, SEND_T2],
            "{kind:?}: the default 300 s margin would refresh a 10 s token on every call"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Stale tokens.

#[test]
fn a_stale_token_answer_refreshes_the_token_once_and_retries_once_with_the_new_one() {
    for code in [40001, 40014, 42001] {
        for kind in BOTH {
            let backend = ReplayBackend::new([
                token_response("T1", 7200),
                errcode_response(code, "invalid credential rid: 1-2-3"),
                token_response("T2", 7200),
                ok_response(),
                ok_response(),
            ]);
            let caller = Caller::new(kind, &backend, &Setup::new());
            caller.send().unwrap();
            // The next call keeps the new token.
            caller.send().unwrap();
            assert_eq!(
                lines(&backend),
                [STABLE_TOKEN, SEND_T1, STABLE_TOKEN, SEND_T2, SEND_T2],
                "{code} on {kind:?}"
            );
        }
    }
}

#[test]
fn a_second_stale_token_answer_after_the_refresh_is_returned_without_a_loop() {
    for kind in BOTH {
        let backend = ReplayBackend::new([
            token_response("T1", 7200),
            errcode_response(40001, "invalid credential rid: 1"),
            token_response("T2", 7200),
            errcode_response(42001, "access_token expired rid: 2"),
            // Never asked for: the call gives up after one refresh.
            token_response("T3", 7200),
            ok_response(),
        ]);
        let caller = Caller::new(kind, &backend, &Setup::new());
        let error = caller.send().unwrap_err();
        assert_eq!(api_code(&error), 42001, "{kind:?}");
        assert_eq!(error.endpoint(), Some("/cgi-bin/message/custom/send"));
        assert_eq!(
            lines(&backend),
            [STABLE_TOKEN, SEND_T1, STABLE_TOKEN, SEND_T2],
            "{kind:?}"
        );
        assert_eq!(backend.remaining(), 2, "{kind:?}");
    }
}

#[test]
fn on_wechat_work_40001_is_a_wrong_secret_and_is_not_refreshed_but_42001_is() {
    let backend = ReplayBackend::new([
        token_response("T1", 7200),
        errcode_response(40001, "invalid credential"),
        errcode_response(42001, "access_token expired"),
        token_response("T2", 7200),
        ok_response(),
    ]);
    let client = BlockingClient::work(CORPID, "CORPSECRET")
        .backend(backend.clone())
        .clock(Arc::new(ManualClock::new(start())))
        .build()
        .unwrap();
    let error = client.execute(&ListKfAccounts).unwrap_err();
    assert_eq!(api_code(&error), 40001);
    assert_eq!(
        error.errcode().unwrap().platform(),
        PlatformKind::Work,
        "read with the Work catalogue"
    );
    client.execute(&ListKfAccounts).unwrap();
    assert_eq!(
        lines(&backend),
        [
            "GET /cgi-bin/gettoken",
            "POST /cgi-bin/kf/account/list T1",
            "POST /cgi-bin/kf/account/list T1",
            "GET /cgi-bin/gettoken",
            "POST /cgi-bin/kf/account/list T2",
        ]
    );
    assert_eq!(backend.remaining(), 0);
}

/// `POST /cgi-bin/kf/account/list` of WeChat Work (work reference §4), hand-written because no
/// Work business endpoint is generated yet: enough to run a Work call through the token logic.
struct ListKfAccounts;

impl wechat_core::Endpoint<wechat_core::Work> for ListKfAccounts {
    type Output = ();

    fn request(&self) -> Result<wechat_core::Request, Error> {
        wechat_core::Request::post("/cgi-bin/kf/account/list")
            .with_unchecked_json(&serde_json::json!({"offset": 0, "limit": 100}))
    }

    fn parse(&self, reply: wechat_core::Reply) -> Result<(), Error> {
        reply.unit()
    }
}

#[test]
fn a_stale_token_answer_reuses_the_token_another_client_already_refreshed_in_a_shared_store() {
    let clock = Arc::new(ManualClock::new(start()));
    let store = Arc::new(MemoryTokenStore::new());
    let first_backend = ReplayBackend::new([
        errcode_response(40001, "invalid credential rid: 1"),
        token_response("T2", 7200),
        ok_response(),
    ]);
    let first = BlockingClient::official_account(APPID, SECRET)
        .backend(first_backend.clone())
        .token_store(store.clone())
        .clock(clock.clone())
        .build()
        .unwrap();
    let key = first.token_key().clone();
    BlockingTokenStore::put(
        &*store,
        &key,
        AccessToken::new("T1", clock.now(), Duration::from_secs(7200)),
    )
    .unwrap();

    // The second client's call with T1 is answered 40001, but while that answer travels the
    // first client runs into the same stale token and refreshes it.
    let second_requests = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&second_requests);
    let refresher = first.clone();
    let second = BlockingClient::official_account(APPID, SECRET)
        .backend(move |request: HttpRequest| {
            record.lock().unwrap().push(line(&request));
            if request.query_param("access_token").as_deref() == Some("T1") {
                refresher
                    .execute(&hello())
                    .expect("the first client recovers");
                Ok::<_, TransportError>(errcode_response(40001, "invalid credential rid: 2"))
            } else {
                Ok(ok_response())
            }
        })
        .token_store(store.clone())
        .clock(clock.clone())
        .build()
        .unwrap();
    assert_eq!(second.token_key(), &key, "same credentials, same key");

    second.execute(&hello()).unwrap();

    assert_eq!(lines(&first_backend), [SEND_T1, STABLE_TOKEN, SEND_T2]);
    assert_eq!(*second_requests.lock().unwrap(), [SEND_T1, SEND_T2]);
    let stored = BlockingTokenStore::get(&*store, &key).unwrap().unwrap();
    assert_eq!(
        stored.secret().expose(),
        "T2",
        "the second client's stale answer did not remove the first one's new token"
    );
}

#[test]
fn async_clients_sharing_a_store_reuse_a_refresh_made_while_their_answer_travelled() {
    let clock = Arc::new(ManualClock::new(start()));
    let store = Arc::new(MemoryTokenStore::new());
    let first_backend = ReplayBackend::new([
        errcode_response(40001, "invalid credential rid: 1"),
        token_response("T2", 7200),
        ok_response(),
    ]);
    let first = Client::official_account(APPID, SECRET)
        .backend(first_backend.clone())
        .token_store(store.clone())
        .clock(clock.clone())
        .build()
        .unwrap();
    let key = first.token_key().clone();
    BlockingTokenStore::put(
        &*store,
        &key,
        AccessToken::new("T1", clock.now(), Duration::from_secs(7200)),
    )
    .unwrap();

    let second_requests = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&second_requests);
    let second = Client::official_account(APPID, SECRET)
        .backend(move |request: HttpRequest| {
            record.lock().unwrap().push(line(&request));
            let refresher = first.clone();
            async move {
                if request.query_param("access_token").as_deref() == Some("T1") {
                    refresher
                        .execute(&hello())
                        .await
                        .expect("the first client recovers");
                    Ok::<_, TransportError>(errcode_response(40001, "invalid credential rid: 2"))
                } else {
                    Ok(ok_response())
                }
            }
        })
        .token_store(store.clone())
        .clock(clock.clone())
        .build()
        .unwrap();

    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(second.execute(&hello()))
        .unwrap();

    assert_eq!(lines(&first_backend), [SEND_T1, STABLE_TOKEN, SEND_T2]);
    assert_eq!(*second_requests.lock().unwrap(), [SEND_T1, SEND_T2]);
    let stored = BlockingTokenStore::get(&*store, &key).unwrap().unwrap();
    assert_eq!(stored.secret().expose(), "T2");
}

// ---------------------------------------------------------------------------------------------
// Token endpoint failures.

#[test]
fn a_token_endpoint_refusal_is_an_api_error_of_the_token_endpoint_and_the_call_is_not_sent() {
    for kind in BOTH {
        let backend = ReplayBackend::new([
            errcode_response(40125, "invalid appsecret rid: 64a774ce-020c072d-6c820ec0"),
            ok_response(),
        ]);
        let caller = Caller::new(kind, &backend, &Setup::new());
        let error = caller.send().unwrap_err();
        let Error::Api(api) = &error else {
            panic!("{kind:?}: {error:?}")
        };
        assert_eq!(api.code().value(), 40125);
        assert_eq!(api.code().name(), Some("INVALID_APPSECRET"));
        assert_eq!(api.endpoint(), "/cgi-bin/stable_token");
        assert_eq!(lines(&backend), [STABLE_TOKEN], "{kind:?}");
        assert_eq!(backend.remaining(), 1, "{kind:?}: the call was not sent");
    }
}

#[test]
fn a_token_with_no_lifetime_or_no_value_is_a_decode_error_and_the_call_is_not_sent() {
    for body in [
        r#"{"access_token":"T1","expires_in":0}"#,
        r#"{"access_token":"T1","expires_in":-7200}"#,
        r#"{"access_token":"","expires_in":7200}"#,
    ] {
        for kind in BOTH {
            let backend = ReplayBackend::new([json_response(body), ok_response()]);
            let caller = Caller::new(kind, &backend, &Setup::new());
            let error = caller.send().unwrap_err();
            let Error::Decode(decode) = &error else {
                panic!("{body} on {kind:?}: {error:?}")
            };
            assert_eq!(decode.endpoint(), "/cgi-bin/stable_token");
            assert_eq!(lines(&backend), [STABLE_TOKEN], "{body} on {kind:?}");
            assert_eq!(backend.remaining(), 1);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Token keys.

#[test]
fn token_keys_differ_per_platform_app_token_endpoint_and_secret_and_never_contain_the_secret() {
    let backend = ReplayBackend::default;
    let official = BlockingClient::official_account(APPID, SECRET)
        .backend(backend())
        .build()
        .unwrap();
    let official_again = Client::official_account(APPID, SECRET)
        .backend(backend())
        .build()
        .unwrap();
    let mini = BlockingClient::mini_program(APPID, SECRET)
        .backend(backend())
        .build()
        .unwrap();
    let classic = BlockingClient::official_account(APPID, SECRET)
        .token_endpoint(TokenEndpoint::Classic)
        .backend(backend())
        .build()
        .unwrap();
    let other_app = BlockingClient::official_account("wxfedcba9876543210", SECRET)
        .backend(backend())
        .build()
        .unwrap();
    let other_secret = BlockingClient::official_account(APPID, "APPSECRET_c81e728d")
        .backend(backend())
        .build()
        .unwrap();
    let corp = BlockingClient::work(CORPID, SECRET)
        .backend(backend())
        .build()
        .unwrap();

    let fingerprint = Secret::new(SECRET).fingerprint();
    assert_eq!(fingerprint.len(), 16);
    assert!(fingerprint.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(
        official.token_key().as_str(),
        format!("wechat:official_account:{APPID}:stable_token:{fingerprint}")
    );
    assert_eq!(
        official.token_key(),
        &TokenKey::new(
            PlatformKind::OfficialAccount,
            APPID,
            TokenEndpoint::Stable,
            &Secret::new(SECRET)
        )
    );
    assert_eq!(
        official_again.token_key(),
        official.token_key(),
        "an async and a blocking client with the same credentials share a key"
    );
    assert_eq!(
        mini.token_key().as_str(),
        format!("wechat:mini_program:{APPID}:stable_token:{fingerprint}")
    );
    assert_eq!(
        classic.token_key().as_str(),
        format!("wechat:official_account:{APPID}:token:{fingerprint}")
    );
    assert_eq!(
        corp.token_key().as_str(),
        format!("wechat:work:{CORPID}:gettoken:{fingerprint}")
    );

    let keys = [
        official.token_key(),
        mini.token_key(),
        classic.token_key(),
        other_app.token_key(),
        other_secret.token_key(),
        corp.token_key(),
    ];
    let distinct: HashSet<&TokenKey> = keys.iter().copied().collect();
    assert_eq!(distinct.len(), keys.len(), "{keys:#?}");
    for key in keys {
        assert!(!key.as_str().contains(SECRET), "{key}");
        assert!(!key.as_str().contains("APPSECRET"), "{key}");
    }
}

// ---------------------------------------------------------------------------------------------
// The retry policy.

/// [`RetryPolicy::transient`] with no wait between attempts.
fn transient_without_backoff() -> RetryPolicy {
    RetryPolicy::transient().with_backoff(Duration::ZERO, Duration::ZERO)
}

#[test]
fn the_transient_policy_retries_minus_1_and_45009_up_to_max_retries() {
    for kind in BOTH {
        let backend = ReplayBackend::new([
            token_response("T1", 7200),
            errcode_response(-1, "system error"),
            errcode_response(45009, "reach max api daily quota limit"),
            errcode_response(-1, "system error"),
            errcode_response(-1, "system error"),
            ok_response(),
        ]);
        let setup = Setup {
            retry: Some(transient_without_backoff()),
            ..Setup::new()
        };
        let error = Caller::new(kind, &backend, &setup).send().unwrap_err();
        assert_eq!(api_code(&error), -1, "{kind:?}");
        assert_eq!(
            lines(&backend),
            [STABLE_TOKEN, SEND_T1, SEND_T1, SEND_T1, SEND_T1],
            "{kind:?}: 1 attempt + 3 retries"
        );
        assert_eq!(backend.remaining(), 1, "{kind:?}");
    }
}

#[test]
fn the_transient_policy_stops_retrying_at_the_first_success() {
    for kind in BOTH {
        let backend = ReplayBackend::new([
            token_response("T1", 7200),
            errcode_response(45009, "reach max api daily quota limit"),
            errcode_response(-1, "system error"),
            ok_response(),
            ok_response(),
        ]);
        let setup = Setup {
            retry: Some(transient_without_backoff()),
            ..Setup::new()
        };
        Caller::new(kind, &backend, &setup).send().unwrap();
        assert_eq!(
            lines(&backend),
            [STABLE_TOKEN, SEND_T1, SEND_T1, SEND_T1],
            "{kind:?}"
        );
        assert_eq!(backend.remaining(), 1, "{kind:?}");
    }
}

#[test]
fn max_retries_bounds_the_retries() {
    let backend = ReplayBackend::new([
        token_response("T1", 7200),
        errcode_response(-1, "system error"),
        errcode_response(-1, "system error"),
        ok_response(),
    ]);
    let setup = Setup {
        retry: Some(transient_without_backoff().with_max_retries(1)),
        ..Setup::new()
    };
    let error = Caller::new(Kind::Blocking, &backend, &setup)
        .send()
        .unwrap_err();
    assert_eq!(api_code(&error), -1);
    assert_eq!(lines(&backend), [STABLE_TOKEN, SEND_T1, SEND_T1]);
    assert_eq!(backend.remaining(), 1);
}

#[test]
fn the_transient_policy_does_not_retry_a_non_transient_errcode() {
    let backend = ReplayBackend::new([
        token_response("T1", 7200),
        errcode_response(45015, "response out of time limit"),
        ok_response(),
    ]);
    let setup = Setup {
        retry: Some(transient_without_backoff()),
        ..Setup::new()
    };
    let error = Caller::new(Kind::Blocking, &backend, &setup)
        .send()
        .unwrap_err();
    assert_eq!(api_code(&error), 45015);
    assert_eq!(lines(&backend), [STABLE_TOKEN, SEND_T1]);
}

#[test]
fn the_transient_policy_retries_a_refused_connection_but_not_a_timeout() {
    let transport = |kind| Err(TransportError::new(kind, "simulated"));
    let refused = ReplayBackend::with_outcomes([
        Ok(token_response("T1", 7200)),
        transport(TransportErrorKind::Connect),
        Ok(ok_response()),
    ]);
    let setup = Setup {
        retry: Some(transient_without_backoff()),
        ..Setup::new()
    };
    Caller::new(Kind::Async, &refused, &setup).send().unwrap();
    assert_eq!(lines(&refused), [STABLE_TOKEN, SEND_T1, SEND_T1]);

    let timed_out = ReplayBackend::with_outcomes([
        Ok(token_response("T1", 7200)),
        transport(TransportErrorKind::Timeout),
        Ok(ok_response()),
    ]);
    let error = Caller::new(Kind::Async, &timed_out, &setup)
        .send()
        .unwrap_err();
    assert!(
        matches!(&error, Error::Transport(t) if t.kind() == TransportErrorKind::Timeout),
        "{error:?}"
    );
    assert_eq!(lines(&timed_out), [STABLE_TOKEN, SEND_T1]);
}

#[test]
fn the_transient_policy_also_retries_the_token_request() {
    for kind in BOTH {
        let backend = ReplayBackend::new([
            errcode_response(-1, "system error"),
            token_response("T1", 7200),
            ok_response(),
        ]);
        let setup = Setup {
            retry: Some(transient_without_backoff()),
            ..Setup::new()
        };
        Caller::new(kind, &backend, &setup).send().unwrap();
        assert_eq!(
            lines(&backend),
            [STABLE_TOKEN, STABLE_TOKEN, SEND_T1],
            "{kind:?}"
        );
    }
}

#[test]
fn the_default_policy_never_retries() {
    for (code, message) in [
        (-1, "system error"),
        (45009, "reach max api daily quota limit"),
    ] {
        for kind in BOTH {
            let backend = ReplayBackend::new([
                token_response("T1", 7200),
                errcode_response(code, message),
                ok_response(),
            ]);
            let error = Caller::new(kind, &backend, &Setup::new())
                .send()
                .unwrap_err();
            assert_eq!(api_code(&error), code);
            assert_eq!(
                lines(&backend),
                [STABLE_TOKEN, SEND_T1],
                "{code} on {kind:?}"
            );
            assert_eq!(backend.remaining(), 1);
        }
    }
    let refused = ReplayBackend::with_outcomes([
        Ok(token_response("T1", 7200)),
        Err(TransportError::new(TransportErrorKind::Connect, "refused")),
        Ok(ok_response()),
    ]);
    Caller::new(Kind::Blocking, &refused, &Setup::new())
        .send()
        .unwrap_err();
    assert_eq!(lines(&refused), [STABLE_TOKEN, SEND_T1]);
    let token_failure = ReplayBackend::new([
        errcode_response(-1, "system error"),
        token_response("T1", 7200),
    ]);
    let error = Caller::new(Kind::Blocking, &token_failure, &Setup::new())
        .send()
        .unwrap_err();
    assert_eq!(error.endpoint(), Some("/cgi-bin/stable_token"));
    assert_eq!(lines(&token_failure), [STABLE_TOKEN]);
}

// ---------------------------------------------------------------------------------------------
// Endpoints sent without a token.

#[test]
fn the_token_endpoints_executed_directly_are_sent_without_an_access_token() {
    let answer = || {
        ReplayBackend::new([HttpResponse::new(
            200,
            r#"{"access_token":"DIRECT","expires_in":7200}"#,
        )])
    };
    let expected = AccessTokenResponse::new("DIRECT", 7200);

    let stable = answer();
    let client = BlockingClient::official_account(APPID, SECRET)
        .backend(stable.clone())
        .build()
        .unwrap();
    let output = client
        .execute(&common::GetStableAccessToken::new(StableTokenRequest::new(
            APPID, SECRET,
        )))
        .unwrap();
    assert_eq!(output, expected);
    let sent = stable.requests();
    assert_eq!(sent.len(), 1, "the client obtained no token of its own");
    assert_eq!(
        sent[0].url(),
        "https://api.weixin.qq.com/cgi-bin/stable_token"
    );
    assert_eq!(sent[0].query_param("access_token"), None);

    let classic = answer();
    let client = Client::mini_program(APPID, SECRET)
        .backend(classic.clone())
        .build()
        .unwrap();
    let output = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(client.execute(&common::GetAccessToken::new(TokenQuery::new(APPID, SECRET))))
        .unwrap();
    assert_eq!(output, expected);
    let sent = classic.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].url(),
        format!(
            "https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid={APPID}&secret={SECRET}"
        )
    );
    assert_eq!(sent[0].query_param("access_token"), None);

    let gettoken = answer();
    let client = BlockingClient::work(CORPID, "CORPSECRET")
        .backend(gettoken.clone())
        .build()
        .unwrap();
    let output = client
        .execute(&work::GetAccessToken::new(GetTokenQuery::new(
            CORPID,
            "CORPSECRET",
        )))
        .unwrap();
    assert_eq!(output, expected);
    let sent = gettoken.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].url(),
        format!(
            "https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid={CORPID}&corpsecret=CORPSECRET"
        )
    );
    assert_eq!(sent[0].query_param("access_token"), None);
}
