//! Assertions on the SDK's errors that several test files share.

use std::error::Error as _;

use wechat_core::{Error, TransportErrorKind};

use super::{CORP_SECRET, SECRET};

/// What every token the server issues starts with (see `wechat::State::issue`).
pub const TOKEN_PREFIX: &str = "LOOPBACK_ACCESS_TOKEN_";

/// Asserts that `error` says which endpoint failed and shows no credential anywhere a log could
/// pick it up: its message, its `Debug` form, and the messages of its sources.
pub fn names_endpoint_without_credentials(error: &Error, path: &str) {
    let message = error.to_string();
    assert!(message.contains(path), "{path} missing from {message:?}");
    assert_eq!(error.endpoint(), Some(path), "{error:?}");
    let mut texts = vec![message, format!("{error:?}")];
    let mut source = error.source();
    while let Some(cause) = source {
        texts.push(cause.to_string());
        source = cause.source();
    }
    for text in texts {
        for credential in [TOKEN_PREFIX, SECRET, CORP_SECRET] {
            assert!(
                !text.contains(credential),
                "{credential} leaked in {text:?}"
            );
        }
    }
}

/// The kind of a transport error; fails the test for any other error.
pub fn transport_kind(error: &Error) -> TransportErrorKind {
    match error {
        Error::Transport(transport) => transport.kind(),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

/// The errcode of an API error; fails the test for any other error.
pub fn errcode(error: &Error) -> i64 {
    match error.errcode() {
        Some(code) => code.value(),
        None => panic!("expected an API error, got {error:?}"),
    }
}
