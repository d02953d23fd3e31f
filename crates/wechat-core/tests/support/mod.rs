//! A scriptable fake WeChat on 127.0.0.1, for testing the SDK over real HTTP with both
//! backends: the [`WeChatServer`] itself, and helpers building clients pointed at it.
//!
//! * [`wire`]: the raw HTTP/1.1 it speaks, so that it can also speak broken HTTP.
//! * [`wechat`]: what it answers: tokens, business endpoints, scripted [`Fault`]s.
//! * [`clients`]: clients of both backends aimed at a server.
//! * [`expect`]: assertions on the SDK's errors.
//! * [`logs`]: what the SDK writes to `tracing`, captured.
#![allow(dead_code, unreachable_pub)] // Each test binary uses its own part of this module.

pub mod clients;
pub mod expect;
pub mod logs;
mod wechat;
mod wire;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::io::BufReader;
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;

#[allow(unused_imports)] // Each test binary uses its own part of this module.
pub use wechat::{
    Fault, IMAGE_BYTES, IMAGE_MEDIA_ID, LARGE_MEDIA_ID, TOKEN_DELAY, UPLOADED_MEDIA_ID,
    VIDEO_MEDIA_ID, VIDEO_URL, large_file,
};
pub use wire::Received;

use wechat::{Action, State};

/// The AppID the server accepts: every Official Account client of the tests uses it.
pub const APPID: &str = "wx_loopback_app";
/// The AppSecret the server accepts; distinctive, so that a test can look for it in errors.
pub const SECRET: &str = "LOOPBACK_APP_SECRET_5ba1";
/// The CorpID the server accepts on `/cgi-bin/gettoken`.
pub const CORPID: &str = "ww_loopback_corp";
/// The WeChat Work app secret the server accepts.
pub const CORP_SECRET: &str = "LOOPBACK_CORP_SECRET_77c3";

/// `POST /cgi-bin/stable_token`: the default token endpoint (reference §1.2).
pub const STABLE_TOKEN: &str = "/cgi-bin/stable_token";
/// `GET /cgi-bin/token`: the classic token endpoint (reference §1.1).
pub const TOKEN: &str = "/cgi-bin/token";
/// `GET /cgi-bin/gettoken`: WeChat Work's token endpoint (work reference §1).
pub const GETTOKEN: &str = "/cgi-bin/gettoken";
/// `POST /cgi-bin/message/custom/send`: the customer-service message (reference §2).
pub const SEND: &str = "/cgi-bin/message/custom/send";
/// `POST /cgi-bin/media/upload`: temporary media upload (reference §7.1).
pub const UPLOAD: &str = "/cgi-bin/media/upload";
/// `GET /cgi-bin/media/get`: temporary media download (reference §7.2).
pub const MEDIA_GET: &str = "/cgi-bin/media/get";

/// A fake WeChat listening on `127.0.0.1` at a free port.
///
/// It runs on its own multi-thread tokio runtime, so `#[tokio::test]` tests and plain `#[test]`
/// tests with blocking clients use it alike; dropping it stops it at once, abandoning any
/// answer it is still delaying.
pub struct WeChatServer {
    url: String,
    state: Arc<Mutex<State>>,
    runtime: Option<Runtime>,
}

impl WeChatServer {
    /// Starts a server with no token issued yet and nothing scripted.
    pub fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("loopback-wechat")
            .enable_all()
            .build()
            .expect("a runtime for the test server");
        // Bound without `block_on`, which a test already inside a runtime may not call.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let listener = {
            let _context = runtime.enter();
            TcpListener::from_std(listener).unwrap()
        };
        let state = Arc::new(Mutex::new(State::default()));
        runtime.spawn(accept(listener, Arc::clone(&state)));
        WeChatServer {
            url,
            state,
            runtime: Some(runtime),
        }
    }

    /// `http://127.0.0.1:PORT`: the base URL to give a client.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every request received so far, in the order they were read.
    pub fn requests(&self) -> Vec<Received> {
        self.state().requests.clone()
    }

    /// The requests received on `path`.
    pub fn requests_to(&self, path: &str) -> Vec<Received> {
        self.state()
            .requests
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }

    /// How many requests `path` received: the single-flight and retry counts.
    pub fn count(&self, path: &str) -> usize {
        self.state()
            .requests
            .iter()
            .filter(|r| r.path == path)
            .count()
    }

    /// The token the business endpoints accept now, if one was issued.
    pub fn current_token(&self) -> Option<String> {
        self.state().current.clone()
    }

    /// Replaces the valid token with a new one, returned: the old one is now refused with
    /// 40001, as after a refresh elsewhere.
    pub fn rotate_token(&self) -> String {
        self.state()
            .retire_token(40001, true)
            .expect("rotation issues a token")
    }

    /// Expires the valid token: it is now refused with 42001, and the next token request
    /// issues a new one.
    pub fn expire_token(&self) {
        self.state().retire_token(42001, false);
    }

    /// Serves `fault` instead of the normal answer to the next `times` requests to `path`.
    pub fn fail_next(&self, path: &str, times: usize, fault: Fault) {
        self.state().fail_next(path, times, fault);
    }

    /// The state, locked for one read or change.
    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }
}

/// Stops the server when the test is done with it.
impl Drop for WeChatServer {
    fn drop(&mut self) {
        // Without waiting: a connection may be sleeping through a scripted delay.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// A base URL where nothing listens: a port that was free a moment ago. Connecting to it is
/// refused, which is how a client meets a server that is down.
pub fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

/// A poisoned lock means an assertion failed elsewhere; the state itself is still whole.
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Accepts connections until the runtime stops, each on its own task.
async fn accept(listener: TcpListener, state: Arc<Mutex<State>>) {
    let mut connections = 0;
    while let Ok((stream, _)) = listener.accept().await {
        connections += 1;
        tokio::spawn(serve(stream, connections, Arc::clone(&state)));
    }
}

/// Serves the requests of kept-alive connection number `connection`, one at a time, until the
/// client closes it or a fault ends it.
async fn serve(stream: TcpStream, connection: usize, state: Arc<Mutex<State>>) {
    let mut reader = BufReader::new(stream);
    loop {
        let request = match wire::read_request(&mut reader, connection).await {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(error) => {
                // A client that reset the connection (after a timeout) is normal; anything
                // else is a request this server cannot read, which the failing test must show.
                if error.kind() == std::io::ErrorKind::InvalidData {
                    eprintln!("loopback WeChat: unreadable request: {error}");
                }
                return;
            }
        };
        let plan = lock(&state).plan(request);
        tokio::time::sleep(plan.delay).await;
        let stream = reader.get_mut();
        match plan.action {
            Action::Respond(response) => {
                if wire::write_response(stream, &response).await.is_err() {
                    return;
                }
            }
            Action::ShortBody(response) => {
                let _ = wire::write_short_body(stream, &response).await;
                return;
            }
            Action::Chunked(response) => {
                if wire::write_chunked(stream, &response).await.is_err() {
                    return;
                }
            }
            Action::RespondThenClose(response) => {
                let _ = wire::write_response(stream, &response).await;
                return;
            }
            Action::Close => return,
            Action::Reset => {
                let _ = stream.set_zero_linger();
                return;
            }
        }
    }
}
