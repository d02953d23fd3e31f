//! The parts of a token refresh that do no IO, shared by the async and the blocking client.
//!
//! Both clients run the same sequence, each with its own kind of waiting:
//!
//! 1. read the store; a fresh token that is not the one that just failed is used as is;
//! 2. take the key's refresh lock (single-flight: everyone else waits here);
//! 3. read the store again: whoever held the lock may have refreshed it already;
//! 4. if the holder before us *failed* while we waited, return its error instead of trying
//!    again (200 callers of a misconfigured client make one token request, not 200);
//! 5. remove the failed token if it is still the stored one, obtain a new token, store it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use wechat_types::common::AccessTokenResponse;

use super::{AccessToken, Clock, TokenKey};
use crate::endpoint::{Reply, Request};
use crate::error::Error;

/// One client's view of its token: where it is stored, how to obtain a new one, and the
/// outcome of the last attempt.
pub(crate) struct TokenState {
    key: TokenKey,
    request: Request,
    margin: Duration,
    clock: Arc<dyn Clock>,
    attempts: AtomicU64,
    last_failure: Mutex<Option<(u64, Error)>>,
}

impl TokenState {
    /// `request` is the token endpoint's request, built once: it never changes.
    pub(crate) fn new(
        key: TokenKey,
        request: Request,
        margin: Duration,
        clock: Arc<dyn Clock>,
    ) -> Self {
        TokenState {
            key,
            request,
            margin,
            clock,
            attempts: AtomicU64::new(0),
            last_failure: Mutex::new(None),
        }
    }

    pub(crate) fn key(&self) -> &TokenKey {
        &self.key
    }

    /// The token endpoint's request.
    pub(crate) fn request(&self) -> &Request {
        &self.request
    }

    /// `stored`, if it is fresh and is not the token that just failed.
    pub(crate) fn usable(
        &self,
        stored: Option<AccessToken>,
        failed: Option<&AccessToken>,
    ) -> Option<AccessToken> {
        stored.filter(|token| {
            token.is_fresh(self.clock.now(), self.margin)
                && failed.is_none_or(|f| f.secret() != token.secret())
        })
    }

    /// How many refreshes this client has attempted; taken before waiting for the lock.
    pub(crate) fn mark(&self) -> u64 {
        self.attempts.load(Ordering::Acquire)
    }

    /// The error of a refresh that started and failed after `mark` (while we waited).
    pub(crate) fn failure_since(&self, mark: u64) -> Option<Error> {
        let last = self
            .last_failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match &*last {
            Some((attempt, error)) if *attempt >= mark && self.mark() > mark => Some(error.clone()),
            _ => None,
        }
    }

    /// Records the outcome of one refresh attempt.
    pub(crate) fn record(&self, outcome: &Result<AccessToken, Error>) {
        let attempt = self.attempts.fetch_add(1, Ordering::AcqRel);
        let mut last = self
            .last_failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *last = outcome.as_ref().err().map(|error| (attempt, error.clone()));
    }

    /// Reads the token endpoint's answer.
    pub(crate) fn parse(&self, reply: Reply) -> Result<AccessToken, Error> {
        let response: AccessTokenResponse = reply.json()?;
        if response.expires_in <= 0 || response.access_token.is_empty() {
            return Err(Error::Decode(crate::error::DecodeError::new(
                self.request.path().to_owned(),
                format!(
                    "the token endpoint returned an empty token or a lifetime of {} s",
                    response.expires_in
                ),
                b"",
            )));
        }
        let lifetime = Duration::from_secs(response.expires_in.unsigned_abs());
        Ok(AccessToken::new(
            response.access_token,
            self.clock.now(),
            lifetime,
        ))
    }
}
