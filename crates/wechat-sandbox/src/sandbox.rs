//! [`Sandbox`]: a running emulator on 127.0.0.1, and [`AppHandle`]: the control API of one of
//! its apps, in Rust.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::runtime::Runtime;
use wechat_core::{BlockingClient, BlockingClientBuilder, Client, ClientBuilder, OfficialAccount};

use crate::clock::VirtualClock;
use crate::config::{CallbackConfig, ConfigError, SandboxConfig};
use crate::control::{ControlError, routes};
use crate::faults::FaultPlan;
use crate::model::users::Delivered;
use crate::model::{Call, UserView, World};
use crate::push;
use crate::shared::Shared;
use crate::user_message::{PushReport, UserMessage};

/// Why a sandbox did not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The configuration cannot be used.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The runtime could not be built.
    #[error("cannot start the sandbox's runtime: {0}")]
    Runtime(std::io::Error),
    /// The HTTP client that pushes to callbacks could not be built.
    #[error("cannot build the push client: {0}")]
    Client(String),
}

/// A running WeChat Official Account emulator.
///
/// It runs on a runtime of its own, so async tests (of any runtime) and blocking tests use it
/// alike. Dropping it stops it at once.
///
/// ```
/// use wechat_core::endpoints::mp::SendCustomMessage;
/// use wechat_core::types::mp::{CustomMessage, Text};
/// use wechat_sandbox::{Sandbox, UserMessage};
///
/// let sandbox = Sandbox::start()?;
/// let app = sandbox.app();
/// let openid = app.create_user("Ann")?;
/// app.writes_blocking(&openid, UserMessage::text("你好"))?; // opens the 48-hour window
///
/// let client = app.blocking_client().build()?;
/// client.execute(&SendCustomMessage::new(CustomMessage::new(&openid, Text::new("您好！"))))?;
/// assert_eq!(app.inbox(&openid)?[0].payload["content"], "您好！");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Sandbox {
    url: String,
    addr: SocketAddr,
    shared: Arc<Shared>,
    clock: VirtualClock,
    runtime: Option<Runtime>,
}

impl Sandbox {
    /// Starts the default configuration (one app, [`DEFAULT_APPID`](crate::DEFAULT_APPID)) on
    /// a free port of 127.0.0.1.
    pub fn start() -> Result<Self, StartError> {
        Self::start_with(SandboxConfig::default())
    }

    /// Starts `config` on a free port of 127.0.0.1.
    pub fn start_with(config: SandboxConfig) -> Result<Self, StartError> {
        Self::start_on(SocketAddr::from(([127, 0, 0, 1], 0)), config)
    }

    /// Starts `config` on `addr` (port 0 picks a free one).
    pub fn start_on(addr: SocketAddr, config: SandboxConfig) -> Result<Self, StartError> {
        config.check()?;
        let clock = match config.clock.start {
            Some(start) if config.clock.frozen => VirtualClock::frozen_at(start),
            Some(start) => VirtualClock::running_at(start),
            None if config.clock.frozen => VirtualClock::frozen_at(VirtualClock::running().unix()),
            None => VirtualClock::running(),
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("wechat-sandbox")
            .enable_all()
            .build()
            .map_err(StartError::Runtime)?;
        // Bound without `block_on`, which a caller inside a runtime may not use.
        let listener = std::net::TcpListener::bind(addr)
            .map_err(|source| StartError::Bind { addr, source })?;
        let bound = listener
            .local_addr()
            .and_then(|bound| listener.set_nonblocking(true).map(|()| bound))
            .map_err(|source| StartError::Bind { addr, source })?;
        let listener = {
            let _context = runtime.enter();
            tokio::net::TcpListener::from_std(listener)
                .map_err(|source| StartError::Bind { addr, source })?
        };
        let url = format!("http://{bound}");
        let mut world = World::new(&config, clock.clone());
        world.base_url = url.clone();
        let shared = Arc::new({
            let _context = runtime.enter();
            Shared::new(world)?
        });
        runtime.spawn(crate::server::accept(
            listener,
            crate::server::router(Arc::clone(&shared)),
        ));
        tracing::info!(%url, "wechat-sandbox: listening");
        Ok(Sandbox {
            url,
            addr: bound,
            shared,
            clock,
            runtime: Some(runtime),
        })
    }

    /// `http://127.0.0.1:PORT`: the base URL to give a client (`.base_url(sandbox.url())`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The virtual clock (shared: advancing a clone advances the sandbox's).
    pub fn clock(&self) -> VirtualClock {
        self.clock.clone()
    }

    /// Moves the virtual clock forward.
    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// The first app of the configuration (the only one by default).
    pub fn app(&self) -> AppHandle<'_> {
        AppHandle {
            sandbox: self,
            app: 0,
        }
    }

    /// The app with this AppID.
    pub fn app_by_id(&self, appid: &str) -> Result<AppHandle<'_>, ControlError> {
        let app = self.shared.world().app_index(appid)?;
        Ok(AppHandle { sandbox: self, app })
    }

    /// Queues a fault.
    pub fn inject(&self, plan: FaultPlan) {
        self.shared.world().faults.push(plan);
    }

    /// Forgets every queued fault.
    pub fn clear_faults(&self) {
        self.shared.world().faults.clear();
    }

    /// Every call of the emulated API so far, oldest first.
    pub fn calls(&self) -> Vec<Call> {
        self.shared.world().calls.clone()
    }

    /// Serves until the process gets Ctrl-C (what the binary does).
    pub fn serve_until_ctrl_c(mut self) -> std::io::Result<()> {
        let runtime = self
            .runtime
            .take()
            .expect("a running sandbox has its runtime");
        let result = runtime.block_on(tokio::signal::ctrl_c());
        runtime.shutdown_background();
        result
    }

    /// Stops serving (as dropping does).
    pub fn stop(self) {}

    /// Runs `future` on the sandbox's runtime, from any thread or runtime.
    fn spawn<T: Send + 'static>(
        &self,
        future: impl Future<Output = T> + Send + 'static,
    ) -> tokio::task::JoinHandle<T> {
        self.runtime
            .as_ref()
            .expect("a running sandbox has its runtime")
            .spawn(future)
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // Without waiting: a connection may be in a delay fault.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// The control API of one app of a [`Sandbox`], in Rust (the same operations as the HTTP
/// routes under `/sandbox/apps/{appid}`).
#[derive(Clone, Copy)]
pub struct AppHandle<'a> {
    sandbox: &'a Sandbox,
    app: usize,
}

impl std::fmt::Debug for AppHandle<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppHandle")
            .field("appid", &self.appid())
            .finish()
    }
}

impl<'a> AppHandle<'a> {
    fn world(&self) -> std::sync::MutexGuard<'a, World> {
        self.sandbox.shared.world()
    }

    /// The AppID.
    pub fn appid(&self) -> String {
        self.world().apps[self.app].config.appid.clone()
    }

    /// The original ID (`gh_...`): `ToUserName` of the pushes.
    pub fn original_id(&self) -> String {
        self.world().apps[self.app].config.original_id.clone()
    }

    /// The WeChat ID: the suffix every kf account must have (`kf1@{wechat_id}`).
    pub fn wechat_id(&self) -> String {
        self.world().apps[self.app].config.wechat_id.clone()
    }

    /// An async client of this app, aimed at the sandbox; finish it with `.build()`.
    pub fn client(&self) -> ClientBuilder<OfficialAccount> {
        let world = self.world();
        let config = &world.apps[self.app].config;
        Client::official_account(&config.appid, config.secret.clone()).base_url(&self.sandbox.url)
    }

    /// A blocking client of this app, aimed at the sandbox; finish it with `.build()`.
    pub fn blocking_client(&self) -> BlockingClientBuilder<OfficialAccount> {
        let world = self.world();
        let config = &world.apps[self.app].config;
        BlockingClient::official_account(&config.appid, config.secret.clone())
            .base_url(&self.sandbox.url)
    }

    /// Creates a follower called `nickname` with a random OpenID, returned.
    pub fn create_user(&self, nickname: &str) -> Result<String, ControlError> {
        self.world()
            .create_user(self.app, None, Some(nickname.to_owned()))
            .map(|user| user.openid)
    }

    /// Creates a follower with this OpenID.
    pub fn create_user_with_openid(
        &self,
        openid: &str,
        nickname: &str,
    ) -> Result<(), ControlError> {
        self.world()
            .create_user(self.app, Some(openid.to_owned()), Some(nickname.to_owned()))
            .map(drop)
    }

    /// A user's state: window, quota left, typing, session.
    pub fn user(&self, openid: &str) -> Result<UserView, ControlError> {
        self.world().user_view(self.app, openid)
    }

    /// Every user.
    pub fn users(&self) -> Vec<UserView> {
        self.world().user_views(self.app)
    }

    /// The user writes to the account: the window opens, and the message is pushed to the
    /// callback (and the reply applied) or goes to the kf serving the user.
    pub async fn writes(
        &self,
        openid: &str,
        message: UserMessage,
    ) -> Result<PushReport, ControlError> {
        let (shared, app, openid) = (
            Arc::clone(&self.sandbox.shared),
            self.app,
            openid.to_owned(),
        );
        self.sandbox
            .spawn(async move { routes::write(&shared, app, &openid, message).await })
            .await
            .unwrap_or_else(|e| Err(ControlError::Invalid(format!("the push task failed: {e}"))))
    }

    /// [`writes`](AppHandle::writes), waiting on this thread.
    pub fn writes_blocking(
        &self,
        openid: &str,
        message: UserMessage,
    ) -> Result<PushReport, ControlError> {
        let (shared, app, openid) = (
            Arc::clone(&self.sandbox.shared),
            self.app,
            openid.to_owned(),
        );
        let (sender, receiver) = std::sync::mpsc::channel();
        self.sandbox.spawn(async move {
            let _ = sender.send(routes::write(&shared, app, &openid, message).await);
        });
        receiver
            .recv()
            .unwrap_or_else(|e| Err(ControlError::Invalid(format!("the push task failed: {e}"))))
    }

    /// Everything the user received, oldest first.
    pub fn inbox(&self, openid: &str) -> Result<Vec<Delivered>, ControlError> {
        self.world().inbox(self.app, openid, 0)
    }

    /// Waits (on this thread) until the user has received at least `count` messages, for at
    /// most `timeout`; returns the inbox either way.
    pub fn wait_for_inbox(
        &self,
        openid: &str,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<Delivered>, ControlError> {
        let deadline = Instant::now() + timeout;
        loop {
            let inbox = self.inbox(openid)?;
            if inbox.len() >= count || Instant::now() >= deadline {
                return Ok(inbox);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The user unfollows the account: custom messages to them answer 45015.
    pub fn unfollow(&self, openid: &str) -> Result<(), ControlError> {
        self.world()
            .set_subscribed(self.app, openid, false)
            .map(drop)
    }

    /// The user follows the account again.
    pub fn follow(&self, openid: &str) -> Result<(), ControlError> {
        self.world()
            .set_subscribed(self.app, openid, true)
            .map(drop)
    }

    /// Sets where pushes go (or, with `None`, stops pushing).
    pub fn set_callback(&self, callback: Option<CallbackConfig>) -> Result<(), ControlError> {
        self.world().set_callback(self.app, callback)
    }

    /// Ends the life of every token of the app now: the next call with one answers 42001.
    pub fn expire_tokens(&self) -> usize {
        self.world().expire_tokens(self.app)
    }

    /// The WeChat user invited to bind `kf_account` accepts (or declines) the invitation.
    pub fn answer_invitation(
        &self,
        kf_account: &str,
        accept: bool,
    ) -> Result<String, ControlError> {
        self.world().answer_invitation(self.app, kf_account, accept)
    }

    /// The worker of `kf_account` goes online or offline in the kf client.
    pub fn set_online(&self, kf_account: &str, online: bool) -> Result<(), ControlError> {
        self.world().set_online(self.app, kf_account, online)
    }

    /// The worker of `kf_account` takes waiting user `openid`; `kf_create_session` is pushed
    /// (this returns once it was).
    pub fn kf_accepts(&self, kf_account: &str, openid: &str) -> Result<(), ControlError> {
        let job = self.world().kf_accept(self.app, kf_account, openid)?;
        if let Some(job) = job {
            let shared = Arc::clone(&self.sandbox.shared);
            let (sender, receiver) = std::sync::mpsc::channel();
            self.sandbox.spawn(async move {
                push::deliver(&shared, &job).await;
                let _ = sender.send(());
            });
            let _ = receiver.recv();
        }
        Ok(())
    }
}
