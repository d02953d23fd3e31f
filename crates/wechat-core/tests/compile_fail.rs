//! The promises the type system keeps, checked by compiling code that breaks them (trybuild).
//!
//! Each file under `tests/ui/` must fail to compile with the error recorded next to it:
//! a blocking backend cannot drive the async client (nor the reverse), an endpoint of one
//! platform cannot be executed by a client of another, an option that only exists for the
//! Official Account and the Mini Program is not offered to WeChat Work, and no one outside the
//! crate can invent a platform.
//!
//! The expected compiler output depends on the features, so it runs with all of them.

#![cfg(all(feature = "reqwest", feature = "ureq", feature = "test-util"))]

#[test]
fn type_safety_promises() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
