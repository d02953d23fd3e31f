//! Access tokens: what they are, where they are kept, and when they are refreshed.
//!
//! Every call needs an `access_token`, which lives about two hours and is rate-limited to
//! obtain. The clients keep it in a [`TokenStore`] under a [`TokenKey`] (platform, AppID or
//! CorpID, token endpoint and a fingerprint of the secret), refresh it ahead of expiry with
//! exactly one refresh in flight per key, and on a stale-token errcode (40001, 40014, 42001)
//! drop it only if the stored token is still the one that failed.
//!
//! [`MemoryTokenStore`] keeps tokens in the process. For several processes sharing one app,
//! implement the traits over an external store (Redis): `lock` then becomes a distributed lock,
//! so the whole fleet refreshes once.

mod clock;
mod memory;
pub(crate) mod refresh;

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use clock::{Clock, SystemClock};
pub use memory::MemoryTokenStore;

use crate::error::StoreError;
use crate::platform::PlatformKind;
use crate::secret::Secret;

/// An access_token and its lifetime, in Unix seconds so that an external store can share it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    value: Secret,
    obtained_at: u64,
    expires_at: u64,
    /// Whether the value goes into a URL as is (decided once: it is used on every request).
    url_safe: bool,
}

impl AccessToken {
    /// A token obtained at `obtained_at` that WeChat said lives `expires_in`.
    pub fn new(value: impl Into<Secret>, obtained_at: SystemTime, expires_in: Duration) -> Self {
        let obtained_at = unix_seconds(obtained_at);
        Self::from_parts(
            value,
            obtained_at,
            obtained_at.saturating_add(expires_in.as_secs()),
        )
    }

    /// A token as an external store keeps it (Unix seconds).
    pub fn from_parts(value: impl Into<Secret>, obtained_at: u64, expires_at: u64) -> Self {
        let value = value.into();
        let url_safe = is_url_safe(value.expose());
        AccessToken {
            value,
            obtained_at,
            expires_at,
            url_safe,
        }
    }

    /// Whether the token needs no percent-encoding in a URL (WeChat's never do).
    pub(crate) fn is_url_safe(&self) -> bool {
        self.url_safe
    }

    /// The token (`Debug` and `Display` of a [`Secret`] print `<redacted>`).
    pub fn secret(&self) -> &Secret {
        &self.value
    }

    /// When it was obtained, in Unix seconds.
    pub fn obtained_at(&self) -> u64 {
        self.obtained_at
    }

    /// When WeChat stops accepting it, in Unix seconds.
    pub fn expires_at(&self) -> u64 {
        self.expires_at
    }

    /// Whether it is still good to use at `now`, refreshing `margin` ahead of expiry. The margin
    /// is capped at half the token's lifetime, so a short-lived token is still used for a while.
    pub fn is_fresh(&self, now: SystemTime, margin: Duration) -> bool {
        let lifetime = self.expires_at.saturating_sub(self.obtained_at);
        let margin = margin.as_secs().min(lifetime / 2);
        unix_seconds(now).saturating_add(margin) < self.expires_at
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("value", &self.value)
            .field("obtained_at", &self.obtained_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Whether `text` can go into a URL query as is: only RFC 3986 unreserved characters.
fn is_url_safe(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
}

fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Which endpoint an Official Account or Mini Program client obtains tokens from. Their tokens
/// are isolated from each other, so the choice is part of the [`TokenKey`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum TokenEndpoint {
    /// `POST /cgi-bin/stable_token` (the default): repeated calls return the same token while
    /// it is valid, so several processes obtaining it independently do not invalidate each
    /// other's tokens.
    ///
    /// The clients never use its `force_refresh` mode on their own: it is limited to 20 calls a
    /// day, and a burst of stale-token answers would spend them in seconds. So if WeChat calls a
    /// token stale while `stable_token` still hands out that same token, the one retry fails the
    /// same way and that error is returned (no loop).
    #[default]
    Stable,
    /// `GET /cgi-bin/token`: every call issues a new token and invalidates the previous one
    /// five minutes later; use it only from one central refresher.
    Classic,
}

impl TokenEndpoint {
    fn key_segment(self, platform: PlatformKind) -> &'static str {
        match (platform, self) {
            (PlatformKind::Work, _) => "gettoken",
            (_, TokenEndpoint::Stable) => "stable_token",
            (_, TokenEndpoint::Classic) => "token",
        }
    }
}

/// Where a token is stored: `wechat:{platform}:{appid or corpid}:{token endpoint}:{fingerprint
/// of the secret}`. Two clients with the same credentials share a token; a changed secret
/// gets a new key, and the key reveals nothing of the secret.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TokenKey(String);

/// Keys are hashed on every request (the in-memory store's lookup), so by length and tail only:
/// the part that tells keys apart (app id, endpoint, fingerprint) is at the end.
impl std::hash::Hash for TokenKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let bytes = self.0.as_bytes();
        state.write_usize(bytes.len());
        state.write(&bytes[bytes.len().saturating_sub(24)..]);
    }
}

impl TokenKey {
    /// The key of the tokens `platform`'s `id` obtains with `secret` from `endpoint`.
    pub fn new(platform: PlatformKind, id: &str, endpoint: TokenEndpoint, secret: &Secret) -> Self {
        TokenKey(format!(
            "wechat:{}:{id}:{}:{}",
            platform.as_str(),
            endpoint.key_segment(platform),
            secret.fingerprint()
        ))
    }

    /// The key as text, for an external store.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for TokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Held while a token is being refreshed; dropping it lets the next refresher in.
///
/// A store wraps whatever its lock returns (a mutex guard, a handle that releases a Redis
/// lock on drop).
pub struct RefreshLock {
    _guard: Box<dyn Send + Sync>,
}

impl RefreshLock {
    /// Wraps the guard of a store's lock.
    pub fn new(guard: impl Send + Sync + 'static) -> Self {
        RefreshLock {
            _guard: Box::new(guard),
        }
    }
}

impl fmt::Debug for RefreshLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RefreshLock")
    }
}

/// Where an async [`Client`](crate::Client) keeps tokens.
///
/// The client calls [`get`](TokenStore::get) on every request; when the token is missing or
/// due for refresh it takes [`lock`](TokenStore::lock), checks again (another holder may have
/// refreshed it meanwhile), and only then obtains a new one and [`put`](TokenStore::put)s it.
#[async_trait::async_trait]
pub trait TokenStore: Send + Sync + 'static {
    /// The token stored under `key`, fresh or not.
    async fn get(&self, key: &TokenKey) -> Result<Option<AccessToken>, StoreError>;

    /// Stores `token` under `key`, replacing any other.
    async fn put(&self, key: &TokenKey, token: AccessToken) -> Result<(), StoreError>;

    /// Removes the token under `key` only if it is `stale` (compare-and-delete): a token that
    /// another process has already replaced stays.
    async fn remove_if(&self, key: &TokenKey, stale: &AccessToken) -> Result<(), StoreError>;

    /// Waits until no one else refreshes `key`'s token; the refresh may start while the
    /// returned lock lives.
    async fn lock(&self, key: &TokenKey) -> Result<RefreshLock, StoreError>;
}

/// Where a [`BlockingClient`](crate::BlockingClient) keeps tokens: the blocking twin of
/// [`TokenStore`], with the same contract.
pub trait BlockingTokenStore: Send + Sync + 'static {
    /// The token stored under `key`, fresh or not.
    fn get(&self, key: &TokenKey) -> Result<Option<AccessToken>, StoreError>;

    /// Stores `token` under `key`, replacing any other.
    fn put(&self, key: &TokenKey, token: AccessToken) -> Result<(), StoreError>;

    /// Removes the token under `key` only if it is `stale`.
    fn remove_if(&self, key: &TokenKey, stale: &AccessToken) -> Result<(), StoreError>;

    /// Blocks until no one else refreshes `key`'s token.
    fn lock(&self, key: &TokenKey) -> Result<RefreshLock, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshness_refreshes_ahead_of_expiry() {
        let start = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let token = AccessToken::new("T", start, Duration::from_secs(7200));
        let margin = Duration::from_secs(300);
        assert!(token.is_fresh(start, margin));
        assert!(token.is_fresh(start + Duration::from_secs(6899), margin));
        assert!(!token.is_fresh(start + Duration::from_secs(6900), margin));
        assert!(!token.is_fresh(start + Duration::from_secs(9000), margin));

        // A token living 10 s is refreshed after 5 s, not immediately.
        let short = AccessToken::new("T", start, Duration::from_secs(10));
        assert!(short.is_fresh(start + Duration::from_secs(4), margin));
        assert!(!short.is_fresh(start + Duration::from_secs(5), margin));
        assert!(!AccessToken::new("T", start, Duration::ZERO).is_fresh(start, margin));
    }

    #[test]
    fn keys_separate_platforms_endpoints_and_secrets_without_revealing_them() {
        let secret = Secret::new("APPSECRET");
        let key = TokenKey::new(
            PlatformKind::OfficialAccount,
            "wx1",
            TokenEndpoint::Stable,
            &secret,
        );
        assert!(
            key.as_str()
                .starts_with("wechat:official_account:wx1:stable_token:")
        );
        assert!(!key.as_str().contains("APPSECRET"));
        let others = [
            TokenKey::new(
                PlatformKind::MiniProgram,
                "wx1",
                TokenEndpoint::Stable,
                &secret,
            ),
            TokenKey::new(
                PlatformKind::OfficialAccount,
                "wx1",
                TokenEndpoint::Classic,
                &secret,
            ),
            TokenKey::new(
                PlatformKind::OfficialAccount,
                "wx1",
                TokenEndpoint::Stable,
                &"other".into(),
            ),
        ];
        assert!(others.iter().all(|other| *other != key));
        let work = TokenKey::new(PlatformKind::Work, "ww1", TokenEndpoint::Stable, &secret);
        assert!(work.as_str().starts_with("wechat:work:ww1:gettoken:"));
    }

    #[test]
    fn debug_hides_the_token() {
        let token = AccessToken::from_parts("TOKEN_VALUE", 1, 2);
        assert_eq!(
            format!("{token:?}"),
            "AccessToken { value: <redacted>, obtained_at: 1, expires_at: 2 }"
        );
    }
}
