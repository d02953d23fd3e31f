//! Pushes of what simulated users write to a bot's callback URL, checked by wechat-core's
//! `Receiver` in plain, compatible and safe mode, and the bot's passive replies applied:
//! nothing, a message for the user, `transfer_customer_service`, or something WeChat cannot use;
//! retries and failures; refusals by a bot that does not share the secrets (reference §8, §2.1,
//! §3; crypto: work reference §16-§17).

mod support;

use std::collections::HashMap;
use std::time::Duration;

use serde_json::json;
use wechat_core::OfficialAccount;
use wechat_core::callback::{MsgCrypt, PayloadFormat, Push, Receiver};
use wechat_core::endpoints::mp::{AddKfAccount, GetWaitCase, SendCustomMessage, SetTyping};
use wechat_core::types::common::Errcode;
use wechat_core::types::mp::*;
use wechat_sandbox::{
    CallbackConfig, CallbackMode, ControlError, DEFAULT_APPID, DeliveredVia, PushOutcome,
    PushReport, PushRoute, Sandbox, SessionView, UserMessage,
};

use support::bot::{Answer, Bot, addressed_xml, text_reply, transfer_reply};
use support::{Caller, T0, each_backend_with, each_frozen_backend, frozen, secs};

const TOKEN: &str = "push-token-5d2c";
const AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const MODES: [CallbackMode; 3] = [
    CallbackMode::Plain,
    CallbackMode::Compatible,
    CallbackMode::Safe,
];

/// The bot's side of `mode`: the token, and the key for the encrypted modes (required in safe
/// mode).
fn receiver(mode: CallbackMode) -> Receiver<OfficialAccount> {
    let plain = Receiver::official_account(TOKEN);
    match mode {
        CallbackMode::Plain => plain,
        CallbackMode::Compatible => plain.with_encoding_aes_key(AES_KEY, DEFAULT_APPID).unwrap(),
        _ => plain
            .with_encoding_aes_key(AES_KEY, DEFAULT_APPID)
            .unwrap()
            .require_encryption(),
    }
}

/// The sandbox's side of `mode`, pushing to `url`.
fn callback(mode: CallbackMode, url: &str) -> CallbackConfig {
    match mode {
        CallbackMode::Plain => CallbackConfig::plain(url, TOKEN),
        mode => CallbackConfig::safe(url, TOKEN, AES_KEY).with_mode(mode),
    }
}

/// A bot for `mode`, set as the app's callback.
fn bot_for(
    sandbox: &Sandbox,
    mode: CallbackMode,
    answer: impl Fn(&Push<InboundMessage>) -> Answer + Send + Sync + 'static,
) -> Bot {
    let bot = Bot::start(receiver(mode), answer);
    sandbox
        .app()
        .set_callback(Some(callback(mode, bot.url())))
        .unwrap();
    bot
}

/// The query string's parameters.
fn params(query: &str) -> HashMap<String, String> {
    form_urlencoded::parse(query.as_bytes())
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}

fn is_wechat_media_id(media_id: &str) -> bool {
    media_id.len() == 64
        && media_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn assert_pushed(report: &PushReport, outcome: PushOutcome) {
    assert_eq!(report.route, PushRoute::Callback, "{report:?}");
    assert_eq!(report.attempts, 1, "{report:?}");
    assert_eq!(report.outcome, outcome, "{report:?}");
}

/// The push WeChat makes of `sent`, with the media ids and `PicUrl` the push carries (checked
/// for their shape here).
fn expected(
    sandbox: &Sandbox,
    sent: &UserMessage,
    header: MessageHeader,
    msg_id: u64,
    pushed: &InboundMessage,
) -> InboundMessage {
    let media = |media_id: &str| {
        assert!(is_wechat_media_id(media_id), "{media_id}");
        media_id.to_owned()
    };
    match (sent, pushed) {
        (UserMessage::Text { content }, _) => InboundText::new(header, content, msg_id).into(),
        (UserMessage::Image, InboundMessage::Image(image)) => {
            let pic_url = image.pic_url.clone().expect("an image has a PicUrl");
            assert!(pic_url.starts_with(sandbox.url()), "{pic_url}");
            assert!(pic_url.ends_with(&image.media_id), "{pic_url}");
            InboundImage::new(header, media(&image.media_id), msg_id)
                .with_pic_url(pic_url)
                .into()
        }
        (UserMessage::Voice, InboundMessage::Voice(voice)) => {
            InboundVoice::new(header, media(&voice.media_id), msg_id)
                .with_format("amr")
                .into()
        }
        (UserMessage::Video, InboundMessage::Video(video)) => {
            let thumb = video.thumb_media_id.as_deref().expect("a thumb");
            InboundVideo::new(header, media(&video.media_id), msg_id)
                .with_thumb_media_id(media(thumb))
                .into()
        }
        (UserMessage::ShortVideo, InboundMessage::ShortVideo(video)) => {
            let thumb = video.thumb_media_id.as_deref().expect("a thumb");
            InboundShortVideo::new(header, media(&video.media_id), msg_id)
                .with_thumb_media_id(media(thumb))
                .into()
        }
        (
            UserMessage::Location {
                latitude,
                longitude,
                scale,
                label,
            },
            _,
        ) => InboundLocation::new(header, *latitude, *longitude, msg_id)
            .with_scale(*scale)
            .with_label(label)
            .into(),
        (
            UserMessage::Link {
                title,
                description,
                url,
            },
            _,
        ) => InboundLink::new(header, url, msg_id)
            .with_title(title)
            .with_description(description)
            .into(),
        (sent, pushed) => panic!("{sent:?} was pushed as {pushed:?}"),
    }
}

/// Checks the raw request of a push in `mode`: the query WeChat signs, and a body that shows
/// the message only when the mode allows.
fn check_envelope(sandbox: &Sandbox, mode: CallbackMode, query: &str, body: &str, openid: &str) {
    let params = params(query);
    let original_id = sandbox.app().original_id();
    assert_eq!(params["timestamp"], sandbox.clock().unix().to_string());
    assert_eq!(params["openid"], openid);
    assert!(!params["nonce"].is_empty());
    assert_eq!(params["signature"].len(), 40, "{query}");
    let plaintext = format!("<FromUserName><![CDATA[{openid}]]></FromUserName>");
    let addressed = format!("<ToUserName><![CDATA[{original_id}]]></ToUserName>");
    assert!(body.contains(&addressed), "{body}");
    match mode {
        CallbackMode::Plain => {
            assert!(!params.contains_key("encrypt_type"), "{query}");
            assert!(!params.contains_key("msg_signature"), "{query}");
            assert!(body.contains(&plaintext), "{body}");
            assert!(!body.contains("<Encrypt>"), "{body}");
        }
        CallbackMode::Compatible => {
            assert_eq!(params["encrypt_type"], "aes");
            assert_eq!(params["msg_signature"].len(), 40, "{query}");
            assert!(body.contains(&plaintext), "{body}");
            assert!(body.contains("<Encrypt><![CDATA["), "{body}");
        }
        _ => {
            assert_eq!(params["encrypt_type"], "aes");
            assert_eq!(params["msg_signature"].len(), 40, "{query}");
            assert!(body.contains("<Encrypt><![CDATA["), "{body}");
            for plain in [
                openid,
                "<FromUserName>",
                "<MsgType>",
                "<CreateTime>",
                "<MsgId>",
            ] {
                assert!(!body.contains(plain), "{plain} in {body}");
            }
        }
    }
}

/// Every kind of user message reaches a bot of `mode` as its typed message.
fn every_kind_reaches(sandbox: &Sandbox, caller: &Caller, mode: CallbackMode) {
    let app = sandbox.app();
    let bot = bot_for(sandbox, mode, |_| Answer::Success);
    let openid = app.create_user("Ann").unwrap();
    let kinds = [
        UserMessage::text("你好，<在吗>？ & ]]> 再见"),
        UserMessage::Image,
        UserMessage::Voice,
        UserMessage::Video,
        UserMessage::ShortVideo,
        UserMessage::Location {
            latitude: 23.134521,
            longitude: 113.358803,
            scale: 20,
            label: "广州塔".into(),
        },
        UserMessage::Link {
            title: "公众平台".into(),
            description: "开发文档".into(),
            url: "https://developers.weixin.qq.com/doc?a=1&b=2".into(),
        },
    ];
    let mut msg_ids = Vec::new();
    for (i, sent) in kinds.iter().enumerate() {
        sandbox.advance(secs(7));
        let report = app.writes_blocking(&openid, sent.clone()).unwrap();
        assert_pushed(&report, PushOutcome::NoReply);
        let pushes = bot.wait_for_pushes(i + 1);
        let push = &pushes[i];
        let header = MessageHeader::new(app.original_id(), &openid, sandbox.clock().unix() as i64);
        assert_eq!(
            push.message,
            expected(sandbox, sent, header, report.msg_id, &push.message),
            "{mode:?}"
        );
        assert_eq!(push.encrypted, mode != CallbackMode::Plain, "{mode:?}");
        let (query, body) = bot.seen(|seen| (seen.queries[i].clone(), seen.bodies[i].clone()));
        check_envelope(sandbox, mode, &query, &body, &openid);
        msg_ids.push(report.msg_id);
    }
    assert!(msg_ids.windows(2).all(|w| w[0] < w[1]), "{msg_ids:?}");

    // The option of a menu the user received comes as text with its id.
    let menu = MsgMenu::new(vec![
        MsgMenuItem::new("101", "满意"),
        MsgMenuItem::new("102", "不满意"),
    ])
    .with_head_content("您对本次服务是否满意呢？")
    .with_tail_content("欢迎再次光临");
    caller
        .call(&SendCustomMessage::new(CustomMessage::new(&openid, menu)))
        .unwrap();
    sandbox.advance(secs(3));
    let report = app
        .writes_blocking(&openid, UserMessage::menu_choice("102"))
        .unwrap();
    assert_pushed(&report, PushOutcome::NoReply);
    let push = &bot.wait_for_pushes(kinds.len() + 1)[kinds.len()];
    let header = MessageHeader::new(app.original_id(), &openid, sandbox.clock().unix() as i64);
    assert_eq!(
        push.message,
        InboundText::new(header, "不满意", report.msg_id)
            .with_biz_msg_menu_id("102")
            .into(),
        "{mode:?}"
    );
    assert!(bot.seen(|seen| seen.refusals.is_empty()), "{mode:?}");
}

#[test]
fn every_kind_of_message_reaches_a_plain_bot() {
    each_frozen_backend(|sandbox, caller| every_kind_reaches(sandbox, caller, CallbackMode::Plain));
}

#[test]
fn every_kind_of_message_reaches_a_compatible_bot() {
    each_frozen_backend(|sandbox, caller| {
        every_kind_reaches(sandbox, caller, CallbackMode::Compatible)
    });
}

#[test]
fn every_kind_of_message_reaches_a_safe_bot() {
    each_frozen_backend(|sandbox, caller| every_kind_reaches(sandbox, caller, CallbackMode::Safe));
}

#[test]
fn a_menu_choice_needs_a_menu_with_that_option() {
    each_frozen_backend(|sandbox, caller| {
        let app = sandbox.app();
        let bot = bot_for(sandbox, CallbackMode::Plain, |_| Answer::Success);
        let openid = app.create_user("Ann").unwrap();
        let refused = app
            .writes_blocking(&openid, UserMessage::menu_choice("101"))
            .unwrap_err();
        assert!(matches!(refused, ControlError::Invalid(_)), "{refused:?}");
        // Nothing happened: no push, no window.
        assert!(app.user(&openid).unwrap().window.is_none());
        app.writes_blocking(&openid, UserMessage::text("hi"))
            .unwrap();
        let menu = MsgMenu::new(vec![MsgMenuItem::new("101", "满意")]);
        caller
            .call(&SendCustomMessage::new(CustomMessage::new(&openid, menu)))
            .unwrap();
        let refused = app
            .writes_blocking(&openid, UserMessage::menu_choice("999"))
            .unwrap_err();
        assert!(matches!(refused, ControlError::Invalid(_)), "{refused:?}");
        assert_eq!(bot.seen(|seen| seen.pushes.len()), 1);
        let unknown = app
            .writes_blocking("oNOBODY", UserMessage::text("hi"))
            .unwrap_err();
        assert_eq!(unknown, ControlError::UnknownUser("oNOBODY".into()));
    });
}

#[test]
fn the_plain_xml_has_wechats_member_order() {
    each_frozen_backend(|sandbox, caller| {
        let app = sandbox.app();
        let original_id = app.original_id();
        let bot = bot_for(sandbox, CallbackMode::Plain, |_| Answer::Success);
        let openid = app.create_user("Ann").unwrap();
        let report = app
            .writes_blocking(&openid, UserMessage::text("你好"))
            .unwrap();
        let body = bot.seen(|seen| seen.bodies[0].clone());
        assert_eq!(
            body,
            format!(
                "<xml>\n<ToUserName><![CDATA[{original_id}]]></ToUserName>\n\
                 <FromUserName><![CDATA[{openid}]]></FromUserName>\n<CreateTime>{T0}</CreateTime>\n\
                 <MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[你好]]></Content>\n\
                 <MsgId>{}</MsgId>\n</xml>",
                report.msg_id
            )
        );
        // Every kind: the header, then MsgType, then the rest.
        for (sent, msgtype) in [
            (UserMessage::Image, "image"),
            (UserMessage::Voice, "voice"),
            (UserMessage::Video, "video"),
            (UserMessage::ShortVideo, "shortvideo"),
            (
                UserMessage::Location {
                    latitude: 1.5,
                    longitude: 2.5,
                    scale: 15,
                    label: String::new(),
                },
                "location",
            ),
            (
                UserMessage::Link {
                    title: "t".into(),
                    description: "d".into(),
                    url: "u".into(),
                },
                "link",
            ),
        ] {
            sandbox.advance(secs(1));
            let report = app.writes_blocking(&openid, sent).unwrap();
            let body = bot.seen(|seen| seen.bodies.last().unwrap().clone());
            let head = format!(
                "<xml>\n<ToUserName><![CDATA[{original_id}]]></ToUserName>\n\
                 <FromUserName><![CDATA[{openid}]]></FromUserName>\n<CreateTime>{}</CreateTime>\n\
                 <MsgType><![CDATA[{msgtype}]]></MsgType>\n",
                sandbox.clock().unix()
            );
            assert!(body.starts_with(&head), "{body}");
            assert!(
                body.contains(&format!("\n<MsgId>{}</MsgId>\n", report.msg_id)),
                "{body}"
            );
            assert!(body.ends_with("\n</xml>"), "{body}");
        }
        // A menu choice: `bizmsgmenuid` after `MsgId`, as in WeChat's example.
        let menu = MsgMenu::new(vec![MsgMenuItem::new("101", "满意")]);
        caller
            .call(&SendCustomMessage::new(CustomMessage::new(&openid, menu)))
            .unwrap();
        let report = app
            .writes_blocking(&openid, UserMessage::menu_choice("101"))
            .unwrap();
        let body = bot.seen(|seen| seen.bodies.last().unwrap().clone());
        assert!(
            body.contains("</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[满意]]></Content>\n"),
            "{body}"
        );
        let tail = format!("<MsgId>{}</MsgId>\n<bizmsgmenuid>", report.msg_id);
        assert!(body.contains(&tail), "{body}");
        assert!(body.ends_with("</bizmsgmenuid>\n</xml>"), "{body}");
    });
}

#[test]
fn the_compatible_body_is_the_plain_xml_with_encrypt_added() {
    each_frozen_backend(|sandbox, _caller| {
        let app = sandbox.app();
        let original_id = app.original_id();
        let bot = bot_for(sandbox, CallbackMode::Compatible, |_| Answer::Success);
        let openid = app.create_user("Ann").unwrap();
        let report = app
            .writes_blocking(&openid, UserMessage::text("你好"))
            .unwrap();
        let body = bot.seen(|seen| seen.bodies[0].clone());
        let plain = format!(
            "<xml>\n<ToUserName><![CDATA[{original_id}]]></ToUserName>\n\
             <FromUserName><![CDATA[{openid}]]></FromUserName>\n<CreateTime>{T0}</CreateTime>\n\
             <MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[你好]]></Content>\n\
             <MsgId>{}</MsgId>\n",
            report.msg_id
        );
        assert!(body.starts_with(&plain), "{body}");
        let rest = &body[plain.len()..];
        assert!(
            rest.starts_with("<Encrypt><![CDATA[") && rest.ends_with("]]></Encrypt>\n</xml>"),
            "{rest}"
        );
        // The bot read the encrypted copy.
        assert!(bot.wait_for_pushes(1)[0].encrypted);
    });
}

#[test]
fn success_or_an_empty_body_is_no_reply() {
    each_frozen_backend(|sandbox, _caller| {
        let app = sandbox.app();
        for mode in MODES {
            for answer in [Answer::Success, Answer::Empty] {
                let bot = bot_for(sandbox, mode, move |_| answer.clone());
                let openid = app.create_user("Ann").unwrap();
                let report = app
                    .writes_blocking(&openid, UserMessage::text("hi"))
                    .unwrap();
                assert_pushed(&report, PushOutcome::NoReply);
                assert!(app.inbox(&openid).unwrap().is_empty());
                assert_eq!(bot.seen(|seen| seen.pushes.len()), 1);
                assert_eq!(app.user(&openid).unwrap().window.unwrap().remaining, 5);
            }
        }
    });
}

#[test]
fn a_passive_reply_reaches_the_user_outside_the_quota() {
    each_frozen_backend(|sandbox, caller| {
        let app = sandbox.app();
        for mode in MODES {
            // Sealed by the receiver when the push came encrypted.
            let bot = bot_for(sandbox, mode, |push| {
                Answer::Reply(text_reply(push, "您好，自动回复"))
            });
            let openid = app.create_user("Ann").unwrap();
            sandbox.advance(secs(11));
            let report = app
                .writes_blocking(&openid, UserMessage::text("hi"))
                .unwrap();
            assert_pushed(
                &report,
                PushOutcome::Replied {
                    msgtype: "text".into(),
                },
            );
            let inbox = app.inbox(&openid).unwrap();
            assert_eq!(inbox.len(), 1, "{mode:?}");
            assert_eq!(inbox[0].via, DeliveredVia::PassiveReply);
            assert_eq!(inbox[0].msgtype, "text");
            assert_eq!(inbox[0].payload, json!({"Content": "您好，自动回复"}));
            assert_eq!(inbox[0].time, sandbox.clock().unix());
            assert_eq!(inbox[0].kf_account, None);
            // The push came encrypted in the encrypted modes, so the bot's reply was sealed.
            let encrypted = bot.seen(|seen| seen.pushes[0].encrypted);
            assert_eq!(encrypted, mode != CallbackMode::Plain);
            // The five custom messages of the window are all left.
            assert_eq!(app.user(&openid).unwrap().window.unwrap().remaining, 5);
            bot_stays_quiet(&bot);
            for i in 0..5 {
                caller
                    .call(&SendCustomMessage::new(CustomMessage::new(
                        &openid,
                        Text::new(format!("message {i}")),
                    )))
                    .unwrap();
            }
            let sixth = caller
                .call(&SendCustomMessage::new(CustomMessage::new(
                    &openid,
                    Text::new("sixth"),
                )))
                .unwrap_err();
            assert_eq!(
                support::errcode(&sixth),
                Errcode::OUT_OF_RESPONSE_COUNT_LIMIT
            );
            assert_eq!(app.inbox(&openid).unwrap().len(), 6);
        }
    });
}

/// The bot saw exactly one push and refused nothing.
fn bot_stays_quiet(bot: &Bot) {
    bot.seen(|seen| {
        assert_eq!(seen.pushes.len(), 1);
        assert!(seen.refusals.is_empty(), "{:?}", seen.refusals);
    });
}

#[test]
fn a_passive_reply_ends_typing() {
    each_frozen_backend(|sandbox, caller| {
        let app = sandbox.app();
        let _bot = bot_for(sandbox, CallbackMode::Plain, |push| match &push.message {
            InboundMessage::Text(text) if text.content == "reply please" => {
                Answer::Reply(text_reply(push, "好的"))
            }
            _ => Answer::Success,
        });
        let openid = app.create_user("Ann").unwrap();
        app.writes_blocking(&openid, UserMessage::text("hi"))
            .unwrap();
        caller
            .call(&SetTyping::new(TypingRequest::new(
                &openid,
                TypingCommand::Typing,
            )))
            .unwrap();
        assert!(app.user(&openid).unwrap().typing);
        sandbox.advance(secs(3));
        let report = app
            .writes_blocking(&openid, UserMessage::text("reply please"))
            .unwrap();
        assert_pushed(
            &report,
            PushOutcome::Replied {
                msgtype: "text".into(),
            },
        );
        assert!(!app.user(&openid).unwrap().typing);
    });
}

#[test]
fn in_safe_mode_an_unencrypted_reply_is_invalid() {
    each_frozen_backend(|sandbox, _caller| {
        let app = sandbox.app();
        for mode in MODES {
            let bot = bot_for(sandbox, mode, |push| {
                Answer::Raw(text_reply(push, "not sealed"))
            });
            let openid = app.create_user("Ann").unwrap();
            let report = app
                .writes_blocking(&openid, UserMessage::text("hi"))
                .unwrap();
            let inbox = app.inbox(&openid).unwrap();
            if mode == CallbackMode::Safe {
                let PushOutcome::Invalid { reason } = &report.outcome else {
                    panic!("{report:?}")
                };
                assert!(reason.contains("encrypted"), "{reason}");
                assert_eq!(report.attempts, 1, "an unusable answer is not retried");
                assert!(inbox.is_empty(), "{inbox:?}");
            } else {
                // Plain and compatible mode take a plain reply.
                assert_pushed(
                    &report,
                    PushOutcome::Replied {
                        msgtype: "text".into(),
                    },
                );
                assert_eq!(inbox.len(), 1, "{mode:?}");
            }
            assert_eq!(bot.seen(|seen| seen.pushes.len()), 1);
        }
    });
}

#[test]
fn a_sealed_reply_must_be_sealed_with_the_apps_secrets() {
    each_frozen_backend(|sandbox, _caller| {
        let app = sandbox.app();
        let other_key = "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkj";
        for (token, key, appid) in [
            ("another-token", AES_KEY, DEFAULT_APPID),
            (TOKEN, other_key, DEFAULT_APPID),
            (TOKEN, AES_KEY, "wx0000000000000002"),
            // The app's own secrets: the control case.
            (TOKEN, AES_KEY, DEFAULT_APPID),
        ] {
            let crypt = MsgCrypt::new(token, key, appid).unwrap();
            let _bot = bot_for(sandbox, CallbackMode::Safe, move |push| {
                let reply = text_reply(push, "sealed by someone");
                Answer::Raw(
                    crypt
                        .seal(&reply, PayloadFormat::Xml, T0 as i64, &push.nonce)
                        .unwrap(),
                )
            });
            let openid = app.create_user("Ann").unwrap();
            let report = app
                .writes_blocking(&openid, UserMessage::text("hi"))
                .unwrap();
            let inbox = app.inbox(&openid).unwrap();
            if (token, key, appid) == (TOKEN, AES_KEY, DEFAULT_APPID) {
                assert_pushed(
                    &report,
                    PushOutcome::Replied {
                        msgtype: "text".into(),
                    },
                );
                assert_eq!(inbox.len(), 1);
            } else {
                assert!(
                    matches!(report.outcome, PushOutcome::Invalid { .. }),
                    "{token} {key} {appid}: {report:?}"
                );
                assert!(inbox.is_empty(), "{inbox:?}");
            }
        }
    });
}

#[test]
fn a_reply_to_someone_else_or_from_someone_else_is_invalid() {
    each_frozen_backend(|sandbox, _caller| {
        let app = sandbox.app();
        let original_id = app.original_id();
        for mode in [CallbackMode::Plain, CallbackMode::Safe] {
            let openid = app.create_user("Ann").unwrap();
            for (to, from) in [
                ("oSOMEONE_ELSE", original_id.as_str()),
                (openid.as_str(), "gh_another_account"),
                (original_id.as_str(), openid.as_str()),
            ] {
                let reply = addressed_xml(
                    to,
                    from,
                    "text",
                    "<Content><![CDATA[misaddressed]]></Content>",
                );
                let _bot = bot_for(sandbox, mode, move |_| Answer::Reply(reply.clone()));
                let report = app
                    .writes_blocking(&openid, UserMessage::text("hi"))
                    .unwrap();
                assert!(
                    matches!(report.outcome, PushOutcome::Invalid { .. }),
                    "{mode:?} {to} {from}: {report:?}"
                );
                assert_eq!(report.attempts, 1);
            }
            assert!(app.inbox(&openid).unwrap().is_empty());
        }
    });
}

#[test]
fn something_that_is_no_reply_is_invalid() {
    each_frozen_backend(|sandbox, _caller| {
        let app = sandbox.app();
        for (mode, body) in [
            (CallbackMode::Plain, "<xml>not a reply</xml>"),
            (CallbackMode::Plain, "ok"),
            (CallbackMode::Compatible, "{\"errcode\":0}"),
            (
                CallbackMode::Safe,
                "<xml><Encrypt><![CDATA[bm9wZQ==]]></Encrypt></xml>",
            ),
        ] {
            let _bot = bot_for(sandbox, mode, move |_| Answer::Raw(body.into()));
            let openid = app.create_user("Ann").unwrap();
            let report = app
                .writes_blocking(&openid, UserMessage::text("hi"))
                .unwrap();
            assert!(
                matches!(report.outcome, PushOutcome::Invalid { .. }),
                "{mode:?} {body}: {report:?}"
            );
            assert!(app.inbox(&openid).unwrap().is_empty());
        }
    });
}

#[test]
fn transfer_customer_service_puts_the_user_in_the_queue() {
    each_frozen_backend(|sandbox, caller| {
        let app = sandbox.app();
        for mode in MODES {
            let bot = bot_for(sandbox, mode, |push| {
                Answer::Reply(transfer_reply(push, None))
            });
            let openid = app.create_user("Ann").unwrap();
            sandbox.advance(secs(60));
            let report = app
                .writes_blocking(&openid, UserMessage::text("转人工"))
                .unwrap();
            assert_pushed(&report, PushOutcome::Transferred { kf_account: None });
            let user = app.user(&openid).unwrap();
            assert_eq!(
                user.session,
                SessionView::Waiting {
                    since: sandbox.clock().unix(),
                    kf_account: None
                },
                "{mode:?}"
            );
            assert!(app.inbox(&openid).unwrap().is_empty());
            assert_eq!(user.window.unwrap().remaining, 5);
            let waiting = caller.call(&GetWaitCase).unwrap();
            assert!(
                waiting
                    .waitcaselist
                    .iter()
                    .any(|case| case.openid.as_deref() == Some(&openid)),
                "{waiting:?}"
            );
            // A waiting user's messages are still pushed to the callback.
            sandbox.advance(secs(5));
            let again = app
                .writes_blocking(&openid, UserMessage::text("人呢？"))
                .unwrap();
            assert_pushed(&again, PushOutcome::Transferred { kf_account: None });
            assert_eq!(bot.seen(|seen| seen.pushes.len()), 2);
            assert!(matches!(
                app.user(&openid).unwrap().session,
                SessionView::Waiting { since, .. } if since == sandbox.clock().unix() - 5
            ));
        }
    });
}

#[test]
fn transfer_customer_service_to_a_named_kf() {
    each_frozen_backend(|sandbox, caller| {
        let app = sandbox.app();
        let kf = format!("kf1@{}", app.wechat_id());
        caller
            .call(&AddKfAccount::new(KfAccountProfile::new(
                KfAccount::new(&kf),
                "小美",
            )))
            .unwrap();
        for mode in MODES {
            let routed = kf.clone();
            let _bot = bot_for(sandbox, mode, move |push| {
                Answer::Reply(transfer_reply(push, Some(&routed)))
            });
            let openid = app.create_user("Ann").unwrap();
            let report = app
                .writes_blocking(&openid, UserMessage::text("找小美"))
                .unwrap();
            assert_pushed(
                &report,
                PushOutcome::Transferred {
                    kf_account: Some(kf.clone()),
                },
            );
            assert_eq!(
                app.user(&openid).unwrap().session,
                SessionView::Waiting {
                    since: sandbox.clock().unix(),
                    kf_account: Some(kf.clone())
                },
                "{mode:?}"
            );
        }
    });
}

#[test]
fn an_http_error_is_tried_three_times_then_failed() {
    each_frozen_backend(|sandbox, _caller| {
        let app = sandbox.app();
        let bot = bot_for(sandbox, CallbackMode::Plain, |_| Answer::Status(500));
        let openid = app.create_user("Ann").unwrap();
        let report = app
            .writes_blocking(&openid, UserMessage::text("hi"))
            .unwrap();
        assert_eq!(report.route, PushRoute::Callback);
        assert_eq!(report.attempts, 3);
        assert_eq!(
            report.outcome,
            PushOutcome::Failed {
                error: "HTTP 500".into()
            }
        );
        // The same message each time (a bot deduplicates by MsgId).
        let pushes = bot.wait_for_pushes(3);
        assert_eq!(pushes.len(), 3);
        assert!(pushes.iter().all(|push| push.message == pushes[0].message));
        let InboundMessage::Text(text) = &pushes[0].message else {
            panic!("{:?}", pushes[0].message)
        };
        assert_eq!(text.msg_id, report.msg_id);
        // The user wrote all the same: the window is open.
        let user = app.user(&openid).unwrap();
        assert!(user.window.unwrap().open);
        assert!(app.inbox(&openid).unwrap().is_empty());
    });
}

#[test]
fn a_bot_that_hangs_past_the_push_timeout_fails_after_three_attempts() {
    let config = || {
        let mut config = frozen();
        config.rules.push_timeout_ms = 200;
        config
    };
    each_backend_with(config, |sandbox, _caller| {
        let app = sandbox.app();
        let bot = bot_for(sandbox, CallbackMode::Plain, |_| {
            Answer::Hang(Duration::from_secs(2))
        });
        let openid = app.create_user("Ann").unwrap();
        let report = app
            .writes_blocking(&openid, UserMessage::text("hi"))
            .unwrap();
        assert_eq!(report.route, PushRoute::Callback);
        assert_eq!(report.attempts, 3);
        assert!(
            matches!(report.outcome, PushOutcome::Failed { .. }),
            "{report:?}"
        );
        assert_eq!(bot.wait_for_pushes(3).len(), 3);
        assert!(app.inbox(&openid).unwrap().is_empty());
    });
}

#[test]
fn a_callback_nobody_listens_on_fails_after_three_attempts() {
    each_frozen_backend(|sandbox, _caller| {
        let app = sandbox.app();
        let closed = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            format!("http://{}/wechat", listener.local_addr().unwrap())
        };
        app.set_callback(Some(CallbackConfig::plain(closed, TOKEN)))
            .unwrap();
        let openid = app.create_user("Ann").unwrap();
        let report = app
            .writes_blocking(&openid, UserMessage::text("hi"))
            .unwrap();
        assert_eq!(report.attempts, 3);
        assert!(
            matches!(report.outcome, PushOutcome::Failed { .. }),
            "{report:?}"
        );
    });
}

#[test]
fn without_a_callback_nothing_is_pushed() {
    each_frozen_backend(|sandbox, caller| {
        let app = sandbox.app();
        let openid = app.create_user("Ann").unwrap();
        let report = app
            .writes_blocking(&openid, UserMessage::text("hi"))
            .unwrap();
        assert_eq!(report.route, PushRoute::NoCallback);
        assert_eq!(report.attempts, 0);
        assert_eq!(report.outcome, PushOutcome::NotPushed);
        // The window opened all the same.
        assert!(app.user(&openid).unwrap().window.unwrap().open);
        caller
            .call(&SendCustomMessage::new(CustomMessage::new(
                &openid,
                Text::new("您好"),
            )))
            .unwrap();

        // A callback removed pushes nothing more.
        let bot = bot_for(sandbox, CallbackMode::Plain, |_| Answer::Success);
        let pushed = app
            .writes_blocking(&openid, UserMessage::text("again"))
            .unwrap();
        assert_eq!(pushed.route, PushRoute::Callback);
        app.set_callback(None).unwrap();
        let report = app
            .writes_blocking(&openid, UserMessage::text("and again"))
            .unwrap();
        assert_eq!(report.route, PushRoute::NoCallback);
        assert_eq!(bot.seen(|seen| seen.pushes.len()), 1);
    });
}

#[test]
fn a_bot_without_the_apps_secrets_refuses_every_attempt() {
    each_frozen_backend(|sandbox, _caller| {
        let app = sandbox.app();
        let other_key = "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkj";
        let cases: [(Receiver<OfficialAccount>, CallbackMode, &str); 5] = [
            // Another token: the plain signature does not match.
            (
                Receiver::official_account("another-token"),
                CallbackMode::Plain,
                "signature",
            ),
            // Another token in safe mode: msg_signature does not match.
            (
                Receiver::official_account("another-token")
                    .with_encoding_aes_key(AES_KEY, DEFAULT_APPID)
                    .unwrap(),
                CallbackMode::Safe,
                "signature",
            ),
            // The right token, another key: the message cannot be decrypted.
            (
                Receiver::official_account(TOKEN)
                    .with_encoding_aes_key(other_key, DEFAULT_APPID)
                    .unwrap(),
                CallbackMode::Safe,
                "decrypted callback buffer",
            ),
            // The right secrets for another app: the receive id is not this app's.
            (
                Receiver::official_account(TOKEN)
                    .with_encoding_aes_key(AES_KEY, "wx0000000000000002")
                    .unwrap(),
                CallbackMode::Compatible,
                "receive id",
            ),
            // A bot that takes encrypted pushes only, and the app in plain mode.
            (receiver(CallbackMode::Safe), CallbackMode::Plain, "encrypt"),
        ];
        for (receiver, mode, why) in cases {
            let bot = Bot::start(receiver, |_| Answer::Success);
            app.set_callback(Some(callback(mode, bot.url()))).unwrap();
            let openid = app.create_user("Ann").unwrap();
            let report = app
                .writes_blocking(&openid, UserMessage::text("hi"))
                .unwrap();
            assert_eq!(report.attempts, 3, "{mode:?} {why}");
            assert_eq!(
                report.outcome,
                PushOutcome::Failed {
                    error: "HTTP 400".into()
                },
                "{mode:?} {why}"
            );
            bot.seen(|seen| {
                assert!(seen.pushes.is_empty(), "{mode:?} {why}");
                assert_eq!(seen.refusals.len(), 3, "{mode:?} {why}");
                assert!(
                    seen.refusals.iter().all(|refusal| refusal.contains(why)),
                    "{mode:?}: {:?}",
                    seen.refusals
                );
            });
        }
    });
}

#[test]
fn an_encrypted_callback_needs_a_valid_key() {
    each_frozen_backend(|sandbox, _caller| {
        let app = sandbox.app();
        let bot = bot_for(sandbox, CallbackMode::Plain, |_| Answer::Success);
        for refused in [
            CallbackConfig::plain(bot.url(), TOKEN).with_mode(CallbackMode::Safe),
            CallbackConfig::plain(bot.url(), TOKEN).with_mode(CallbackMode::Compatible),
            CallbackConfig::safe(bot.url(), TOKEN, "too-short"),
        ] {
            let error = app.set_callback(Some(refused)).unwrap_err();
            assert!(matches!(error, ControlError::Invalid(_)), "{error:?}");
        }
        // The callback set before is still the one pushed to.
        let openid = app.create_user("Ann").unwrap();
        let report = app
            .writes_blocking(&openid, UserMessage::text("hi"))
            .unwrap();
        assert_pushed(&report, PushOutcome::NoReply);
        assert!(!bot.wait_for_pushes(1)[0].encrypted);
    });
}

#[tokio::test]
async fn writes_can_be_awaited_in_an_async_test() {
    let sandbox = Sandbox::start_with(frozen()).unwrap();
    let app = sandbox.app();
    let _bot = bot_for(&sandbox, CallbackMode::Safe, |push| match &push.message {
        InboundMessage::Text(text) => {
            Answer::Reply(text_reply(push, &format!("收到：{}", text.content)))
        }
        _ => Answer::Success,
    });
    let ann = app.create_user("Ann").unwrap();
    let bo = app.create_user("Bo").unwrap();

    let report = app.writes(&ann, UserMessage::text("你好")).await.unwrap();
    assert_pushed(
        &report,
        PushOutcome::Replied {
            msgtype: "text".into(),
        },
    );
    // Two users at once.
    let (from_ann, from_bo) = tokio::join!(
        app.writes(&ann, UserMessage::text("一")),
        app.writes(&bo, UserMessage::text("二")),
    );
    let (from_ann, from_bo) = (from_ann.unwrap(), from_bo.unwrap());
    assert_ne!(from_ann.msg_id, from_bo.msg_id);
    for report in [&from_ann, &from_bo] {
        assert_pushed(
            report,
            PushOutcome::Replied {
                msgtype: "text".into(),
            },
        );
    }
    let contents = |openid: &str| -> Vec<serde_json::Value> {
        app.inbox(openid)
            .unwrap()
            .into_iter()
            .map(|delivered| delivered.payload["Content"].clone())
            .collect()
    };
    assert_eq!(contents(&ann), [json!("收到：你好"), json!("收到：一")]);
    assert_eq!(contents(&bo), [json!("收到：二")]);

    // The async client goes on from there.
    let client = app.client().build().unwrap();
    client
        .execute(&SendCustomMessage::new(CustomMessage::new(
            &bo,
            Text::new("还有什么可以帮您？"),
        )))
        .await
        .unwrap();
    let inbox = app.inbox(&bo).unwrap();
    assert_eq!(inbox[1].via, DeliveredVia::CustomMessage);

    let unknown = app
        .writes("oNOBODY", UserMessage::text("hi"))
        .await
        .unwrap_err();
    assert_eq!(unknown, ControlError::UnknownUser("oNOBODY".into()));
}
