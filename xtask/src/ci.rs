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
    // Features are additive: the crates and their tests also build and pass with fewer.
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

/// wechat-core's backend features, tested apart after the all-features run: none (a backend
/// passed in), blocking only, async only. Doctests and examples already ran with all features,
/// so these rebuild and run only wechat-core's own tests.
const CORE_FEATURE_SETS: &[(&str, &str)] = &[
    ("no backend", "test-util"),
    ("blocking backend only", "ureq,test-util"),
    ("async backend only", "reqwest,test-util"),
];

/// The examples that play a whole exchange against the sandbox in-process and stop: CI runs the
/// binaries `cargo test` already built, so a broken example fails CI, not just a broken build.
const SANDBOX_EXAMPLES: &[&str] = &["demo", "echo_bot", "send_all"];

/// What would point an example at WeChat itself instead of the sandbox: never in CI.
const LIVE_SETTINGS: &[&str] = &["WECHAT_APPID", "WECHAT_SECRET", "WECHAT_OPENID"];

/// Crates `wechat-types` may depend on directly without features (serde only, per DESIGN.md).
const TYPES_DIRECT_DEPENDENCIES: &[&str] = &["serde", "serde_json"];

/// Crates `wechat-core` and the API crates must not pull in, even indirectly, without features:
/// no HTTP library, no TLS, no async runtime, so that another SDK can plug in its own stack.
const FORBIDDEN_WITHOUT_FEATURES: &[&str] = &["reqwest", "ureq", "hyper", "rustls", "tokio"];

/// The crates held to [`FORBIDDEN_WITHOUT_FEATURES`].
const TRANSPORT_AGNOSTIC: &[&str] = &["wechat-core", "wechat-mp"];

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
    for package in TRANSPORT_AGNOSTIC {
        step(&format!("{package} dependency policy"), || {
            transport_agnostic_policy(repo, package)
        })?;
    }
    for s in STEPS {
        step(s.name, || cargo(repo, s.args, s.env))?;
    }
    for (name, features) in CORE_FEATURE_SETS {
        let args = [
            "test",
            "-p",
            "wechat-core",
            "--no-default-features",
            "--features",
            features,
            "--lib",
            "--tests",
        ];
        step(&format!("tests (wechat-core, {name})"), || {
            cargo(repo, &args, &[])
        })?;
    }
    // wechat-mp without a backend: its own tests (the windows, the walker) need none.
    step("tests (wechat-mp, no backend)", || {
        cargo(
            repo,
            &["test", "-p", "wechat-mp", "--no-default-features", "--lib"],
            &[],
        )
    })?;
    step("examples (against the sandbox)", || run_examples(repo))?;
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

/// Runs each of [`SANDBOX_EXAMPLES`] from the target directory; its output is shown only when
/// it fails.
fn run_examples(repo: &Path) -> Result<(), String> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| repo.join("target"), std::path::PathBuf::from);
    for example in SANDBOX_EXAMPLES {
        let binary = target
            .join("debug")
            .join("examples")
            .join(format!("{example}{}", std::env::consts::EXE_SUFFIX));
        let mut command = Command::new(&binary);
        for name in LIVE_SETTINGS {
            command.env_remove(name);
        }
        let output = command
            .current_dir(repo)
            .output()
            .map_err(|e| format!("could not run {}: {e}", binary.display()))?;
        if !output.status.success() {
            return Err(format!(
                "example `{example}` exited with {}:\n{}{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        eprintln!("ci:   example `{example}`: ok");
    }
    Ok(())
}

/// `wechat-types` without features depends on serde and serde_json only: no HTTP client, no
/// runtime, no schemars, no XML parser. Another SDK author must be able to depend on it alone.
fn types_dependency_policy(repo: &Path) -> Result<(), String> {
    let tree = dependency_tree(repo, "wechat-types", &["--depth", "1"])?;
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

/// `package` without features reaches no HTTP library, TLS stack or runtime.
fn transport_agnostic_policy(repo: &Path, package: &str) -> Result<(), String> {
    let tree = dependency_tree(repo, package, &[])?;
    let found: Vec<&str> = tree
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| FORBIDDEN_WITHOUT_FEATURES.contains(name))
        .collect();
    if found.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{package} depends on {found:?} without features; none of {FORBIDDEN_WITHOUT_FEATURES:?} may be reached\n{tree}"
        ))
    }
}

/// `cargo tree` of `package`'s normal dependencies without features, one crate per line.
fn dependency_tree(repo: &Path, package: &str, extra: &[&str]) -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "tree",
            "-p",
            package,
            "-e",
            "normal",
            "--prefix",
            "none",
            "--no-default-features",
        ])
        .args(extra)
        .current_dir(repo)
        .output()
        .map_err(|e| format!("could not run cargo tree: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}
