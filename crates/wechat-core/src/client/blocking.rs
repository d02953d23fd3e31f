//! [`BlockingClient`]: executes endpoints on the calling thread.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use super::{Attempts, BlockingClientBuilder, Core, flow};
use crate::backend::BlockingHttpBackend;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::platform::{MiniProgram, OfficialAccount, Platform, Work};
use crate::secret::Secret;
use crate::token::{AccessToken, BlockingTokenStore, TokenKey};
use crate::trace::CallTrace;

/// A blocking client of one WeChat app: the twin of [`Client`](crate::Client), executing the
/// same endpoint values with the same token handling and retry rules.
///
/// ```no_run
/// use wechat_core::BlockingClient;
/// use wechat_core::endpoints::mp::SendCustomMessage;
/// use wechat_types::mp::{CustomMessage, Text};
///
/// # fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = BlockingClient::official_account("APPID", "APPSECRET").build()?;
/// client.execute(&SendCustomMessage::new(CustomMessage::new("OPENID", Text::new("Hello"))))?;
/// # Ok(())
/// # }
/// ```
pub struct BlockingClient<P: Platform> {
    inner: Arc<Inner>,
    platform: PhantomData<fn() -> P>,
}

struct Inner {
    core: Core,
    backend: Arc<dyn BlockingHttpBackend>,
    store: Arc<dyn BlockingTokenStore>,
}

impl BlockingClient<OfficialAccount> {
    /// Starts building a client of the Official Account `appid`.
    pub fn official_account(
        appid: impl Into<String>,
        secret: impl Into<Secret>,
    ) -> BlockingClientBuilder<OfficialAccount> {
        BlockingClientBuilder::new(appid.into(), secret.into())
    }
}

impl BlockingClient<MiniProgram> {
    /// Starts building a client of the Mini Program `appid`.
    pub fn mini_program(
        appid: impl Into<String>,
        secret: impl Into<Secret>,
    ) -> BlockingClientBuilder<MiniProgram> {
        BlockingClientBuilder::new(appid.into(), secret.into())
    }
}

impl BlockingClient<Work> {
    /// Starts building a client of the WeChat Work corp `corpid`.
    pub fn work(
        corpid: impl Into<String>,
        secret: impl Into<Secret>,
    ) -> BlockingClientBuilder<Work> {
        BlockingClientBuilder::new(corpid.into(), secret.into())
    }
}

impl<P: Platform> BlockingClient<P> {
    pub(crate) fn from_parts(
        core: Core,
        backend: Arc<dyn BlockingHttpBackend>,
        store: Arc<dyn BlockingTokenStore>,
    ) -> Self {
        BlockingClient {
            inner: Arc::new(Inner {
                core,
                backend,
                store,
            }),
            platform: PhantomData,
        }
    }

    /// Executes `endpoint`: checks it, sends it with a valid access_token, reads the answer.
    pub fn execute<E: Endpoint<P>>(&self, endpoint: &E) -> Result<E::Output, Error> {
        let request = endpoint.request()?;
        let trace = CallTrace::start(self.inner.core.platform(), &request);
        let mut attempts = Attempts::default();
        let outcome = trace.span().in_scope(|| {
            flow::call_loop!(
                self,
                endpoint,
                request,
                trace,
                attempts,
                std::thread::sleep,
                []
            )
        });
        trace.finish(&outcome, attempts.sent);
        outcome
    }

    /// A valid access_token, from the store or freshly obtained. Its value prints as
    /// `<redacted>`.
    pub fn access_token(&self) -> Result<AccessToken, Error> {
        let outcome = self.token(None);
        self.inner.core.conclude(outcome, None)
    }

    /// The key this client's token is stored under.
    pub fn token_key(&self) -> &TokenKey {
        self.inner.core.tokens().key()
    }

    /// A usable token; `failed` is one WeChat just called stale.
    fn token(&self, failed: Option<&AccessToken>) -> Result<AccessToken, Error> {
        flow::obtain_token!(self, failed, [])
    }
}

impl<P: Platform> Clone for BlockingClient<P> {
    fn clone(&self) -> Self {
        BlockingClient {
            inner: Arc::clone(&self.inner),
            platform: PhantomData,
        }
    }
}

/// Shows the platform, app id, base URL and token key; never a credential.
impl<P: Platform> fmt::Debug for BlockingClient<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.core.debug("BlockingClient", f)
    }
}
