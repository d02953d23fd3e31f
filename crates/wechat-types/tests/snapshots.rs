//! Exact wire bytes of every message type and request, built through the public constructors
//! (insta snapshots under `tests/snapshots/`, reviewed when they change).

use serde::Serialize;
use wechat_types::Validate;
use wechat_types::common::{
    GrantType, MediaType, MediaUploadQuery, StableTokenRequest, TokenQuery,
};
use wechat_types::mp::*;

fn wire<T: Serialize + Validate>(value: &T) -> String {
    value.validate().expect("snapshot payloads are valid");
    serde_json::to_string(value).unwrap()
}

fn custom_messages() -> Vec<(&'static str, CustomMessage)> {
    let to = "OPENID";
    vec![
        ("text", CustomMessage::new(to, Text::new("Hello World"))),
        (
            "text_with_miniprogram_link",
            CustomMessage::new(
                to,
                Text::new(
                    r#"<a href="http://www.qq.com" data-miniprogram-appid="APPID" data-miniprogram-path="pages/index/index">点击跳小程序</a>"#,
                ),
            ),
        ),
        (
            "text_as_kf_account",
            CustomMessage::new(to, Text::new("Hello World"))
                .with_customservice(CustomService::new(KfAccount::new("test1@kftest"))),
        ),
        (
            "text_ai_generated",
            CustomMessage::new(to, Text::new("Hello World"))
                .with_aimsgcontext(AiMsgContext::new(1)),
        ),
        ("image", CustomMessage::new(to, Image::new("MEDIA_ID"))),
        ("voice", CustomMessage::new(to, Voice::new("MEDIA_ID"))),
        (
            "video",
            CustomMessage::new(
                to,
                Video::new("MEDIA_ID", "THUMB_MEDIA_ID")
                    .with_title("TITLE")
                    .with_description("DESCRIPTION"),
            ),
        ),
        (
            "video_without_title",
            CustomMessage::new(to, Video::new("MEDIA_ID", "THUMB_MEDIA_ID")),
        ),
        (
            "music",
            CustomMessage::new(
                to,
                Music::new(
                    "MUSIC_TITLE",
                    "MUSIC_DESCRIPTION",
                    "MUSIC_URL",
                    "THUMB_MEDIA_ID",
                )
                .with_hqmusicurl("HQ_MUSIC_URL"),
            ),
        ),
        (
            "news",
            CustomMessage::new(
                to,
                News::new(vec![NewsArticle::new(
                    "Happy Day",
                    "Is Really A Happy Day",
                    "URL",
                    "PIC_URL",
                )]),
            ),
        ),
        ("mpnews", CustomMessage::new(to, MpNews::new("MEDIA_ID"))),
        (
            "mpnewsarticle",
            CustomMessage::new(to, MpNewsArticle::new("ARTICLE_ID")),
        ),
        (
            "msgmenu",
            CustomMessage::new(
                to,
                MsgMenu::new(vec![
                    MsgMenuItem::new("101", "满意"),
                    MsgMenuItem::new("102", "不满意"),
                ])
                .with_head_content("您对本次服务是否满意呢? ")
                .with_tail_content("欢迎再次光临"),
            ),
        ),
        (
            "wxcard",
            CustomMessage::new(to, WxCard::new("123dsdajkasd231jhksad")),
        ),
        (
            "miniprogrampage",
            CustomMessage::new(
                to,
                MiniProgramPage::new(
                    "title",
                    "appid",
                    "pages/index/index?foo=bar",
                    "thumb_media_id",
                ),
            ),
        ),
        (
            "sub_merchant",
            CustomMessage::new(to, Text::new("Hello World")).with_businessid("BUSINESS_ID"),
        ),
    ]
}

#[test]
fn custom_message_of_every_type() {
    let messages = custom_messages();
    // All eleven Official Account message types are covered.
    let mut types: Vec<String> = messages
        .iter()
        .map(|(_, m)| {
            serde_json::to_value(m).unwrap()["msgtype"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    types.sort();
    types.dedup();
    assert_eq!(
        types,
        [
            "image",
            "miniprogrampage",
            "mpnews",
            "mpnewsarticle",
            "msgmenu",
            "music",
            "news",
            "text",
            "video",
            "voice",
            "wxcard"
        ]
    );
    for (name, message) in messages {
        insta::assert_snapshot!(format!("custom_message_{name}"), wire(&message));
    }
}

#[test]
fn requests() {
    let kf = || KfAccount::new("test1@test");
    insta::assert_snapshot!(
        "typing",
        wire(&TypingRequest::new("OPENID", TypingCommand::Typing))
    );
    insta::assert_snapshot!(
        "cancel_typing",
        wire(&TypingRequest::new("OPENID", TypingCommand::CancelTyping))
    );
    insta::assert_snapshot!(
        "kf_account_add",
        wire(&KfAccountProfile::new(kf(), "客服1"))
    );
    insta::assert_snapshot!(
        "kf_account_delete",
        wire(&DeleteKfAccountRequest::new(kf()))
    );
    insta::assert_snapshot!(
        "kf_account_invite_worker",
        wire(&InviteWorkerRequest::new(kf(), "test_kfwx"))
    );
    insta::assert_snapshot!(
        "kf_session_create",
        wire(&KfSessionRequest::new(kf(), "OPENID"))
    );
    insta::assert_snapshot!(
        "msg_record_page",
        wire(&GetMsgListRequest::new(1464710400, 1464796800, 1, 10000))
    );
    insta::assert_snapshot!("kf_list_query_empty", wire(&KfListQuery::new()));
    insta::assert_snapshot!("token_query", wire(&TokenQuery::new("APPID", "APPSECRET")));
    insta::assert_snapshot!(
        "stable_token",
        wire(&StableTokenRequest::new("APPID", "APPSECRET").with_force_refresh(false))
    );
    insta::assert_snapshot!(
        "media_upload_query",
        wire(&MediaUploadQuery::new(MediaType::Thumb))
    );
    // `grant_type` is filled in: it has one possible value.
    assert_eq!(
        TokenQuery::new("APPID", "APPSECRET").grant_type,
        GrantType::ClientCredential
    );
}

#[cfg(feature = "xml")]
#[test]
fn passive_replies_as_xml() {
    let header = || MessageHeader::new("OPENID", "gh_account", 1399197672);
    let plain = PassiveReply::from(TransferCustomerService::new(header()));
    insta::assert_snapshot!(
        "reply_transfer_customer_service",
        wechat_types::xml::to_string(&plain).unwrap()
    );
    let routed = PassiveReply::from(
        TransferCustomerService::new(header())
            .with_trans_info(TransInfo::new(KfAccount::new("test1@test"))),
    );
    routed.validate().unwrap();
    insta::assert_snapshot!(
        "reply_transfer_to_kf_account",
        wechat_types::xml::to_string(&routed).unwrap()
    );
}
