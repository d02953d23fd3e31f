//! The blocking backend on ureq 3 (feature `ureq`).

use std::io;

use bytes::Bytes;

use super::{BackendOptions, BlockingHttpBackend, MAX_BODY};
use crate::error::{TransportError, TransportErrorKind};
use crate::http::{HttpRequest, HttpResponse};

/// A [`BlockingHttpBackend`] on [ureq](https://docs.rs/ureq) 3: rustls with the ring provider
/// and the Mozilla root certificates compiled in, connection reuse, redirects off, every HTTP
/// status returned as a response (`http_status_as_error(false)`), timeouts from
/// [`BackendOptions`]: `connect_timeout` for connecting, `timeout` for each of sending the
/// request, waiting for the answer and reading its body.
///
/// Safe to use inside a tokio runtime (unlike `reqwest::blocking`), though it blocks the
/// thread it runs on. Cloning is cheap and clones share the connection pool.
#[derive(Debug, Clone)]
pub struct UreqBackend {
    agent: ureq::Agent,
}

impl UreqBackend {
    /// A backend with the default [`BackendOptions`].
    pub fn new() -> Self {
        Self::with_options(&BackendOptions::default())
    }

    /// A backend with the given options.
    pub fn with_options(options: &BackendOptions) -> Self {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            // Per phase, not `timeout_global`: with a global (or resolve) timeout, ureq looks the
            // host up on a new thread for every request. Each phase of an exchange gets the whole
            // budget; DNS answers within the system resolver's own limits.
            .timeout_connect(Some(options.connect_timeout))
            .timeout_send_request(Some(options.timeout))
            .timeout_send_body(Some(options.timeout))
            .timeout_recv_response(Some(options.timeout))
            .timeout_recv_body(Some(options.timeout))
            .max_idle_age(options.idle_timeout)
            .max_idle_connections_per_host(options.max_idle_per_host)
            .user_agent(options.user_agent.as_str())
            .build();
        UreqBackend {
            agent: ureq::Agent::new_with_config(config),
        }
    }
}

impl Default for UreqBackend {
    fn default() -> Self {
        Self::new()
    }
}

impl BlockingHttpBackend for UreqBackend {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut builder = ureq::http::Request::builder()
            .method(super::http_method(request.method()))
            .uri(request.url());
        for (name, value) in request.headers() {
            builder = builder.header(super::header_name(name)?, value);
        }
        let outgoing = builder.body(&request.body()[..]).map_err(|e| {
            // The http crate's error names the invalid part, never the URL's value.
            TransportError::new(TransportErrorKind::Request, e.to_string())
        })?;
        let mut response = self.agent.run(outgoing).map_err(transport_error)?;
        let status = response.status().as_u16();
        let headers = super::response_headers(response.headers());
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(transport_error)?;
        Ok(HttpResponse::from_parts(status, headers, Bytes::from(body)))
    }
}

/// Classifies a ureq error. `BadUri` quotes the URL, so its text is never used.
fn transport_error(error: ureq::Error) -> TransportError {
    let kind = match &error {
        ureq::Error::Timeout(_) => TransportErrorKind::Timeout,
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed => TransportErrorKind::Connect,
        ureq::Error::Io(io) => io_kind(io),
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::TlsRequired => {
            TransportErrorKind::Tls
        }
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => TransportErrorKind::Request,
        ureq::Error::Protocol(_)
        | ureq::Error::BodyExceedsLimit(_)
        | ureq::Error::LargeResponseHeader(..) => TransportErrorKind::Connection,
        _ => TransportErrorKind::Other,
    };
    if let ureq::Error::BadUri(_) = error {
        return TransportError::new(kind, "invalid URL");
    }
    match error {
        ureq::Error::Io(io) => TransportError::new(kind, io.to_string()).with_source(io),
        other => TransportError::new(kind, super::chain_text(&other)).with_source(other),
    }
}

fn io_kind(error: &io::Error) -> TransportErrorKind {
    match error.kind() {
        io::ErrorKind::ConnectionRefused
        | io::ErrorKind::AddrNotAvailable
        | io::ErrorKind::HostUnreachable
        | io::ErrorKind::NetworkUnreachable => TransportErrorKind::Connect,
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => TransportErrorKind::Timeout,
        _ => TransportErrorKind::Connection,
    }
}
