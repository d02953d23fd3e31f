//! Opt-in retries with bounded, jittered exponential backoff.

use std::time::Duration;

use crate::error::{Error, TransportErrorKind};

/// When a failed call is sent again.
///
/// The default is [`RetryPolicy::never`]: sending a customer-service message is not
/// idempotent, so a message whose answer was lost may already have reached the user, and a
/// retry would deliver it twice. Independently of this policy, a call refused for a stale
/// access_token (40001, 40014, 42001) is always retried once with a refreshed token: that
/// refusal guarantees nothing was delivered.
///
/// [`RetryPolicy::transient`] retries what is safe to retry: `-1` (system busy, nothing
/// delivered), `45009` (quota exhausted; useful where an operator resets quotas, and on
/// WeChat Work where it is a frequency limit) and connections that could not be made (nothing
/// was sent). Timeouts and connections broken mid-exchange are never retried: the request may
/// have been processed.
///
/// ```
/// use std::time::Duration;
/// use wechat_core::RetryPolicy;
///
/// let policy = RetryPolicy::transient()
///     .with_max_retries(2)
///     .with_backoff(Duration::from_millis(50), Duration::from_secs(1));
/// assert_eq!(policy.max_retries(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    codes: Vec<i64>,
    connect_errors: bool,
}

impl RetryPolicy {
    /// No retries (the default).
    pub fn never() -> Self {
        RetryPolicy {
            max_retries: 0,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(2),
            codes: Vec::new(),
            connect_errors: false,
        }
    }

    /// Up to 3 retries of errcodes -1 and 45009 and of failed connections, waiting about
    /// 200 ms, 400 ms, 800 ms (at most 2 s) with jitter.
    pub fn transient() -> Self {
        RetryPolicy {
            max_retries: 3,
            codes: vec![-1, 45009],
            connect_errors: true,
            ..Self::never()
        }
    }

    /// Sets how many times one call may be retried.
    #[must_use]
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Sets the first wait and the cap of the doubling waits.
    #[must_use]
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Sets which errcodes are retried.
    #[must_use]
    pub fn with_codes(mut self, codes: impl IntoIterator<Item = i64>) -> Self {
        self.codes = codes.into_iter().collect();
        self
    }

    /// Sets whether connections that could not be made are retried.
    #[must_use]
    pub fn with_connect_errors(mut self, retry: bool) -> Self {
        self.connect_errors = retry;
        self
    }

    /// How many times one call may be retried.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// How long to wait before retry number `retries + 1` after `error`, or `None` to give up.
    pub(crate) fn delay(&self, error: &Error, retries: u32) -> Option<Duration> {
        if retries >= self.max_retries || !self.applies_to(error) {
            return None;
        }
        let doubled = self.initial_backoff.saturating_mul(1 << retries.min(16));
        let ceiling = doubled.min(self.max_backoff);
        // "Equal jitter": half fixed, half random, so that many clients do not retry in step.
        let half = ceiling / 2;
        let jitter = half.mul_f64(fastrand::f64());
        Some(half + jitter)
    }

    fn applies_to(&self, error: &Error) -> bool {
        match error {
            Error::Api(api) => self.codes.contains(&api.code().value()),
            Error::Transport(transport) => {
                self.connect_errors && transport.kind() == TransportErrorKind::Connect
            }
            _ => false,
        }
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::never()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ApiError, ErrorCode, TransportError};
    use crate::platform::PlatformKind;

    fn api(code: i64) -> Error {
        ApiError::new(
            ErrorCode::new(code, PlatformKind::OfficialAccount),
            "",
            "/x",
        )
        .into()
    }

    #[test]
    fn never_retries_by_default() {
        assert_eq!(RetryPolicy::default().delay(&api(-1), 0), None);
    }

    #[test]
    fn transient_retries_only_safe_failures_a_bounded_number_of_times() {
        let policy = RetryPolicy::transient();
        assert!(policy.delay(&api(-1), 0).is_some());
        assert!(policy.delay(&api(45009), 2).is_some());
        assert_eq!(policy.delay(&api(45009), 3), None);
        assert_eq!(policy.delay(&api(45015), 0), None);
        let refused = TransportError::new(TransportErrorKind::Connect, "refused").into();
        assert!(policy.delay(&refused, 0).is_some());
        let timeout = TransportError::new(TransportErrorKind::Timeout, "slow").into();
        assert_eq!(policy.delay(&timeout, 0), None);
    }

    #[test]
    fn backoff_doubles_with_jitter_up_to_the_cap() {
        let policy = RetryPolicy::transient()
            .with_backoff(Duration::from_millis(100), Duration::from_millis(300));
        for _ in 0..50 {
            let first = policy.delay(&api(-1), 0).unwrap();
            assert!(
                (Duration::from_millis(50)..=Duration::from_millis(100)).contains(&first),
                "{first:?}"
            );
            let third = policy.delay(&api(-1), 2).unwrap();
            assert!(
                (Duration::from_millis(150)..=Duration::from_millis(300)).contains(&third),
                "{third:?}"
            );
        }
    }
}
