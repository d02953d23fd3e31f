//! What the fake WeChat answers: tokens, the business endpoints the tests call, and the
//! scripted misbehaviour. No IO here: [`State::plan`] turns one request into what to do.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use super::wire::{Received, Response};
use super::{
    APPID, CORP_SECRET, CORPID, GETTOKEN, MEDIA_GET, SECRET, SEND, STABLE_TOKEN, TOKEN, UPLOAD,
};

/// How long a token endpoint thinks before answering, so that concurrent callers of a cold
/// client really pile up behind the one refresh in flight.
pub const TOKEN_DELAY: Duration = Duration::from_millis(100);

/// The `media_id` that [`MEDIA_GET`] answers with an image file.
pub const IMAGE_MEDIA_ID: &str = "IMAGE_MEDIA_ID";
/// The `media_id` that [`MEDIA_GET`] answers with a video URL, as WeChat does for videos.
pub const VIDEO_MEDIA_ID: &str = "VIDEO_MEDIA_ID";
/// The bytes of the image behind [`IMAGE_MEDIA_ID`]: binary, not UTF-8, not JSON.
pub const IMAGE_BYTES: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00fake jpeg\xff\xd9";
/// The URL behind [`VIDEO_MEDIA_ID`] (never fetched).
pub const VIDEO_URL: &str = "http://127.0.0.1:9/video/VIDEO_MEDIA_ID.mp4";
/// The `media_id` that [`MEDIA_GET`] answers with [`large_file`]: a body that arrives in many
/// reads.
pub const LARGE_MEDIA_ID: &str = "LARGE_MEDIA_ID";

/// The 4 MiB file behind [`LARGE_MEDIA_ID`], in a pattern that shows any lost or moved byte.
pub fn large_file() -> Vec<u8> {
    (0..4 << 20).map(|i: u32| (i % 251) as u8).collect()
}

/// The `media_id` [`UPLOAD`] hands out.
pub const UPLOADED_MEDIA_ID: &str = "UPLOADED_MEDIA_ID";

/// A scripted misbehaviour, served instead of the normal answer to one request of one path
/// (see [`WeChatServer::fail_next`](super::WeChatServer::fail_next)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 200 with `{"errcode":CODE,...}`: `-1` is WeChat's "system busy".
    Errcode(i64),
    /// HTTP 502 with an HTML page quoting the request target, access_token included, as some
    /// proxies do: the SDK's error must not pass the token on.
    BadGatewayHtml,
    /// HTTP 200 with an HTML page (a maintenance or captive-portal page), also quoting the
    /// request target.
    HtmlOk,
    /// HTTP 200 with `{"errcode":0,"err` and a matching `Content-Length`: valid HTTP, broken
    /// JSON.
    TruncatedJson,
    /// The normal answer, but only after this long: past a client's timeout.
    Delay(Duration),
    /// The normal answer's head declaring more body than is sent, then the connection closes.
    ShortBody,
    /// The request is read, then the connection is closed (FIN) without an answer.
    Close,
    /// The request is read, then the connection is reset (RST) without an answer.
    Reset,
    /// The normal answer, then the connection is closed (FIN) without notice, as servers
    /// close idle kept-alive connections: a client must not send its next request on it.
    AnswerThenClose,
    /// HTTP 302 to `/redirected` on the same server: a client must not follow it (the URL
    /// carries the access_token).
    Redirect,
    /// The normal answer with `Transfer-Encoding: chunked`, in several chunks and without a
    /// `Content-Length`: the client cannot know the size up front.
    Chunked,
}

/// What the connection does with one request.
#[derive(Debug)]
pub(super) enum Action {
    /// Answers and keeps the connection for the next request.
    Respond(Response),
    /// Sends the head and part of the body of this answer, then closes.
    ShortBody(Response),
    /// Answers in chunks and keeps the connection.
    Chunked(Response),
    /// Answers, then closes.
    RespondThenClose(Response),
    /// Closes the connection.
    Close,
    /// Resets the connection.
    Reset,
}

/// An [`Action`] and how long to wait before it.
#[derive(Debug)]
pub(super) struct Plan {
    /// How long to wait first: a token endpoint's thinking time, or a scripted delay.
    pub(super) delay: Duration,
    /// What to do then.
    pub(super) action: Action,
}

impl Plan {
    /// `action` without waiting.
    fn now(action: Action) -> Self {
        Plan {
            delay: Duration::ZERO,
            action,
        }
    }

    /// Answers `response` without waiting.
    fn respond(response: Response) -> Self {
        Plan::now(Action::Respond(response))
    }
}

/// Everything the server remembers; one lock guards it, held only between two awaits.
#[derive(Debug, Default)]
pub(super) struct State {
    /// Every request, in the order the server finished reading them.
    pub(super) requests: Vec<Received>,
    /// The token the business endpoints accept; `None` until one is issued.
    pub(super) current: Option<String>,
    /// Tokens no longer accepted, with the errcode their use earns (40001 or 42001).
    retired: HashMap<String, i64>,
    /// How many tokens were issued, to number the next one.
    issued: u32,
    /// Scripted faults per path, served first in first out.
    faults: HashMap<String, VecDeque<Fault>>,
}

impl State {
    /// Queues `fault` for the next `times` requests to `path`.
    pub(super) fn fail_next(&mut self, path: &str, times: usize, fault: Fault) {
        let queue = self.faults.entry(path.to_owned()).or_default();
        queue.extend(std::iter::repeat_n(fault, times));
    }

    /// Retires the current token with `errcode` and, when `issue` is set, issues its successor
    /// at once (rotation); otherwise the next token request issues one (expiry).
    pub(super) fn retire_token(&mut self, errcode: i64, issue: bool) -> Option<String> {
        if let Some(old) = self.current.take() {
            self.retired.insert(old, errcode);
        }
        issue.then(|| self.issue())
    }

    /// A new token, as long as WeChat's (about 157 characters; up to 512 are allowed), so that
    /// an error quoting it near the end of its excerpt would show a cut-off piece of it.
    fn issue(&mut self) -> String {
        self.issued += 1;
        let mut token = format!("LOOPBACK_ACCESS_TOKEN_{:04}_", self.issued);
        let filler = "wd0B6cLq9XyZ-3kPm_7RtVs2Hn4Jf8Ga5Ue1Io";
        token.extend(filler.chars().cycle().take(157 - token.len()));
        self.current = Some(token.clone());
        token
    }

    /// Records `request` and decides what to answer.
    pub(super) fn plan(&mut self, request: Received) -> Plan {
        let fault = self
            .faults
            .get_mut(&request.path)
            .and_then(VecDeque::pop_front);
        let plan = match fault {
            Some(fault) => self.misbehave(fault, &request),
            None => self.answer(&request),
        };
        self.requests.push(request);
        plan
    }

    /// What `fault` does to `request`.
    fn misbehave(&mut self, fault: Fault, request: &Received) -> Plan {
        let target = format!("{} {}?{}", request.method, request.path, request.query);
        let html = |title: &str| {
            format!("<html><head><title>{title}</title></head><body><p>{target}</p></body></html>")
        };
        match fault {
            Fault::Errcode(-1) => Plan::respond(errcode(-1, "system error")),
            Fault::Errcode(code) => Plan::respond(errcode(code, "scripted errcode")),
            Fault::BadGatewayHtml => {
                Plan::respond(Response::new(502, "text/html", html("502 Bad Gateway")))
            }
            Fault::HtmlOk => Plan::respond(Response::new(200, "text/html", html("Maintenance"))),
            Fault::TruncatedJson => Plan::respond(Response::json(r#"{"errcode":0,"err"#)),
            Fault::Delay(delay) => Plan {
                delay,
                ..self.answer(request)
            },
            Fault::ShortBody => match self.answer(request).action {
                Action::Respond(response) => Plan::now(Action::ShortBody(response)),
                other => Plan::now(other),
            },
            Fault::Chunked => match self.answer(request).action {
                Action::Respond(response) => Plan::now(Action::Chunked(response)),
                other => Plan::now(other),
            },
            Fault::AnswerThenClose => match self.answer(request).action {
                Action::Respond(response) => Plan::now(Action::RespondThenClose(response)),
                other => Plan::now(other),
            },
            Fault::Redirect => Plan::respond(
                Response::new(302, "text/plain", "moved").with_header("Location", "/redirected"),
            ),
            Fault::Close => Plan::now(Action::Close),
            Fault::Reset => Plan::now(Action::Reset),
        }
    }

    /// What WeChat would answer.
    fn answer(&mut self, request: &Received) -> Plan {
        match request.path.as_str() {
            STABLE_TOKEN | TOKEN | GETTOKEN => self.token(request),
            SEND | UPLOAD | MEDIA_GET => match self.check_token(request) {
                Some(refusal) => Plan::respond(refusal),
                None => Plan::respond(business(request)),
            },
            _ => Plan::respond(Response::new(404, "text/plain", "no such endpoint")),
        }
    }

    /// The token endpoints: check the credentials where each endpoint expects them, then hand
    /// out the current token (issuing one if there is none), after [`TOKEN_DELAY`].
    fn token(&mut self, request: &Received) -> Plan {
        let refusal = match request.path.as_str() {
            STABLE_TOKEN if request.method != "POST" => Some(errcode(43002, "require POST method")),
            TOKEN | GETTOKEN if request.method != "GET" => {
                Some(errcode(43001, "require GET method"))
            }
            STABLE_TOKEN => {
                let body: serde_json::Value =
                    serde_json::from_slice(&request.body).unwrap_or_default();
                let field = |name: &str| body[name].as_str().map(str::to_owned);
                app_credentials(field("grant_type"), field("appid"), field("secret"))
            }
            TOKEN => app_credentials(
                request.query_param("grant_type"),
                request.query_param("appid"),
                request.query_param("secret"),
            ),
            _ => corp_credentials(
                request.query_param("corpid"),
                request.query_param("corpsecret"),
            ),
        };
        let response = refusal.unwrap_or_else(|| {
            let token = match &self.current {
                Some(token) => token.clone(),
                None => self.issue(),
            };
            Response::json(format!(
                r#"{{"errcode":0,"errmsg":"ok","access_token":"{token}","expires_in":7200}}"#
            ))
        });
        Plan {
            delay: TOKEN_DELAY,
            action: Action::Respond(response),
        }
    }

    /// The refusal a business endpoint answers for the request's token, if any.
    fn check_token(&self, request: &Received) -> Option<Response> {
        let Some(token) = request.access_token() else {
            return Some(errcode(41001, "access_token missing"));
        };
        if self.current.as_ref() == Some(&token) {
            return None;
        }
        Some(match self.retired.get(&token) {
            Some(42001) => errcode(42001, "access_token expired"),
            _ => errcode(
                40001,
                "invalid credential, access_token is invalid or not latest",
            ),
        })
    }
}

/// The Official Account's checks (reference §1.1, §1.2): grant type, AppID and AppSecret.
fn app_credentials(
    grant_type: Option<String>,
    appid: Option<String>,
    secret: Option<String>,
) -> Option<Response> {
    if grant_type.as_deref() != Some("client_credential") {
        Some(errcode(40002, "invalid grant_type"))
    } else if appid.as_deref() != Some(APPID) {
        Some(errcode(40013, "invalid appid"))
    } else if secret.as_deref() != Some(SECRET) {
        Some(errcode(40125, "invalid appsecret"))
    } else {
        None
    }
}

/// WeChat Work's checks (work reference §1): CorpID, then the app's secret (40001 there).
fn corp_credentials(corpid: Option<String>, corpsecret: Option<String>) -> Option<Response> {
    if corpid.as_deref() != Some(CORPID) {
        Some(errcode(40013, "invalid corpid"))
    } else if corpsecret.as_deref() != Some(CORP_SECRET) {
        Some(errcode(40001, "invalid credential"))
    } else {
        None
    }
}

/// The business endpoints' answers once the token is good.
fn business(request: &Received) -> Response {
    match request.path.as_str() {
        UPLOAD => Response::json(format!(
            r#"{{"type":"{}","media_id":"{UPLOADED_MEDIA_ID}","created_at":1700000000}}"#,
            request.query_param("type").unwrap_or_default()
        )),
        MEDIA_GET => match request.query_param("media_id").as_deref() {
            Some(IMAGE_MEDIA_ID) => Response::new(200, "image/jpeg", IMAGE_BYTES).with_header(
                "Content-disposition",
                format!(r#"attachment; filename="{IMAGE_MEDIA_ID}.jpg""#),
            ),
            Some(LARGE_MEDIA_ID) => Response::new(200, "application/octet-stream", large_file())
                .with_header(
                    "Content-disposition",
                    format!(r#"attachment; filename="{LARGE_MEDIA_ID}.bin""#),
                ),
            Some(VIDEO_MEDIA_ID) => Response::json(format!(r#"{{"video_url":"{VIDEO_URL}"}}"#)),
            // WeChat labels some JSON errors text/plain: the SDK must not trust the type.
            _ => Response::new(200, "text/plain", errcode_body(40007, "invalid media_id")),
        },
        _ => Response::json(r#"{"errcode":0,"errmsg":"ok"}"#),
    }
}

/// An errcode answer.
fn errcode(code: i64, message: &str) -> Response {
    Response::json(errcode_body(code, message))
}

/// `{"errcode":code,"errmsg":"message rid: ..."}`, with the trace suffix WeChat adds.
fn errcode_body(code: i64, message: &str) -> String {
    format!(r#"{{"errcode":{code},"errmsg":"{message} rid: 6650b1c2-3d4e5f60-7a8b9c0d"}}"#)
}
