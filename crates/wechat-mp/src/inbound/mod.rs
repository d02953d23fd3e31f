//! Pushed messages and passive replies (reference §8): the server side of the account's
//! callback URL.
//!
//! A [`Callback`] checks each request WeChat sends (the signature, and the decryption in safe
//! or compatible mode), decodes the XML into a typed [`InboundMessage`] and writes the passive
//! [`Reply`] back, sealed when the request came encrypted. The HTTP server is yours; the
//! callback takes the raw query string and body and returns the body to answer with.
//!
//! ```
//! use wechat_mp::inbound::{Callback, Reply};
//! use wechat_core::types::mp::InboundMessage;
//!
//! let callback = Callback::plain("TOKEN");
//! # let query = format!("signature={}&timestamp=1714037059&nonce=486452656",
//! #     wechat_core::callback::plain_signature("TOKEN", "1714037059", "486452656"));
//! # let body = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[OPENID]]></FromUserName>\
//! #     <CreateTime>1714037059</CreateTime><MsgType><![CDATA[text]]></MsgType>\
//! #     <Content><![CDATA[人工]]></Content><MsgId>1</MsgId></xml>";
//! // In the POST handler of the callback URL:
//! let answer = callback.handle(&query, body.as_bytes(), |incoming| match incoming.message() {
//!     InboundMessage::Text(text) if text.content == "人工" => Reply::transfer(),
//!     InboundMessage::Text(text) => Reply::text(format!("您说：{}", text.content)),
//!     _ => Reply::success(),
//! })?;
//! assert!(answer.contains("<MsgType><![CDATA[transfer_customer_service]]></MsgType>"));
//! # Ok::<(), wechat_core::callback::CallbackError>(())
//! ```
//!
//! WeChat waits 5 seconds for the answer and tries 3 times in all, so a handler that needs
//! longer answers [`Reply::success`] at once and sends its messages through the
//! custom-message API afterwards ([`Callback::open`], then [`crate::message`]).

mod incoming;
mod reply;

pub use incoming::Incoming;
pub use reply::Reply;

use std::sync::Arc;

use wechat_core::callback::{CallbackError, CallbackQuery, Receiver};
use wechat_core::types::mp::InboundMessage;
use wechat_core::{Clock, OfficialAccount, Secret, SystemClock};

/// The callback URL of one Official Account: URL verification, pushed messages in, passive
/// replies out, in plain (明文), compatible (兼容) and safe (安全) mode alike.
#[derive(Clone)]
pub struct Callback {
    receiver: Receiver<OfficialAccount>,
    clock: Arc<dyn Clock>,
}

impl Callback {
    /// A callback over a configured receiver: add the EncodingAESKey to it
    /// ([`Receiver::with_encoding_aes_key`]) for the compatible and safe modes, and
    /// [`Receiver::require_encryption`] to refuse plain requests.
    pub fn new(receiver: Receiver<OfficialAccount>) -> Self {
        Callback {
            receiver,
            clock: Arc::new(SystemClock),
        }
    }

    /// A callback in plain mode with the token of the account's server configuration.
    pub fn plain(token: impl Into<Secret>) -> Self {
        Callback::new(Receiver::official_account(token))
    }

    /// A callback for the safe mode: plain requests are refused, encrypted ones decrypted with
    /// `encoding_aes_key` and checked to be for `appid`.
    pub fn safe(
        token: impl Into<Secret>,
        encoding_aes_key: &str,
        appid: impl Into<String>,
    ) -> Result<Self, CallbackError> {
        let receiver = Receiver::official_account(token)
            .with_encoding_aes_key(encoding_aes_key, appid)?
            .require_encryption();
        Ok(Callback::new(receiver))
    }

    /// The clock dating replies (`CreateTime`, and the `TimeStamp` of sealed ones).
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.receiver = self.receiver.with_clock(Arc::clone(&clock));
        self.clock = clock;
        self
    }

    /// The receiver checking the requests.
    pub fn receiver(&self) -> &Receiver<OfficialAccount> {
        &self.receiver
    }

    /// Answers WeChat's URL verification (a `GET` with `echostr`): the body to respond with.
    pub fn verify_url(&self, raw_query: &str) -> Result<String, CallbackError> {
        self.receiver.verify_url(&CallbackQuery::parse(raw_query)?)
    }

    /// Checks and decodes a pushed request (the raw query string, without `?`, and the body).
    pub fn open(&self, raw_query: &str, body: &[u8]) -> Result<Incoming, CallbackError> {
        self.receiver.receive(raw_query, body).map(Incoming::new)
    }

    /// The body answering `incoming` with `reply`: as is to a plain request, sealed to an
    /// encrypted one, `success` for [`Reply::success`].
    ///
    /// A message reply goes to the user who wrote, from the account; `transfer_customer_service`
    /// answers user messages only, so answering an event with it is a
    /// [`CallbackError::ReplyEnvelope`] (as is a reply breaking a limit, such as an empty text).
    pub fn respond(&self, incoming: &Incoming, reply: Reply) -> Result<String, CallbackError> {
        let now = wechat_core::Clock::now(&*self.clock);
        match reply.into_passive(incoming, now)? {
            None => Ok("success".to_owned()),
            Some(passive) => self.receiver.reply_with(incoming.push(), &passive),
        }
    }

    /// [`open`](Callback::open), the handler, then [`respond`](Callback::respond): the one call
    /// of a synchronous handler.
    pub fn handle(
        &self,
        raw_query: &str,
        body: &[u8],
        handler: impl FnOnce(&Incoming) -> Reply,
    ) -> Result<String, CallbackError> {
        let incoming = self.open(raw_query, body)?;
        let reply = handler(&incoming);
        self.respond(&incoming, reply)
    }
}

impl std::fmt::Debug for Callback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Callback")
            .field("receiver", &self.receiver)
            .finish_non_exhaustive()
    }
}

/// Whether `message` is a user's message (to which `transfer_customer_service` may answer)
/// rather than an event.
pub(crate) fn is_user_message(message: &InboundMessage) -> bool {
    !matches!(message, InboundMessage::Event(_)) && !is_unknown_event(message)
}

fn is_unknown_event(message: &InboundMessage) -> bool {
    matches!(message, InboundMessage::Unknown(raw)
        if raw.get("MsgType").and_then(|t| t.as_str()) == Some("event"))
}
