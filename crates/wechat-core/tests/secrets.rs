#![cfg(feature = "test-util")]
//! Credentials never leak: with a recognisable AppSecret and a recognisable access_token served by
//! the backend, neither appears in the `Debug`/`Display` of any public value that held them, in
//! any error a call can return (with its whole `source()` chain), nor in the `tracing` output of
//! successful and failing calls.

mod support;

use std::error::Error as _;
use std::fmt::Debug;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use wechat_core::endpoints::{common, mp, work};
use wechat_core::test_util::{errcode_response, json_response, ok_response, token_response};
use wechat_core::{
    BlockingClient, BlockingTokenStore, Client, Endpoint, Error, HttpRequest, HttpResponse,
    MemoryTokenStore, OfficialAccount, Secret, TokenEndpoint, TransportError, TransportErrorKind,
    Work,
};
use wechat_types::common::{StableTokenRequest, TokenQuery};
use wechat_types::mp::{CustomMessage, Text};
use wechat_types::work::GetTokenQuery;

use support::logs::{enable_every_callsite, traced};

/// The Official Account's AppID (not a secret: it may appear anywhere).
const APPID: &str = "wx0123456789abcdef";
/// The AppSecret: must never appear.
const APP_SECRET: &str = "APPSECRET_d41d8cd9";
/// The token every backend below serves: must never appear.
const TOKEN: &str = "ACCESS_TOKEN_8f14e45f";
/// The WeChat Work CorpID (not a secret).
const CORPID: &str = "ww0123456789abcdef";
/// The WeChat Work app secret: must never appear.
const CORP_SECRET: &str = "CORPSECRET_c4ca4238";

/// Every credential of this file.
const CREDENTIALS: [&str; 3] = [APP_SECRET, TOKEN, CORP_SECRET];

/// Asserts that `text` (labelled `what` in the failure message) contains no credential.
fn assert_clean(what: &str, text: &str) {
    for credential in CREDENTIALS {
        assert!(
            !text.contains(credential),
            "{what} leaks {credential}:\n{text}"
        );
    }
}

/// Asserts that `Debug` (plain and pretty) of `value` contains no credential.
fn assert_debug_clean(what: &str, value: &impl Debug) {
    assert_clean(what, &format!("{value:?}"));
    assert_clean(what, &format!("{value:#?}"));
}

/// Asserts that `error`'s `Display`, `Debug` and the `Display` and `Debug` of every error in its
/// `source()` chain contain no credential; returns the whole chain's text, for further checks.
fn assert_error_clean(what: &str, error: &Error) -> String {
    let mut all = String::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    let mut depth = 0;
    while let Some(link) = current {
        let text = format!("{link}\n{link:?}\n{link:#?}\n");
        assert_clean(&format!("{what} (source depth {depth})"), &text);
        all.push_str(&text);
        current = link.source();
        depth += 1;
    }
    all
}

/// The message the failing and succeeding calls send.
fn hello() -> mp::SendCustomMessage {
    mp::SendCustomMessage::new(CustomMessage::new("OPENID", Text::new("Hello")))
}

/// How a scripted backend answers a request that is not a token request.
type Answer = fn(&HttpRequest) -> Result<HttpResponse, TransportError>;

/// Answers token requests with [`TOKEN`], everything else with `answer`.
fn serve_token_then(
    answer: Answer,
) -> impl Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Clone + Send + Sync + 'static {
    move |request: &HttpRequest| {
        if wechat_core::test_util::is_token_request(request) {
            Ok(token_response(TOKEN, 7200))
        } else {
            answer(request)
        }
    }
}

/// A blocking Official Account client whose backend answers with `respond`.
fn blocking_client(
    respond: impl Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync + 'static,
) -> BlockingClient<OfficialAccount> {
    BlockingClient::official_account(APPID, APP_SECRET)
        .backend(move |request: HttpRequest| respond(&request))
        .build()
        .unwrap()
}

/// An async Official Account client whose backend answers with `respond`.
fn async_client(
    respond: impl Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync + 'static,
) -> Client<OfficialAccount> {
    Client::official_account(APPID, APP_SECRET)
        .backend(move |request: HttpRequest| {
            let outcome = respond(&request);
            async move { outcome }
        })
        .build()
        .unwrap()
}

/// A current-thread tokio runtime to drive the async client on the test thread.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

/// The error of sending [`hello`] through a blocking and through an async client whose backend
/// answers with `respond`, in that order.
fn failures_of(
    respond: impl Fn(&HttpRequest) -> Result<HttpResponse, TransportError>
    + Clone
    + Send
    + Sync
    + 'static,
) -> [Error; 2] {
    let blocking = blocking_client(respond.clone())
        .execute(&hello())
        .expect_err("the blocking call fails");
    let asynchronous = runtime()
        .block_on(async_client(respond).execute(&hello()))
        .expect_err("the async call fails");
    [blocking, asynchronous]
}

// ---------------------------------------------------------------------------------------------
// Debug and Display of the values that hold credentials.

/// Calls `debug_text` on a [`Probe`] of a value: `Some(Debug text)` if the value's type
/// implements `Debug`, `None` otherwise (autoref specialisation), so that the test notices when a
/// builder gains a `Debug` implementation.
#[allow(dead_code, reason = "only read while a probed type implements Debug")]
struct Probe<'a, T>(&'a T);

/// The branch of [`Probe`] taken when `T: Debug`.
#[allow(dead_code, reason = "only used while a probed type implements Debug")]
trait DebugProbe {
    /// The value's `Debug` text.
    fn debug_text(&self) -> Option<String>;
}

impl<T: Debug> DebugProbe for Probe<'_, T> {
    fn debug_text(&self) -> Option<String> {
        Some(format!("{:?}", self.0))
    }
}

/// The fallback branch of [`Probe`], taken when `T` does not implement `Debug`.
trait NoDebugProbe {
    /// Always `None`.
    fn debug_text(&self) -> Option<String>;
}

impl<T> NoDebugProbe for &Probe<'_, T> {
    fn debug_text(&self) -> Option<String> {
        None
    }
}

#[test]
fn clients_builders_tokens_stores_and_requests_print_no_credential() {
    enable_every_callsite();
    let store = Arc::new(MemoryTokenStore::new());
    let recorded = Arc::new(Mutex::new(Vec::<HttpRequest>::new()));
    let record = Arc::clone(&recorded);
    let backend = move |request: HttpRequest| {
        record
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(request.clone());
        if wechat_core::test_util::is_token_request(&request) {
            Ok::<_, TransportError>(token_response(TOKEN, 7200))
        } else {
            Ok(ok_response())
        }
    };

    let builder = BlockingClient::official_account(APPID, APP_SECRET);
    if let Some(text) = (&Probe(&builder)).debug_text() {
        assert_clean("BlockingClientBuilder Debug", &text);
    }
    let async_builder = Client::official_account(APPID, APP_SECRET);
    if let Some(text) = (&Probe(&async_builder)).debug_text() {
        assert_clean("ClientBuilder Debug", &text);
    }

    let client = builder
        .backend(backend)
        .token_store(store.clone())
        .build()
        .unwrap();
    client.execute(&hello()).unwrap();
    let token = client.access_token().unwrap();
    assert_eq!(token.secret().expose(), TOKEN, "the token was served");

    assert_debug_clean("BlockingClient", &client);
    assert_debug_clean("AccessToken", &token);
    assert_debug_clean("AccessToken's Secret", token.secret());
    assert_clean("AccessToken's Secret Display", &token.secret().to_string());
    assert_debug_clean("TokenKey", client.token_key());
    assert_clean("TokenKey Display", &client.token_key().to_string());
    let held = BlockingTokenStore::get(&*store, client.token_key()).unwrap();
    assert_eq!(held.as_ref(), Some(&token), "the store holds the token");
    assert_debug_clean("MemoryTokenStore", &store);

    let secret = Secret::new(APP_SECRET);
    assert_eq!(format!("{secret:?} {secret}"), "<redacted> <redacted>");

    let async_client = async_builder
        .backend(|_request: HttpRequest| async {
            Err::<HttpResponse, _>(TransportError::new(
                TransportErrorKind::Other,
                "nothing is sent: the token comes from the shared store",
            ))
        })
        .token_store(store.clone())
        .build()
        .unwrap();
    let async_token = runtime().block_on(async_client.access_token()).unwrap();
    assert_eq!(
        async_token, token,
        "the async client shares the stored token"
    );
    assert_debug_clean("Client", &async_client);

    let requests = recorded.lock().unwrap().clone();
    assert_eq!(requests.len(), 2, "a token request and the call");
    assert!(
        requests[0]
            .body()
            .windows(APP_SECRET.len())
            .any(|w| w == APP_SECRET.as_bytes()),
        "the token request carries the secret on the wire"
    );
    assert_eq!(
        requests[1].query_param("access_token").as_deref(),
        Some(TOKEN)
    );
    for request in &requests {
        assert_debug_clean("HttpRequest", request);
        assert_clean("HttpRequest Display", &request.to_string());
    }
    assert_debug_clean(
        "HttpResponse of the token endpoint",
        &token_response(TOKEN, 7200),
    );
}

#[test]
fn token_requests_print_no_credential_whatever_the_platform_and_endpoint() {
    enable_every_callsite();
    let requests = [
        Endpoint::<OfficialAccount>::request(&common::GetStableAccessToken::new(
            StableTokenRequest::new(APPID, APP_SECRET),
        ))
        .unwrap(),
        Endpoint::<OfficialAccount>::request(&common::GetAccessToken::new(TokenQuery::new(
            APPID, APP_SECRET,
        )))
        .unwrap(),
        Endpoint::<Work>::request(&work::GetAccessToken::new(GetTokenQuery::new(
            CORPID,
            CORP_SECRET,
        )))
        .unwrap(),
    ];
    for request in &requests {
        assert_debug_clean("Request", request);
    }

    // The HTTP requests the clients build from them, as captured.
    let captured = Arc::new(Mutex::new(Vec::<HttpRequest>::new()));
    let record = |captured: &Arc<Mutex<Vec<HttpRequest>>>| {
        let captured = Arc::clone(captured);
        move |request: HttpRequest| {
            captured.lock().unwrap().push(request);
            Ok::<_, TransportError>(token_response(TOKEN, 7200))
        }
    };
    BlockingClient::official_account(APPID, APP_SECRET)
        .token_endpoint(TokenEndpoint::Classic)
        .backend(record(&captured))
        .build()
        .unwrap()
        .access_token()
        .unwrap();
    BlockingClient::mini_program(APPID, APP_SECRET)
        .backend(record(&captured))
        .build()
        .unwrap()
        .access_token()
        .unwrap();
    BlockingClient::work(CORPID, CORP_SECRET)
        .backend(record(&captured))
        .build()
        .unwrap()
        .access_token()
        .unwrap();
    let captured = captured.lock().unwrap().clone();
    let paths: Vec<&str> = captured.iter().map(HttpRequest::path).collect();
    assert_eq!(
        paths,
        [
            "/cgi-bin/token",
            "/cgi-bin/stable_token",
            "/cgi-bin/gettoken"
        ]
    );
    for request in &captured {
        assert_debug_clean("HttpRequest", request);
        assert_clean("HttpRequest Display", &request.to_string());
    }
}

// ---------------------------------------------------------------------------------------------
// Errors.

#[test]
fn an_api_error_whose_errmsg_echoes_the_token_shows_it_masked() {
    enable_every_callsite();
    let answer: Answer = |request| {
        let token = request.query_param("access_token").unwrap();
        Ok(errcode_response(
            45015,
            &format!(
                "response out of time limit or subscription is canceled, access_token={token} rid: 64a774ce-020c072d-6c820ec0"
            ),
        ))
    };
    for error in failures_of(serve_token_then(answer)) {
        let Error::Api(api) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(api.code().value(), 45015);
        assert_eq!(
            api.message(),
            "response out of time limit or subscription is canceled, access_token=<redacted> rid: 64a774ce-020c072d-6c820ec0"
        );
        assert_error_clean("API error", &error);
    }
}

#[test]
fn a_token_endpoint_error_whose_errmsg_echoes_the_secret_shows_it_masked() {
    enable_every_callsite();
    let respond = |_: &HttpRequest| {
        Ok(errcode_response(
            40125,
            &format!("invalid appsecret {APP_SECRET} rid: 64a774ce-020c072d-6c820ec0"),
        ))
    };
    for error in failures_of(respond) {
        assert_eq!(error.errcode().map(|code| code.value()), Some(40125));
        assert_eq!(error.endpoint(), Some("/cgi-bin/stable_token"));
        let text = assert_error_clean("token endpoint error", &error);
        assert!(text.contains("invalid appsecret <redacted>"), "{text}");
    }
}

#[test]
fn a_transport_error_whose_message_contains_the_url_shows_the_token_masked() {
    enable_every_callsite();
    let answer: Answer = |request| {
        Err(TransportError::new(
            TransportErrorKind::Connect,
            format!("error sending request for url ({})", request.url()),
        )
        .with_source(io::Error::new(
            io::ErrorKind::ConnectionRefused,
            "Connection refused (os error 111)",
        )))
    };
    for error in failures_of(serve_token_then(answer)) {
        let Error::Transport(transport) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(transport.kind(), TransportErrorKind::Connect);
        assert_eq!(transport.endpoint(), Some("/cgi-bin/message/custom/send"));
        assert_eq!(
            transport.message(),
            "error sending request for url (https://api.weixin.qq.com/cgi-bin/message/custom/send?access_token=<redacted>)"
        );
        assert!(error.source().is_some(), "the source is kept");
        assert_error_clean("transport error", &error);
    }
}

#[test]
fn a_transport_error_of_the_classic_token_request_shows_the_secret_masked() {
    enable_every_callsite();
    let error = BlockingClient::official_account(APPID, APP_SECRET)
        .token_endpoint(TokenEndpoint::Classic)
        .backend(|request: HttpRequest| {
            Err::<HttpResponse, _>(TransportError::new(
                TransportErrorKind::Timeout,
                format!("timed out reading response for {}", request.url()),
            ))
        })
        .build()
        .unwrap()
        .execute(&hello())
        .unwrap_err();
    assert!(matches!(&error, Error::Transport(_)), "{error:?}");
    assert_eq!(error.endpoint(), Some("/cgi-bin/token"));
    let text = assert_error_clean("transport error of /cgi-bin/token", &error);
    assert!(text.contains("secret=<redacted>"), "{text}");
}

#[test]
fn a_transport_error_of_the_work_token_request_shows_the_corpsecret_masked() {
    enable_every_callsite();
    let error = BlockingClient::work(CORPID, CORP_SECRET)
        .backend(|request: HttpRequest| {
            Err::<HttpResponse, _>(TransportError::new(
                TransportErrorKind::Connect,
                format!("dns error for {}", request.url()),
            ))
        })
        .build()
        .unwrap()
        .access_token()
        .unwrap_err();
    assert_eq!(error.endpoint(), Some("/cgi-bin/gettoken"));
    let text = assert_error_clean("transport error of /cgi-bin/gettoken", &error);
    assert!(text.contains("corpsecret=<redacted>"), "{text}");
}

#[test]
fn a_token_response_with_a_broken_expires_in_is_a_decode_error_without_the_token() {
    enable_every_callsite();
    for body in [
        format!(r#"{{"access_token":"{TOKEN}","expires_in":"in two hours"}}"#),
        format!(r#"{{"access_token":"{TOKEN}","expires_in":[7200]}}"#),
        format!(r#"{{"access_token":"{TOKEN}","expires_in":72"#),
        format!(r#"{{"access_token":"{TOKEN}","expires_in":0}}"#),
    ] {
        let respond = move |_: &HttpRequest| Ok(json_response(body.clone()));
        for error in failures_of(respond) {
            let Error::Decode(decode) = &error else {
                panic!("{error:?}")
            };
            assert_eq!(decode.endpoint(), "/cgi-bin/stable_token");
            assert_error_clean("decode error of the token response", &error);
        }
    }
}

#[test]
fn a_decode_error_of_a_call_whose_body_echoes_the_token_shows_it_masked() {
    enable_every_callsite();
    let answer: Answer = |request| {
        Ok(HttpResponse::new(
            200,
            format!("<html>maintenance: {}</html>", request.url()),
        ))
    };
    for error in failures_of(serve_token_then(answer)) {
        let Error::Decode(decode) = &error else {
            panic!("{error:?}")
        };
        assert!(
            decode.excerpt().contains("access_token=<redacted>"),
            "{decode}"
        );
        assert_error_clean("decode error", &error);
    }
}

#[test]
fn an_http_status_error_whose_body_echoes_the_token_shows_it_masked() {
    enable_every_callsite();
    let answer: Answer = |request| {
        Ok(HttpResponse::new(
            502,
            format!(
                "<html><body>502 Bad Gateway: upstream failed for {}?access_token={}</body></html>",
                request.path(),
                request.query_param("access_token").unwrap()
            ),
        ))
    };
    for error in failures_of(serve_token_then(answer)) {
        let Error::HttpStatus(status) = &error else {
            panic!("{error:?}")
        };
        assert_eq!(status.status(), 502);
        assert_eq!(
            status.excerpt(),
            "<html><body>502 Bad Gateway: upstream failed for /cgi-bin/message/custom/send?access_token=<redacted></body></html>"
        );
        assert_error_clean("HTTP status error", &error);
    }
}

#[test]
fn an_http_status_error_never_shows_part_of_a_long_token_cut_by_the_excerpt_limit() {
    enable_every_callsite();
    // A realistic length: WeChat tokens are about 150 characters (storage: at least 512).
    let long_token: String = format!("{TOKEN}_{}", "Qx7".repeat(45));
    let served = long_token.clone();
    let respond = move |request: &HttpRequest| {
        if wechat_core::test_util::is_token_request(request) {
            return Ok(token_response(&served, 7200));
        }
        Ok(HttpResponse::new(
            502,
            format!("<html>502 Bad Gateway for {}</html>", request.url()),
        ))
    };
    for error in failures_of(respond) {
        let text = format!("{error} {error:?}");
        // No 16-character piece of the token may remain.
        let pieces: Vec<&str> = (0..=long_token.len() - 16)
            .map(|at| &long_token[at..at + 16])
            .filter(|piece| text.contains(piece))
            .collect();
        assert!(pieces.is_empty(), "parts of the token leak: {text}");
    }
}

// ---------------------------------------------------------------------------------------------
// tracing.

/// Installs, once per test binary and before any call is made, a global TRACE subscriber that
/// discards what it receives, so that every `tracing` callsite is registered as interesting.
///
#[test]
fn tracing_of_a_successful_call_shows_the_span_and_no_credential() {
    enable_every_callsite();
    let client = blocking_client(serve_token_then(|_| Ok(ok_response())));
    let output = traced(|| client.execute(&hello()).unwrap());
    assert_clean("tracing output", &output);
    assert!(output.contains("wechat.call"), "{output}");
    assert!(
        output.contains(r#"endpoint="/cgi-bin/message/custom/send""#),
        "{output}"
    );
    assert!(output.contains("errcode=0"), "{output}");
    assert!(output.contains("obtained a new access_token"), "{output}");
}

#[test]
fn tracing_of_failing_calls_shows_the_endpoint_and_errcode_and_no_credential() {
    enable_every_callsite();
    let echo: Answer = |request| {
        Ok(errcode_response(
            45015,
            &format!(
                "response out of time limit, url {} rid: 1-2-3",
                request.url()
            ),
        ))
    };
    let client = blocking_client(serve_token_then(echo));
    let output = traced(|| {
        client.execute(&hello()).unwrap_err();
    });
    assert_clean("tracing output of an API error", &output);
    assert!(output.contains("wechat.call"), "{output}");
    assert!(
        output.contains(r#"endpoint="/cgi-bin/message/custom/send""#),
        "{output}"
    );
    assert!(output.contains("errcode=45015"), "{output}");
    assert!(output.contains("wechat call failed"), "{output}");
    assert!(output.contains("access_token=<redacted>"), "{output}");

    let transport: Answer = |request| {
        Err(TransportError::new(
            TransportErrorKind::Connection,
            format!("connection reset sending {}", request.url()),
        ))
    };
    let client = async_client(serve_token_then(transport));
    let output = traced(|| {
        runtime().block_on(client.execute(&hello())).unwrap_err();
    });
    assert_clean("tracing output of a transport error", &output);
    assert!(output.contains("wechat call failed"), "{output}");
    assert!(
        output.contains(r#"endpoint="/cgi-bin/message/custom/send""#),
        "{output}"
    );

    let secret_echo = |_: &HttpRequest| {
        Ok(errcode_response(
            40125,
            &format!("invalid appsecret {APP_SECRET}"),
        ))
    };
    let client = blocking_client(secret_echo);
    let output = traced(|| {
        client.execute(&hello()).unwrap_err();
    });
    assert_clean("tracing output of a token endpoint error", &output);
    assert!(output.contains("errcode=40125"), "{output}");
    assert!(output.contains("invalid appsecret <redacted>"), "{output}");
}
