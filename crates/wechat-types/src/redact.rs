//! Keeping credentials out of logs.

use std::fmt;

/// Stands in for a secret in `Debug` output: prints `<redacted>`.
///
/// Generated types whose schema marks a member `x-secret` (AppSecret, access_token) print this
/// instead of the value, so a `{:?}` in a log line never leaks a credential.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
