//! What a call logs, over real HTTP, with both backends: every span and event, at the most
//! verbose level, names the endpoint and never shows the access_token or the AppSecret, also
//! when a call fails on an answer that quotes the token.

mod support;

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

    let (logs, _guard) = support::logs::Logs::capture();
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

    let (logs, _guard) = support::logs::Logs::capture();
    let server = WeChatServer::start();
    server.fail_next(SEND, 1, Fault::BadGatewayHtml);
    let client = blocking_client(server.url());

    client.execute(&text_message()).unwrap_err();
    client.execute(&text_message()).unwrap();

    checks::logged_without_credentials(&logs.text());
}
