//! What the SDK costs on top of the HTTP library it runs on: steady-state sends of one text
//! customer-service message through [`Client`] / [`BlockingClient`], against the very same
//! request made with reqwest / ureq alone.
//!
//! Run with `cargo bench -p wechat-core` (both backends, the default features).
//! Figures and how to read them: `benches/README.md`.
//!
//! Fairness: all four functions talk to one in-process loopback server (axum on its own
//! current-thread runtime and thread) over one kept-alive connection; the raw clients are
//! configured like the SDK's backends (same [`BackendOptions`], redirects off, same headers),
//! post the exact body bytes the SDK sends to the exact URL it builds, and read the whole
//! answer. The token is obtained before anything is measured.
//!
//! After criterion's report, the SDK/raw throughput ratios are measured once more with the two
//! sides interleaved (see [`paired_ratio`]): on a shared 2-core machine, two criterion runs
//! seconds apart can differ by more than the few percent being judged.
#![allow(clippy::print_stdout)] // The paired ratios are printed next to criterion's report.

use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::post;
use criterion::{Criterion, Throughput};
use wechat_core::endpoints::mp::SendCustomMessage;
use wechat_core::types::mp::{CustomMessage, Text};
use wechat_core::{BackendOptions, BlockingClient, Client, Endpoint, OfficialAccount};

/// WeChat's answer to a successful send.
const SENT: &str = r#"{"errcode":0,"errmsg":"ok"}"#;

/// The access_token the loopback server hands out: as long as a real one (about 150
/// characters), since it is copied into every URL.
const TOKEN: &str = concat!(
    "89_BENCHxTOKENxQfW3kz0PpL7vYh2mNcR8sTgUaJdEi5oXbK1wZqHnV6yMfGt9rC4lAeSjD0uIxB7",
    "kO2pQzLmN3vW8hYcT5gRaJ1sE6dUfX9iKbH4oPq0nMzLwV7yCtG2rFeA8jSuD3lIxB5kOmNvWAAA",
);

/// The text sent: a typical short agent reply.
const TEXT: &str = "您好，请问有什么可以帮您？";

/// The least SDK throughput, as a share of the raw library's, that the SDK aims for.
const GOAL: f64 = 0.97;

/// How many rounds [`paired_ratio`] runs: odd, so that the median is one of them.
const ROUNDS: usize = 41;

/// How many sends each side makes per round: long enough (a few milliseconds) for the clock,
/// short enough that a round rarely straddles a burst of other work on the machine.
const SENDS_PER_ROUND: u64 = 200;

fn main() {
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let server = start_server();
    let fixture = Fixture::new(server);
    let async_sides = AsyncSides::new(&fixture);
    let blocking_sides = BlockingSides::new(&fixture);

    let mut group = criterion.benchmark_group("async");
    group.throughput(Throughput::Elements(1));
    group.bench_function("sdk", |b| b.iter_custom(|n| async_sides.sdk(n)));
    group.bench_function("raw_reqwest", |b| b.iter_custom(|n| async_sides.raw(n)));
    group.finish();

    let mut group = criterion.benchmark_group("blocking");
    group.throughput(Throughput::Elements(1));
    group.bench_function("sdk", |b| b.iter_custom(|n| blocking_sides.sdk(n)));
    group.bench_function("raw_ureq", |b| b.iter_custom(|n| blocking_sides.raw(n)));
    group.finish();

    criterion.final_summary();

    if measuring() {
        println!("\nSDK throughput / raw throughput (goal: at least {GOAL}), the median of");
        println!("{ROUNDS} interleaved rounds of {SENDS_PER_ROUND} sends per side:");
        let ratio = paired_ratio(|n| async_sides.sdk(n), |n| async_sides.raw(n));
        println!("  async    (sdk / raw_reqwest): {ratio:.3}");
        let ratio = paired_ratio(|n| blocking_sides.sdk(n), |n| blocking_sides.raw(n));
        println!("  blocking (sdk / raw_ureq):    {ratio:.3}");
    }
}

/// Whether this is a benchmark run rather than `cargo test --benches` (each function once, as
/// a smoke test), `--list` or `--profile-time`: only then are the ratios worth their seconds.
fn measuring() -> bool {
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| args.iter().any(|arg| arg == flag);
    has("--bench") && !has("--list") && !has("--test") && !has("--profile-time")
}

/// The median over [`ROUNDS`] rounds of `raw time / sdk time` for [`SENDS_PER_ROUND`] sends
/// each, which is SDK throughput over raw throughput.
///
/// The two sides run back to back within a round, and which goes first alternates, so that
/// whatever else the machine does at the time weighs on both alike; the median ignores the
/// rounds in which a burst of outside work hit one side only.
fn paired_ratio(mut sdk: impl FnMut(u64) -> Duration, mut raw: impl FnMut(u64) -> Duration) -> f64 {
    sdk(SENDS_PER_ROUND);
    raw(SENDS_PER_ROUND);
    let mut ratios: Vec<f64> = (0..ROUNDS)
        .map(|round| {
            let (sdk_time, raw_time) = if round % 2 == 0 {
                let sdk_time = sdk(SENDS_PER_ROUND);
                (sdk_time, raw(SENDS_PER_ROUND))
            } else {
                let raw_time = raw(SENDS_PER_ROUND);
                (sdk(SENDS_PER_ROUND), raw_time)
            };
            raw_time.as_secs_f64() / sdk_time.as_secs_f64()
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    ratios[ratios.len() / 2]
}

/// What both pairs send, and where: the SDK's endpoint value, and the URL and body bytes the
/// SDK makes of it, for the raw clients to send verbatim.
struct Fixture {
    base_url: String,
    message: SendCustomMessage,
    url: String,
    body: Bytes,
}

impl Fixture {
    /// The message, and its URL and body as the SDK builds them for the server at `server`.
    fn new(server: SocketAddr) -> Self {
        let base_url = format!("http://{server}");
        let message = SendCustomMessage::new(CustomMessage::new("OPENID", Text::new(TEXT)));
        let request = Endpoint::<OfficialAccount>::request(&message).expect("a valid message");
        assert_eq!(request.content_type(), Some("application/json"));
        // The token needs no percent-encoding, so this is the SDK's URL byte for byte.
        let url = format!("{base_url}{}?access_token={TOKEN}", request.path());
        Fixture {
            base_url,
            message,
            url,
            body: request.body().clone(),
        }
    }
}

/// The async pair, on the tokio current-thread runtime they both run on.
struct AsyncSides {
    runtime: tokio::runtime::Runtime,
    sdk: Client<OfficialAccount>,
    raw: reqwest::Client,
    message: SendCustomMessage,
    url: String,
    body: Bytes,
}

impl AsyncSides {
    /// Both clients, the SDK's with its token already obtained: only steady-state sends are
    /// measured.
    fn new(fixture: &Fixture) -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let sdk = Client::official_account("wx0123456789abcdef", "APPSECRET")
            .base_url(&fixture.base_url)
            .build()
            .expect("an SDK client");
        let token = runtime
            .block_on(sdk.access_token())
            .expect("the loopback server's token");
        assert_eq!(token.secret().expose(), TOKEN);
        AsyncSides {
            runtime,
            sdk,
            raw: raw_reqwest(&BackendOptions::default()),
            message: fixture.message.clone(),
            url: fixture.url.clone(),
            body: fixture.body.clone(),
        }
    }

    /// Time taken by `n` sequential sends through the SDK.
    fn sdk(&self, n: u64) -> Duration {
        self.runtime.block_on(async {
            let started = Instant::now();
            for _ in 0..n {
                self.sdk.execute(&self.message).await.expect("sent");
            }
            started.elapsed()
        })
    }

    /// Time taken by `n` sequential posts of the same bytes with reqwest alone.
    fn raw(&self, n: u64) -> Duration {
        self.runtime.block_on(async {
            let started = Instant::now();
            for _ in 0..n {
                let response = self
                    .raw
                    .post(&self.url)
                    .header(CONTENT_TYPE, "application/json")
                    .body(self.body.clone())
                    .send()
                    .await
                    .expect("sent");
                assert!(response.status().is_success());
                black_box(response.bytes().await.expect("the whole answer"));
            }
            started.elapsed()
        })
    }
}

/// A reqwest client built the way [`wechat_core::ReqwestBackend`] builds its own.
fn raw_reqwest(options: &BackendOptions) -> reqwest::Client {
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_root_certificates(rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    })
    .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(options.connect_timeout)
        .timeout(options.timeout)
        .pool_idle_timeout(options.idle_timeout)
        .pool_max_idle_per_host(options.max_idle_per_host)
        .user_agent(options.user_agent.as_str())
        .build()
        .expect("a reqwest client")
}

/// The blocking pair.
struct BlockingSides {
    sdk: BlockingClient<OfficialAccount>,
    raw: ureq::Agent,
    message: SendCustomMessage,
    url: String,
    body: Bytes,
}

impl BlockingSides {
    /// Both clients, the SDK's with its token already obtained.
    fn new(fixture: &Fixture) -> Self {
        let sdk = BlockingClient::official_account("wx0123456789abcdef", "APPSECRET")
            .base_url(&fixture.base_url)
            .build()
            .expect("an SDK client");
        let token = sdk.access_token().expect("the loopback server's token");
        assert_eq!(token.secret().expose(), TOKEN);
        BlockingSides {
            sdk,
            raw: raw_ureq(&BackendOptions::default()),
            message: fixture.message.clone(),
            url: fixture.url.clone(),
            body: fixture.body.clone(),
        }
    }

    /// Time taken by `n` sequential sends through the SDK.
    fn sdk(&self, n: u64) -> Duration {
        let started = Instant::now();
        for _ in 0..n {
            self.sdk.execute(&self.message).expect("sent");
        }
        started.elapsed()
    }

    /// Time taken by `n` sequential posts of the same bytes with ureq alone.
    fn raw(&self, n: u64) -> Duration {
        let started = Instant::now();
        for _ in 0..n {
            let mut response = self
                .raw
                .post(&self.url)
                .header(CONTENT_TYPE, "application/json")
                .send(&self.body[..])
                .expect("sent");
            assert!(response.status().is_success());
            black_box(response.body_mut().read_to_vec().expect("the whole answer"));
        }
        started.elapsed()
    }
}

/// A ureq agent configured the way [`wechat_core::UreqBackend`] configures its own.
fn raw_ureq(options: &BackendOptions) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_connect(Some(options.connect_timeout))
        .timeout_send_request(Some(options.timeout))
        .timeout_send_body(Some(options.timeout))
        .timeout_recv_response(Some(options.timeout))
        .timeout_recv_body(Some(options.timeout))
        .max_idle_age(options.idle_timeout)
        .max_idle_connections_per_host(options.max_idle_per_host)
        .user_agent(options.user_agent.as_str())
        .build();
    ureq::Agent::new_with_config(config)
}

/// Starts the stand-in for WeChat's API on 127.0.0.1 (a free port) on a thread and
/// current-thread runtime of its own, so that it never competes with the client's runtime for
/// a turn, and returns its address.
fn start_server() -> SocketAddr {
    let (address_tx, address_rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("loopback-server".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime");
            runtime.block_on(async {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("a loopback port");
                address_tx
                    .send(listener.local_addr().expect("its address"))
                    .expect("the benchmark waits for the address");
                axum::serve(listener, routes()).await.expect("serving");
            });
        })
        .expect("a server thread");
    address_rx.recv().expect("the server's address")
}

/// The two endpoints the benchmark calls. Each handler takes the request body, so that the
/// server reads every request in full, as WeChat's would.
fn routes() -> Router {
    let token = Bytes::from(format!(r#"{{"access_token":"{TOKEN}","expires_in":7200}}"#));
    Router::new()
        .route(
            "/cgi-bin/message/custom/send",
            post(|_body: Bytes| async { json(Bytes::from_static(SENT.as_bytes())) }),
        )
        .route(
            "/cgi-bin/stable_token",
            post(move |_body: Bytes| async move { json(token) }),
        )
}

/// A `200 OK` answer carrying `body` as JSON.
fn json(body: Bytes) -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], body)
}
