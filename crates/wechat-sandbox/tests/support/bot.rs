//! A bot's callback server for the push tests: it checks every push with wechat-core's
//! `Receiver` (signature, decryption), keeps what it received, and answers as the test says.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use wechat_core::OfficialAccount;
use wechat_core::callback::{Push, Receiver};
use wechat_core::types::mp::{InboundMessage, MessageHeader};

use super::served::Served;

/// What the bot answers to a push.
#[derive(Debug, Clone)]
pub enum Answer {
    /// `success`.
    Success,
    /// An empty body.
    Empty,
    /// This passive reply, given as plain XML (sealed by the receiver when the push came
    /// encrypted).
    Reply(String),
    /// This passive reply, exactly as given (never sealed).
    Raw(String),
    /// This HTTP status.
    Status(u16),
    /// Nothing for this long (past the sandbox's push timeout).
    Hang(Duration),
}

/// What the bot saw.
#[derive(Debug, Default)]
pub struct Seen {
    /// Every push that passed the receiver's checks.
    pub pushes: Vec<Push<InboundMessage>>,
    /// Every raw query string.
    pub queries: Vec<String>,
    /// Every raw body.
    pub bodies: Vec<String>,
    /// The receiver's refusals.
    pub refusals: Vec<String>,
}

type Answering = Arc<dyn Fn(&Push<InboundMessage>) -> Answer + Send + Sync>;

struct State_ {
    receiver: Receiver<OfficialAccount>,
    answer: Answering,
    seen: Mutex<Seen>,
}

/// A callback server on 127.0.0.1, on a runtime of its own; dropping it stops it.
pub struct Bot {
    served: Served,
    state: Arc<State_>,
}

impl Bot {
    /// A bot that checks pushes with `receiver` and answers with `answer`.
    pub fn start(
        receiver: Receiver<OfficialAccount>,
        answer: impl Fn(&Push<InboundMessage>) -> Answer + Send + Sync + 'static,
    ) -> Self {
        let state = Arc::new(State_ {
            receiver,
            answer: Arc::new(answer),
            seen: Mutex::new(Seen::default()),
        });
        let app = Router::new()
            .route("/wechat", axum::routing::post(receive))
            .with_state(Arc::clone(&state));
        Bot {
            served: Served::start(app, "/wechat"),
            state,
        }
    }

    /// The callback URL.
    pub fn url(&self) -> &str {
        self.served.url()
    }

    /// What the bot saw so far.
    pub fn seen<T>(&self, read: impl FnOnce(&Seen) -> T) -> T {
        read(&self.state.seen.lock().unwrap())
    }

    /// Waits until the bot has seen `count` pushes (session events arrive in the background).
    pub fn wait_for_pushes(&self, count: usize) -> Vec<Push<InboundMessage>> {
        for _ in 0..400 {
            let pushes = self.seen(|seen| seen.pushes.clone());
            if pushes.len() >= count {
                return pushes;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!(
            "the bot never saw {count} pushes: {:?}",
            self.seen(|seen| seen.pushes.len())
        );
    }
}

async fn receive(
    State(state): State<Arc<State_>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let query = query.unwrap_or_default();
    let push = state.receiver.receive(&query, &body);
    let answer = {
        let mut seen = state.seen.lock().unwrap();
        seen.queries.push(query);
        seen.bodies
            .push(String::from_utf8_lossy(&body).into_owned());
        match &push {
            Ok(push) => seen.pushes.push(push.clone()),
            Err(error) => seen.refusals.push(error.to_string()),
        }
        match &push {
            Ok(push) => (state.answer)(push),
            Err(_) => Answer::Status(400),
        }
    };
    match answer {
        Answer::Success => "success".into_response(),
        Answer::Empty => "".into_response(),
        Answer::Reply(xml) => match push.as_ref().map(|push| state.receiver.reply(push, &xml)) {
            Ok(Ok(sealed)) => sealed.into_response(),
            _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        Answer::Raw(body) => body.into_response(),
        Answer::Status(status) => StatusCode::from_u16(status).unwrap().into_response(),
        Answer::Hang(delay) => {
            tokio::time::sleep(delay).await;
            "success".into_response()
        }
    }
}

/// The header of a pushed user message.
pub fn header(message: &InboundMessage) -> &MessageHeader {
    match message {
        InboundMessage::Text(message) => &message.header,
        InboundMessage::Image(message) => &message.header,
        InboundMessage::Voice(message) => &message.header,
        InboundMessage::Video(message) => &message.header,
        InboundMessage::ShortVideo(message) => &message.header,
        InboundMessage::Location(message) => &message.header,
        InboundMessage::Link(message) => &message.header,
        other => panic!("not a user message: {other:?}"),
    }
}

/// A passive reply to `push` (to its sender, from the account) of type `msgtype` with the
/// members `rest`.
pub fn reply_xml(push: &Push<InboundMessage>, msgtype: &str, rest: &str) -> String {
    let header = header(&push.message);
    addressed_xml(&header.from_user_name, &header.to_user_name, msgtype, rest)
}

/// A passive reply of type `msgtype` with the members `rest`, addressed as given. Its
/// `CreateTime` is [`T0`](super::T0): WeChat does not check it.
pub fn addressed_xml(to: &str, from: &str, msgtype: &str, rest: &str) -> String {
    format!(
        "<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[{from}]]></FromUserName>\
         <CreateTime>{t0}</CreateTime><MsgType><![CDATA[{msgtype}]]></MsgType>{rest}</xml>",
        t0 = super::T0,
    )
}

/// A text reply to `push`.
pub fn text_reply(push: &Push<InboundMessage>, content: &str) -> String {
    reply_xml(
        push,
        "text",
        &format!("<Content><![CDATA[{content}]]></Content>"),
    )
}

/// `transfer_customer_service` in answer to `push`, to kf `kf` if one is named.
pub fn transfer_reply(push: &Push<InboundMessage>, kf: Option<&str>) -> String {
    let info = kf.map_or_else(String::new, |kf| {
        format!("<TransInfo><KfAccount><![CDATA[{kf}]]></KfAccount></TransInfo>")
    });
    reply_xml(push, "transfer_customer_service", &info)
}
