//! Pluggable HTTP: an async and a blocking backend trait over this crate's own
//! [`HttpRequest`]/[`HttpResponse`], with reqwest and ureq implementations behind features.
//!
//! Any HTTP stack can serve: implement [`HttpBackend`] (async) or [`BlockingHttpBackend`] for
//! your type, or pass a closure; both traits are implemented for matching closures, which
//! makes test doubles one line long.
//!
//! A backend must send the request exactly as given (no redirects followed, no status turned
//! into an error: WeChat reports failures in the body) and return the whole body.

#[cfg(feature = "reqwest")]
mod reqwest;
#[cfg(feature = "ureq")]
mod ureq;

use std::future::Future;
use std::time::Duration;

#[cfg(feature = "reqwest")]
pub use self::reqwest::ReqwestBackend;
#[cfg(feature = "ureq")]
pub use self::ureq::UreqBackend;

use crate::error::TransportError;
use crate::http::{HttpRequest, HttpResponse};

/// Sends requests asynchronously; what a [`Client`](crate::Client) uses.
///
/// Dyn-compatible (`Arc<dyn HttpBackend>`), via `async-trait`. Implemented for closures
/// returning a future:
///
/// ```
/// use wechat_core::{HttpBackend, HttpRequest, HttpResponse, TransportError};
///
/// let backend = |_request: HttpRequest| async {
///     Ok::<_, TransportError>(HttpResponse::new(200, r#"{"errcode":0,"errmsg":"ok"}"#))
/// };
/// let _: &dyn HttpBackend = &backend;
/// ```
#[async_trait::async_trait]
pub trait HttpBackend: Send + Sync + 'static {
    /// Sends `request` and returns the complete response, whatever its status.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// Sends requests on the calling thread; what a [`BlockingClient`](crate::BlockingClient) uses.
///
/// Implemented for closures:
///
/// ```
/// use wechat_core::{BlockingHttpBackend, HttpRequest, HttpResponse, TransportError};
///
/// let backend = |_request: HttpRequest| {
///     Ok::<_, TransportError>(HttpResponse::new(200, r#"{"errcode":0,"errmsg":"ok"}"#))
/// };
/// let _: &dyn BlockingHttpBackend = &backend;
/// ```
pub trait BlockingHttpBackend: Send + Sync + 'static {
    /// Sends `request` and returns the complete response, whatever its status.
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

#[async_trait::async_trait]
impl<F, Fut> HttpBackend for F
where
    F: Fn(HttpRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<HttpResponse, TransportError>> + Send + 'static,
{
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self(request).await
    }
}

impl<F> BlockingHttpBackend for F
where
    F: Fn(HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync + 'static,
{
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self(request)
    }
}

/// Settings both bundled backends share.
///
/// The defaults suit WeChat: a 5-second connect timeout, a 30-second limit on a whole
/// exchange (media up to 20 MB included), idle connections kept 90 seconds for reuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendOptions {
    /// How long connecting (TCP and TLS) may take.
    pub connect_timeout: Duration,
    /// How long one whole exchange may take, from sending to the last byte of the answer.
    pub timeout: Duration,
    /// How long an idle connection is kept for reuse.
    pub idle_timeout: Duration,
    /// At most this many idle connections are kept per host.
    pub max_idle_per_host: usize,
    /// The `user-agent` header.
    pub user_agent: String,
}

impl Default for BackendOptions {
    fn default() -> Self {
        BackendOptions {
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(90),
            max_idle_per_host: 32,
            user_agent: concat!("wechat-sdk-rust/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}

impl BackendOptions {
    /// Sets [`timeout`](BackendOptions::timeout).
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets [`connect_timeout`](BackendOptions::connect_timeout).
    #[must_use]
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }
}

/// The largest body the bundled backends read (WeChat Work media can reach 20 MB; anything
/// much larger is not a WeChat answer).
#[cfg(any(feature = "reqwest", feature = "ureq"))]
const MAX_BODY: u64 = 64 * 1024 * 1024;

/// An error and its sources, joined with `: ` (backends' messages are otherwise often just
/// "error sending request").
#[cfg(any(feature = "reqwest", feature = "ureq"))]
fn chain_text(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// The headers of a response in [`HttpResponse`]'s form (values that are not text are skipped).
/// `http` names are lowercase and values never hold a line break, so they are copied as they are.
#[cfg(any(feature = "reqwest", feature = "ureq"))]
fn response_headers(headers: &http::HeaderMap) -> String {
    let mut lines = String::with_capacity(headers.len() * 40);
    for (name, value) in headers {
        if let Ok(value) = std::str::from_utf8(value.as_bytes()) {
            lines.push_str(name.as_str());
            lines.push(':');
            lines.push_str(value);
            lines.push('\n');
        }
    }
    lines
}

/// The `http` method (a constant, not parsed from text).
#[cfg(any(feature = "reqwest", feature = "ureq"))]
fn http_method(method: crate::http::Method) -> http::Method {
    match method {
        crate::http::Method::Get => http::Method::GET,
        _ => http::Method::POST,
    }
}

/// The `http` header name: the constant for the one the clients send, parsed otherwise.
#[cfg(any(feature = "reqwest", feature = "ureq"))]
fn header_name(name: &str) -> Result<http::HeaderName, TransportError> {
    if name == "content-type" {
        return Ok(http::header::CONTENT_TYPE);
    }
    http::HeaderName::from_bytes(name.as_bytes()).map_err(|e| {
        TransportError::new(
            crate::TransportErrorKind::Request,
            format!("header {name:?}: {e}"),
        )
    })
}
