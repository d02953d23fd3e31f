//! Sends 20,000 text customer-service messages one after another and prints how long that
//! took: how to send with the async [`Client`] (reqwest) or the [`BlockingClient`] (ureq), and
//! what one connection's worth of sending costs in time and memory.
//!
//! ```text
//! cargo run --release -p wechat-core --example send_many
//! cargo run --release -p wechat-core --example send_many -- --backend ureq
//! ```
//!
//! Nothing leaves the machine: a stand-in for WeChat's API answers on 127.0.0.1. By default it
//! runs on a few std threads inside this process. To measure the client's memory alone, run
//! the stand-in as a process of its own (it prints its address and serves until killed) and
//! point the client at it:
//!
//! ```text
//! target/release/examples/send_many serve &            # prints e.g. 127.0.0.1:40123
//! /usr/bin/time -v target/release/examples/send_many --server 127.0.0.1:40123 --backend ureq
//! kill %1
//! ```
//!
//! Measured figures: `benches/README.md`. Against the real API, drop `.base_url(...)` and pass
//! your AppID and AppSecret.
#![allow(clippy::print_stdout)] // Printing the summary is this example's job.

use std::error::Error;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Instant;

use wechat_core::endpoints::mp::SendCustomMessage;
use wechat_core::types::mp::{CustomMessage, Text};
use wechat_core::{BlockingClient, Client};

/// How many messages to send.
const MESSAGES: u32 = 20_000;

/// The usage line, shown for any argument not understood.
const USAGE: &str = "usage: send_many [--backend reqwest|ureq] [--server ADDR] | send_many serve";

/// What the command line asks for.
enum Mode {
    /// Run only the stand-in server.
    Serve,
    /// Send the messages with `backend` to the stand-in at `server`, or to one started in
    /// this process.
    Send {
        /// The client that sends.
        backend: Backend,
        /// A stand-in started with `send_many serve`, if any.
        server: Option<SocketAddr>,
    },
}

/// Which client, and so which HTTP library, sends.
#[derive(Debug, Clone, Copy)]
enum Backend {
    /// The async [`Client`] on reqwest, driven by a current-thread tokio runtime.
    Reqwest,
    /// The [`BlockingClient`] on ureq.
    Ureq,
}

fn main() -> Result<(), Box<dyn Error>> {
    let (backend, server) = match mode_from_args()? {
        Mode::Serve => {
            println!("{}", start_server()?);
            loop {
                std::thread::park();
            }
        }
        Mode::Send { backend, server } => (backend, server),
    };
    let server = match server {
        Some(address) => address,
        None => start_server()?,
    };
    let base_url = format!("http://{server}");
    let message = SendCustomMessage::new(CustomMessage::new(
        "OPENID",
        Text::new("您好，请问有什么可以帮您？"),
    ));

    let started = Instant::now();
    match backend {
        Backend::Reqwest => send_async(&base_url, &message)?,
        Backend::Ureq => send_blocking(&base_url, &message)?,
    }
    let elapsed = started.elapsed();

    println!(
        "{backend:?}: sent {MESSAGES} messages in {:.2} s ({:.0} messages/s)",
        elapsed.as_secs_f64(),
        f64::from(MESSAGES) / elapsed.as_secs_f64(),
    );
    Ok(())
}

/// Sends every message with the async client. Sequential sends need one thread, so the runtime
/// is a current-thread one: no worker threads, no per-thread allocator arenas.
fn send_async(base_url: &str, message: &SendCustomMessage) -> Result<(), Box<dyn Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let client = Client::official_account("wx0123456789abcdef", "APPSECRET")
            .base_url(base_url)
            .build()?;
        for _ in 0..MESSAGES {
            client.execute(message).await?;
        }
        Ok(())
    })
}

/// Sends every message with the blocking client, on this thread.
fn send_blocking(base_url: &str, message: &SendCustomMessage) -> Result<(), Box<dyn Error>> {
    let client = BlockingClient::official_account("wx0123456789abcdef", "APPSECRET")
        .base_url(base_url)
        .build()?;
    for _ in 0..MESSAGES {
        client.execute(message)?;
    }
    Ok(())
}

/// Reads the command line (see [`USAGE`]).
fn mode_from_args() -> Result<Mode, String> {
    let mut args = std::env::args().skip(1).peekable();
    if args.next_if(|arg| arg == "serve").is_some() {
        return match args.next() {
            None => Ok(Mode::Serve),
            Some(_) => Err(USAGE.to_owned()),
        };
    }
    let mut backend = Backend::Reqwest;
    let mut server = None;
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(USAGE)?;
        match (flag.as_str(), value.as_str()) {
            ("--backend", "reqwest") => backend = Backend::Reqwest,
            ("--backend", "ureq") => backend = Backend::Ureq,
            ("--server", address) => server = Some(address.parse().map_err(|_| USAGE)?),
            _ => return Err(USAGE.to_owned()),
        }
    }
    Ok(Mode::Send { backend, server })
}

/// Starts the stand-in for WeChat's API on a free loopback port and returns its address.
///
/// Each connection gets a thread of its own: an HTTP client may open a second connection
/// while the first is still on its way back to its pool, and that one must be answered too.
fn start_server() -> io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream));
        }
    });
    Ok(address)
}

/// Answers the requests on one keep-alive connection until the client closes it: a token for
/// `POST /cgi-bin/stable_token`, `{"errcode":0,"errmsg":"ok"}` for anything else. Request
/// bodies must come with a `content-length` (both SDK backends send one).
fn serve(stream: TcpStream) -> io::Result<()> {
    let token = response(r#"{"access_token":"ACCESS_TOKEN","expires_in":7200}"#);
    let sent = response(r#"{"errcode":0,"errmsg":"ok"}"#);
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    let mut line = String::new();
    let mut body = Vec::new();
    loop {
        // Request line: `POST /cgi-bin/stable_token HTTP/1.1`; nothing means the client left.
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let answer = if line.contains(" /cgi-bin/stable_token") {
            &token
        } else {
            &sent
        };
        let mut length = 0;
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
        // One write per answer, so that no part of it waits on the client's delayed ACK.
        writer.write_all(answer.as_bytes())?;
    }
}

/// A complete `200 OK` HTTP/1.1 response carrying `json`.
fn response(json: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{json}",
        json.len()
    )
}
