//! Injected faults against the sandbox, with both backends: what each fault does to a call,
//! how the SDK's clients surface it (typed errcode, HTTP status, timeout, broken connection),
//! the order and scope of the queue, the call log, the control API (never affected), and the
//! clients' retries.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wechat_core::endpoints::mp::{GetWaitCase, SendCustomMessage};
use wechat_core::types::mp::{CustomMessage, Text};
use wechat_core::{
    BackendOptions, Error, MemoryTokenStore, ReqwestBackend, RetryPolicy, TransportErrorKind,
    UreqBackend,
};
use wechat_sandbox::{Call, Fault, FaultPlan, Sandbox};

use support::{Caller, each_backend, writing_user};

const SEND: &str = "/cgi-bin/message/custom/send";
const STABLE: &str = "/cgi-bin/stable_token";
const WAIT_CASE: &str = "/customservice/kfsession/getwaitcase";

/// Sends `content` to `openid` as a text custom message.
fn send(caller: &Caller, openid: &str, content: &str) -> Result<(), Error> {
    caller.call(&SendCustomMessage::new(CustomMessage::new(
        openid,
        Text::new(content),
    )))
}

/// The texts `openid` received, oldest first.
fn received(sandbox: &Sandbox, openid: &str) -> Vec<String> {
    sandbox
        .app()
        .inbox(openid)
        .unwrap()
        .iter()
        .map(|delivered| delivered.payload["content"].as_str().unwrap().to_owned())
        .collect()
}

/// The custom messages `openid`'s window still allows.
fn remaining(sandbox: &Sandbox, openid: &str) -> u32 {
    sandbox
        .app()
        .user(openid)
        .unwrap()
        .window
        .unwrap()
        .remaining
}

/// Obtains the client's token, so that the calls that follow are the business calls alone.
fn warm_up(caller: &Caller) {
    caller.call(&GetWaitCase).expect("a plain business call");
}

/// The errcode of a typed [`Error::Api`]; fails the test for any other error.
fn api_code(error: &Error) -> i64 {
    match error {
        Error::Api(api) => api.code().value(),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// The call log from entry `from` (0-based) on.
fn calls_from(sandbox: &Sandbox, from: usize) -> Vec<Call> {
    sandbox.calls()[from..].to_vec()
}

/// The call log from entry `from` on, as (path, errcode) pairs.
fn codes_from(sandbox: &Sandbox, from: usize) -> Vec<(String, i64)> {
    calls_from(sandbox, from)
        .into_iter()
        .map(|call| (call.path, call.errcode))
        .collect()
}

/// Expected (path, errcode) pairs, as [`codes_from`] gives them.
fn expected(entries: &[(&str, i64)]) -> Vec<(String, i64)> {
    entries
        .iter()
        .map(|(path, code)| ((*path).to_owned(), *code))
        .collect()
}

/// The last entry of the call log.
fn last_call(sandbox: &Sandbox) -> Call {
    sandbox.calls().pop().expect("at least one call")
}

/// How a test's own client differs from the one `each_backend` gives.
#[derive(Clone, Default)]
struct Setup {
    /// The client's retry policy.
    retry: Option<RetryPolicy>,
    /// The backend's limit on one whole exchange.
    timeout: Option<Duration>,
    /// A token store shared with another client.
    store: Option<Arc<MemoryTokenStore>>,
}

/// Applies the retry policy and token store of a [`Setup`] to either kind of client builder.
macro_rules! configure {
    ($builder:expr, $setup:expr) => {{
        let mut builder = $builder;
        if let Some(retry) = &$setup.retry {
            builder = builder.retry_policy(retry.clone());
        }
        if let Some(store) = &$setup.store {
            builder = builder.token_store(store.clone());
        }
        builder
    }};
}

/// A client of the sandbox's app on the same backend as `like`, set up as `setup` says.
fn client(sandbox: &Sandbox, like: &Caller, setup: &Setup) -> Caller {
    let app = sandbox.app();
    let options =
        BackendOptions::default().with_timeout(setup.timeout.unwrap_or(Duration::from_secs(30)));
    match like {
        Caller::Async(_) => Caller::Async(
            configure!(app.client(), setup)
                .backend(ReqwestBackend::with_options(&options).expect("a reqwest backend"))
                .build()
                .expect("an async client"),
        ),
        Caller::Blocking(_) => Caller::Blocking(
            configure!(app.blocking_client(), setup)
                .backend(UreqBackend::with_options(&options))
                .build()
                .expect("a blocking client"),
        ),
    }
}

/// A client that retries errcodes -1 and 45009 (and failed connections) up to 3 times,
/// with short waits.
fn retrying_client(sandbox: &Sandbox, like: &Caller) -> Caller {
    let retry =
        RetryPolicy::transient().with_backoff(Duration::from_millis(1), Duration::from_millis(10));
    client(
        sandbox,
        like,
        &Setup {
            retry: Some(retry),
            ..Setup::default()
        },
    )
}

/// Raw HTTP/1.1 to the sandbox over a plain TCP stream, past the SDK's clients (no token, no
/// errcode reading, any method): the status and the body as JSON (or as a JSON string when it
/// is not JSON).
fn http(sandbox: &Sandbox, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let body = body.map(|body| body.to_string()).unwrap_or_default();
    let mut stream = TcpStream::connect(sandbox.addr()).expect("a connection to the sandbox");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nhost: {}\r\nconnection: close\r\n\
         content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        sandbox.addr(),
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    let (head, body) = response
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("{method} {path}: no HTTP answer: {response:?}"));
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "{head}"
    );
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|status| status.parse().ok())
        .unwrap_or_else(|| panic!("{method} {path}: no status in {head:?}"));
    let body = serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.to_owned()));
    (status, body)
}

/// How many calls the queued faults will still hit, as the control API's overview says.
fn pending_faults(sandbox: &Sandbox) -> u64 {
    let (status, overview) = http(sandbox, "GET", "/sandbox", None);
    assert_eq!(status, 200, "{overview}");
    overview["pending_faults"].as_u64().unwrap()
}

#[test]
fn errcode_faults_surface_as_typed_api_errors_and_have_no_effect() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        warm_up(caller);
        for code in [-1, 45009] {
            sandbox.inject(FaultPlan::on(SEND, Fault::errcode(code)));
            let before = sandbox.calls().len();
            let error = send(caller, &openid, "refused").unwrap_err();
            let Error::Api(api) = &error else {
                panic!("expected Error::Api, got {error:?}")
            };
            assert_eq!(api.code().value(), code);
            assert_eq!(api.endpoint(), SEND);
            assert_eq!(
                codes_from(sandbox, before),
                expected(&[(SEND, code)]),
                "sent once: the default policy never retries"
            );
        }
        assert!(received(sandbox, &openid).is_empty(), "nothing delivered");
        assert_eq!(remaining(sandbox, &openid), 5, "no quota used");
        send(caller, &openid, "delivered").unwrap();
        assert_eq!(received(sandbox, &openid), ["delivered"]);
    });
}

#[test]
fn an_http_status_fault_surfaces_as_that_status_and_has_no_effect() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        sandbox.inject(FaultPlan::on(SEND, Fault::http_status(503)));
        let error = send(caller, &openid, "refused").unwrap_err();
        let Error::HttpStatus(status) = &error else {
            panic!("expected Error::HttpStatus, got {error:?}")
        };
        assert_eq!(status.status(), 503);
        assert_eq!(status.endpoint(), SEND);
        assert!(status.excerpt().contains("503"), "{}", status.excerpt());
        assert_eq!(error.errcode(), None);
        assert!(received(sandbox, &openid).is_empty());
        assert_eq!(remaining(sandbox, &openid), 5);

        sandbox.inject(FaultPlan::on_any(Fault::http_status(502)));
        let error = caller.call(&GetWaitCase).unwrap_err();
        assert!(
            matches!(&error, Error::HttpStatus(e) if e.status() == 502 && e.endpoint() == WAIT_CASE),
            "{error:?}"
        );
        send(caller, &openid, "delivered").unwrap();
        assert_eq!(received(sandbox, &openid), ["delivered"]);
    });
}

#[test]
fn a_delay_past_the_client_timeout_is_a_timeout_but_the_message_is_delivered() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        // The token comes through a patient client; the impatient one makes only the call
        // that is delayed.
        let store = Arc::new(MemoryTokenStore::new());
        let patient = client(
            sandbox,
            caller,
            &Setup {
                store: Some(store.clone()),
                ..Setup::default()
            },
        );
        warm_up(&patient);
        let impatient = client(
            sandbox,
            caller,
            &Setup {
                store: Some(store),
                timeout: Some(Duration::from_millis(300)),
                // Even a policy that retries does not retry a timeout: the call may have taken
                // effect (and here it did).
                retry: Some(RetryPolicy::transient()),
            },
        );
        sandbox.inject(FaultPlan::on(SEND, Fault::delay(Duration::from_secs(2))));
        let before = sandbox.calls().len();
        let started = Instant::now();
        let error = send(&impatient, &openid, "late").unwrap_err();
        let waited = started.elapsed();
        let Error::Transport(transport) = &error else {
            panic!("expected Error::Transport, got {error:?}")
        };
        assert_eq!(transport.kind(), TransportErrorKind::Timeout, "{transport}");
        assert_eq!(transport.endpoint(), Some(SEND));
        assert!(
            waited < Duration::from_millis(1500),
            "gave up before the answer came: {waited:?}"
        );
        let inbox = sandbox
            .app()
            .wait_for_inbox(&openid, 1, Duration::from_secs(5))
            .unwrap();
        assert_eq!(inbox.len(), 1, "delivered, as WeChat does");
        assert_eq!(inbox[0].payload["content"], "late");
        assert_eq!(remaining(sandbox, &openid), 4, "and counted");
        let calls = calls_from(sandbox, before);
        assert_eq!(calls.len(), 1, "not retried: {calls:?}");
        assert_eq!(calls[0].path, SEND);
        assert_eq!(calls[0].status, Some(200));
        assert_eq!(calls[0].errcode, 0);
        assert_eq!(calls[0].fault.as_deref(), Some("delay 2000 ms"));
    });
}

#[test]
fn a_short_delay_is_only_late() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        warm_up(caller);
        sandbox.inject(FaultPlan::on(
            SEND,
            Fault::delay(Duration::from_millis(100)),
        ));
        let started = Instant::now();
        send(caller, &openid, "late but fine").unwrap();
        assert!(
            started.elapsed() >= Duration::from_millis(100),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(received(sandbox, &openid), ["late but fine"]);
    });
}

#[test]
fn a_dropped_connection_is_a_transport_error_and_has_no_effect() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        warm_up(caller);
        // A POST (not idempotent) and a GET: neither is sent again by the backend.
        for path in [SEND, WAIT_CASE] {
            sandbox.inject(FaultPlan::on(path, Fault::DropConnection));
            let before = sandbox.calls().len();
            let error = if path == SEND {
                send(caller, &openid, "lost").unwrap_err()
            } else {
                caller.call(&GetWaitCase).unwrap_err()
            };
            let Error::Transport(transport) = &error else {
                panic!("{path}: expected Error::Transport, got {error:?}")
            };
            assert_eq!(
                transport.kind(),
                TransportErrorKind::Connection,
                "{path}: {transport}"
            );
            assert_eq!(transport.endpoint(), Some(path));
            let calls = calls_from(sandbox, before);
            assert_eq!(calls.len(), 1, "{path}: sent once: {calls:?}");
            assert_eq!(calls[0].status, None, "never answered");
            assert_eq!(calls[0].fault.as_deref(), Some("drop connection"));
        }
        assert!(received(sandbox, &openid).is_empty(), "nothing delivered");
        assert_eq!(remaining(sandbox, &openid), 5, "no quota used");
        // The client connects again.
        send(caller, &openid, "delivered").unwrap();
        assert_eq!(received(sandbox, &openid), ["delivered"]);
    });
}

#[test]
fn faults_are_served_in_order_and_only_on_their_path() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        warm_up(caller);
        sandbox.inject(FaultPlan::on(SEND, Fault::errcode(-1)));
        sandbox.inject(FaultPlan::on(SEND, Fault::errcode(45009)));
        sandbox.inject(FaultPlan::on(WAIT_CASE, Fault::http_status(503)));

        let unhit = "/customservice/kfaccount/add";
        sandbox.inject(FaultPlan::on(unhit, Fault::errcode(-1)));
        assert_eq!(pending_faults(sandbox), 4);

        let error = caller.call(&GetWaitCase).unwrap_err();
        assert!(
            matches!(&error, Error::HttpStatus(e) if e.status() == 503),
            "{error:?}"
        );
        warm_up(caller);
        assert_eq!(api_code(&send(caller, &openid, "1").unwrap_err()), -1);
        assert_eq!(api_code(&send(caller, &openid, "2").unwrap_err()), 45009);
        send(caller, &openid, "3").unwrap();
        assert_eq!(received(sandbox, &openid), ["3"]);
        assert_eq!(pending_faults(sandbox), 1, "the kfaccount/add fault waits");

        // The oldest plan that matches serves: here the one for any path.
        sandbox.clear_faults();
        sandbox.inject(FaultPlan::on(SEND, Fault::errcode(45009)));
        sandbox.inject(FaultPlan::on_any(Fault::errcode(-1)));
        assert_eq!(api_code(&caller.call(&GetWaitCase).unwrap_err()), -1);
        assert_eq!(api_code(&send(caller, &openid, "4").unwrap_err()), 45009);
        warm_up(caller);
        send(caller, &openid, "5").unwrap();
        assert_eq!(received(sandbox, &openid), ["3", "5"]);
    });
}

#[test]
fn times_hits_that_many_calls_and_on_any_hits_the_token_endpoint_too() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        // A fresh client: its first call is the token request.
        sandbox.inject(FaultPlan::on_any(Fault::errcode(-1)).times(3));
        assert_eq!(pending_faults(sandbox), 3);
        let before = sandbox.calls().len();
        let error = send(caller, &openid, "1").unwrap_err();
        assert_eq!(api_code(&error), -1);
        assert_eq!(error.endpoint(), Some(STABLE), "the token request failed");
        let error = caller.call(&GetWaitCase).unwrap_err();
        assert_eq!(error.endpoint(), Some(STABLE));
        sandbox.app().create_user("Bob").unwrap(); // the control API takes no fault
        let error = send(caller, &openid, "2").unwrap_err();
        assert_eq!(error.endpoint(), Some(STABLE));
        assert_eq!(pending_faults(sandbox), 0);
        send(caller, &openid, "3").unwrap();
        assert_eq!(
            codes_from(sandbox, before),
            expected(&[
                (STABLE, -1),
                (STABLE, -1),
                (STABLE, -1),
                (STABLE, 0),
                (SEND, 0)
            ])
        );
        assert_eq!(received(sandbox, &openid), ["3"]);
    });
}

#[test]
fn clear_faults_forgets_every_queued_fault() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        sandbox.inject(FaultPlan::on(SEND, Fault::errcode(-1)).times(5));
        sandbox.inject(FaultPlan::on_any(Fault::DropConnection));
        sandbox.inject(FaultPlan::on_any(Fault::errcode(-1)).times(0));
        assert_eq!(pending_faults(sandbox), 6, "a plan of 0 times is dropped");
        sandbox.clear_faults();
        assert_eq!(pending_faults(sandbox), 0);
        send(caller, &openid, "1").unwrap();

        // The same over HTTP.
        sandbox.inject(FaultPlan::on(SEND, Fault::errcode(-1)).times(2));
        let (status, answer) = http(sandbox, "DELETE", "/sandbox/faults", None);
        assert_eq!((status, answer), (200, json!({"pending_faults": 0})));
        send(caller, &openid, "2").unwrap();
        assert_eq!(received(sandbox, &openid), ["1", "2"]);
        assert!(sandbox.calls().iter().all(|call| call.fault.is_none()));
    });
}

#[test]
fn faults_queued_over_http_work_like_injected_ones() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        let plans = [
            json!({"path": SEND, "fault": {"kind": "errcode", "errcode": 45009}}),
            json!({"path": SEND, "fault": {"kind": "http_status", "status": 502}}),
            json!({"times": 2, "fault": {"kind": "drop_connection"}}),
        ];
        for (plan, pending) in plans.into_iter().zip([1, 2, 4]) {
            let (status, answer) = http(sandbox, "POST", "/sandbox/faults", Some(plan));
            assert_eq!((status, answer), (200, json!({"pending_faults": pending})));
        }
        let (status, _) = http(
            sandbox,
            "POST",
            "/sandbox/faults",
            Some(json!({"fault": {"kind": "explode"}})),
        );
        assert_eq!(status, 400, "an unknown fault is refused");
        assert_eq!(pending_faults(sandbox), 4);

        // The token requests of the first two calls take the drops (the only plan for their
        // path); then the plans for SEND hit in order.
        for content in ["1", "2"] {
            let error = send(caller, &openid, content).unwrap_err();
            assert!(
                matches!(&error, Error::Transport(e) if e.kind() == TransportErrorKind::Connection && e.endpoint() == Some(STABLE)),
                "{error:?}"
            );
        }
        assert_eq!(api_code(&send(caller, &openid, "3").unwrap_err()), 45009);
        let error = send(caller, &openid, "4").unwrap_err();
        assert!(
            matches!(&error, Error::HttpStatus(e) if e.status() == 502),
            "{error:?}"
        );
        assert_eq!(pending_faults(sandbox), 0);
        send(caller, &openid, "5").unwrap();
        assert_eq!(received(sandbox, &openid), ["5"]);
    });
}

#[test]
fn the_control_api_is_never_affected_by_a_fault() {
    each_backend(|sandbox, caller| {
        let appid = sandbox.app().appid();
        sandbox.inject(FaultPlan::on_any(Fault::http_status(503)).times(2));
        sandbox.inject(FaultPlan::on("/sandbox/clock", Fault::DropConnection));
        let users = format!("/sandbox/apps/{appid}/users");
        let (status, clock) = http(sandbox, "GET", "/sandbox/clock", None);
        assert_eq!(status, 200, "{clock}");
        assert_eq!(clock["now"], sandbox.clock().unix());
        let (status, _) = http(
            sandbox,
            "POST",
            "/sandbox/clock/advance",
            Some(json!({"seconds": 60})),
        );
        assert_eq!(status, 200);
        let (status, calls) = http(sandbox, "GET", "/sandbox/calls", None);
        assert_eq!((status, calls), (200, json!([])));
        let (status, user) = http(sandbox, "POST", &users, Some(json!({"nickname": "Ann"})));
        assert_eq!(status, 200, "{user}");
        let openid = user["openid"].as_str().unwrap().to_owned();
        let (status, _) = http(
            sandbox,
            "POST",
            &format!("{users}/{openid}/messages"),
            Some(json!({"type": "text", "content": "你好"})),
        );
        assert_eq!(status, 200);
        let (status, listed) = http(sandbox, "GET", &users, None);
        assert_eq!(status, 200);
        assert_eq!(listed.as_array().map(Vec::len), Some(1));
        let (status, missing) = http(sandbox, "GET", "/sandbox/no-such-route", None);
        assert_eq!(status, 404, "{missing}");
        assert!(missing["error"].is_string(), "{missing}");
        let (status, _) = http(sandbox, "PUT", "/sandbox/clock", None);
        assert_eq!(status, 405, "a route's wrong method");
        assert_eq!(pending_faults(sandbox), 3, "no control call took a fault");
        assert!(
            sandbox.calls().is_empty(),
            "control calls are not API calls"
        );

        // The API takes them.
        let error = send(caller, &openid, "1").unwrap_err();
        assert!(
            matches!(&error, Error::HttpStatus(e) if e.status() == 503 && e.endpoint() == STABLE),
            "{error:?}"
        );
        assert!(matches!(
            send(caller, &openid, "2").unwrap_err(),
            Error::HttpStatus(_)
        ));
        send(caller, &openid, "3").unwrap();
        assert_eq!(received(sandbox, &openid), ["3"]);
        assert_eq!(
            pending_faults(sandbox),
            1,
            "the plan for /sandbox/clock never hits"
        );
    });
}

#[test]
fn the_call_log_records_each_fault() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        warm_up(caller);
        let before = sandbox.calls().len();
        let faults = [
            Fault::errcode(-1),
            Fault::errcode(45009),
            Fault::http_status(503),
            Fault::DropConnection,
            Fault::delay(Duration::from_millis(10)),
        ];
        for fault in faults {
            sandbox.inject(FaultPlan::on(SEND, fault));
            let _ = send(caller, &openid, "x");
        }
        send(caller, &openid, "y").unwrap();
        let logged: Vec<_> = calls_from(sandbox, before)
            .into_iter()
            .map(|call| (call.path, call.status, call.errcode, call.fault))
            .collect();
        let entry = |status, errcode, fault: Option<&str>| {
            (SEND.to_owned(), status, errcode, fault.map(str::to_owned))
        };
        assert_eq!(
            logged,
            [
                entry(Some(200), -1, Some("errcode -1")),
                entry(Some(200), 45009, Some("errcode 45009")),
                entry(Some(503), 0, Some("HTTP 503")),
                entry(None, 0, Some("drop connection")),
                entry(Some(200), 0, Some("delay 10 ms")),
                entry(Some(200), 0, None),
            ]
        );
        assert_eq!(received(sandbox, &openid), ["x", "y"], "only the delayed x");
        let last = last_call(sandbox);
        assert_eq!(last.seq, sandbox.calls().len() as u64);
        assert_eq!(last.method, "POST");
    });
}

#[test]
fn a_transient_retry_policy_retries_minus_one_and_45009() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        let retrying = retrying_client(sandbox, caller);
        warm_up(&retrying);
        sandbox.inject(FaultPlan::on(SEND, Fault::errcode(-1)));
        sandbox.inject(FaultPlan::on(SEND, Fault::errcode(45009)));
        let before = sandbox.calls().len();
        send(&retrying, &openid, "once").unwrap();
        assert_eq!(
            codes_from(sandbox, before),
            expected(&[(SEND, -1), (SEND, 45009), (SEND, 0)])
        );
        assert_eq!(received(sandbox, &openid), ["once"], "delivered once");

        // At most 3 retries: the fourth failure is returned.
        sandbox.inject(FaultPlan::on(SEND, Fault::errcode(-1)).times(5));
        let before = sandbox.calls().len();
        assert_eq!(
            api_code(&send(&retrying, &openid, "never").unwrap_err()),
            -1
        );
        assert_eq!(codes_from(sandbox, before), expected(&[(SEND, -1); 4]));
        assert_eq!(pending_faults(sandbox), 1);
        sandbox.clear_faults();

        // Other refusals are not retried.
        sandbox.inject(FaultPlan::on(SEND, Fault::errcode(45015)));
        let before = sandbox.calls().len();
        assert_eq!(
            api_code(&send(&retrying, &openid, "no").unwrap_err()),
            45015
        );
        assert_eq!(codes_from(sandbox, before), expected(&[(SEND, 45015)]));
        assert_eq!(received(sandbox, &openid), ["once"]);
    });
}

#[test]
fn a_retry_policy_never_retries_what_may_have_reached_wechat() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        let retrying = retrying_client(sandbox, caller);
        warm_up(&retrying);
        for fault in [Fault::DropConnection, Fault::http_status(503)] {
            sandbox.inject(FaultPlan::on(SEND, fault.clone()));
            let before = sandbox.calls().len();
            let error = send(&retrying, &openid, "x").unwrap_err();
            assert!(
                matches!(error, Error::Transport(_) | Error::HttpStatus(_)),
                "{fault:?}: {error:?}"
            );
            assert_eq!(
                calls_from(sandbox, before).len(),
                1,
                "{fault:?}: not retried"
            );
        }
        assert!(received(sandbox, &openid).is_empty());
    });
}

#[test]
fn an_injected_stale_token_errcode_makes_the_client_refresh_and_retry_once() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        warm_up(caller);
        sandbox.inject(FaultPlan::on(SEND, Fault::errcode(40001)));
        let before = sandbox.calls().len();
        send(caller, &openid, "after a refresh").unwrap();
        assert_eq!(
            codes_from(sandbox, before),
            expected(&[(SEND, 40001), (STABLE, 0), (SEND, 0)])
        );

        // The stable endpoint hands out the same token, which is refused again: that error is
        // returned, no loop.
        sandbox.inject(FaultPlan::on(SEND, Fault::errcode(42001)).times(2));
        let before = sandbox.calls().len();
        assert_eq!(
            api_code(&send(caller, &openid, "refused twice").unwrap_err()),
            42001
        );
        assert_eq!(
            codes_from(sandbox, before),
            expected(&[(SEND, 42001), (STABLE, 0), (SEND, 42001)])
        );
        assert_eq!(received(sandbox, &openid), ["after a refresh"]);
    });
}
