//! [`Incoming`]: a checked, decoded push and who it is between.

use wechat_core::callback::Push;
use wechat_core::types::mp::{InboundEvent, InboundMessage, MessageHeader};

/// A pushed message that passed the callback's checks, with its addressing at hand.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    push: Push<InboundMessage>,
    openid: String,
    account: String,
    create_time: i64,
}

impl Incoming {
    pub(crate) fn new(push: Push<InboundMessage>) -> Self {
        let (openid, account, create_time) = match header(&push.message) {
            Some(h) => (
                h.from_user_name.clone(),
                h.to_user_name.clone(),
                h.create_time,
            ),
            None => raw_header(&push.message),
        };
        Incoming {
            push,
            openid,
            account,
            create_time,
        }
    }

    /// The message.
    pub fn message(&self) -> &InboundMessage {
        &self.push.message
    }

    /// The OpenID of the user who sent it (`FromUserName`).
    pub fn openid(&self) -> &str {
        &self.openid
    }

    /// The account's original ID, `gh_...` (`ToUserName`).
    pub fn account(&self) -> &str {
        &self.account
    }

    /// When WeChat says it was sent, in Unix seconds.
    pub fn create_time(&self) -> i64 {
        self.create_time
    }

    /// Whether the request came encrypted (and a passive reply is sealed).
    pub fn is_encrypted(&self) -> bool {
        self.push.encrypted
    }

    /// What identifies the push across WeChat's retries: `MsgId` for a user's message,
    /// `FromUserName` and `CreateTime` for an event (as the documentation advises).
    pub fn dedup_key(&self) -> String {
        match msg_id(&self.push.message) {
            Some(id) => id.to_string(),
            None => format!("{}:{}", self.openid, self.create_time),
        }
    }

    /// The push as the receiver returned it (message, format, encryption, nonce).
    pub fn push(&self) -> &Push<InboundMessage> {
        &self.push
    }

    /// The message, taken out.
    pub fn into_message(self) -> InboundMessage {
        self.push.message
    }
}

fn header(message: &InboundMessage) -> Option<&MessageHeader> {
    Some(match message {
        InboundMessage::Text(m) => &m.header,
        InboundMessage::Image(m) => &m.header,
        InboundMessage::Voice(m) => &m.header,
        InboundMessage::Video(m) => &m.header,
        InboundMessage::ShortVideo(m) => &m.header,
        InboundMessage::Location(m) => &m.header,
        InboundMessage::Link(m) => &m.header,
        InboundMessage::Event(InboundEvent::KfCreateSession(e)) => &e.header,
        InboundMessage::Event(InboundEvent::KfCloseSession(e)) => &e.header,
        InboundMessage::Event(InboundEvent::KfSwitchSession(e)) => &e.header,
        _ => return None,
    })
}

/// The header members of a message or event this version does not model, as far as they are
/// there (an empty string or 0 otherwise).
fn raw_header(message: &InboundMessage) -> (String, String, i64) {
    let raw = match message {
        InboundMessage::Unknown(raw) | InboundMessage::Event(InboundEvent::Unknown(raw)) => raw,
        _ => return (String::new(), String::new(), 0),
    };
    let text = |name: &str| {
        raw.get(name)
            .and_then(|value| value.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let create_time = match raw.get("CreateTime") {
        Some(serde_json::Value::Number(n)) => n.as_i64().unwrap_or_default(),
        Some(serde_json::Value::String(s)) => s.trim().parse().unwrap_or_default(),
        _ => 0,
    };
    (text("FromUserName"), text("ToUserName"), create_time)
}

fn msg_id(message: &InboundMessage) -> Option<u64> {
    match message {
        InboundMessage::Text(m) => Some(m.msg_id),
        InboundMessage::Image(m) => Some(m.msg_id),
        InboundMessage::Voice(m) => Some(m.msg_id),
        InboundMessage::Video(m) => Some(m.msg_id),
        InboundMessage::ShortVideo(m) => Some(m.msg_id),
        InboundMessage::Location(m) => Some(m.msg_id),
        InboundMessage::Link(m) => Some(m.msg_id),
        InboundMessage::Unknown(raw) => raw
            .get("MsgId")
            .and_then(|id| id.as_u64().or_else(|| id.as_str()?.trim().parse().ok())),
        _ => None,
    }
}
