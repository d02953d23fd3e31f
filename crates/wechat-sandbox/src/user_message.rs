//! What a simulated user can write to the account, and what became of it.

use serde::{Deserialize, Serialize};

/// A message a simulated user writes (reference §8.2). Media messages carry a small file the
/// sandbox stores as the user's media, so the bot can fetch it with `media/get`.
///
/// The JSON form of the control API is tagged by `type`:
/// `{"type":"text","content":"你好"}`, `{"type":"menu_choice","option_id":"101"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum UserMessage {
    /// A text message.
    Text {
        /// The text.
        content: String,
    },
    /// A picture.
    Image,
    /// A voice message (AMR).
    Voice,
    /// A video, with its cover.
    Video,
    /// A short video, with its cover.
    ShortVideo,
    /// A location.
    Location {
        /// Latitude (`Location_X`).
        latitude: f64,
        /// Longitude (`Location_Y`).
        longitude: f64,
        /// Map zoom (`Scale`).
        #[serde(default = "default_scale")]
        scale: i64,
        /// The place's name (`Label`).
        #[serde(default)]
        label: String,
    },
    /// A shared link.
    Link {
        /// Title.
        title: String,
        /// Description.
        description: String,
        /// URL.
        url: String,
    },
    /// The user taps option `option_id` of a menu message (`msgmenu`) they received: WeChat
    /// pushes a text message with the option's text and `bizmsgmenuid` (reference §2.3).
    MenuChoice {
        /// The option's `id`.
        option_id: String,
    },
}

fn default_scale() -> i64 {
    15
}

impl UserMessage {
    /// [`UserMessage::Text`].
    pub fn text(content: impl Into<String>) -> Self {
        UserMessage::Text {
            content: content.into(),
        }
    }

    /// [`UserMessage::MenuChoice`].
    pub fn menu_choice(option_id: impl Into<String>) -> Self {
        UserMessage::MenuChoice {
            option_id: option_id.into(),
        }
    }
}

/// What became of a message a user wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PushReport {
    /// The `MsgId` of the message.
    pub msg_id: u64,
    /// Where it went.
    pub route: PushRoute,
    /// How many times the callback was tried (0 when it was not pushed).
    pub attempts: u32,
    /// What the callback answered.
    pub outcome: PushOutcome,
}

/// Where a user's message went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "to", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PushRoute {
    /// Pushed to the app's callback URL.
    Callback,
    /// To the kf serving the user (a chat record, no push; reference §8.4).
    Kf {
        /// The kf account.
        kf_account: String,
    },
    /// Nowhere: the app has no callback configured.
    NoCallback,
}

/// What the callback answered to a push.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PushOutcome {
    /// Not pushed (see the route).
    NotPushed,
    /// An empty body or `success`: no passive reply.
    NoReply,
    /// `transfer_customer_service`: the user is now waiting for a kf.
    Transferred {
        /// The kf of `TransInfo`, if one was named.
        #[serde(skip_serializing_if = "Option::is_none")]
        kf_account: Option<String>,
    },
    /// A passive reply message, delivered to the user.
    Replied {
        /// Its `MsgType`.
        msgtype: String,
    },
    /// An answer WeChat cannot use (the user sees "该公众号暂时无法提供服务，请稍后再试").
    Invalid {
        /// What was wrong.
        reason: String,
    },
    /// Every attempt failed (connection refused, timeout, an HTTP error status).
    Failed {
        /// The last attempt's error.
        error: String,
    },
}
