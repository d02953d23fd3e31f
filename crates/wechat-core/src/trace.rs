//! One `tracing` span per call. Its fields are the endpoint's path, never its URL: the URL
//! carries the access_token.

use std::time::Instant;

use tracing::Span;
use tracing::field::Empty;

use crate::endpoint::Request;
use crate::error::Error;
use crate::platform::PlatformKind;

/// The span of one call: `wechat.call` with `platform`, `method` and `endpoint`; `status`,
/// `errcode`, `attempts` and `elapsed_ms` are recorded as the call goes. When no subscriber
/// wants the span, nothing is recorded and the clock is not even read.
pub(crate) struct CallTrace {
    span: Span,
    started: Option<Instant>,
}

impl CallTrace {
    /// Opens the span of a call of `request`.
    pub(crate) fn start(platform: PlatformKind, request: &Request) -> Self {
        let span = tracing::info_span!(
            "wechat.call",
            platform = platform.as_str(),
            method = request.method().as_str(),
            endpoint = request.path(),
            status = Empty,
            errcode = Empty,
            attempts = Empty,
            elapsed_ms = Empty,
        );
        let started = (!span.is_disabled()).then(Instant::now);
        CallTrace { span, started }
    }

    /// The span, to enter or to instrument a future with.
    pub(crate) fn span(&self) -> &Span {
        &self.span
    }

    /// Records the HTTP status of one attempt.
    pub(crate) fn status(&self, status: u16) {
        self.span.record("status", status);
    }

    /// Records how the call ended.
    pub(crate) fn finish<T>(&self, outcome: &Result<T, Error>, attempts: u32) {
        let Some(started) = self.started else {
            return;
        };
        let span = &self.span;
        span.record("attempts", attempts);
        span.record("elapsed_ms", started.elapsed().as_secs_f64() * 1000.0);
        match outcome {
            Ok(_) => {
                span.record("errcode", 0);
            }
            Err(error) => {
                if let Some(code) = error.errcode() {
                    span.record("errcode", code.value());
                }
                tracing::debug!(parent: span, error = %error, "wechat call failed");
            }
        }
    }
}

/// A new token was obtained (its key names the app, never the token).
pub(crate) fn token_refreshed(key: &crate::token::TokenKey) {
    tracing::debug!(key = key.as_str(), "obtained a new access_token");
}
