//! A misbehaving server, over real HTTP, with both backends: every failure comes back as the
//! right typed error (never a panic), names the endpoint, shows no credential even when the
//! server's answer quotes the access_token, and leaves the client usable for the next call.

mod support;

#[cfg(feature = "reqwest")]
mod reqwest_client {
    //! The async `Client` on `ReqwestBackend`.

    use std::time::Duration;

    use wechat_core::{TokenEndpoint, TransportErrorKind};

    use crate::checks::{self, Failure};
    use crate::support::clients::{IMPATIENT, PATIENT, SLOW_ANSWER, async_builder, text_message};
    use crate::support::{Fault, SEND, TOKEN, WeChatServer, refused_url};

    /// Sends the test message to a fresh server that answers it with `fault`, with a client
    /// timing out after `timeout`; then sends it again, answered normally.
    async fn send_into(fault: Fault, timeout: Duration) -> Failure {
        let server = WeChatServer::start();
        server.fail_next(SEND, 1, fault);
        let client = async_builder(server.url(), timeout).build().unwrap();
        let error = client.execute(&text_message()).await.unwrap_err();
        let sends = server.count(SEND);
        let next = client.execute(&text_message()).await;
        Failure {
            server,
            error,
            sends,
            next,
        }
    }

    #[tokio::test]
    async fn a_502_html_page_is_an_http_status_error() {
        let failure = send_into(Fault::BadGatewayHtml, PATIENT).await;
        checks::bad_gateway(&failure);
    }

    #[tokio::test]
    async fn a_200_html_page_is_a_decode_error() {
        let failure = send_into(Fault::HtmlOk, PATIENT).await;
        checks::undecodable(&failure);
    }

    #[tokio::test]
    async fn truncated_json_is_a_decode_error() {
        let failure = send_into(Fault::TruncatedJson, PATIENT).await;
        checks::undecodable(&failure);
    }

    #[tokio::test]
    async fn an_answer_slower_than_the_timeout_is_a_timeout() {
        let failure = send_into(Fault::Delay(SLOW_ANSWER), IMPATIENT).await;
        checks::transport(&failure, TransportErrorKind::Timeout);
    }

    #[tokio::test]
    async fn a_connection_closed_after_the_request_is_a_connection_error() {
        let failure = send_into(Fault::Close, PATIENT).await;
        checks::transport(&failure, TransportErrorKind::Connection);
    }

    #[tokio::test]
    async fn a_connection_reset_after_the_request_is_a_connection_error() {
        let failure = send_into(Fault::Reset, PATIENT).await;
        checks::transport(&failure, TransportErrorKind::Connection);
    }

    #[tokio::test]
    async fn a_body_shorter_than_its_content_length_is_a_connection_error() {
        let failure = send_into(Fault::ShortBody, PATIENT).await;
        checks::transport(&failure, TransportErrorKind::Connection);
    }

    #[tokio::test]
    async fn a_redirect_is_returned_as_a_status_error_and_not_followed() {
        let failure = send_into(Fault::Redirect, PATIENT).await;
        checks::not_redirected(&failure);
    }

    #[tokio::test]
    async fn a_connection_the_server_closed_after_answering_is_not_reused() {
        let server = WeChatServer::start();
        server.fail_next(SEND, 1, Fault::AnswerThenClose);
        let client = async_builder(server.url(), PATIENT).build().unwrap();
        client.execute(&text_message()).await.unwrap();
        // As after an idle spell: the server's FIN has reached the client before its next call.
        tokio::time::sleep(checks::IDLE).await;

        client.execute(&text_message()).await.unwrap();

        checks::sent_on_a_new_connection(&server);
    }

    #[tokio::test]
    async fn a_502_page_quoting_the_classic_token_url_does_not_leak_the_secret() {
        let server = WeChatServer::start();
        server.fail_next(TOKEN, 1, Fault::BadGatewayHtml);
        let client = async_builder(server.url(), PATIENT)
            .token_endpoint(TokenEndpoint::Classic)
            .build()
            .unwrap();
        let error = client.access_token().await.unwrap_err();
        checks::token_bad_gateway(&server, &error);
    }

    #[tokio::test]
    async fn a_refused_connection_is_a_connect_error() {
        let client = async_builder(&refused_url(), PATIENT).build().unwrap();
        let error = client.execute(&text_message()).await.unwrap_err();
        checks::refused(&error);
    }
}

#[cfg(feature = "ureq")]
mod ureq_client {
    //! The `BlockingClient` on `UreqBackend`.

    use std::time::Duration;

    use wechat_core::{TokenEndpoint, TransportErrorKind};

    use crate::checks::{self, Failure};
    use crate::support::clients::{
        IMPATIENT, PATIENT, SLOW_ANSWER, blocking_builder, text_message,
    };
    use crate::support::{Fault, SEND, TOKEN, WeChatServer, refused_url};

    /// Sends the test message to a fresh server that answers it with `fault`, with a client
    /// timing out after `timeout`; then sends it again, answered normally.
    fn send_into(fault: Fault, timeout: Duration) -> Failure {
        let server = WeChatServer::start();
        server.fail_next(SEND, 1, fault);
        let client = blocking_builder(server.url(), timeout).build().unwrap();
        let error = client.execute(&text_message()).unwrap_err();
        let sends = server.count(SEND);
        let next = client.execute(&text_message());
        Failure {
            server,
            error,
            sends,
            next,
        }
    }

    #[test]
    fn a_502_html_page_is_an_http_status_error() {
        let failure = send_into(Fault::BadGatewayHtml, PATIENT);
        checks::bad_gateway(&failure);
    }

    #[test]
    fn a_200_html_page_is_a_decode_error() {
        let failure = send_into(Fault::HtmlOk, PATIENT);
        checks::undecodable(&failure);
    }

    #[test]
    fn truncated_json_is_a_decode_error() {
        let failure = send_into(Fault::TruncatedJson, PATIENT);
        checks::undecodable(&failure);
    }

    #[test]
    fn an_answer_slower_than_the_timeout_is_a_timeout() {
        let failure = send_into(Fault::Delay(SLOW_ANSWER), IMPATIENT);
        checks::transport(&failure, TransportErrorKind::Timeout);
    }

    #[test]
    fn a_connection_closed_after_the_request_is_a_connection_error() {
        let failure = send_into(Fault::Close, PATIENT);
        checks::transport(&failure, TransportErrorKind::Connection);
    }

    #[test]
    fn a_connection_reset_after_the_request_is_a_connection_error() {
        let failure = send_into(Fault::Reset, PATIENT);
        checks::transport(&failure, TransportErrorKind::Connection);
    }

    #[test]
    fn a_body_shorter_than_its_content_length_is_a_connection_error() {
        let failure = send_into(Fault::ShortBody, PATIENT);
        checks::transport(&failure, TransportErrorKind::Connection);
    }

    #[test]
    fn a_redirect_is_returned_as_a_status_error_and_not_followed() {
        let failure = send_into(Fault::Redirect, PATIENT);
        checks::not_redirected(&failure);
    }

    #[test]
    fn a_connection_the_server_closed_after_answering_is_not_reused() {
        let server = WeChatServer::start();
        server.fail_next(SEND, 1, Fault::AnswerThenClose);
        let client = blocking_builder(server.url(), PATIENT).build().unwrap();
        client.execute(&text_message()).unwrap();
        // As after an idle spell: the server's FIN has reached the client before its next call.
        std::thread::sleep(checks::IDLE);

        client.execute(&text_message()).unwrap();

        checks::sent_on_a_new_connection(&server);
    }

    #[test]
    fn a_502_page_quoting_the_classic_token_url_does_not_leak_the_secret() {
        let server = WeChatServer::start();
        server.fail_next(TOKEN, 1, Fault::BadGatewayHtml);
        let client = blocking_builder(server.url(), PATIENT)
            .token_endpoint(TokenEndpoint::Classic)
            .build()
            .unwrap();
        let error = client.access_token().unwrap_err();
        checks::token_bad_gateway(&server, &error);
    }

    #[test]
    fn a_refused_connection_is_a_connect_error() {
        let client = blocking_builder(&refused_url(), PATIENT).build().unwrap();
        let error = client.execute(&text_message()).unwrap_err();
        checks::refused(&error);
    }
}

#[cfg(any(feature = "reqwest", feature = "ureq"))]
mod checks {
    //! The expectations both backends' tests share.

    use std::time::Duration;

    use wechat_core::{Error, TransportErrorKind};

    use crate::support::expect::{names_endpoint_without_credentials, transport_kind};
    use crate::support::{SEND, STABLE_TOKEN, TOKEN, WeChatServer};

    /// Long enough for a FIN to cross the loopback interface many times over.
    pub(crate) const IDLE: Duration = Duration::from_millis(100);

    /// One call answered with a fault, and the call after it.
    pub(crate) struct Failure {
        /// The server, for what it received.
        pub(crate) server: WeChatServer,
        /// The error of the call the server answered with the fault.
        pub(crate) error: Error,
        /// How many times that call reached the server.
        pub(crate) sends: usize,
        /// The next call on the same client, answered normally.
        pub(crate) next: Result<(), Error>,
    }

    /// The message was sent exactly once (the default policy retries nothing), the error names
    /// its endpoint without showing a credential, and the client still works: no broken
    /// connection was pooled, no refresh lock was left held.
    fn sent_once(failure: &Failure) {
        let error = &failure.error;
        assert_eq!(failure.sends, 1, "{error:?}");
        names_endpoint_without_credentials(error, SEND);
        if let Err(next) = &failure.next {
            panic!("the call after {error:?} failed too: {next:?}");
        }
    }

    /// A 502 is an [`Error::HttpStatus`] quoting the page, with the token it echoed masked.
    pub(crate) fn bad_gateway(failure: &Failure) {
        let Error::HttpStatus(status) = &failure.error else {
            panic!("expected an HTTP status error, got {:?}", failure.error)
        };
        assert_eq!(status.status(), 502);
        let excerpt = status.excerpt();
        assert!(excerpt.contains("502 Bad Gateway"), "{excerpt}");
        assert!(
            excerpt.contains("access_token="),
            "the page quoted the token: {excerpt}"
        );
        sent_once(failure);
    }

    /// The call after the server closed its connection went out, on another connection.
    pub(crate) fn sent_on_a_new_connection(server: &WeChatServer) {
        let [first, second] = &server.requests_to(SEND)[..] else {
            panic!("expected two sends")
        };
        assert_ne!(first.connection, second.connection);
    }

    /// A 302 comes back as an [`Error::HttpStatus`]; its target, which would receive the
    /// access_token, is never asked.
    pub(crate) fn not_redirected(failure: &Failure) {
        let Error::HttpStatus(status) = &failure.error else {
            panic!("expected an HTTP status error, got {:?}", failure.error)
        };
        assert_eq!(status.status(), 302);
        assert_eq!(failure.server.count("/redirected"), 0);
        sent_once(failure);
    }

    /// A 502 from the classic token endpoint, whose page quotes the URL and so the AppSecret,
    /// is an [`Error::HttpStatus`] with the secret masked.
    pub(crate) fn token_bad_gateway(server: &WeChatServer, error: &Error) {
        let Error::HttpStatus(status) = error else {
            panic!("expected an HTTP status error, got {error:?}")
        };
        assert_eq!(status.status(), 502);
        assert!(
            status.excerpt().contains("secret="),
            "the page quoted the secret: {error}"
        );
        assert_eq!(server.count(TOKEN), 1);
        names_endpoint_without_credentials(error, TOKEN);
    }

    /// A 200 whose body is not the JSON promised is an [`Error::Decode`].
    pub(crate) fn undecodable(failure: &Failure) {
        assert!(
            matches!(failure.error, Error::Decode(_)),
            "{:?}",
            failure.error
        );
        sent_once(failure);
    }

    /// A broken exchange is an [`Error::Transport`] of `kind`.
    pub(crate) fn transport(failure: &Failure, kind: TransportErrorKind) {
        assert_eq!(transport_kind(&failure.error), kind, "{:?}", failure.error);
        sent_once(failure);
    }

    /// With nothing listening, the first request (the token's) fails to connect.
    pub(crate) fn refused(error: &Error) {
        assert_eq!(
            transport_kind(error),
            TransportErrorKind::Connect,
            "{error:?}"
        );
        names_endpoint_without_credentials(error, STABLE_TOKEN);
    }
}
