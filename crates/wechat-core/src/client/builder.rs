//! Building clients: credentials, where to send, how to keep tokens, when to retry.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use wechat_types::common::{StableTokenRequest, TokenQuery};
use wechat_types::work::GetTokenQuery;

use super::{BlockingClient, Client, Core};
use crate::backend::{BlockingHttpBackend, HttpBackend};
use crate::endpoint::{Endpoint, Request};
use crate::endpoints;
use crate::error::{Error, InvalidRequest, TransportError};
use crate::platform::{AppPlatform, OfficialAccount, Platform, PlatformKind, Work};
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::token::refresh::TokenState;
use crate::token::{
    BlockingTokenStore, Clock, MemoryTokenStore, SystemClock, TokenEndpoint, TokenKey, TokenStore,
};

/// Why a client could not be built.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// No backend was given and the crate feature that provides a default is off.
    #[error(
        "no HTTP backend: enable the `reqwest` feature (async) or the `ureq` feature (blocking), or pass one with `.backend(...)`"
    )]
    NoBackend,
    /// The base URL is not an `http://` or `https://` URL without query or fragment.
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl {
        /// The URL given.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The AppID / CorpID or the secret is empty.
    #[error("invalid credentials: {0}")]
    InvalidCredentials(InvalidRequest),
    /// The default backend could not be created.
    #[error("could not create the HTTP backend: {0}")]
    Backend(TransportError),
}

/// What both builders collect.
struct Settings {
    platform: PlatformKind,
    id: String,
    secret: Secret,
    base_url: Option<String>,
    token_endpoint: TokenEndpoint,
    refresh_margin: Duration,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
}

impl Settings {
    fn new(platform: PlatformKind, id: String, secret: Secret) -> Self {
        Settings {
            platform,
            id,
            secret,
            base_url: None,
            token_endpoint: TokenEndpoint::default(),
            refresh_margin: Duration::from_secs(300),
            retry: RetryPolicy::never(),
            clock: Arc::new(SystemClock),
        }
    }

    fn into_core(self) -> Result<Core, BuildError> {
        let base_url = match self.base_url {
            Some(url) => normalize_base_url(url)?,
            None => self.platform.default_base_url().to_owned(),
        };
        let key = TokenKey::new(self.platform, &self.id, self.token_endpoint, &self.secret);
        let request = token_request(self.platform, self.token_endpoint, &self.id, &self.secret)
            .map_err(|error| match error {
                Error::InvalidRequest(invalid) => BuildError::InvalidCredentials(invalid),
                other => {
                    BuildError::InvalidCredentials(InvalidRequest::new("", "", other.to_string()))
                }
            })?;
        Ok(Core {
            platform: self.platform,
            id: self.id,
            secret: self.secret,
            base_url,
            tokens: TokenState::new(key, request, self.refresh_margin, self.clock),
            retry: self.retry,
        })
    }
}

/// The request obtaining a token, built once with the generated token endpoints (which check
/// that neither the id nor the secret is empty).
fn token_request(
    platform: PlatformKind,
    endpoint: TokenEndpoint,
    id: &str,
    secret: &Secret,
) -> Result<Request, Error> {
    let secret = secret.expose();
    match (platform, endpoint) {
        (PlatformKind::Work, _) => Endpoint::<Work>::request(
            &endpoints::work::GetAccessToken::new(GetTokenQuery::new(id, secret)),
        ),
        (_, TokenEndpoint::Classic) => Endpoint::<OfficialAccount>::request(
            &endpoints::common::GetAccessToken::new(TokenQuery::new(id, secret)),
        ),
        (_, TokenEndpoint::Stable) => Endpoint::<OfficialAccount>::request(
            &endpoints::common::GetStableAccessToken::new(StableTokenRequest::new(id, secret)),
        ),
    }
}

/// `http(s)://host[:port][/prefix]`, without a trailing slash.
fn normalize_base_url(url: String) -> Result<String, BuildError> {
    let invalid = |reason| BuildError::InvalidBaseUrl {
        url: url.clone(),
        reason,
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| invalid("it must start with http:// or https://"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(invalid("it has no host"));
    }
    if url.contains(['?', '#']) {
        return Err(invalid("it must not have a query or a fragment"));
    }
    if url.contains(char::is_whitespace) {
        return Err(invalid("it must not contain white space"));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// The setters both builders share.
macro_rules! shared_settings {
    () => {
        /// Sends every request to `base_url` (`http://127.0.0.1:8080`, or a proxy such as
        /// `https://proxy.example.com/wechat`) instead of WeChat's own host.
        pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
            self.settings.base_url = Some(base_url.into());
            self
        }

        /// Refreshes the token this long before it expires (default 5 minutes; never more than
        /// half the token's lifetime).
        pub fn refresh_margin(mut self, margin: Duration) -> Self {
            self.settings.refresh_margin = margin;
            self
        }

        /// When failed calls are sent again (default: never; see [`RetryPolicy`]).
        pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
            self.settings.retry = policy;
            self
        }

        /// The clock token freshness is judged by (default: the system clock).
        pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
            self.settings.clock = clock;
            self
        }
    };
}

/// Builds a [`Client`]; start from [`Client::official_account`], [`Client::mini_program`] or
/// [`Client::work`].
#[must_use]
pub struct ClientBuilder<P: Platform> {
    settings: Settings,
    backend: Option<Arc<dyn HttpBackend>>,
    store: Option<Arc<dyn TokenStore>>,
    platform: PhantomData<fn() -> P>,
}

impl<P: Platform> ClientBuilder<P> {
    pub(crate) fn new(id: String, secret: Secret) -> Self {
        ClientBuilder {
            settings: Settings::new(P::KIND, id, secret),
            backend: None,
            store: None,
            platform: PhantomData,
        }
    }

    shared_settings!();

    /// The HTTP backend (default: [`ReqwestBackend`](crate::ReqwestBackend) with the `reqwest`
    /// feature). Any [`HttpBackend`] serves, closures included.
    pub fn backend(mut self, backend: impl HttpBackend) -> Self {
        self.backend = Some(Arc::new(backend));
        self
    }

    /// A backend shared with other clients.
    pub fn shared_backend(mut self, backend: Arc<dyn HttpBackend>) -> Self {
        self.backend = Some(backend);
        self
    }

    /// Where tokens are kept (default: a [`MemoryTokenStore`] of this client's own). Share one
    /// store between clients with the same credentials so that they share the token.
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client<P>, BuildError> {
        let backend = match self.backend {
            Some(backend) => backend,
            None => default_async_backend()?,
        };
        let store = self
            .store
            .unwrap_or_else(|| Arc::new(MemoryTokenStore::new()));
        Ok(Client::from_parts(
            self.settings.into_core()?,
            backend,
            store,
        ))
    }
}

impl<P: AppPlatform> ClientBuilder<P> {
    /// Which endpoint tokens come from (default [`TokenEndpoint::Stable`]).
    pub fn token_endpoint(mut self, endpoint: TokenEndpoint) -> Self {
        self.settings.token_endpoint = endpoint;
        self
    }
}

#[cfg(feature = "reqwest")]
fn default_async_backend() -> Result<Arc<dyn HttpBackend>, BuildError> {
    Ok(Arc::new(
        crate::ReqwestBackend::new().map_err(BuildError::Backend)?,
    ))
}

#[cfg(not(feature = "reqwest"))]
fn default_async_backend() -> Result<Arc<dyn HttpBackend>, BuildError> {
    Err(BuildError::NoBackend)
}

/// Builds a [`BlockingClient`]; start from [`BlockingClient::official_account`],
/// [`BlockingClient::mini_program`] or [`BlockingClient::work`].
#[must_use]
pub struct BlockingClientBuilder<P: Platform> {
    settings: Settings,
    backend: Option<Arc<dyn BlockingHttpBackend>>,
    store: Option<Arc<dyn BlockingTokenStore>>,
    platform: PhantomData<fn() -> P>,
}

impl<P: Platform> BlockingClientBuilder<P> {
    pub(crate) fn new(id: String, secret: Secret) -> Self {
        BlockingClientBuilder {
            settings: Settings::new(P::KIND, id, secret),
            backend: None,
            store: None,
            platform: PhantomData,
        }
    }

    shared_settings!();

    /// The HTTP backend (default: [`UreqBackend`](crate::UreqBackend) with the `ureq`
    /// feature). Any [`BlockingHttpBackend`] serves, closures included.
    pub fn backend(mut self, backend: impl BlockingHttpBackend) -> Self {
        self.backend = Some(Arc::new(backend));
        self
    }

    /// A backend shared with other clients.
    pub fn shared_backend(mut self, backend: Arc<dyn BlockingHttpBackend>) -> Self {
        self.backend = Some(backend);
        self
    }

    /// Where tokens are kept (default: a [`MemoryTokenStore`] of this client's own).
    pub fn token_store(mut self, store: Arc<dyn BlockingTokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<BlockingClient<P>, BuildError> {
        let backend = match self.backend {
            Some(backend) => backend,
            None => default_blocking_backend()?,
        };
        let store = self
            .store
            .unwrap_or_else(|| Arc::new(MemoryTokenStore::new()));
        Ok(BlockingClient::from_parts(
            self.settings.into_core()?,
            backend,
            store,
        ))
    }
}

impl<P: AppPlatform> BlockingClientBuilder<P> {
    /// Which endpoint tokens come from (default [`TokenEndpoint::Stable`]).
    pub fn token_endpoint(mut self, endpoint: TokenEndpoint) -> Self {
        self.settings.token_endpoint = endpoint;
        self
    }
}

#[cfg(feature = "ureq")]
fn default_blocking_backend() -> Result<Arc<dyn BlockingHttpBackend>, BuildError> {
    Ok(Arc::new(crate::UreqBackend::new()))
}

#[cfg(not(feature = "ureq"))]
fn default_blocking_backend() -> Result<Arc<dyn BlockingHttpBackend>, BuildError> {
    Err(BuildError::NoBackend)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked_and_normalized() {
        let ok = |url: &str| normalize_base_url(url.to_owned()).unwrap();
        assert_eq!(ok("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
        assert_eq!(
            ok("https://proxy.example.com/wechat//"),
            "https://proxy.example.com/wechat"
        );
        for bad in [
            "127.0.0.1:8080",
            "ftp://x",
            "http://",
            "https:///x",
            "http://h/?a=1",
            "http://h#f",
            "http://h /x",
        ] {
            assert!(
                matches!(
                    normalize_base_url(bad.to_owned()),
                    Err(BuildError::InvalidBaseUrl { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn empty_credentials_are_refused_at_build_time() {
        let error = Settings::new(
            PlatformKind::OfficialAccount,
            String::new(),
            Secret::new("s"),
        )
        .into_core()
        .err()
        .expect("an empty appid is refused");
        let BuildError::InvalidCredentials(invalid) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(invalid.field(), "appid");
        let error = Settings::new(PlatformKind::Work, "ww1".into(), Secret::new(""))
            .into_core()
            .err()
            .expect("an empty corpsecret is refused");
        assert!(error.to_string().contains("corpsecret"), "{error}");
    }
}
