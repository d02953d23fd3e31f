//! Test doubles (feature `test-util`): a backend that records every request, one that replays
//! canned answers, and a clock that moves only when told.
//!
//! ```
//! use wechat_core::BlockingClient;
//! use wechat_core::endpoints::mp::SendCustomMessage;
//! use wechat_core::test_util::CapturingBackend;
//! use wechat_types::mp::{CustomMessage, Text};
//!
//! let backend = CapturingBackend::new();
//! let client = BlockingClient::official_account("wx1", "APPSECRET")
//!     .backend(backend.clone())
//!     .build()?;
//! client.execute(&SendCustomMessage::new(CustomMessage::new("OPENID", Text::new("hi"))))?;
//!
//! let sent = backend.api_requests();
//! assert_eq!(
//!     sent[0].to_string(),
//!     "POST https://api.weixin.qq.com/cgi-bin/message/custom/send?access_token=<redacted>\n\
//!      content-type: application/json\n\n\
//!      {\"touser\":\"OPENID\",\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use crate::backend::{BlockingHttpBackend, HttpBackend};
use crate::error::{TransportError, TransportErrorKind};
use crate::http::{HttpRequest, HttpResponse};
use crate::token::Clock;

/// The token [`CapturingBackend::new`] hands out.
pub const TEST_ACCESS_TOKEN: &str = "TEST_ACCESS_TOKEN";

/// `{"errcode":0,"errmsg":"ok"}`.
pub fn ok_response() -> HttpResponse {
    json_response(r#"{"errcode":0,"errmsg":"ok"}"#)
}

/// A token endpoint's answer.
pub fn token_response(token: &str, expires_in: i64) -> HttpResponse {
    json_response(format!(
        r#"{{"access_token":"{token}","expires_in":{expires_in}}}"#
    ))
}

/// An errcode answer.
pub fn errcode_response(errcode: i64, errmsg: &str) -> HttpResponse {
    json_response(format!(r#"{{"errcode":{errcode},"errmsg":"{errmsg}"}}"#))
}

/// A 200 answer with a JSON body.
pub fn json_response(body: impl Into<bytes::Bytes>) -> HttpResponse {
    HttpResponse::new(200, body).with_header("content-type", "application/json; charset=utf-8")
}

/// Whether `request` obtains an access_token (`/cgi-bin/token`, `/cgi-bin/stable_token`,
/// `/cgi-bin/gettoken`).
pub fn is_token_request(request: &HttpRequest) -> bool {
    matches!(
        request.path(),
        "/cgi-bin/token" | "/cgi-bin/stable_token" | "/cgi-bin/gettoken"
    )
}

type Responder = dyn Fn(&HttpRequest) -> HttpResponse + Send + Sync;

/// Records every request and answers it without any network: token requests with
/// [`TEST_ACCESS_TOKEN`], everything else with `{"errcode":0,"errmsg":"ok"}` (or what
/// [`answering`](CapturingBackend::answering) says). Serves async and blocking clients;
/// clones share the record.
#[derive(Clone)]
pub struct CapturingBackend {
    requests: Arc<Mutex<Vec<HttpRequest>>>,
    respond: Arc<Responder>,
}

impl CapturingBackend {
    /// Answers tokens and `ok` to everything.
    pub fn new() -> Self {
        Self::answering(|request| {
            if is_token_request(request) {
                token_response(TEST_ACCESS_TOKEN, 7200)
            } else {
                ok_response()
            }
        })
    }

    /// Answers with `respond`.
    pub fn answering(
        respond: impl Fn(&HttpRequest) -> HttpResponse + Send + Sync + 'static,
    ) -> Self {
        CapturingBackend {
            requests: Arc::default(),
            respond: Arc::new(respond),
        }
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The requests that were not token requests.
    pub fn api_requests(&self) -> Vec<HttpRequest> {
        self.requests()
            .into_iter()
            .filter(|r| !is_token_request(r))
            .collect()
    }

    /// The last request.
    pub fn last(&self) -> Option<HttpRequest> {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .last()
            .cloned()
    }

    fn record(&self, request: HttpRequest) -> HttpResponse {
        let response = (self.respond)(&request);
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(request);
        response
    }
}

impl Default for CapturingBackend {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for CapturingBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CapturingBackend")
            .field(
                "requests",
                &self
                    .requests
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .len(),
            )
            .finish()
    }
}

#[async_trait::async_trait]
impl HttpBackend for CapturingBackend {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        Ok(self.record(request))
    }
}

impl BlockingHttpBackend for CapturingBackend {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        Ok(self.record(request))
    }
}

/// Answers requests with canned outcomes, in order, and records the requests. Once the
/// outcomes run out, every request fails with a [`TransportErrorKind::Other`] error saying
/// so. Serves async and blocking clients; clones share the queue and the record.
#[derive(Clone, Default)]
pub struct ReplayBackend {
    outcomes: Arc<Mutex<VecDeque<Result<HttpResponse, TransportError>>>>,
    requests: Arc<Mutex<Vec<HttpRequest>>>,
}

impl ReplayBackend {
    /// A backend answering with `responses`, in order.
    pub fn new(responses: impl IntoIterator<Item = HttpResponse>) -> Self {
        Self::with_outcomes(responses.into_iter().map(Ok))
    }

    /// A backend answering with `outcomes`, in order: transport errors included.
    pub fn with_outcomes(
        outcomes: impl IntoIterator<Item = Result<HttpResponse, TransportError>>,
    ) -> Self {
        ReplayBackend {
            outcomes: Arc::new(Mutex::new(outcomes.into_iter().collect())),
            requests: Arc::default(),
        }
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// How many outcomes are left.
    pub fn remaining(&self) -> usize {
        self.outcomes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    fn next(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let line = format!("{} {}", request.method().as_str(), request.path());
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(request);
        self.outcomes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop_front()
            .unwrap_or_else(|| {
                Err(TransportError::new(
                    TransportErrorKind::Other,
                    format!("replay exhausted: no answer left for {line}"),
                ))
            })
    }
}

impl fmt::Debug for ReplayBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReplayBackend")
            .field("remaining", &self.remaining())
            .finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
impl HttpBackend for ReplayBackend {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.next(request)
    }
}

impl BlockingHttpBackend for ReplayBackend {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.next(request)
    }
}

/// A clock that stands still until [`advance`](ManualClock::advance)d or
/// [`set`](ManualClock::set): token expiry in tests without waiting.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<SystemTime>,
}

impl ManualClock {
    /// A clock showing `start`.
    pub fn new(start: SystemTime) -> Self {
        ManualClock {
            now: Mutex::new(start),
        }
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) += by;
    }

    /// Sets the time.
    pub fn set(&self, now: SystemTime) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = now;
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new(SystemTime::now())
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
