//! Pushing to the account's callback URL, as WeChat does (reference §8; crypto: work
//! reference §16-§17): the XML of a user's message or an event, signed, in plain, compatible
//! or safe mode; at most 3 attempts of 5 seconds each; then the passive reply read (and
//! decrypted and verified in safe mode) and applied: a message delivered to the user, or
//! `transfer_customer_service` putting the user in the kf queue.

use serde_json::Value;
use wechat_core::callback::{MsgCrypt, plain_signature};
use wechat_core::{HttpBackend, HttpRequest, Method};
use wechat_types::common::{EncryptedPush, EncryptedReply};
use wechat_types::mp::{
    InboundEvent, InboundMessage, KfCloseSession, KfCreateSession, MessageHeader, PassiveReply,
};
use wechat_types::xml::{self, Layout};

use crate::config::{CallbackConfig, CallbackMode};
use crate::model::World;
use crate::shared::Shared;
use crate::user_message::PushOutcome;

/// A push waiting to be sent: built under the lock, sent outside it.
#[derive(Debug, Clone)]
pub(crate) struct PushJob {
    pub(crate) app: usize,
    pub(crate) openid: String,
    /// The push as plain XML.
    pub(crate) xml: String,
    /// A user's message (to which `transfer_customer_service` may answer), not an event.
    pub(crate) is_message: bool,
}

/// A kf session event (reference §8.3).
#[derive(Debug, Clone)]
pub(crate) enum SessionEvent {
    /// `kf_create_session` by this kf.
    Create(String),
    /// `kf_close_session` by this kf.
    Close(String),
}

impl PushJob {
    /// The push of a user's message.
    pub(crate) fn message(app: usize, openid: &str, message: &InboundMessage) -> Self {
        PushJob {
            app,
            openid: openid.to_owned(),
            xml: wechat_xml(message),
            is_message: true,
        }
    }

    /// The push of a session event.
    pub(crate) fn session_event(
        world: &World,
        app: usize,
        openid: &str,
        event: SessionEvent,
    ) -> Self {
        let header = header(world, app, openid);
        let event = match event {
            SessionEvent::Create(kf) => {
                InboundEvent::KfCreateSession(KfCreateSession::new(header, kf))
            }
            SessionEvent::Close(kf) => {
                InboundEvent::KfCloseSession(KfCloseSession::new(header, kf))
            }
        };
        PushJob {
            app,
            openid: openid.to_owned(),
            xml: wechat_xml(&InboundMessage::Event(event)),
            is_message: false,
        }
    }
}

/// The header of a push from `openid` to app `app`, now.
pub(crate) fn header(world: &World, app: usize, openid: &str) -> MessageHeader {
    MessageHeader::new(
        &world.apps[app].config.original_id,
        openid,
        world.clock.unix() as i64,
    )
}

/// A pushed message's XML, one element per line, in WeChat's member order (the writer's: the
/// header, then `MsgType` and `Event`, then the rest).
pub(crate) fn wechat_xml(message: &InboundMessage) -> String {
    xml::to_string_with(message, Layout::Lines)
        .unwrap_or_else(|e| format!("<xml><!-- {e} --></xml>"))
}

/// Sends `job` to its app's callback and applies the reply. Returns the number of attempts
/// and what came of it.
pub(crate) async fn deliver(shared: &Shared, job: &PushJob) -> (u32, PushOutcome) {
    let (callback, appid, original_id, attempts, timestamp) = {
        let world = shared.world();
        let app = &world.apps[job.app].config;
        (
            app.callback.clone(),
            app.appid.clone(),
            app.original_id.clone(),
            world.rules.push_attempts.max(1),
            world.clock.unix(),
        )
    };
    let Some(callback) = callback else {
        return (0, PushOutcome::NotPushed);
    };
    let crypt = match crypt_of(&callback, &appid) {
        Ok(crypt) => crypt,
        Err(reason) => return (0, PushOutcome::Failed { error: reason }),
    };
    let request = match signed_request(
        &callback,
        crypt.as_ref(),
        &job.xml,
        &job.openid,
        &original_id,
        timestamp,
    ) {
        Ok(request) => request,
        Err(error) => return (0, PushOutcome::Failed { error }),
    };
    let mut last_error = String::new();
    for attempt in 1..=attempts {
        match shared.pusher.send(request.clone()).await {
            Ok(response) if response.is_success() => {
                let outcome = match read_reply(response.body(), &callback, crypt.as_ref()) {
                    Ok(reply) => apply(shared, job, &original_id, reply),
                    Err(reason) => PushOutcome::Invalid { reason },
                };
                if let PushOutcome::Invalid { reason } = &outcome {
                    tracing::warn!(%reason, "wechat-sandbox: the callback's reply is unusable");
                }
                return (attempt, outcome);
            }
            Ok(response) => last_error = format!("HTTP {}", response.status()),
            Err(error) => last_error = error.to_string(),
        }
        tracing::debug!(attempt, error = %last_error, "wechat-sandbox: push failed");
    }
    (attempts, PushOutcome::Failed { error: last_error })
}

/// The crypto of an encrypted callback (`None` in plain mode).
fn crypt_of(callback: &CallbackConfig, appid: &str) -> Result<Option<MsgCrypt>, String> {
    if callback.mode == CallbackMode::Plain {
        return Ok(None);
    }
    let key = callback
        .encoding_aes_key
        .as_ref()
        .ok_or("the callback has no encoding_aes_key")?;
    MsgCrypt::new(callback.token.clone(), key.expose(), appid)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// The POST WeChat sends: `?signature&timestamp&nonce&openid` (and `encrypt_type=aes` with
/// `msg_signature` when encrypted) and the XML, wrapped in safe mode.
fn signed_request(
    callback: &CallbackConfig,
    crypt: Option<&MsgCrypt>,
    xml: &str,
    openid: &str,
    original_id: &str,
    timestamp: u64,
) -> Result<HttpRequest, String> {
    let timestamp = timestamp.to_string();
    let nonce = fastrand::u32(100_000_000..).to_string();
    let mut query = form_urlencoded::Serializer::new(String::new());
    query
        .append_pair(
            "signature",
            &plain_signature(callback.token.expose(), &timestamp, &nonce),
        )
        .append_pair("timestamp", &timestamp)
        .append_pair("nonce", &nonce)
        .append_pair("openid", openid);
    let body = match crypt {
        None => xml.to_owned(),
        Some(crypt) => {
            let encrypt = crypt.encrypt(xml).map_err(|e| e.to_string())?;
            query.append_pair("encrypt_type", "aes").append_pair(
                "msg_signature",
                &crypt.signature(&timestamp, &nonce, &encrypt),
            );
            match callback.mode {
                CallbackMode::Compatible => {
                    let element = format!("<Encrypt><![CDATA[{encrypt}]]></Encrypt>\n</xml>");
                    xml.replacen("</xml>", &element, 1)
                }
                _ => xml::to_string_with(
                    &EncryptedPush::new(encrypt).with_to_user_name(original_id),
                    Layout::Lines,
                )
                .map_err(|e| e.to_string())?,
            }
        }
    };
    let separator = if callback.url.contains('?') { '&' } else { '?' };
    let url = format!("{}{separator}{}", callback.url, query.finish());
    Ok(HttpRequest::new(Method::Post, url)
        .with_header("content-type", "text/xml")
        .with_body(body))
}

/// A passive reply, read: what it is, and whom it claims to be from and to.
#[derive(Debug, Clone, PartialEq)]
struct Addressed {
    to: String,
    from: String,
    reply: Reply,
}

/// What a passive reply asks for.
#[derive(Debug, Clone, PartialEq)]
enum Reply {
    /// `transfer_customer_service`, to this kf if named.
    Transfer(Option<String>),
    /// A reply message: its type and every member but the header.
    Message { msgtype: String, payload: Value },
}

/// Reads the body of the callback's answer (`None` for an empty body or `success`):
/// decrypted and verified when it is encrypted, which safe mode requires.
fn read_reply(
    body: &[u8],
    callback: &CallbackConfig,
    crypt: Option<&MsgCrypt>,
) -> Result<Option<Addressed>, String> {
    let text = std::str::from_utf8(body).map_err(|_| "the reply is not UTF-8".to_owned())?;
    let text = text.trim();
    if text.is_empty() || text == "success" {
        return Ok(None);
    }
    let plain = match crypt {
        Some(crypt) if text.contains("<Encrypt>") => {
            let sealed: EncryptedReply =
                xml::from_str(text).map_err(|e| format!("encrypted reply: {e}"))?;
            crypt
                .verify_and_decrypt(
                    &sealed.msg_signature,
                    &sealed.time_stamp.to_string(),
                    &sealed.nonce,
                    &sealed.encrypt,
                )
                .map_err(|e| format!("encrypted reply: {e}"))?
                .into_message()
        }
        _ if callback.mode == CallbackMode::Safe => {
            return Err("in safe mode a reply must be encrypted".to_owned());
        }
        _ => text.to_owned(),
    };
    let mut members = xml::to_map(&plain).map_err(|e| format!("reply XML: {e}"))?;
    let mut take = |name: &str| match members.remove(name) {
        Some(Value::String(value)) => Some(value),
        _ => None,
    };
    let msgtype = take("MsgType").ok_or("the reply has no MsgType")?;
    let to = take("ToUserName").ok_or("the reply has no ToUserName")?;
    let from = take("FromUserName").ok_or("the reply has no FromUserName")?;
    members.remove("CreateTime");
    let reply = if msgtype == "transfer_customer_service" {
        match xml::from_str::<PassiveReply>(&plain) {
            Ok(PassiveReply::TransferCustomerService(transfer)) => {
                Reply::Transfer(transfer.trans_info.map(|info| info.kf_account.into_inner()))
            }
            Ok(other) => return Err(format!("unexpected reply {other:?}")),
            Err(e) => return Err(format!("transfer_customer_service: {e}")),
        }
    } else {
        Reply::Message {
            msgtype,
            payload: Value::Object(members),
        }
    };
    Ok(Some(Addressed { to, from, reply }))
}

/// Applies a read reply to the world.
fn apply(
    shared: &Shared,
    job: &PushJob,
    original_id: &str,
    read: Option<Addressed>,
) -> PushOutcome {
    let Some(Addressed { to, from, reply }) = read else {
        return PushOutcome::NoReply;
    };
    if to != job.openid || from != original_id {
        return PushOutcome::Invalid {
            reason: format!(
                "a reply goes to the user ({}) from the account ({original_id}); got ToUserName {to:?}, FromUserName {from:?}",
                job.openid
            ),
        };
    }
    let mut world = shared.world();
    let now = world.now();
    let Some(user) = world.apps[job.app]
        .users
        .iter_mut()
        .find(|user| user.openid == job.openid)
    else {
        return PushOutcome::Invalid {
            reason: format!("the user {} no longer exists", job.openid),
        };
    };
    match reply {
        Reply::Transfer(_) if !job.is_message => PushOutcome::Invalid {
            reason: "transfer_customer_service answers user messages, never events".to_owned(),
        },
        Reply::Transfer(kf) => {
            user.session.transfer(now, kf.clone());
            PushOutcome::Transferred { kf_account: kf }
        }
        Reply::Message { msgtype, payload } => {
            user.receive_passive(now, msgtype.clone(), payload);
            PushOutcome::Replied { msgtype }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wechat_types::mp::InboundText;

    #[test]
    fn pushes_are_written_in_wechat_order() {
        let message = InboundMessage::Text(InboundText::new(
            MessageHeader::new("gh_1", "o1", 1_700_000_000),
            "你好",
            24_000_000_000_000_001,
        ));
        assert_eq!(
            wechat_xml(&message),
            "<xml>\n<ToUserName><![CDATA[gh_1]]></ToUserName>\n<FromUserName><![CDATA[o1]]></FromUserName>\n\
             <CreateTime>1700000000</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n\
             <Content><![CDATA[你好]]></Content>\n<MsgId>24000000000000001</MsgId>\n</xml>"
        );
        let event = InboundMessage::Event(InboundEvent::KfCloseSession(KfCloseSession::new(
            MessageHeader::new("gh_1", "o1", 1),
            "kf1@oa",
        )));
        let written = wechat_xml(&event);
        assert!(
            written.starts_with("<xml>\n<ToUserName>") && written.contains("</CreateTime>\n<MsgType><![CDATA[event]]></MsgType>\n<Event><![CDATA[kf_close_session]]></Event>\n<KfAccount>"),
            "{written}"
        );
        let read: InboundMessage = xml::from_str(&written).unwrap();
        assert_eq!(read, event);
    }

    fn plain() -> CallbackConfig {
        CallbackConfig::plain("http://127.0.0.1:9/cb", "token")
    }

    #[test]
    fn replies_are_read_with_their_addressing() {
        assert_eq!(read_reply(b" success ", &plain(), None), Ok(None));
        assert_eq!(read_reply(b"", &plain(), None), Ok(None));
        let transfer = read_reply(
            b"<xml><ToUserName><![CDATA[o1]]></ToUserName><FromUserName><![CDATA[gh_1]]></FromUserName><CreateTime>1</CreateTime>\
              <MsgType><![CDATA[transfer_customer_service]]></MsgType><TransInfo><KfAccount><![CDATA[kf1@oa]]></KfAccount></TransInfo></xml>",
            &plain(),
            None,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            (transfer.to.as_str(), transfer.from.as_str()),
            ("o1", "gh_1")
        );
        assert_eq!(transfer.reply, Reply::Transfer(Some("kf1@oa".into())));
        let text = read_reply(
            b"<xml><ToUserName>o1</ToUserName><FromUserName>gh_1</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>hi</Content></xml>",
            &plain(),
            None,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            text.reply,
            Reply::Message {
                msgtype: "text".into(),
                payload: serde_json::json!({"Content": "hi"})
            }
        );
    }

    #[test]
    fn unusable_replies_say_why() {
        for (body, why) in [
            (&b"<xml><ToUserName>o1</ToUserName></xml>"[..], "MsgType"),
            (b"not xml", "reply XML"),
            (b"\xff\xfe", "UTF-8"),
            (b"<xml><MsgType>text</MsgType></xml>", "ToUserName"),
            (
                b"<xml><MsgType>text</MsgType><ToUserName>o1</ToUserName></xml>",
                "FromUserName",
            ),
        ] {
            let reason = read_reply(body, &plain(), None).unwrap_err();
            assert!(reason.contains(why), "{reason}");
        }
    }

    #[test]
    fn safe_mode_needs_an_encrypted_reply_and_checks_it() {
        let key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
        let callback = CallbackConfig::safe("http://127.0.0.1:9/cb", "token", key);
        let crypt = MsgCrypt::new("token", key, "wx1").unwrap();
        let reply = "<xml><ToUserName>o1</ToUserName><FromUserName>gh_1</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>hi</Content></xml>";
        let refused = read_reply(reply.as_bytes(), &callback, Some(&crypt)).unwrap_err();
        assert!(refused.contains("encrypted"), "{refused}");
        let sealed = crypt
            .seal(reply, wechat_core::callback::PayloadFormat::Xml, 1, "nonce")
            .unwrap();
        let read = read_reply(sealed.as_bytes(), &callback, Some(&crypt))
            .unwrap()
            .unwrap();
        assert!(matches!(read.reply, Reply::Message { ref msgtype, .. } if msgtype == "text"));
        let forged = sealed.replace("<Nonce><![CDATA[nonce]]>", "<Nonce><![CDATA[other]]>");
        assert!(read_reply(forged.as_bytes(), &callback, Some(&crypt)).is_err());
    }
}
