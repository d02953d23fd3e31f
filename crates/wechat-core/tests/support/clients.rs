//! Clients of both bundled backends aimed at a [`WeChatServer`](super::WeChatServer), with the
//! server's credentials, and the message the tests send.
//!
//! Each test still writes out what it changes (retry policy, token endpoint, timeout); these
//! helpers only spare it the parts every test shares.

use std::time::Duration;

use wechat_core::BackendOptions;
use wechat_core::endpoints::mp::SendCustomMessage;
use wechat_types::mp::{CustomMessage, Text};

#[cfg(any(feature = "reqwest", feature = "ureq"))]
use super::{APPID, SECRET};
#[cfg(any(feature = "reqwest", feature = "ureq"))]
use wechat_core::OfficialAccount;

/// The timeout of ordinary tests: generous, so that 200 concurrent calls on a busy two-core
/// machine never meet it.
pub const PATIENT: Duration = Duration::from_secs(10);
/// The timeout of the tests of a slow answer: far below [`SLOW_ANSWER`].
pub const IMPATIENT: Duration = Duration::from_millis(300);
/// How late a slow answer comes: far past [`IMPATIENT`], so that which of the two wins never
/// depends on scheduling.
pub const SLOW_ANSWER: Duration = Duration::from_secs(2);

/// The customer every test message goes to.
pub const OPENID: &str = "oLOOPBACK_OPENID";

/// Options of both bundled backends with `timeout` for the whole exchange.
pub fn options(timeout: Duration) -> BackendOptions {
    BackendOptions::default().with_timeout(timeout)
}

/// A customer-service text message: the call most tests make.
pub fn text_message() -> SendCustomMessage {
    SendCustomMessage::new(CustomMessage::new(
        OPENID,
        Text::new("您好，请问有什么可以帮您？"),
    ))
}

/// An async client on reqwest, with the server's credentials and timeout `timeout`; finish it
/// with more settings and `.build()`.
#[cfg(feature = "reqwest")]
pub fn async_builder(url: &str, timeout: Duration) -> wechat_core::ClientBuilder<OfficialAccount> {
    wechat_core::Client::official_account(APPID, SECRET)
        .base_url(url)
        .backend(reqwest_backend(timeout))
}

/// An async client on reqwest with the server's credentials and the defaults.
#[cfg(feature = "reqwest")]
pub fn async_client(url: &str) -> wechat_core::Client<OfficialAccount> {
    async_builder(url, PATIENT).build().expect("a client")
}

/// The reqwest backend with timeout `timeout`.
#[cfg(feature = "reqwest")]
pub fn reqwest_backend(timeout: Duration) -> wechat_core::ReqwestBackend {
    wechat_core::ReqwestBackend::with_options(&options(timeout)).expect("a reqwest backend")
}

/// A blocking client on ureq, with the server's credentials and timeout `timeout`; finish it
/// with more settings and `.build()`.
#[cfg(feature = "ureq")]
pub fn blocking_builder(
    url: &str,
    timeout: Duration,
) -> wechat_core::BlockingClientBuilder<OfficialAccount> {
    wechat_core::BlockingClient::official_account(APPID, SECRET)
        .base_url(url)
        .backend(ureq_backend(timeout))
}

/// A blocking client on ureq with the server's credentials and the defaults.
#[cfg(feature = "ureq")]
pub fn blocking_client(url: &str) -> wechat_core::BlockingClient<OfficialAccount> {
    blocking_builder(url, PATIENT).build().expect("a client")
}

/// The ureq backend with timeout `timeout`.
#[cfg(feature = "ureq")]
pub fn ureq_backend(timeout: Duration) -> wechat_core::UreqBackend {
    wechat_core::UreqBackend::with_options(&options(timeout))
}
