//! The promises the types keep, checked by compiling code that breaks them (trybuild).
//!
//! Each file under `tests/ui/` must fail to compile with the error recorded next to it: a
//! message type cannot carry another type's payload, news takes one article, the functions that
//! need a kf account or a media_id do not compile without one, and Official Account messages
//! cannot be sent by a Mini Program client.
//!
//! The expected compiler output depends on the features, so it runs with the default ones.

#![cfg(all(feature = "reqwest", feature = "ureq"))]

#[test]
fn type_safety_promises() {
    trybuild::TestCases::new().compile_fail("tests/ui/*.rs");
}
