//! `POST /cgi-bin/message/custom/send` (reference §2): the body read against the schema, then
//! WeChat's checks in order, then delivery and a chat record.

use serde_json::Value;
use wechat_types::ValidationError;
use wechat_types::common::Errcode;
use wechat_types::mp::{CustomMessage, CustomMessageContent};

use super::{ApiRequest, Handled};
use crate::model::records::{KF_SENT, record_text};
use crate::model::{World, secs};
use crate::wire::{self, Answer, Refusal};

/// Sends a custom message:
///
/// 1. the body: 44002 when empty, 47001 when malformed, of a wrong type or (strict) with an
///    unknown member, 40008 for an unknown `msgtype`; the documented limits: 40003 for an empty
///    `touser`, 44004 for empty text, 45008 for more than one article, 40007 for an empty
///    media id, 65401 for a malformed `customservice.kf_account`;
/// 2. the user: 40003 when the app has no such user;
/// 3. the kf account it is sent as: 65401 when it does not exist;
/// 4. the media it names: 40007 when unknown or expired;
/// 5. the window: 45015 when closed (or the user unfollowed), 45047 when its 5 messages are
///    used up.
pub(super) fn send(world: &mut World, app: usize, request: &ApiRequest) -> Handled {
    deliver(world, app, request).map(|()| Answer::Ok).into()
}

fn deliver(world: &mut World, app: usize, request: &ApiRequest) -> Result<(), Refusal> {
    let message = read(world, request)?;
    let now = world.now();
    let lifetime = secs(world.rules.media_lifetime_secs);
    let state = &mut world.apps[app];
    state.user(&message.touser)?;
    let kf_account = message
        .customservice
        .as_ref()
        .map(|service| service.kf_account.as_str().to_owned());
    if let Some(kf) = &kf_account {
        state.kf.get(kf)?;
    }
    for media_id in media_ids(&message.content) {
        state.media.get(media_id, now, lifetime)?;
    }
    let user = state.user_mut(&message.touser)?;
    user.may_receive(now)?;

    let (msgtype, payload) = split(&message.content)?;
    let worker = user
        .session
        .kf_wrote(now, kf_account.as_deref())
        .or_else(|| kf_account.clone());
    let text = record_text(&msgtype, text_of(&message.content));
    user.receive_custom(now, msgtype, kf_account, payload);
    let time = crate::clock::unix_seconds(now) as i64;
    state
        .records
        .push(&message.touser, KF_SENT, text, time, worker);
    Ok(())
}

/// The body as a [`CustomMessage`], refused the way WeChat refuses it.
fn read(world: &World, request: &ApiRequest) -> Result<CustomMessage, Refusal> {
    let body = wire::parse_value(&request.body)?;
    match body.get("msgtype") {
        Some(Value::String(msgtype)) if is_known(msgtype) => {}
        Some(Value::String(msgtype)) => {
            return Err(Refusal::hint(
                Errcode::INVALID_MESSAGE_TYPE,
                format!("unknown msgtype `{msgtype}`"),
            ));
        }
        _ => return Err(Refusal::hint(Errcode::INVALID_MESSAGE_TYPE, "no msgtype")),
    }
    wire::read_json(&request.body, world.strict_json, limit)
}

/// Whether the schema knows `msgtype`: a message of that type with an empty payload reads as
/// a [`CustomMessageContent`] or fails on the payload, never on the tag.
fn is_known(msgtype: &str) -> bool {
    let probe = serde_json::json!({"msgtype": msgtype});
    match serde_json::from_value::<CustomMessageContent>(probe) {
        Ok(_) => true,
        Err(e) => !e.to_string().starts_with("unknown variant"),
    }
}

/// The errcode WeChat gives a broken documented limit.
fn limit(error: &ValidationError) -> Refusal {
    let path = error.path();
    let code = if path == "touser" {
        Errcode::INVALID_OPENID
    } else if path == "text.content" {
        Errcode::EMPTY_CONTENT
    } else if path.ends_with(".articles") {
        Errcode::ARTICLE_SIZE_OUT_OF_LIMIT
    } else if path == "customservice.kf_account" {
        Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
    } else if path.ends_with("media_id") {
        Errcode::INVALID_MEDIA_ID
    } else {
        Errcode::DATA_FORMAT_ERROR
    };
    Refusal::hint(code, error.to_string())
}

/// The temporary media a message names, which must exist and be at most 3 days old.
/// (`mpnews` names permanent material, which the sandbox does not hold.)
fn media_ids(content: &CustomMessageContent) -> Vec<&str> {
    match content {
        CustomMessageContent::Image { image } => vec![&image.media_id],
        CustomMessageContent::Voice { voice } => vec![&voice.media_id],
        CustomMessageContent::Video { video } => vec![&video.media_id, &video.thumb_media_id],
        CustomMessageContent::Music { music } => vec![&music.thumb_media_id],
        CustomMessageContent::MiniProgramPage { miniprogrampage } => {
            vec![&miniprogrampage.thumb_media_id]
        }
        _ => Vec::new(),
    }
}

/// The text of a text message, for its chat record.
fn text_of(content: &CustomMessageContent) -> Option<&str> {
    match content {
        CustomMessageContent::Text { text } => Some(&text.content),
        _ => None,
    }
}

/// The `msgtype` and its payload, as they went on the wire.
fn split(content: &CustomMessageContent) -> Result<(String, Value), Refusal> {
    let mut value = serde_json::to_value(content)
        .map_err(|e| Refusal::hint(Errcode::DATA_FORMAT_ERROR, e.to_string()))?;
    let msgtype = value
        .get("msgtype")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let payload = value.get_mut(&msgtype).map(Value::take).unwrap_or_default();
    Ok((msgtype, payload))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_type_of_the_schema_is_known_and_nothing_else() {
        for msgtype in [
            "text",
            "image",
            "voice",
            "video",
            "music",
            "news",
            "mpnews",
            "mpnewsarticle",
            "msgmenu",
            "wxcard",
            "miniprogrampage",
        ] {
            assert!(is_known(msgtype), "{msgtype}");
        }
        for msgtype in ["link", "file", "TEXT", ""] {
            assert!(!is_known(msgtype), "{msgtype}");
        }
    }
}
