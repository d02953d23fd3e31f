//! What the server's tasks, the control API and the [`Sandbox`](crate::Sandbox) handle share:
//! the world behind its lock, and the HTTP client that pushes to callback URLs.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use wechat_core::{BackendOptions, ReqwestBackend};

use crate::model::World;
use crate::sandbox::StartError;

/// The shared state of one running sandbox.
#[derive(Debug)]
pub(crate) struct Shared {
    world: Mutex<World>,
    /// Pushes to callback URLs, with WeChat's 5-second limit per attempt.
    pub(crate) pusher: ReqwestBackend,
}

impl Shared {
    pub(crate) fn new(world: World) -> Result<Self, StartError> {
        let timeout = Duration::from_millis(world.rules.push_timeout_ms);
        let options = BackendOptions::default()
            .with_timeout(timeout)
            .with_connect_timeout(timeout);
        let pusher = ReqwestBackend::with_options(&options)
            .map_err(|e| StartError::Client(e.to_string()))?;
        Ok(Shared {
            world: Mutex::new(world),
            pusher,
        })
    }

    /// The world, locked. Held for one synchronous step, never across an await. A poisoned
    /// lock means a handler panicked elsewhere; the world itself is still whole.
    pub(crate) fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
