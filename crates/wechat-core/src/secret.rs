//! Credentials that must never reach a log: the AppSecret / corp secret and access tokens.

use std::fmt;
use std::sync::Arc;

use sha2::{Digest, Sha256};

/// A credential (AppSecret, corp secret, access_token).
///
/// `Debug` and `Display` print `<redacted>`; the value is reachable only through
/// [`expose`](Secret::expose), so a `{:?}` of a client, an error or a token in a log line never
/// leaks it. Cloning is cheap (the text is shared).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<Arc<str>>) -> Self {
        Secret(value.into())
    }

    /// The credential itself, for putting it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A short, stable, one-way fingerprint (16 hex digits of its SHA-256): it tells two
    /// credentials apart (in token-store keys) without revealing either.
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest(self.0.as_bytes());
        digest[..8].iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_nothing_of_the_value() {
        let secret = Secret::new("s3cr3t-value");
        assert_eq!(format!("{secret:?} {secret}"), "<redacted> <redacted>");
        assert_eq!(secret.expose(), "s3cr3t-value");
    }

    #[test]
    fn fingerprint_is_stable_short_and_distinct() {
        let a = Secret::new("secret-a").fingerprint();
        assert_eq!(a, Secret::new("secret-a").fingerprint());
        assert_eq!(a.len(), 16);
        assert_ne!(a, Secret::new("secret-b").fingerprint());
        assert!(!a.contains("secret"));
    }
}
