//! wechat-mp's sending functions end to end against the sandbox, with both backends: every
//! `message::*` constructor, the `SendMessage` options and `SendRaw` delivered to the user's
//! inbox exactly as sent, the refusals as typed errcodes, and `typing` on and off
//! (reference §2, §3).

#[path = "../../wechat-sandbox/tests/support/mod.rs"]
mod support;

use serde_json::{Value, json};
use wechat_core::types::common::{Errcode, MediaType};
use wechat_core::types::mp::{MiniProgramPage, MsgMenu, MsgMenuItem, Music, NewsArticle, Video};
use wechat_core::{Endpoint, OfficialAccount, Upload};
use wechat_mp::message::{self, MiniProgramLink, SendRaw};
use wechat_mp::{kf_account, media, typing};
use wechat_sandbox::{Delivered, DeliveredVia, Sandbox, samples};

use support::{Caller, each_backend, each_frozen_backend, kf_name, secs, writing_user};

/// Uploads `data` with `media::upload` and answers its media_id: the sandbox only delivers
/// media it holds.
fn upload(caller: &Caller, media_type: MediaType, name: &str, data: &'static [u8]) -> String {
    let upload = media::upload(media_type, Upload::from_bytes(name, data));
    caller.call(&upload).unwrap().media_id
}

/// Executes what `build` makes for a user who has just written, checks that exactly one
/// custom message of type `msgtype` reached their inbox, and answers it.
fn deliver<E>(
    sandbox: &Sandbox,
    caller: &Caller,
    msgtype: &str,
    build: impl FnOnce(&str) -> E,
) -> Delivered
where
    E: Endpoint<OfficialAccount, Output = ()> + Sync,
{
    let openid = writing_user(sandbox);
    caller.call(&build(&openid)).unwrap();
    let mut inbox = sandbox.app().inbox(&openid).unwrap();
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    let delivered = inbox.remove(0);
    assert_eq!(delivered.via, DeliveredVia::CustomMessage);
    assert_eq!(delivered.msgtype, msgtype);
    delivered
}

/// [`deliver`], then the payload is `payload` and no kf account is named.
fn assert_arrives<E>(
    sandbox: &Sandbox,
    caller: &Caller,
    msgtype: &str,
    payload: Value,
    build: impl FnOnce(&str) -> E,
) where
    E: Endpoint<OfficialAccount, Output = ()> + Sync,
{
    let delivered = deliver(sandbox, caller, msgtype, build);
    assert_eq!(delivered.payload, payload, "{msgtype}");
    assert_eq!(delivered.kf_account, None);
}

fn is_typing(sandbox: &Sandbox, openid: &str) -> bool {
    sandbox.app().user(openid).unwrap().typing
}

#[test]
fn text_arrives_as_sent() {
    each_backend(|sandbox, caller| {
        let payload = json!({"content": "您好，客服小王为您服务。\n请问有什么可以帮您？"});
        assert_arrives(sandbox, caller, "text", payload, |openid| {
            message::text(openid, "您好，客服小王为您服务。\n请问有什么可以帮您？")
        });
    });
}

#[test]
fn text_with_a_mini_program_link_arrives_with_the_escaped_element() {
    each_backend(|sandbox, caller| {
        let content = concat!(
            "订单详情：<a href=\"https://www.qq.com\" data-miniprogram-appid=\"wx1234567890abcdef\" ",
            "data-miniprogram-path=\"pages/order?id=1&amp;tab=2\">点击&lt;查看&gt;</a>"
        );
        assert_arrives(
            sandbox,
            caller,
            "text",
            json!({ "content": content }),
            |openid| {
                let link = MiniProgramLink::new(
                    "wx1234567890abcdef",
                    "pages/order?id=1&tab=2",
                    "点击<查看>",
                )
                .with_href("https://www.qq.com");
                message::text(openid, format!("订单详情：{link}"))
            },
        );
    });
}

#[test]
fn image_uploaded_with_media_upload_arrives() {
    each_backend(|sandbox, caller| {
        let image = upload(caller, MediaType::Image, "a.png", samples::PNG);
        let payload = json!({ "media_id": image });
        assert_arrives(sandbox, caller, "image", payload, |openid| {
            message::image(openid, &image)
        });
    });
}

#[test]
fn voice_uploaded_with_media_upload_arrives() {
    each_backend(|sandbox, caller| {
        let voice = upload(caller, MediaType::Voice, "a.amr", samples::AMR);
        let payload = json!({ "media_id": voice });
        assert_arrives(sandbox, caller, "voice", payload, |openid| {
            message::voice(openid, &voice)
        });
    });
}

#[test]
fn video_with_its_thumbnail_title_and_description_arrives() {
    each_backend(|sandbox, caller| {
        let video = upload(caller, MediaType::Video, "a.mp4", samples::MP4);
        let thumb = upload(caller, MediaType::Thumb, "t.jpg", samples::JPEG);
        let payload = json!({
            "media_id": video,
            "thumb_media_id": thumb,
            "title": "安装视频",
            "description": "三分钟装好",
        });
        assert_arrives(sandbox, caller, "video", payload, |openid| {
            let content = Video::new(&video, &thumb)
                .with_title("安装视频")
                .with_description("三分钟装好");
            message::video(openid, content)
        });
    });
}

#[test]
fn music_with_a_high_quality_url_arrives() {
    each_backend(|sandbox, caller| {
        let thumb = upload(caller, MediaType::Thumb, "t.jpg", samples::JPEG);
        let payload = json!({
            "title": "TITLE",
            "description": "DESCRIPTION",
            "musicurl": "http://music.invalid/a.mp3",
            "hqmusicurl": "http://music.invalid/a.flac",
            "thumb_media_id": thumb,
        });
        assert_arrives(sandbox, caller, "music", payload, |openid| {
            let music = Music::new("TITLE", "DESCRIPTION", "http://music.invalid/a.mp3", &thumb)
                .with_hqmusicurl("http://music.invalid/a.flac");
            message::music(openid, music)
        });
    });
}

fn one_article() -> Value {
    json!({"articles": [{
        "title": "Happy Day",
        "description": "Is Really A Happy Day",
        "url": "https://example.invalid/a",
        "picurl": "https://example.invalid/a.jpg",
    }]})
}

#[test]
fn news_of_one_article_arrives() {
    each_backend(|sandbox, caller| {
        assert_arrives(sandbox, caller, "news", one_article(), |openid| {
            let article = NewsArticle::new(
                "Happy Day",
                "Is Really A Happy Day",
                "https://example.invalid/a",
                "https://example.invalid/a.jpg",
            );
            message::news(openid, article)
        });
    });
}

#[test]
fn news_card_from_four_fields_arrives_as_one_article() {
    each_backend(|sandbox, caller| {
        assert_arrives(sandbox, caller, "news", one_article(), |openid| {
            message::news_card(
                openid,
                "Happy Day",
                "Is Really A Happy Day",
                "https://example.invalid/a",
                "https://example.invalid/a.jpg",
            )
        });
    });
}

#[test]
fn mpnews_and_mpnewsarticle_arrive() {
    // The sandbox holds no material library or published articles: these ids are not checked.
    each_backend(|sandbox, caller| {
        let payload = json!({"media_id": "MATERIAL_MEDIA_ID"});
        assert_arrives(sandbox, caller, "mpnews", payload, |openid| {
            message::mpnews(openid, "MATERIAL_MEDIA_ID")
        });
        let payload = json!({"article_id": "ARTICLE_ID"});
        assert_arrives(sandbox, caller, "mpnewsarticle", payload, |openid| {
            message::mpnewsarticle(openid, "ARTICLE_ID")
        });
    });
}

#[test]
fn msgmenu_arrives_with_its_options_in_order() {
    each_backend(|sandbox, caller| {
        let payload = json!({
            "head_content": "您对本次服务是否满意呢?",
            "list": [{"id": "101", "content": "满意"}, {"id": "102", "content": "不满意"}],
            "tail_content": "欢迎再次光临",
        });
        assert_arrives(sandbox, caller, "msgmenu", payload, |openid| {
            let menu = MsgMenu::new(vec![
                MsgMenuItem::new("101", "满意"),
                MsgMenuItem::new("102", "不满意"),
            ])
            .with_head_content("您对本次服务是否满意呢?")
            .with_tail_content("欢迎再次光临");
            message::msgmenu(openid, menu)
        });
    });
}

#[test]
fn wxcard_arrives() {
    each_backend(|sandbox, caller| {
        let payload = json!({"card_id": "CARD_ID"});
        assert_arrives(sandbox, caller, "wxcard", payload, |openid| {
            message::wxcard(openid, "CARD_ID")
        });
    });
}

#[test]
fn miniprogrampage_with_an_uploaded_thumbnail_arrives() {
    each_backend(|sandbox, caller| {
        let thumb = upload(caller, MediaType::Thumb, "t.jpg", samples::JPEG);
        let payload = json!({
            "title": "title",
            "appid": "wx1234567890abcdef",
            "pagepath": "pages/index/index?foo=bar",
            "thumb_media_id": thumb,
        });
        assert_arrives(sandbox, caller, "miniprogrampage", payload, |openid| {
            let page = MiniProgramPage::new(
                "title",
                "wx1234567890abcdef",
                "pages/index/index?foo=bar",
                &thumb,
            );
            message::miniprogrampage(openid, page)
        });
    });
}

#[test]
fn as_kf_account_is_delivered_as_that_kf() {
    each_backend(|sandbox, caller| {
        let kf = kf_name(sandbox, "xiaomei");
        caller.call(&kf_account::add(kf.as_str(), "小美")).unwrap();
        let delivered = deliver(sandbox, caller, "text", |openid| {
            message::text(openid, "客服小美为您服务").as_kf_account(kf.as_str())
        });
        assert_eq!(delivered.kf_account.as_deref(), Some(kf.as_str()));
        assert_eq!(delivered.payload, json!({"content": "客服小美为您服务"}));
        // Any type may be sent as a kf account, not only text.
        let delivered = deliver(sandbox, caller, "wxcard", |openid| {
            message::wxcard(openid, "CARD_ID").as_kf_account(kf.as_str())
        });
        assert_eq!(delivered.kf_account.as_deref(), Some(kf.as_str()));
    });
}

#[test]
fn ai_generated_and_the_other_options_arrive() {
    // The strict sandbox refuses any member its schema does not know (47001), so arriving
    // proves `aimsgcontext` and `businessid` went on the wire as WeChat spells them.
    each_backend(|sandbox, caller| {
        let payload = json!({"content": "内容由AI生成"});
        assert_arrives(sandbox, caller, "text", payload.clone(), |openid| {
            message::text(openid, "内容由AI生成").ai_generated()
        });
        assert_arrives(sandbox, caller, "text", payload.clone(), |openid| {
            message::text(openid, "内容由AI生成").with_ai_flag(false)
        });
        assert_arrives(sandbox, caller, "text", payload, |openid| {
            message::text(openid, "内容由AI生成")
                .ai_generated()
                .for_business("1001")
        });
    });
}

#[test]
fn send_raw_arrives_exactly_as_given() {
    each_backend(|sandbox, caller| {
        let kf = kf_name(sandbox, "raw");
        caller.call(&kf_account::add(kf.as_str(), "Raw")).unwrap();
        let delivered = deliver(sandbox, caller, "msgmenu", |openid| {
            SendRaw::new(json!({
                "touser": openid,
                "msgtype": "msgmenu",
                "msgmenu": {"list": [{"id": "1", "content": "是"}]},
                "customservice": {"kf_account": kf},
                "aimsgcontext": {"is_ai_msg": 1},
            }))
        });
        assert_eq!(
            delivered.payload,
            json!({"list": [{"id": "1", "content": "是"}]})
        );
        assert_eq!(delivered.kf_account.as_deref(), Some(kf.as_str()));
    });
}

#[test]
fn the_window_48_hours_after_the_users_message_is_45015() {
    each_frozen_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        sandbox.advance(secs(48 * 3600 - 1));
        caller
            .call(&message::text(&openid, "still inside"))
            .unwrap();
        sandbox.advance(secs(1));
        assert_eq!(
            caller.errcode(&message::text(&openid, "too late")),
            Errcode::RESPONSE_OUT_OF_TIME_LIMIT
        );
        assert_eq!(sandbox.app().inbox(&openid).unwrap().len(), 1);
    });
}

#[test]
fn the_sixth_message_of_a_window_is_45047() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        for i in 0..5 {
            caller
                .call(&message::text(&openid, format!("message {i}")))
                .unwrap();
        }
        assert_eq!(
            caller.errcode(&message::text(&openid, "sixth")),
            Errcode::OUT_OF_RESPONSE_COUNT_LIMIT
        );
        assert_eq!(sandbox.app().inbox(&openid).unwrap().len(), 5);
    });
}

#[test]
fn an_openid_the_account_does_not_have_is_40003() {
    each_backend(|_sandbox, caller| {
        assert_eq!(
            caller.errcode(&message::text("oNOBODY", "hi")),
            Errcode::INVALID_OPENID
        );
    });
}

#[test]
fn as_kf_account_with_an_unknown_kf_is_65401() {
    each_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        let unknown = message::text(&openid, "hi").as_kf_account(kf_name(sandbox, "nobody"));
        assert_eq!(
            caller.errcode(&unknown),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
        );
        assert!(sandbox.app().inbox(&openid).unwrap().is_empty());
    });
}

#[test]
fn typing_start_and_stop_turn_the_indicator_on_and_off() {
    each_frozen_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        caller.call(&typing::start(&openid)).unwrap();
        assert!(is_typing(sandbox, &openid));
        caller.call(&typing::stop(&openid)).unwrap();
        assert!(!is_typing(sandbox, &openid));
        caller.call(&typing::set(&openid, true)).unwrap();
        assert!(is_typing(sandbox, &openid));
        caller.call(&typing::set(&openid, false)).unwrap();
        assert!(!is_typing(sandbox, &openid));
        // Typing is no message: nothing was delivered.
        assert!(sandbox.app().inbox(&openid).unwrap().is_empty());
    });
}

#[test]
fn typing_while_typing_is_45081() {
    each_frozen_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        caller.call(&typing::start(&openid)).unwrap();
        assert_eq!(
            caller.errcode(&typing::set(&openid, true)),
            Errcode::ALREADY_TYPING
        );
    });
}

#[test]
fn typing_more_than_30_seconds_after_the_last_exchange_is_45080() {
    each_frozen_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        sandbox.advance(secs(31));
        assert_eq!(
            caller.errcode(&typing::start(&openid)),
            Errcode::TYPING_NEEDS_RECENT_MESSAGE
        );
    });
}

#[test]
fn typing_outside_the_window_is_45015() {
    each_frozen_backend(|sandbox, caller| {
        let never_wrote = sandbox.app().create_user("Bob").unwrap();
        assert_eq!(
            caller.errcode(&typing::start(&never_wrote)),
            Errcode::RESPONSE_OUT_OF_TIME_LIMIT
        );
        let openid = writing_user(sandbox);
        sandbox.advance(secs(48 * 3600));
        assert_eq!(
            caller.errcode(&typing::start(&openid)),
            Errcode::RESPONSE_OUT_OF_TIME_LIMIT
        );
    });
}

#[test]
fn typing_for_an_unknown_openid_is_40003() {
    each_frozen_backend(|_sandbox, caller| {
        assert_eq!(
            caller.errcode(&typing::start("oNOBODY")),
            Errcode::INVALID_OPENID
        );
        assert_eq!(
            caller.errcode(&typing::stop("oNOBODY")),
            Errcode::INVALID_OPENID
        );
    });
}
