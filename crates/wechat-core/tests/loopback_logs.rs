//! What a call logs, over real HTTP, with both backends: every span and event, at the most
//! verbose level, names the endpoint and never shows the access_token or the AppSecret, also
//! when a call fails on an answer that quotes the token.

mod support;

#[cfg(any(feature = "reqwest", feature = "ureq"))]
mod capture {
    //! A `tracing` subscriber writing into memory, for the duration of one test thread.

    use std::io;
    use std::sync::{Arc, Mutex, PoisonError};

    use tracing::subscriber::DefaultGuard;
    use tracing_subscriber::fmt::MakeWriter;

    /// Everything logged on this thread while the guard lives, formatted as a log file would be.
    #[derive(Clone, Default)]
    pub(crate) struct Logs(Arc<Mutex<Vec<u8>>>);

    impl Logs {
        /// Starts capturing every level, spans' fields included, on the calling thread.
        pub(crate) fn capture() -> (Logs, DefaultGuard) {
            let logs = Logs::default();
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
                .with_ansi(false)
                .with_writer(logs.clone())
                .finish();
            (logs.clone(), tracing::subscriber::set_default(subscriber))
        }

        /// The text logged so far.
        pub(crate) fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner))
                .into_owned()
        }
    }

    impl io::Write for Logs {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Logs {
        type Writer = Logs;

        fn make_writer(&'a self) -> Logs {
            self.clone()
        }
    }
}

#[cfg(any(feature = "reqwest", feature = "ureq"))]
mod checks {
    //! The expectations both backends' tests share.

    use crate::support::expect::TOKEN_PREFIX;
    use crate::support::{SECRET, SEND, STABLE_TOKEN};

    /// The calls were logged, with their endpoints, and no credential shows anywhere.
    pub(crate) fn logged_without_credentials(logs: &str) {
        assert!(logs.contains("wechat.call"), "nothing captured: {logs}");
        assert!(logs.contains(SEND), "{logs}");
        assert!(logs.contains("502"), "the failed call was logged: {logs}");
        assert!(
            logs.contains(STABLE_TOKEN) || logs.contains("access_token"),
            "{logs}"
        );
        for credential in [TOKEN_PREFIX, SECRET] {
            assert!(
                !logs.contains(credential),
                "{credential} leaked in the logs:\n{logs}"
            );
        }
    }
}

#[cfg(feature = "reqwest")]
#[tokio::test]
async fn reqwest_calls_log_no_credential() {
    use support::clients::{async_client, text_message};
    use support::{Fault, SEND, WeChatServer};

    let (logs, _guard) = capture::Logs::capture();
    let server = WeChatServer::start();
    server.fail_next(SEND, 1, Fault::BadGatewayHtml);
    let client = async_client(server.url());

    client.execute(&text_message()).await.unwrap_err();
    client.execute(&text_message()).await.unwrap();

    checks::logged_without_credentials(&logs.text());
}

#[cfg(feature = "ureq")]
#[test]
fn ureq_calls_log_no_credential() {
    use support::clients::{blocking_client, text_message};
    use support::{Fault, SEND, WeChatServer};

    let (logs, _guard) = capture::Logs::capture();
    let server = WeChatServer::start();
    server.fail_next(SEND, 1, Fault::BadGatewayHtml);
    let client = blocking_client(server.url());

    client.execute(&text_message()).unwrap_err();
    client.execute(&text_message()).unwrap();

    checks::logged_without_credentials(&logs.text());
}
