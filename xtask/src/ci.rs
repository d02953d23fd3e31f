//! `cargo xtask ci`: every check CI runs, in order, stopping at the first failure.
//!
//! The README's test command and `.ci/run` both call this, so that what a developer runs and
//! what CI runs cannot drift apart.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// One step: a name and a command line (`cargo` is the cargo running us).
struct Step {
    name: &'static str,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
}

const STEPS: &[Step] = &[
    Step {
        name: "rustfmt",
        args: &["fmt", "--all", "--check"],
        env: &[],
    },
    Step {
        name: "clippy (all features)",
        args: &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
        env: &[],
    },
    Step {
        name: "tests (all features)",
        args: &["test", "--workspace", "--all-features"],
        env: &[],
    },
    // Features are additive: the crate and its tests also build and pass with none of them.
    Step {
        name: "tests (wechat-types, no features)",
        args: &["test", "-p", "wechat-types", "--no-default-features"],
        env: &[],
    },
    Step {
        name: "docs (warnings are errors)",
        args: &["doc", "--workspace", "--no-deps", "--all-features"],
        env: &[("RUSTDOCFLAGS", "-D warnings")],
    },
];

/// Crates `wechat-types` may depend on directly without features (serde only, per DESIGN.md).
const TYPES_DIRECT_DEPENDENCIES: &[&str] = &["serde", "serde_json"];

/// Runs every step; `Err` carries the name of the failed step.
pub fn run(repo: &Path) -> Result<(), String> {
    let started = Instant::now();
    step("codegen --check", || {
        crate::codegen::run(repo, true)
            .map(|_| ())
            .map_err(|e| e.to_string())
    })?;
    step("wechat-types dependency policy", || {
        types_dependency_policy(repo)
    })?;
    for s in STEPS {
        step(s.name, || cargo(repo, s.args, s.env))?;
    }
    eprintln!("ci: done in {:.0?}", started.elapsed());
    Ok(())
}

fn step(name: &str, f: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    eprintln!("ci: {name}");
    let started = Instant::now();
    f().map_err(|e| format!("ci step `{name}` failed:\n{e}"))?;
    eprintln!("ci: {name}: ok ({:.1?})", started.elapsed());
    Ok(())
}

fn cargo(repo: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(repo)
        .status()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` exited with {status}", args.join(" ")))
    }
}

/// `wechat-types` without features depends on serde and serde_json only: no HTTP client, no
/// runtime, no schemars, no XML parser. Another SDK author must be able to depend on it alone.
fn types_dependency_policy(repo: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "tree",
            "-p",
            "wechat-types",
            "-e",
            "normal",
            "--depth",
            "1",
            "--prefix",
            "none",
            "--no-default-features",
        ])
        .current_dir(repo)
        .output()
        .map_err(|e| format!("could not run cargo tree: {e}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    let tree = String::from_utf8_lossy(&output.stdout);
    let direct: Vec<&str> = tree
        .lines()
        .skip(1)
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    let unexpected: Vec<&str> = direct
        .iter()
        .copied()
        .filter(|name| !TYPES_DIRECT_DEPENDENCIES.contains(name))
        .collect();
    if unexpected.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "wechat-types depends on {unexpected:?} without features; allowed: {TYPES_DIRECT_DEPENDENCIES:?}\n{tree}"
        ))
    }
}
