//! libFuzzer entry point of [`wechat_fuzz::inbound_xml`]; run with `cargo fuzz run inbound_xml` (see README).
#![cfg_attr(fuzzing, no_main)]

#[cfg(fuzzing)]
libfuzzer_sys::fuzz_target!(|data: &[u8]| wechat_fuzz::inbound_xml(data));

/// Outside `cargo fuzz` the target is an empty program, so that stable builds of the
/// workspace compile it without libFuzzer.
#[cfg(not(fuzzing))]
fn main() {}
