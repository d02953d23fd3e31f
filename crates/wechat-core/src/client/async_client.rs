//! [`Client`]: executes endpoints asynchronously.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Instant;

use tracing::Instrument;

use super::{Attempts, ClientBuilder, Core, Step};
use crate::backend::HttpBackend;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::platform::{MiniProgram, OfficialAccount, Platform, Work};
use crate::secret::Secret;
use crate::token::{AccessToken, TokenKey, TokenStore};
use crate::trace;

/// An async client of one WeChat app, executing [`Endpoint<P>`] values.
///
/// It obtains and refreshes the access_token itself (one refresh in flight per token key, even
/// with thousands of concurrent calls), retries once with a new token when WeChat calls the
/// token stale, and otherwise follows its [`RetryPolicy`](crate::RetryPolicy) (by default: no
/// retries). Cloning is cheap; clones share everything.
///
/// ```no_run
/// use wechat_core::Client;
/// use wechat_core::endpoints::mp::SendCustomMessage;
/// use wechat_types::mp::{CustomMessage, Text};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Client::official_account("APPID", "APPSECRET").build()?;
/// let hello = SendCustomMessage::new(CustomMessage::new("OPENID", Text::new("Hello")));
/// client.execute(&hello).await?;
/// # Ok(())
/// # }
/// ```
pub struct Client<P: Platform> {
    inner: Arc<Inner>,
    platform: PhantomData<fn() -> P>,
}

struct Inner {
    core: Core,
    backend: Arc<dyn HttpBackend>,
    store: Arc<dyn TokenStore>,
}

impl Client<OfficialAccount> {
    /// Starts building a client of the Official Account `appid`.
    pub fn official_account(
        appid: impl Into<String>,
        secret: impl Into<Secret>,
    ) -> ClientBuilder<OfficialAccount> {
        ClientBuilder::new(appid.into(), secret.into())
    }
}

impl Client<MiniProgram> {
    /// Starts building a client of the Mini Program `appid`.
    pub fn mini_program(
        appid: impl Into<String>,
        secret: impl Into<Secret>,
    ) -> ClientBuilder<MiniProgram> {
        ClientBuilder::new(appid.into(), secret.into())
    }
}

impl Client<Work> {
    /// Starts building a client of the WeChat Work corp `corpid`, with the secret of the app
    /// that may call the customer-service API.
    pub fn work(corpid: impl Into<String>, secret: impl Into<Secret>) -> ClientBuilder<Work> {
        ClientBuilder::new(corpid.into(), secret.into())
    }
}

impl<P: Platform> Client<P> {
    pub(crate) fn from_parts(
        core: Core,
        backend: Arc<dyn HttpBackend>,
        store: Arc<dyn TokenStore>,
    ) -> Self {
        Client {
            inner: Arc::new(Inner {
                core,
                backend,
                store,
            }),
            platform: PhantomData,
        }
    }

    /// Executes `endpoint`: checks it, sends it with a valid access_token, reads the answer.
    pub async fn execute<E: Endpoint<P>>(&self, endpoint: &E) -> Result<E::Output, Error> {
        let core = &self.inner.core;
        let request = endpoint.request()?;
        let span = trace::call_span(core.platform(), &request);
        let started = Instant::now();
        let mut attempts = Attempts::default();
        let outcome = async {
            let mut failed: Option<AccessToken> = None;
            loop {
                let token = if request.needs_access_token() {
                    match self.token(failed.as_ref()).await {
                        Ok(token) => Some(token),
                        Err(error) => match core.retry_step(&error, &mut attempts) {
                            Step::Retry(delay) => {
                                futures_timer::Delay::new(delay).await;
                                continue;
                            }
                            _ => return core.conclude(Err(error), None),
                        },
                    }
                } else {
                    None
                };
                attempts.sent += 1;
                let http = core.http_request(&request, token.as_ref());
                let outcome = match self.inner.backend.send(http).await {
                    Ok(response) => {
                        trace::status(&span, response.status());
                        endpoint.parse(core.reply(response, &request))
                    }
                    Err(error) => Err(error.at(request.path_cow()).into()),
                };
                match core.next_step(&outcome, token.is_some(), &mut attempts) {
                    Step::Done => return core.conclude(outcome, token.as_ref()),
                    Step::RefreshToken => failed = token,
                    Step::Retry(delay) => futures_timer::Delay::new(delay).await,
                }
            }
        }
        .instrument(span.clone())
        .await;
        trace::finish(&span, &outcome, attempts.sent, started);
        outcome
    }

    /// A valid access_token, from the store or freshly obtained: for the APIs this SDK does
    /// not wrap, or for another process. Its value prints as `<redacted>`.
    pub async fn access_token(&self) -> Result<AccessToken, Error> {
        let outcome = self.token(None).await;
        self.inner.core.conclude(outcome, None)
    }

    /// The key this client's token is stored under.
    pub fn token_key(&self) -> &TokenKey {
        self.inner.core.tokens().key()
    }

    /// A usable token; `failed` is one WeChat just called stale (see `token::refresh`).
    async fn token(&self, failed: Option<&AccessToken>) -> Result<AccessToken, Error> {
        let state = self.inner.core.tokens();
        let store = &self.inner.store;
        if let Some(token) = state.usable(store.get(state.key()).await?, failed) {
            return Ok(token);
        }
        let mark = state.mark();
        let _lock = store.lock(state.key()).await?;
        if let Some(token) = state.usable(store.get(state.key()).await?, failed) {
            return Ok(token);
        }
        if let Some(error) = state.failure_since(mark) {
            return Err(error);
        }
        if let Some(failed) = failed {
            store.remove_if(state.key(), failed).await?;
        }
        let outcome = self.fetch_token().await;
        state.record(&outcome);
        let token = outcome?;
        store.put(state.key(), token.clone()).await?;
        trace::token_refreshed(state.key());
        Ok(token)
    }

    /// One request to the token endpoint.
    async fn fetch_token(&self) -> Result<AccessToken, Error> {
        let core = &self.inner.core;
        let state = core.tokens();
        let request = state.request();
        match self
            .inner
            .backend
            .send(core.http_request(request, None))
            .await
        {
            Ok(response) => state.parse(core.reply(response, request)),
            Err(error) => Err(error.at(request.path_cow()).into()),
        }
    }
}

impl<P: Platform> Clone for Client<P> {
    fn clone(&self) -> Self {
        Client {
            inner: Arc::clone(&self.inner),
            platform: PhantomData,
        }
    }
}

/// Shows the platform, app id, base URL and token key; never a credential.
impl<P: Platform> fmt::Debug for Client<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.core.fmt(f)
    }
}
