//! The retry policy over real HTTP, with both backends: nothing is sent twice by default; the
//! transient policy retries what is safe (errcode -1, refused connections) a bounded number of
//! times and never what may have been delivered (a timeout, a broken connection).

mod support;

#[cfg(any(feature = "reqwest", feature = "ureq"))]
mod policies {
    //! The policies under test, shared by both backends.

    use std::time::Duration;

    use wechat_core::RetryPolicy;

    /// How many retries the refused-connection tests allow: not the default 3, so that the
    /// count proves the setting is read.
    pub(crate) const MAX_RETRIES: u32 = 2;

    /// The transient policy with waits of a few milliseconds, so that retries cost no time.
    pub(crate) fn transient() -> RetryPolicy {
        RetryPolicy::transient().with_backoff(Duration::from_millis(1), Duration::from_millis(5))
    }
}

#[cfg(feature = "reqwest")]
mod reqwest_client {
    //! The async `Client` on `ReqwestBackend`.

    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use wechat_core::{HttpBackend, HttpRequest, TransportErrorKind};

    use crate::policies::{self, MAX_RETRIES};
    use crate::support::clients::{
        IMPATIENT, PATIENT, SLOW_ANSWER, async_builder, async_client, reqwest_backend, text_message,
    };
    use crate::support::expect::{errcode, transport_kind};
    use crate::support::{Fault, SEND, STABLE_TOKEN, WeChatServer, refused_url};

    #[tokio::test]
    async fn by_default_errcode_minus_1_is_returned_after_one_send() {
        let server = WeChatServer::start();
        server.fail_next(SEND, 1, Fault::Errcode(-1));
        let client = async_client(server.url());

        let error = client.execute(&text_message()).await.unwrap_err();

        assert_eq!(errcode(&error), -1);
        assert_eq!(server.count(SEND), 1);
    }

    #[tokio::test]
    async fn the_transient_policy_succeeds_on_the_third_send_after_two_minus_1() {
        let server = WeChatServer::start();
        server.fail_next(SEND, 2, Fault::Errcode(-1));
        let client = async_builder(server.url(), PATIENT)
            .retry_policy(policies::transient())
            .build()
            .unwrap();

        client.execute(&text_message()).await.unwrap();

        assert_eq!(server.count(SEND), 3);
        assert_eq!(server.count(STABLE_TOKEN), 1);
    }

    #[tokio::test]
    async fn the_transient_policy_retries_a_token_request_answered_minus_1() {
        let server = WeChatServer::start();
        server.fail_next(STABLE_TOKEN, 1, Fault::Errcode(-1));
        let client = async_builder(server.url(), PATIENT)
            .retry_policy(policies::transient())
            .build()
            .unwrap();

        client.execute(&text_message()).await.unwrap();

        assert_eq!(server.count(STABLE_TOKEN), 2);
        assert_eq!(server.count(SEND), 1);
    }

    #[tokio::test]
    async fn the_transient_policy_gives_up_after_max_retries_with_the_last_minus_1() {
        let server = WeChatServer::start();
        server.fail_next(SEND, 4, Fault::Errcode(-1));
        let client = async_builder(server.url(), PATIENT)
            .retry_policy(policies::transient())
            .build()
            .unwrap();

        let error = client.execute(&text_message()).await.unwrap_err();

        assert_eq!(errcode(&error), -1);
        assert_eq!(
            server.count(SEND),
            1 + 3,
            "the transient policy allows 3 retries"
        );
    }

    #[tokio::test]
    async fn a_token_refused_again_after_its_refresh_is_returned_after_two_sends() {
        let server = WeChatServer::start();
        server.fail_next(SEND, 2, Fault::Errcode(40001));
        let client = async_client(server.url());

        let error = client.execute(&text_message()).await.unwrap_err();

        assert_eq!(errcode(&error), 40001);
        assert_eq!(server.count(SEND), 2);
        assert_eq!(server.count(STABLE_TOKEN), 2, "one refresh per call");
    }

    #[tokio::test]
    async fn a_refused_connection_is_retried_max_retries_times_then_returned() {
        let sent = Arc::new(AtomicUsize::new(0));
        let backend = reqwest_backend(PATIENT);
        let counter = Arc::clone(&sent);
        let counting = move |request: HttpRequest| {
            counter.fetch_add(1, Ordering::SeqCst);
            let backend = backend.clone();
            async move { backend.send(request).await }
        };
        let client = wechat_core::Client::official_account(crate::support::APPID, "secret")
            .base_url(refused_url())
            .backend(counting)
            .retry_policy(policies::transient().with_max_retries(MAX_RETRIES))
            .build()
            .unwrap();

        let error = client.execute(&text_message()).await.unwrap_err();

        assert_eq!(transport_kind(&error), TransportErrorKind::Connect);
        assert_eq!(sent.load(Ordering::SeqCst), 1 + MAX_RETRIES as usize);
    }

    #[tokio::test]
    async fn a_timeout_is_not_retried_even_by_the_transient_policy() {
        let server = WeChatServer::start();
        server.fail_next(SEND, 1, Fault::Delay(SLOW_ANSWER));
        let client = async_builder(server.url(), IMPATIENT)
            .retry_policy(policies::transient())
            .build()
            .unwrap();

        let error = client.execute(&text_message()).await.unwrap_err();

        assert_eq!(transport_kind(&error), TransportErrorKind::Timeout);
        assert_eq!(server.count(SEND), 1);
    }

    #[tokio::test]
    async fn a_connection_broken_mid_exchange_is_not_retried_even_by_the_transient_policy() {
        let server = WeChatServer::start();
        server.fail_next(SEND, 1, Fault::Reset);
        let client = async_builder(server.url(), PATIENT)
            .retry_policy(policies::transient())
            .build()
            .unwrap();

        let error = client.execute(&text_message()).await.unwrap_err();

        assert_eq!(transport_kind(&error), TransportErrorKind::Connection);
        assert_eq!(server.count(SEND), 1);
    }
}

#[cfg(feature = "ureq")]
mod ureq_client {
    //! The `BlockingClient` on `UreqBackend`.

    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use wechat_core::{BlockingHttpBackend, HttpRequest, TransportErrorKind};

    use crate::policies::{self, MAX_RETRIES};
    use crate::support::clients::{
        IMPATIENT, PATIENT, SLOW_ANSWER, blocking_builder, blocking_client, text_message,
        ureq_backend,
    };
    use crate::support::expect::{errcode, transport_kind};
    use crate::support::{Fault, SEND, STABLE_TOKEN, WeChatServer, refused_url};

    #[test]
    fn by_default_errcode_minus_1_is_returned_after_one_send() {
        let server = WeChatServer::start();
        server.fail_next(SEND, 1, Fault::Errcode(-1));
        let client = blocking_client(server.url());

        let error = client.execute(&text_message()).unwrap_err();

        assert_eq!(errcode(&error), -1);
        assert_eq!(server.count(SEND), 1);
    }

    #[test]
    fn the_transient_policy_succeeds_on_the_third_send_after_two_minus_1() {
        let server = WeChatServer::start();
        server.fail_next(SEND, 2, Fault::Errcode(-1));
        let client = blocking_builder(server.url(), PATIENT)
            .retry_policy(policies::transient())
            .build()
            .unwrap();

        client.execute(&text_message()).unwrap();

        assert_eq!(server.count(SEND), 3);
        assert_eq!(server.count(STABLE_TOKEN), 1);
    }

    #[test]
    fn the_transient_policy_retries_a_token_request_answered_minus_1() {
        let server = WeChatServer::start();
        server.fail_next(STABLE_TOKEN, 1, Fault::Errcode(-1));
        let client = blocking_builder(server.url(), PATIENT)
            .retry_policy(policies::transient())
            .build()
            .unwrap();

        client.execute(&text_message()).unwrap();

        assert_eq!(server.count(STABLE_TOKEN), 2);
        assert_eq!(server.count(SEND), 1);
    }

    #[test]
    fn the_transient_policy_gives_up_after_max_retries_with_the_last_minus_1() {
        let server = WeChatServer::start();
        server.fail_next(SEND, 4, Fault::Errcode(-1));
        let client = blocking_builder(server.url(), PATIENT)
            .retry_policy(policies::transient())
            .build()
            .unwrap();

        let error = client.execute(&text_message()).unwrap_err();

        assert_eq!(errcode(&error), -1);
        assert_eq!(
            server.count(SEND),
            1 + 3,
            "the transient policy allows 3 retries"
        );
    }

    #[test]
    fn a_token_refused_again_after_its_refresh_is_returned_after_two_sends() {
        let server = WeChatServer::start();
        server.fail_next(SEND, 2, Fault::Errcode(40001));
        let client = blocking_client(server.url());

        let error = client.execute(&text_message()).unwrap_err();

        assert_eq!(errcode(&error), 40001);
        assert_eq!(server.count(SEND), 2);
        assert_eq!(server.count(STABLE_TOKEN), 2, "one refresh per call");
    }

    #[test]
    fn a_refused_connection_is_retried_max_retries_times_then_returned() {
        let sent = Arc::new(AtomicUsize::new(0));
        let backend = ureq_backend(PATIENT);
        let counter = Arc::clone(&sent);
        let counting = move |request: HttpRequest| {
            counter.fetch_add(1, Ordering::SeqCst);
            backend.send(request)
        };
        let client = wechat_core::BlockingClient::official_account(crate::support::APPID, "secret")
            .base_url(refused_url())
            .backend(counting)
            .retry_policy(policies::transient().with_max_retries(MAX_RETRIES))
            .build()
            .unwrap();

        let error = client.execute(&text_message()).unwrap_err();

        assert_eq!(transport_kind(&error), TransportErrorKind::Connect);
        assert_eq!(sent.load(Ordering::SeqCst), 1 + MAX_RETRIES as usize);
    }

    #[test]
    fn a_timeout_is_not_retried_even_by_the_transient_policy() {
        let server = WeChatServer::start();
        server.fail_next(SEND, 1, Fault::Delay(SLOW_ANSWER));
        let client = blocking_builder(server.url(), IMPATIENT)
            .retry_policy(policies::transient())
            .build()
            .unwrap();

        let error = client.execute(&text_message()).unwrap_err();

        assert_eq!(transport_kind(&error), TransportErrorKind::Timeout);
        assert_eq!(server.count(SEND), 1);
    }

    #[test]
    fn a_connection_broken_mid_exchange_is_not_retried_even_by_the_transient_policy() {
        let server = WeChatServer::start();
        server.fail_next(SEND, 1, Fault::Reset);
        let client = blocking_builder(server.url(), PATIENT)
            .retry_policy(policies::transient())
            .build()
            .unwrap();

        let error = client.execute(&text_message()).unwrap_err();

        assert_eq!(transport_kind(&error), TransportErrorKind::Connection);
        assert_eq!(server.count(SEND), 1);
    }
}
