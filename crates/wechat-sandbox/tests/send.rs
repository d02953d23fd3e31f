//! `POST /cgi-bin/message/custom/send` against the sandbox, with both backends: every message
//! type delivered as sent, and every refusal as WeChat's errcode (reference §2).

mod support;

use std::time::Duration;

use serde_json::json;
use wechat_core::endpoints::common::UploadTempMedia;
use wechat_core::endpoints::mp::{AddKfAccount, SendCustomMessage};
use wechat_core::types::common::{Errcode, MediaType, MediaUploadQuery};
use wechat_core::types::mp::*;
use wechat_core::{Error, Upload};
use wechat_sandbox::{DeliveredVia, UserMessage, samples};

use support::{Caller, RawJson, each_backend, writing_user};

const SEND: &str = "/cgi-bin/message/custom/send";

fn upload(caller: &Caller, media_type: MediaType, name: &str, data: &'static [u8]) -> String {
    let upload = UploadTempMedia::new(
        MediaUploadQuery::new(media_type),
        Upload::from_bytes(name, data),
    );
    caller.call(&upload).unwrap().media_id
}

fn send(
    caller: &Caller,
    openid: &str,
    content: impl Into<CustomMessageContent>,
) -> Result<(), Error> {
    caller.call(&SendCustomMessage::new(CustomMessage::new(openid, content)))
}

#[test]
fn every_message_type_arrives_as_sent() {
    each_backend(|sandbox, caller| {
        let app = sandbox.app();
        let image = upload(caller, MediaType::Image, "a.png", samples::PNG);
        let voice = upload(caller, MediaType::Voice, "a.amr", samples::AMR);
        let video = upload(caller, MediaType::Video, "a.mp4", samples::MP4);
        let thumb = upload(caller, MediaType::Thumb, "t.jpg", samples::JPEG);
        let messages: Vec<CustomMessageContent> = vec![
            Text::new("您好，客服为您服务").into(),
            Image::new(&image).into(),
            Voice::new(&voice).into(),
            Video::new(&video, &thumb).with_title("TITLE").into(),
            Music::new("TITLE", "DESCRIPTION", "http://music.invalid/a.mp3", &thumb).into(),
        ];
        let more: Vec<CustomMessageContent> = vec![
            News::new(vec![NewsArticle::new(
                "Happy Day",
                "Is Really A Happy Day",
                "URL",
                "PIC_URL",
            )])
            .into(),
            MpNews::new("MATERIAL_MEDIA_ID").into(),
            MpNewsArticle::new("ARTICLE_ID").into(),
            MsgMenu::new(vec![
                MsgMenuItem::new("101", "满意"),
                MsgMenuItem::new("102", "不满意"),
            ])
            .with_head_content("您对本次服务是否满意呢?")
            .into(),
            WxCard::new("CARD_ID").into(),
            MiniProgramPage::new(
                "title",
                "wx_mini_appid",
                "pages/index/index?foo=bar",
                &thumb,
            )
            .into(),
        ];
        // Eleven types, five per window: the user writes again between the batches.
        let mut sent = Vec::new();
        for batch in [messages, more] {
            let openid = writing_user(sandbox);
            for content in batch.into_iter().take(5) {
                let wire = serde_json::to_value(&content).unwrap();
                send(caller, &openid, content).unwrap();
                sent.push((openid.clone(), wire));
            }
        }
        let openid = writing_user(sandbox);
        let card = MiniProgramPage::new("title", "wx_mini_appid", "pages/index/index", &thumb);
        let wire = serde_json::to_value(CustomMessageContent::from(card.clone())).unwrap();
        send(caller, &openid, card).unwrap();
        sent.push((openid, wire));

        assert_eq!(sent.len(), 11);
        for (openid, wire) in sent {
            let msgtype = wire["msgtype"].as_str().unwrap().to_owned();
            let inbox = app.inbox(&openid).unwrap();
            let delivered = inbox
                .iter()
                .find(|d| d.msgtype == msgtype)
                .unwrap_or_else(|| panic!("{msgtype} not delivered: {inbox:?}"));
            assert_eq!(delivered.via, DeliveredVia::CustomMessage);
            assert_eq!(delivered.payload, wire[&msgtype], "{msgtype}");
            assert_eq!(delivered.kf_account, None);
        }
    });
}

#[test]
fn a_message_sent_as_a_kf_account_names_it() {
    each_backend(|sandbox, caller| {
        let kf = format!("kf1@{}", sandbox.app().wechat_id());
        caller
            .call(&AddKfAccount::new(KfAccountProfile::new(
                KfAccount::new(&kf),
                "小美",
            )))
            .unwrap();
        let openid = writing_user(sandbox);
        let message = CustomMessage::new(&openid, Text::new("客服小美为您服务"))
            .with_customservice(CustomService::new(KfAccount::new(&kf)))
            .with_aimsgcontext(AiMsgContext::new(1));
        caller.call(&SendCustomMessage::new(message)).unwrap();
        let inbox = sandbox.app().inbox(&openid).unwrap();
        assert_eq!(inbox[0].kf_account.as_deref(), Some(kf.as_str()));

        let unknown =
            CustomMessage::new(&openid, Text::new("hi")).with_customservice(CustomService::new(
                KfAccount::new(format!("nobody@{}", sandbox.app().wechat_id())),
            ));
        assert_eq!(
            caller.errcode(&SendCustomMessage::new(unknown)),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
        );
    });
}

#[test]
fn unknown_users_are_40003() {
    each_backend(|_sandbox, caller| {
        let message = SendCustomMessage::new(CustomMessage::new("oNOBODY", Text::new("hi")));
        assert_eq!(caller.errcode(&message), Errcode::INVALID_OPENID);
    });
}

#[test]
fn the_window_closes_48_hours_after_the_users_message() {
    each_backend(|sandbox, caller| {
        let app = sandbox.app();
        let openid = app.create_user("Ann").unwrap();
        assert_eq!(
            errcode(send(caller, &openid, Text::new("before the user wrote"))),
            Errcode::RESPONSE_OUT_OF_TIME_LIMIT
        );
        app.writes_blocking(&openid, UserMessage::text("在吗"))
            .unwrap();
        sandbox.advance(Duration::from_secs(48 * 3600 - 60));
        send(caller, &openid, Text::new("still inside")).unwrap();
        sandbox.advance(Duration::from_secs(60));
        assert_eq!(
            errcode(send(caller, &openid, Text::new("too late"))),
            Errcode::RESPONSE_OUT_OF_TIME_LIMIT
        );
        app.writes_blocking(&openid, UserMessage::text("again"))
            .unwrap();
        send(caller, &openid, Text::new("open again")).unwrap();
        assert_eq!(app.inbox(&openid).unwrap().len(), 2);
    });
}

#[test]
fn the_sixth_message_is_45047() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        for i in 0..5 {
            send(caller, &openid, Text::new(format!("message {i}"))).unwrap();
        }
        assert_eq!(
            sandbox
                .app()
                .user(&openid)
                .unwrap()
                .window
                .unwrap()
                .remaining,
            0
        );
        assert_eq!(
            errcode(send(caller, &openid, Text::new("sixth"))),
            Errcode::OUT_OF_RESPONSE_COUNT_LIMIT
        );
        sandbox
            .app()
            .writes_blocking(&openid, UserMessage::text("more please"))
            .unwrap();
        send(caller, &openid, Text::new("sixth, now allowed")).unwrap();
    });
}

#[test]
fn an_unfollowed_user_is_45015() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        sandbox.app().unfollow(&openid).unwrap();
        assert_eq!(
            errcode(send(caller, &openid, Text::new("hi"))),
            Errcode::RESPONSE_OUT_OF_TIME_LIMIT
        );
        sandbox.app().follow(&openid).unwrap();
        send(caller, &openid, Text::new("hi")).unwrap();
    });
}

#[test]
fn media_must_exist_and_be_younger_than_three_days() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        assert_eq!(
            errcode(send(caller, &openid, Image::new("NO_SUCH_MEDIA"))),
            Errcode::INVALID_MEDIA_ID
        );
        let image = upload(caller, MediaType::Image, "a.png", samples::PNG);
        send(caller, &openid, Image::new(&image)).unwrap();
        sandbox.advance(Duration::from_secs(3 * 24 * 3600));
        sandbox
            .app()
            .writes_blocking(&openid, UserMessage::text("again"))
            .unwrap();
        assert_eq!(
            errcode(send(caller, &openid, Image::new(&image))),
            Errcode::INVALID_MEDIA_ID
        );
    });
}

#[test]
fn what_the_typed_api_cannot_build_is_refused_like_wechat_does() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        let article = json!({"title": "t", "description": "d", "url": "u", "picurl": "p"});
        let cases = [
            (
                json!({"touser": openid, "msgtype": "news", "news": {"articles": [article, article]}}),
                Errcode::ARTICLE_SIZE_OUT_OF_LIMIT,
            ),
            (
                json!({"touser": openid, "msgtype": "text", "text": {"content": ""}}),
                Errcode::EMPTY_CONTENT,
            ),
            (
                json!({"touser": openid, "msgtype": "video2", "video2": {}}),
                Errcode::INVALID_MESSAGE_TYPE,
            ),
            (
                json!({"touser": openid, "text": {"content": "no msgtype"}}),
                Errcode::INVALID_MESSAGE_TYPE,
            ),
            (
                json!({"touser": openid, "msgtype": "text", "text": {"content": 5}}),
                Errcode::DATA_FORMAT_ERROR,
            ),
            (
                json!({"touser": openid, "msgtype": "text", "text": {"content": "x"}, "kf_acount": "a@b"}),
                Errcode::DATA_FORMAT_ERROR,
            ),
            (
                json!({"touser": openid, "msgtype": "text"}),
                Errcode::DATA_FORMAT_ERROR,
            ),
            (
                json!({"touser": "", "msgtype": "text", "text": {"content": "x"}}),
                Errcode::INVALID_OPENID,
            ),
            (
                json!({"touser": openid, "msgtype": "image", "image": {"media_id": ""}}),
                Errcode::INVALID_MEDIA_ID,
            ),
            (
                json!({"touser": openid, "msgtype": "text", "text": {"content": "x"}, "customservice": {"kf_account": "no-at"}}),
                Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT,
            ),
        ];
        for (body, expected) in cases {
            let text = body.to_string();
            let got = caller.errcode(&RawJson::post(SEND, body));
            assert_eq!(got, expected, "{text}");
        }
        assert!(
            sandbox.app().inbox(&openid).unwrap().is_empty(),
            "nothing refused was delivered"
        );
        // A refused message uses none of the quota.
        assert_eq!(
            sandbox
                .app()
                .user(&openid)
                .unwrap()
                .window
                .unwrap()
                .remaining,
            5
        );
    });
}

#[test]
fn the_hint_names_the_unknown_member() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        let body =
            json!({"touser": openid, "msgtype": "text", "text": {"content": "x", "contnet": "y"}});
        let error = caller.call(&RawJson::post(SEND, body)).unwrap_err();
        let Error::Api(api) = &error else {
            panic!("{error:?}")
        };
        assert!(api.message().contains("text.contnet"), "{}", api.message());
    });
}

#[test]
fn a_lax_sandbox_ignores_unknown_members() {
    support::each_backend_with(
        || {
            let mut config = wechat_sandbox::SandboxConfig::default();
            config.strict_json = false;
            config
        },
        |sandbox, caller| {
            let openid = writing_user(sandbox);
            let body =
                json!({"touser": openid, "msgtype": "text", "text": {"content": "x"}, "extra": 1});
            caller.call(&RawJson::post(SEND, body)).unwrap();
            assert_eq!(sandbox.app().inbox(&openid).unwrap().len(), 1);
        },
    );
}

#[test]
fn bodies_that_are_not_json() {
    each_backend(|sandbox, caller| {
        let _ = writing_user(sandbox);
        let empty = RawJson {
            body: None,
            ..RawJson::post(SEND, json!(null))
        };
        assert_eq!(caller.errcode(&empty), Errcode::EMPTY_POST_DATA);
        let get = RawJson::get(SEND, &[]);
        assert_eq!(caller.errcode(&get), Errcode::REQUIRE_POST_METHOD);
    });
}

fn errcode(result: Result<(), Error>) -> Errcode {
    support::errcode(&result.unwrap_err())
}
