//! The async backend on reqwest (feature `reqwest`).

use std::sync::Arc;

use bytes::{Bytes, BytesMut};

use super::{BackendOptions, HttpBackend, MAX_BODY};
use crate::error::{TransportError, TransportErrorKind};
use crate::http::{HttpRequest, HttpResponse};

/// An [`HttpBackend`] on [reqwest](https://docs.rs/reqwest): rustls with the ring provider and
/// the Mozilla root certificates compiled in, HTTP/1.1 with connection reuse, redirects off,
/// timeouts from [`BackendOptions`]. Needs a tokio runtime.
///
/// Cloning is cheap and clones share the connection pool.
#[derive(Debug, Clone)]
pub struct ReqwestBackend {
    client: reqwest::Client,
}

impl ReqwestBackend {
    /// A backend with the default [`BackendOptions`].
    pub fn new() -> Result<Self, TransportError> {
        Self::with_options(&BackendOptions::default())
    }

    /// A backend with the given options.
    pub fn with_options(options: &BackendOptions) -> Result<Self, TransportError> {
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| TransportError::new(TransportErrorKind::Tls, e.to_string()))?
        .with_root_certificates(rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        })
        .with_no_client_auth();
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .pool_idle_timeout(options.idle_timeout)
            .pool_max_idle_per_host(options.max_idle_per_host)
            .user_agent(options.user_agent.as_str())
            .build()
            .map_err(|e| transport_error(e, TransportErrorKind::Request))?;
        Ok(ReqwestBackend { client })
    }
}

#[async_trait::async_trait]
impl HttpBackend for ReqwestBackend {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut builder = self
            .client
            .request(super::http_method(request.method()), request.url());
        for (name, value) in request.headers() {
            builder = builder.header(super::header_name(name)?, value);
        }
        let response = builder
            .body(request.body().clone())
            .send()
            .await
            .map_err(|e| transport_error(e, TransportErrorKind::Other))?;

        let status = response.status().as_u16();
        let headers = super::response_headers(response.headers());
        let body = match response.content_length() {
            Some(length) if length > MAX_BODY => return Err(too_large()),
            // hyper reads no more than the declared length: take the body in one go.
            Some(_) => response
                .bytes()
                .await
                .map_err(|e| transport_error(e, TransportErrorKind::Connection))?,
            None => read_capped(response).await?,
        };
        Ok(HttpResponse::from_parts(status, headers, body))
    }
}

/// A body of undeclared length (chunked), read up to [`MAX_BODY`].
async fn read_capped(mut response: reqwest::Response) -> Result<Bytes, TransportError> {
    let mut body = BytesMut::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| transport_error(e, TransportErrorKind::Connection))?
    {
        if (body.len() + chunk.len()) as u64 > MAX_BODY {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn too_large() -> TransportError {
    TransportError::new(
        TransportErrorKind::Connection,
        format!("the answer is larger than {MAX_BODY} bytes"),
    )
}

/// Classifies a reqwest error; the URL (which carries the access_token) is dropped first.
fn transport_error(error: reqwest::Error, otherwise: TransportErrorKind) -> TransportError {
    let error = error.without_url();
    let kind = if error.is_timeout() {
        TransportErrorKind::Timeout
    } else if error.is_connect() {
        if chain_mentions(&error, "certificate") || chain_mentions(&error, "tls") {
            TransportErrorKind::Tls
        } else {
            TransportErrorKind::Connect
        }
    } else if error.is_builder() {
        TransportErrorKind::Request
    } else if error.is_request() || error.is_body() || error.is_decode() {
        TransportErrorKind::Connection
    } else {
        otherwise
    };
    TransportError::new(kind, super::chain_text(&error)).with_source(error)
}

fn chain_mentions(error: &(dyn std::error::Error + 'static), word: &str) -> bool {
    super::chain_text(error).to_ascii_lowercase().contains(word)
}
