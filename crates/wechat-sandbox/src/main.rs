//! `wechat-sandbox [--listen ADDR] [--config FILE]`: serves the emulator until Ctrl-C.
//!
//! Prints `wechat-sandbox listening on http://ADDR` on the first line of stdout once it
//! accepts connections, so that a script (or a test) can wait for it and read the port.

use std::net::SocketAddr;
use std::process::ExitCode;

use wechat_sandbox::{Sandbox, SandboxConfig};

const USAGE: &str = "\
usage: wechat-sandbox [--listen ADDR] [--config FILE]

  --listen ADDR   where to listen (default 127.0.0.1:8700; port 0 picks a free one)
  --config FILE   a JSON configuration (apps, callbacks, clock, rules); see the README
";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("wechat-sandbox: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut listen: SocketAddr = ([127, 0, 0, 1], 8700).into();
    let mut config = SandboxConfig::default();
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            lexopt::Arg::Long("listen") => {
                let value = parser.value().map_err(|e| e.to_string())?;
                let value = value.to_string_lossy();
                listen = value
                    .parse()
                    .map_err(|e| format!("--listen {value}: {e} (expected e.g. 127.0.0.1:8700)"))?;
            }
            lexopt::Arg::Long("config") => {
                let path = parser.value().map_err(|e| e.to_string())?;
                config = SandboxConfig::from_file(&path).map_err(|e| e.to_string())?;
            }
            lexopt::Arg::Long("help") | lexopt::Arg::Short('h') => {
                print(USAGE);
                return Ok(());
            }
            other => return Err(format!("{}\n{USAGE}", other.unexpected())),
        }
    }
    let sandbox = Sandbox::start_on(listen, config).map_err(|e| e.to_string())?;
    print(&format!("wechat-sandbox listening on {}\n", sandbox.url()));
    sandbox.serve_until_ctrl_c().map_err(|e| e.to_string())
}

/// Writes to stdout and flushes, so that a reader of a pipe sees the line at once.
fn print(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}
