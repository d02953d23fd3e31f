//! Every fuzz target's body over its committed seed corpus (`fuzz/seeds/<target>/`), so that
//! stable CI runs what the fuzzers run.

use std::fs;
use std::path::Path;

fn run_seeds(target: &str, body: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("seeds")
        .join(target);
    let mut seeds = 0;
    for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = fs::read(&path).unwrap();
        // A failing seed names itself.
        let outcome = std::panic::catch_unwind(|| body(&data));
        assert!(outcome.is_ok(), "seed {} fails", path.display());
        seeds += 1;
    }
    assert!(
        seeds >= 10,
        "{target}: only {seeds} seeds in {}",
        dir.display()
    );
}

#[test]
fn decrypt_seeds() {
    run_seeds("decrypt", wechat_fuzz::decrypt);
}

#[test]
fn inbound_xml_seeds() {
    run_seeds("inbound_xml", wechat_fuzz::inbound_xml);
}

#[test]
fn inbound_json_seeds() {
    run_seeds("inbound_json", wechat_fuzz::inbound_json);
}
