//! A tour of `wechat-types`: builds every Official Account message type, shows the exact JSON
//! WeChat receives, what `validate()` says about bad input, how a pushed XML message decodes,
//! and the XML of a `transfer_customer_service` reply.
//!
//! Run with `cargo run -p wechat-types --all-features --example wire`.
#![allow(clippy::print_stdout)] // Printing is the point of this example.

use wechat_types::Validate;
use wechat_types::mp::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("== custom messages (POST {})", SEND_CUSTOM_MESSAGE.path);
    let messages = [
        CustomMessage::new("OPENID", Text::new("您好，客服 test1 为您服务。")),
        CustomMessage::new("OPENID", Image::new("MEDIA_ID")),
        CustomMessage::new("OPENID", Voice::new("MEDIA_ID")),
        CustomMessage::new(
            "OPENID",
            Video::new("MEDIA_ID", "THUMB_MEDIA_ID").with_title("TITLE"),
        ),
        CustomMessage::new(
            "OPENID",
            Music::new("TITLE", "DESCRIPTION", "MUSIC_URL", "THUMB_MEDIA_ID"),
        ),
        CustomMessage::new(
            "OPENID",
            News::new(vec![NewsArticle::new(
                "Happy Day",
                "Is Really A Happy Day",
                "URL",
                "PIC_URL",
            )]),
        ),
        CustomMessage::new("OPENID", MpNews::new("MEDIA_ID")),
        CustomMessage::new("OPENID", MpNewsArticle::new("ARTICLE_ID")),
        CustomMessage::new(
            "OPENID",
            MsgMenu::new(vec![
                MsgMenuItem::new("101", "满意"),
                MsgMenuItem::new("102", "不满意"),
            ])
            .with_head_content("您对本次服务是否满意呢?"),
        ),
        CustomMessage::new("OPENID", WxCard::new("CARD_ID")),
        CustomMessage::new(
            "OPENID",
            MiniProgramPage::new("title", "APPID", "pages/index/index", "THUMB_MEDIA_ID"),
        )
        .with_customservice(CustomService::new(KfAccount::new("test1@kftest"))),
    ];
    for message in &messages {
        message.validate()?;
        println!("{}", serde_json::to_string(message)?);
    }

    println!("\n== validation before sending");
    let two_articles = NewsArticle::new("title", "description", "url", "picurl");
    let bad = [
        CustomMessage::new("OPENID", Text::new("")),
        CustomMessage::new(
            "OPENID",
            News::new(vec![two_articles.clone(), two_articles]),
        ),
        CustomMessage::new("OPENID", Text::new("hi"))
            .with_customservice(CustomService::new(KfAccount::new("no-at-sign"))),
    ];
    for message in &bad {
        println!("{}", message.validate().unwrap_err());
    }

    println!("\n== a pushed XML message");
    let push = "<xml><ToUserName><![CDATA[gh_123456789abc]]></ToUserName><FromUserName><![CDATA[OPENID]]></FromUserName>\
                <CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[满意]]></Content>\
                <MsgId>1234567890123456</MsgId><bizmsgmenuid>101</bizmsgmenuid></xml>";
    let message: InboundMessage = wechat_types::xml::from_str(push)?;
    println!("{message:#?}");

    println!("\n== hand the user to the kf system");
    if let InboundMessage::Text(text) = &message {
        let header = MessageHeader::new(
            &text.header.from_user_name,
            &text.header.to_user_name,
            text.header.create_time,
        );
        let reply = PassiveReply::from(
            TransferCustomerService::new(header)
                .with_trans_info(TransInfo::new(KfAccount::new("test1@test"))),
        );
        reply.validate()?;
        println!("{}", wechat_types::xml::to_string(&reply)?);
    }
    Ok(())
}
