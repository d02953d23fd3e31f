//! [`Client`]: executes endpoints asynchronously.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use tracing::Instrument;

use super::{Attempts, ClientBuilder, Core, flow};
use crate::backend::HttpBackend;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::platform::{MiniProgram, OfficialAccount, Platform, Work};
use crate::secret::Secret;
use crate::token::{AccessToken, TokenKey, TokenStore};
use crate::trace::CallTrace;

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
        let request = endpoint.request()?;
        let trace = CallTrace::start(self.inner.core.platform(), &request);
        let mut attempts = Attempts::default();
        let outcome = async {
            flow::call_loop!(self, endpoint, request, trace, attempts, futures_timer::Delay::new, [.await])
        }
        .instrument(trace.span().clone())
        .await;
        trace.finish(&outcome, attempts.sent);
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

    /// A usable token; `failed` is one WeChat just called stale.
    async fn token(&self, failed: Option<&AccessToken>) -> Result<AccessToken, Error> {
        flow::obtain_token!(self, failed, [.await])
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
        self.inner.core.debug("Client", f)
    }
}
