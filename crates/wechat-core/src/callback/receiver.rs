//! The server side of a callback URL: verification, pushed messages, passive replies.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use serde::Serialize;
use wechat_types::common::EncryptedPush;

use super::inbound::{decode, sniff};
use super::signature;
use super::{CallbackError, CallbackQuery, Decrypted, InboundPlatform, MsgCrypt, PayloadFormat};
use crate::{AppPlatform, Clock, MiniProgram, OfficialAccount, Secret, SystemClock, Work};

/// The server side of one app's callback URL, for surface `P`.
///
/// It answers WeChat's URL verification, turns a pushed request (raw query string and body)
/// into a typed message after checking its signature (and decrypting it in safe mode), and
/// seals passive replies the way the request came. Build it with
/// [`official_account`](Receiver::official_account), [`mini_program`](Receiver::mini_program)
/// or [`work`](Receiver::work).
///
/// ```
/// use wechat_core::callback::Receiver;
/// use wechat_types::mp::InboundMessage;
///
/// let receiver = Receiver::official_account("TOKEN");
/// let query = "signature=fd6b9a4e10d43734af66ba0c6bda74d8e8fb2d1d&timestamp=1714037059&nonce=486452656";
/// let body = "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[OPENID]]></FromUserName>\
///             <CreateTime>1714037059</CreateTime><MsgType><![CDATA[text]]></MsgType>\
///             <Content><![CDATA[hello]]></Content><MsgId>1</MsgId></xml>";
/// # let query = &format!("signature={}&timestamp=1714037059&nonce=486452656",
/// #     wechat_core::callback::plain_signature("TOKEN", "1714037059", "486452656"));
/// let push = receiver.receive(query, body.as_bytes())?;
/// let InboundMessage::Text(text) = &push.message else { panic!("a text message") };
/// assert_eq!(text.content, "hello");
/// # Ok::<(), wechat_core::callback::CallbackError>(())
/// ```
pub struct Receiver<P: InboundPlatform> {
    token: Secret,
    crypt: Option<MsgCrypt>,
    encryption_required: bool,
    tolerance: Option<Duration>,
    clock: Arc<dyn Clock>,
    platform: PhantomData<fn() -> P>,
}

impl Receiver<OfficialAccount> {
    /// An Official Account receiver in plain mode (明文); add the EncodingAESKey with
    /// [`with_encoding_aes_key`](Receiver::with_encoding_aes_key) for the compatible and safe
    /// modes.
    pub fn official_account(token: impl Into<Secret>) -> Self {
        Receiver::plain(token.into())
    }
}

impl Receiver<MiniProgram> {
    /// A Mini Program receiver in plain mode; add the EncodingAESKey with
    /// [`with_encoding_aes_key`](Receiver::with_encoding_aes_key) for the safe mode. XML and
    /// JSON pushes are both accepted (the format is the app's setting).
    pub fn mini_program(token: impl Into<Secret>) -> Self {
        Receiver::plain(token.into())
    }
}

impl Receiver<Work> {
    /// A WeChat Work receiver: every request is encrypted. `receive_id` is the corp id for an
    /// app's own callbacks (the suite id for a third-party suite, empty for some third-party
    /// apps: reference §16.1).
    pub fn work(
        token: impl Into<Secret>,
        encoding_aes_key: &str,
        receive_id: impl Into<String>,
    ) -> Result<Self, CallbackError> {
        let token = token.into();
        let crypt = MsgCrypt::new(token.clone(), encoding_aes_key, receive_id)?;
        Ok(Receiver {
            crypt: Some(crypt),
            encryption_required: true,
            ..Receiver::plain(token)
        })
    }
}

impl<P: InboundPlatform + AppPlatform> Receiver<P> {
    /// Adds the EncodingAESKey, for safe-mode (安全) and compatible-mode (兼容) requests; the
    /// receive id is the appid. Plain requests are still accepted unless
    /// [`require_encryption`](Receiver::require_encryption) is set.
    pub fn with_encoding_aes_key(
        mut self,
        encoding_aes_key: &str,
        appid: impl Into<String>,
    ) -> Result<Self, CallbackError> {
        self.crypt = Some(MsgCrypt::new(self.token.clone(), encoding_aes_key, appid)?);
        Ok(self)
    }

    /// Refuses plain-mode pushes ([`CallbackError::EncryptionRequired`]): for an app set to
    /// safe mode, so that nothing but encrypted messages is ever handled.
    pub fn require_encryption(mut self) -> Self {
        self.encryption_required = true;
        self
    }
}

impl<P: InboundPlatform> Receiver<P> {
    fn plain(token: Secret) -> Self {
        Receiver {
            token,
            crypt: None,
            encryption_required: false,
            tolerance: None,
            clock: Arc::new(SystemClock),
            platform: PhantomData,
        }
    }

    /// Refuses requests whose `timestamp` is further than `tolerance` from now
    /// ([`CallbackError::StaleTimestamp`]): a replayed request is then refused once the window
    /// has passed. WeChat retries a push three times within about 15 s, so a few minutes is a
    /// safe tolerance. Off by default, as in the official samples.
    pub fn with_timestamp_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = Some(tolerance);
        self
    }

    /// The clock for the timestamp tolerance and for the `TimeStamp` of sealed replies.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The crypto of this receiver, when it has an EncodingAESKey.
    pub fn crypt(&self) -> Option<&MsgCrypt> {
        self.crypt.as_ref()
    }

    /// Answers WeChat's URL verification (a `GET` with `echostr`): returns the exact body to
    /// respond with. The Official Account and the Mini Program sign token, timestamp and nonce
    /// and expect `echostr` back as is; WeChat Work signs the encrypted `echostr` and expects it
    /// decrypted (reference §16).
    pub fn verify_url(&self, query: &CallbackQuery) -> Result<String, CallbackError> {
        let timestamp = query.required_timestamp()?;
        let nonce = query.required_nonce()?;
        let echostr = query.required_echostr()?;
        if P::ALWAYS_ENCRYPTED {
            let crypt = self.configured_crypt()?;
            let decrypted = crypt.verify_and_decrypt(
                query.required_msg_signature()?,
                timestamp,
                nonce,
                &echostr,
            )?;
            self.check_timestamp(timestamp)?;
            return Ok(decrypted.into_message());
        }
        self.verify_plain(query.required_signature()?, timestamp, nonce)?;
        self.check_timestamp(timestamp)?;
        Ok(echostr.into_owned())
    }

    /// Checks a pushed request and returns its message as text, decrypted if it came
    /// encrypted, with the format it is in.
    pub fn open(&self, query: &CallbackQuery<'_>, body: &[u8]) -> Result<Opened, CallbackError> {
        let checked = self.check(query, body)?;
        Ok(Opened {
            text: match checked.text {
                Text::Plain(text) => text.to_owned(),
                Text::Decrypted(decrypted) => decrypted.into_message(),
            },
            format: checked.format,
            encrypted: checked.encrypted,
            nonce: checked.nonce.to_owned(),
        })
    }

    /// The checks of [`open`](Receiver::open), with the message left where it lies.
    fn check<'a>(
        &self,
        query: &'a CallbackQuery<'_>,
        body: &'a [u8],
    ) -> Result<Checked<'a>, CallbackError> {
        let timestamp = query.required_timestamp()?;
        let nonce = query.required_nonce()?;
        let format = sniff::<P>(body, "envelope")?;
        let encrypted = P::ALWAYS_ENCRYPTED || query.is_encrypted();
        let (text, format) = if encrypted {
            let msg_signature = query.required_msg_signature()?;
            let crypt = self.configured_crypt()?;
            let envelope_text = utf8(body, "envelope", format)?;
            let envelope: EncryptedPush = decode(envelope_text, format, "envelope")?;
            let decrypted =
                crypt.verify_and_decrypt(msg_signature, timestamp, nonce, &envelope.encrypt)?;
            let format = sniff::<P>(decrypted.message().as_bytes(), "message")?;
            (Text::Decrypted(decrypted), format)
        } else {
            if self.encryption_required {
                return Err(CallbackError::EncryptionRequired);
            }
            self.verify_plain(query.required_signature()?, timestamp, nonce)?;
            (Text::Plain(utf8(body, "message", format)?), format)
        };
        self.check_timestamp(timestamp)?;
        Ok(Checked {
            text,
            format,
            encrypted,
            nonce,
        })
    }

    /// Checks a pushed request and decodes its message: the one call from a raw query string
    /// (without the `?`) and body to a typed message.
    ///
    /// A message type this version does not model arrives as the `Unknown` variant with every
    /// member; a known type that does not match its schema is a [`CallbackError::Parse`].
    pub fn receive(&self, raw_query: &str, body: &[u8]) -> Result<Push<P::Inbound>, CallbackError> {
        self.receive_query(&CallbackQuery::parse(raw_query)?, body)
    }

    /// [`receive`](Receiver::receive) with a query already read.
    pub fn receive_query(
        &self,
        query: &CallbackQuery<'_>,
        body: &[u8],
    ) -> Result<Push<P::Inbound>, CallbackError> {
        let checked = self.check(query, body)?;
        let text = match &checked.text {
            Text::Plain(text) => text,
            Text::Decrypted(decrypted) => decrypted.message(),
        };
        let message = decode(text, checked.format, "message")?;
        Ok(Push {
            message,
            format: checked.format,
            encrypted: checked.encrypted,
            nonce: checked.nonce.to_owned(),
        })
    }

    /// The body answering `push` with a passive reply given as text (XML, or JSON for a JSON
    /// push): returned as is to a plain request, sealed (encrypted, signed, with the request's
    /// nonce and the current time) to an encrypted one.
    ///
    /// To answer nothing, respond with an empty body or `success` instead: those need no
    /// sealing.
    pub fn reply<M>(&self, push: &Push<M>, reply: &str) -> Result<String, CallbackError> {
        if !push.encrypted {
            return Ok(reply.to_owned());
        }
        let timestamp = unix_seconds(&*self.clock);
        self.configured_crypt()?
            .seal(reply, push.format, timestamp, &push.nonce)
    }

    /// [`reply`](Receiver::reply) with a typed reply (such as
    /// [`PassiveReply`](wechat_types::mp::PassiveReply)), written in the push's format.
    pub fn reply_with<M, R: Serialize>(
        &self,
        push: &Push<M>,
        reply: &R,
    ) -> Result<String, CallbackError> {
        let text = match push.format {
            PayloadFormat::Xml => {
                wechat_types::xml::to_string(reply).map_err(|e| CallbackError::ReplyEnvelope {
                    reason: format!("the reply cannot be written as XML: {e}"),
                })?
            }
            PayloadFormat::Json => {
                serde_json::to_string(reply).map_err(|e| CallbackError::ReplyEnvelope {
                    reason: format!("the reply cannot be written as JSON: {e}"),
                })?
            }
        };
        self.reply(push, &text)
    }

    fn configured_crypt(&self) -> Result<&MsgCrypt, CallbackError> {
        self.crypt.as_ref().ok_or(CallbackError::InvalidAesKey {
            reason: "an encrypted request came, and no EncodingAESKey is configured",
        })
    }

    fn verify_plain(
        &self,
        signature: &str,
        timestamp: &str,
        nonce: &str,
    ) -> Result<(), CallbackError> {
        let expected = signature::plain_digest(self.token.expose(), timestamp, nonce);
        signature::verify(signature, &expected)
    }

    fn check_timestamp(&self, timestamp: &str) -> Result<(), CallbackError> {
        let Some(tolerance) = self.tolerance else {
            return Ok(());
        };
        let stale = || CallbackError::StaleTimestamp {
            timestamp: timestamp.chars().take(32).collect(),
            tolerance_secs: tolerance.as_secs(),
        };
        let sent: i64 = timestamp.trim().parse().map_err(|_| stale())?;
        let now = unix_seconds(&*self.clock);
        if now.abs_diff(sent) > tolerance.as_secs() {
            return Err(stale());
        }
        Ok(())
    }
}

impl<P: InboundPlatform> fmt::Debug for Receiver<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("platform", &P::KIND)
            .field("token", &self.token)
            .field("crypt", &self.crypt)
            .field("encryption_required", &self.encryption_required)
            .field("tolerance", &self.tolerance)
            .finish_non_exhaustive()
    }
}

impl<P: InboundPlatform> Clone for Receiver<P> {
    fn clone(&self) -> Self {
        Receiver {
            token: self.token.clone(),
            crypt: self.crypt.clone(),
            encryption_required: self.encryption_required,
            tolerance: self.tolerance,
            clock: Arc::clone(&self.clock),
            platform: PhantomData,
        }
    }
}

/// A checked request's message, where it lies.
enum Text<'a> {
    /// The body itself, in plain mode.
    Plain(&'a str),
    /// Decrypted from the envelope.
    Decrypted(Decrypted),
}

/// What the checks of a request found.
struct Checked<'a> {
    text: Text<'a>,
    format: PayloadFormat,
    encrypted: bool,
    nonce: &'a str,
}

/// A checked (and decrypted) pushed message, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Opened {
    /// The message: an `<xml>` record, or a JSON object for the Mini Program's JSON setting.
    pub text: String,
    /// The message's format.
    pub format: PayloadFormat,
    /// Whether the request came encrypted (so a passive reply must be sealed).
    pub encrypted: bool,
    /// The request's nonce, reused by a sealed reply.
    pub nonce: String,
}

/// A checked, decoded pushed message.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Push<M> {
    /// The message.
    pub message: M,
    /// The format it came in (and a passive reply goes in).
    pub format: PayloadFormat,
    /// Whether the request came encrypted (so a passive reply must be sealed).
    pub encrypted: bool,
    /// The request's nonce, reused by a sealed reply.
    pub nonce: String,
}

/// The plain `signature` WeChat puts on Official Account and Mini Program requests: SHA-1 over
/// the sorted token, timestamp and nonce, as 40 lowercase hex digits. For tests and emulators
/// that play WeChat.
pub fn plain_signature(token: &str, timestamp: &str, nonce: &str) -> String {
    signature::to_hex(&signature::plain_digest(token, timestamp, nonce))
}

fn utf8<'a>(
    document: &'a [u8],
    what: &'static str,
    format: PayloadFormat,
) -> Result<&'a str, CallbackError> {
    std::str::from_utf8(document).map_err(|e| CallbackError::Parse {
        what,
        format,
        reason: format!("not UTF-8 ({e})"),
    })
}

fn unix_seconds(clock: &dyn Clock) -> i64 {
    clock.now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| {
        i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
    })
}
