//! Where the clients read the time, so that tests can move it.

use std::fmt;
use std::time::SystemTime;

/// The wall clock the clients judge token freshness by.
///
/// [`SystemClock`] by default; with the `test-util` feature,
/// [`ManualClock`](crate::test_util::ManualClock) lets a test jump ahead two hours in no time.
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}
