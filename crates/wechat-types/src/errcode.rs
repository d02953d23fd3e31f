//! What the errcode catalogues (`schemas/<module>/errcodes.json`) say about each code.

use std::fmt;

/// One entry of an errcode catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrcodeInfo {
    /// The code.
    pub code: i64,
    /// Name of its constant (`INVALID_CREDENTIAL`).
    pub name: &'static str,
    /// The `errmsg` WeChat returns with it, when known (real replies add a ` rid: ...` suffix).
    pub errmsg: Option<&'static str>,
    /// What it means.
    pub meaning: &'static str,
    /// What a caller should do.
    pub handling: Handling,
}

impl ErrcodeInfo {
    /// Looks `code` up in a catalogue sorted by code.
    pub(crate) fn find(known: &'static [ErrcodeInfo], code: i64) -> Option<&'static ErrcodeInfo> {
        known
            .binary_search_by_key(&code, |info| info.code)
            .ok()
            .map(|i| &known[i])
    }

    /// `Errcode(40001 INVALID_CREDENTIAL)`.
    pub(crate) fn debug(
        code: i64,
        info: Option<&ErrcodeInfo>,
        f: &mut fmt::Formatter<'_>,
    ) -> fmt::Result {
        match info {
            Some(info) => write!(f, "Errcode({code} {})", info.name),
            None => write!(f, "Errcode({code})"),
        }
    }

    /// `40001 (invalid credential: ...)`.
    pub(crate) fn display(
        code: i64,
        info: Option<&ErrcodeInfo>,
        f: &mut fmt::Formatter<'_>,
    ) -> fmt::Result {
        match info {
            Some(info) => write!(f, "{code} ({})", info.meaning),
            None => write!(f, "{code}"),
        }
    }
}

/// What a caller should do about an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Handling {
    /// A transient platform error: retry with backoff.
    Retry,
    /// The access_token is invalid or expired: refresh it once and retry.
    RefreshToken,
    /// Rate limited: retry after a pause.
    RetryLater,
    /// A quota is exhausted: stop and alert.
    Stop,
    /// Credentials, IP whitelist, permissions or account settings need fixing.
    FixConfig,
    /// The request itself is wrong: a bug in the caller.
    FixRequest,
    /// A business rule refused it (window closed, user unsubscribed, ...): do not retry until the
    /// situation changes.
    Rejected,
    /// Harmless (for example typing is already on).
    Ignore,
}

impl Handling {
    /// Whether the same request may succeed when sent again later.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            Handling::Retry | Handling::RefreshToken | Handling::RetryLater
        )
    }
}
