//! What the integration tests share: a sandbox and a client per bundled backend, a raw JSON
//! endpoint for bodies the typed API refuses to build, a bot server for pushes, and
//! assertions on errors.
#![allow(dead_code, unreachable_pub)] // Each test binary uses its own part of this module.

pub mod bot;
pub mod served;

use std::sync::OnceLock;
use std::time::Duration;

use serde_json::Value;
use wechat_core::types::common::Errcode;
use wechat_core::{
    BlockingClient, Client, Endpoint, Error, HttpBackend, HttpRequest, Method, OfficialAccount,
    Reply, Request, ReqwestBackend,
};
use wechat_sandbox::{Sandbox, SandboxConfig, UserMessage};

/// Which bundled backend a [`Caller`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The async `Client` on reqwest.
    Reqwest,
    /// The `BlockingClient` on ureq.
    Ureq,
}

/// Both backends.
pub const BACKENDS: [Backend; 2] = [Backend::Reqwest, Backend::Ureq];

/// A runtime for the async client, shared by the tests of one binary.
fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime for the async client")
    })
}

/// Executes endpoints with one of the SDK's clients over real HTTP: the async client is driven
/// on a runtime of the tests, the blocking one on the test's thread.
#[derive(Clone)]
pub enum Caller {
    /// The async client.
    Async(Client<OfficialAccount>),
    /// The blocking client.
    Blocking(BlockingClient<OfficialAccount>),
}

impl Caller {
    /// A client of the sandbox's first app on `backend`, with the defaults.
    pub fn new(sandbox: &Sandbox, backend: Backend) -> Self {
        Self::of_app(sandbox, backend, sandbox.app())
    }

    /// A client of `app` on `backend`.
    pub fn of_app(
        _sandbox: &Sandbox,
        backend: Backend,
        app: wechat_sandbox::AppHandle<'_>,
    ) -> Self {
        match backend {
            Backend::Reqwest => Caller::Async(app.client().build().expect("an async client")),
            Backend::Ureq => {
                Caller::Blocking(app.blocking_client().build().expect("a blocking client"))
            }
        }
    }

    /// Executes `endpoint`.
    pub fn call<E>(&self, endpoint: &E) -> Result<E::Output, Error>
    where
        E: Endpoint<OfficialAccount> + Sync,
        E::Output: Send,
    {
        match self {
            Caller::Async(client) => runtime().block_on(client.execute(endpoint)),
            Caller::Blocking(client) => client.execute(endpoint),
        }
    }

    /// Executes `endpoint` and returns WeChat's errcode; fails the test on success or on any
    /// other error.
    pub fn errcode<E>(&self, endpoint: &E) -> Errcode
    where
        E: Endpoint<OfficialAccount> + Sync,
        E::Output: Send + std::fmt::Debug,
    {
        match self.call(endpoint) {
            Ok(output) => panic!("expected an errcode, got success: {output:?}"),
            Err(error) => errcode(&error),
        }
    }
}

/// Runs `test` once per backend, each time against a fresh sandbox of `config`, and says which
/// backend failed.
pub fn each_backend_with(config: impl Fn() -> SandboxConfig, test: impl Fn(&Sandbox, &Caller)) {
    for backend in BACKENDS {
        let sandbox = Sandbox::start_with(config()).expect("a sandbox");
        let caller = Caller::new(&sandbox, backend);
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| test(&sandbox, &caller)));
        if let Err(panic) = outcome {
            eprintln!("failed with the {backend:?} backend");
            std::panic::resume_unwind(panic);
        }
    }
}

/// [`each_backend_with`] the default configuration.
pub fn each_backend(test: impl Fn(&Sandbox, &Caller)) {
    each_backend_with(SandboxConfig::default, test);
}

/// Where the clock of a [`frozen`] sandbox starts, Unix seconds.
pub const T0: u64 = 1_700_000_000;

/// The default configuration with the clock standing at [`T0`] until a test advances it.
pub fn frozen() -> SandboxConfig {
    let mut config = SandboxConfig::default();
    config.clock.start = Some(T0);
    config.clock.frozen = true;
    config
}

/// [`each_backend_with`] a [`frozen`] clock.
pub fn each_frozen_backend(test: impl Fn(&Sandbox, &Caller)) {
    each_backend_with(frozen, test);
}

/// `secs` seconds.
pub fn secs(secs: u64) -> Duration {
    Duration::from_secs(secs)
}

/// A new user of the sandbox's first app who has just written: the 48-hour window is open with
/// its 5 messages, and typing may start. Answers the openid.
pub fn writing_user(sandbox: &Sandbox) -> String {
    let app = sandbox.app();
    let openid = app.create_user("Ann").unwrap();
    app.writes_blocking(&openid, UserMessage::text("你好"))
        .unwrap();
    openid
}

/// `prefix@{the app's WeChat ID}`: a well-formed kf account of the sandbox's first app.
pub fn kf_name(sandbox: &Sandbox, prefix: &str) -> String {
    format!("{prefix}@{}", sandbox.app().wechat_id())
}

/// `request` exactly as given, over plain HTTP with reqwest (wechat-core's backend on it:
/// reqwest alone has no TLS provider installed in this build): the status, the
/// `Content-Type` and the body.
pub fn send_raw(request: HttpRequest) -> (u16, String, Vec<u8>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let backend = ReqwestBackend::new().unwrap();
    let response = runtime.block_on(backend.send(request)).unwrap();
    let content_type = response.header("content-type").unwrap_or_default();
    (
        response.status(),
        content_type.to_owned(),
        response.body().to_vec(),
    )
}

/// [`send_raw`] a `GET url`.
pub fn http_get(url: &str) -> (u16, String, Vec<u8>) {
    send_raw(HttpRequest::new(Method::Get, url))
}

/// The errcode of an API error; fails the test for any other error.
pub fn errcode(error: &Error) -> Errcode {
    match error.errcode() {
        Some(code) => Errcode(code.value()),
        None => panic!("expected an API error, got {error:?}"),
    }
}

/// Any JSON body to any path, without the typed API's checks: how the tests send what the SDK
/// would refuse to build (two articles, an unknown member, a wrong type). Answers the reply's
/// JSON (or `{}` for a bare errcode envelope).
pub struct RawJson {
    pub method: Method,
    pub path: &'static str,
    pub body: Option<Value>,
    pub query: Vec<(&'static str, String)>,
}

impl RawJson {
    /// `POST path` with `body`.
    pub fn post(path: &'static str, body: Value) -> Self {
        RawJson {
            method: Method::Post,
            path,
            body: Some(body),
            query: Vec::new(),
        }
    }

    /// `GET path` with `query`.
    pub fn get(path: &'static str, query: &[(&'static str, &str)]) -> Self {
        RawJson {
            method: Method::Get,
            path,
            body: None,
            query: query.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
        }
    }
}

impl Endpoint<OfficialAccount> for RawJson {
    type Output = Value;

    fn request(&self) -> Result<Request, Error> {
        let request = Request::new(self.method, self.path).with_unchecked_query(&self.query)?;
        match &self.body {
            Some(body) => request.with_unchecked_json(body),
            None => Ok(request),
        }
    }

    fn parse(&self, reply: Reply) -> Result<Value, Error> {
        reply.json()
    }
}
