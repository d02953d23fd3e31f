//! The `wechat-sandbox` binary: `--listen`, `--config`, its first line of output, and its
//! refusals of bad flags and bad configurations.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use wechat_core::BlockingClient;
use wechat_core::endpoints::mp::GetKfList;
use wechat_core::types::mp::KfListQuery;

const BINARY: &str = env!("CARGO_BIN_EXE_wechat-sandbox");

/// A running binary, killed when dropped.
struct Running {
    child: Child,
    url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary with `args` and reads the URL off its first line.
fn start(args: &[&str]) -> Running {
    let mut child = Command::new(BINARY)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("wechat-sandbox listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    Running { child, url }
}

/// A configuration file of this test, in the target directory's temporary space.
fn config_file(name: &str, json: &str) -> std::path::PathBuf {
    let path =
        std::env::temp_dir().join(format!("wechat-sandbox-{}-{name}.json", std::process::id()));
    std::fs::write(&path, json).unwrap();
    path
}

#[test]
fn it_serves_the_default_app_on_the_address_given() {
    let running = start(&["--listen", "127.0.0.1:0"]);
    assert!(
        running.url.starts_with("http://127.0.0.1:"),
        "{}",
        running.url
    );
    let client = BlockingClient::official_account(
        wechat_sandbox::DEFAULT_APPID,
        wechat_sandbox::DEFAULT_SECRET,
    )
    .base_url(&running.url)
    .build()
    .unwrap();
    let list = client.execute(&GetKfList::new(KfListQuery::new())).unwrap();
    assert!(list.kf_list.is_empty());
}

#[test]
fn it_serves_the_apps_of_a_configuration_file() {
    let path = config_file(
        "apps",
        r#"{"apps":[{"appid":"wx_from_file","secret":"file-secret","wechat_id":"file_oa"}],
            "rules":{"token_lifetime_secs":60},"clock":{"start":1700000000,"frozen":true}}"#,
    );
    let running = start(&[
        "--config",
        path.to_str().unwrap(),
        "--listen",
        "127.0.0.1:0",
    ]);
    let client = BlockingClient::official_account("wx_from_file", "file-secret")
        .base_url(&running.url)
        .build()
        .unwrap();
    let token = client.access_token().unwrap();
    assert_eq!(token.expires_at() - token.obtained_at(), 60);
    let text = ureq::get(format!("{}/sandbox", running.url))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let overview: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(overview["now"], 1_700_000_000);
    assert_eq!(overview["apps"][0]["wechat_id"], "file_oa");
    let _ = std::fs::remove_file(path);
}

#[test]
fn bad_flags_and_configurations_are_refused_with_a_reason() {
    let bad_config = config_file("bad", r#"{"apps":[{"appid":"wx1","secert":"typo"}]}"#);
    let cases: [(&[&str], &str); 4] = [
        (&["--port", "1"], "--port"),
        (&["--listen", "localhost"], "--listen localhost"),
        (&["--config", "/no/such/file.json"], "/no/such/file.json"),
        (&["--config", bad_config.to_str().unwrap()], "secert"),
    ];
    for (args, expected) in cases {
        let output = Command::new(BINARY).args(args).output().unwrap();
        assert!(!output.status.success(), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    let _ = std::fs::remove_file(bad_config);
}

#[test]
fn help_prints_the_usage() {
    let output = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("--listen ADDR") && stdout.contains("--config FILE"),
        "{stdout}"
    );
}
