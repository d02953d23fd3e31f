//! The sandbox's virtual clock: real time plus whatever a test skipped ahead.
//!
//! Every rule with a time in it (the 48-hour window, token lifetimes, the 30-second typing
//! precondition, the 3-day media expiry, the 24-hour chat-record span) reads this clock, so a
//! test can cross two days in a millisecond. It is also a [`wechat_core::Clock`]: give it to a
//! client (`.clock(sandbox.clock())`) and the client's idea of token freshness moves with it.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A clock that runs at real speed from a start time and can be moved forward at once, or
/// frozen so that every reading is the same until it is advanced.
///
/// Cloning shares the clock.
///
/// ```
/// use std::time::Duration;
/// use wechat_sandbox::VirtualClock;
///
/// let clock = VirtualClock::frozen_at(1_700_000_000);
/// clock.advance(Duration::from_secs(48 * 3600));
/// assert_eq!(clock.unix(), 1_700_000_000 + 48 * 3600);
/// ```
#[derive(Debug, Clone)]
pub struct VirtualClock {
    inner: Arc<Mutex<State>>,
}

#[derive(Debug)]
struct State {
    /// The virtual time at `since`.
    at: SystemTime,
    /// When `at` was read off the real clock; `None` while frozen.
    since: Option<Instant>,
}

impl VirtualClock {
    /// A running clock that starts at the operating system's time.
    pub fn running() -> Self {
        Self::new(SystemTime::now(), true)
    }

    /// A running clock that starts at `unix` seconds.
    pub fn running_at(unix: u64) -> Self {
        Self::new(UNIX_EPOCH + Duration::from_secs(unix), true)
    }

    /// A clock that stands still at `unix` seconds until it is advanced.
    pub fn frozen_at(unix: u64) -> Self {
        Self::new(UNIX_EPOCH + Duration::from_secs(unix), false)
    }

    fn new(at: SystemTime, running: bool) -> Self {
        VirtualClock {
            inner: Arc::new(Mutex::new(State {
                at,
                since: running.then(Instant::now),
            })),
        }
    }

    /// The virtual time now.
    pub fn now(&self) -> SystemTime {
        let state = self.lock();
        match state.since {
            Some(since) => state.at + since.elapsed(),
            None => state.at,
        }
    }

    /// The virtual time now, in Unix seconds (what WeChat's `CreateTime` and `createtime` carry).
    pub fn unix(&self) -> u64 {
        unix_seconds(self.now())
    }

    /// Moves the clock forward by `by`: every deadline within it passes at once.
    pub fn advance(&self, by: Duration) {
        self.lock().at += by;
    }

    /// Whether the clock stands still between advances.
    pub fn is_frozen(&self) -> bool {
        self.lock().since.is_none()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl wechat_core::Clock for VirtualClock {
    fn now(&self) -> SystemTime {
        VirtualClock::now(self)
    }
}

/// Seconds since the Unix epoch (0 before it).
pub(crate) fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frozen_clock_moves_only_when_advanced() {
        let clock = VirtualClock::frozen_at(100);
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(clock.unix(), 100);
        clock.advance(Duration::from_secs(7200));
        assert_eq!(clock.unix(), 7300);
        assert!(clock.is_frozen());
    }

    #[test]
    fn a_running_clock_keeps_running_after_an_advance() {
        let clock = VirtualClock::running_at(1_000);
        let before = clock.now();
        clock.advance(Duration::from_secs(3600));
        std::thread::sleep(Duration::from_millis(5));
        let after = clock.now();
        assert!(after >= before + Duration::from_secs(3600) + Duration::from_millis(5));
        assert!(!clock.is_frozen());
    }

    #[test]
    fn clones_share_the_time() {
        let clock = VirtualClock::frozen_at(0);
        let shared = clock.clone();
        shared.advance(Duration::from_secs(5));
        assert_eq!(clock.unix(), 5);
    }
}
