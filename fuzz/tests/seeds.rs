//! Every fuzz target's body over its seed corpus, so that stable CI runs what the fuzzers run:
//! the committed `fuzz/seeds/<target>/`, and for the parsers every fixture of `schemas/` in
//! their format (the same directories the fuzzers are started with, see `fuzz/README.md`).

use std::fs;
use std::path::{Path, PathBuf};

/// Every file under `dir` (recursively) whose name ends with `extension`, or every file.
fn files(dir: &Path, extension: Option<&str>) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if extension.is_none_or(|ext| path.extension().is_some_and(|e| e == ext)) {
                found.push(path);
            }
        }
    }
    found
}

fn run_seeds(target: &str, fixtures: Option<&str>, body: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seeds = files(&root.join("seeds").join(target), None);
    if let Some(extension) = fixtures {
        seeds.extend(files(&root.join("../schemas"), Some(extension)));
    }
    assert!(seeds.len() >= 10, "{target}: only {} seeds", seeds.len());
    for path in seeds {
        let data = fs::read(&path).unwrap();
        // A failing seed names itself.
        let outcome = std::panic::catch_unwind(|| body(&data));
        assert!(outcome.is_ok(), "seed {} fails", path.display());
    }
}

#[test]
fn decrypt_seeds() {
    run_seeds("decrypt", None, wechat_fuzz::decrypt);
}

#[test]
fn inbound_xml_seeds() {
    run_seeds("inbound_xml", Some("xml"), wechat_fuzz::inbound_xml);
}

#[test]
fn inbound_json_seeds() {
    run_seeds("inbound_json", Some("json"), wechat_fuzz::inbound_json);
}
