//! Every customer-service message type, sent with the blocking client against the sandbox
//! started in-process.
//!
//! The media the messages name (image, voice, video and thumbnails) is uploaded first with
//! `media::upload`; then each of the twelve `message::*` functions sends once, a text goes out
//! as a kf account and one carries the AI caption flag. WeChat allows 5 messages per message
//! the user writes, so the user writes again between batches, and the last send shows the
//! quota refusal as a typed errcode. The example prints each outcome and what the user's
//! phone shows, then stops; any other refusal stops it with the error.
//!
//! ```sh
//! cargo run -p wechat-mp --example send_all
//! ```
#![allow(clippy::print_stdout)] // Printing the outcomes is the point.

use wechat_core::types::common::{Errcode, MediaType};
use wechat_core::{Error, Upload};
use wechat_mp::message::{self, MiniProgramLink, SendMessage};
use wechat_mp::types::{MiniProgramPage, MsgMenu, MsgMenuItem, Music, NewsArticle, Video};
use wechat_mp::{kf_account, media};
use wechat_sandbox::{Sandbox, UserMessage, samples};

/// How many custom messages WeChat accepts per message the user writes (reference §2.1).
const PER_USER_MESSAGE: usize = 5;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start()?;
    let app = sandbox.app();
    println!(
        "== wechat-sandbox at {} (app {})\n",
        sandbox.url(),
        app.appid()
    );
    let client = app.blocking_client().build()?;

    let upload = |media_type: MediaType, name: &str, bytes: &[u8]| {
        client
            .execute(&media::upload(
                media_type,
                Upload::from_bytes(name, bytes.to_vec()),
            ))
            .map(|uploaded| uploaded.media_id)
    };
    let image = upload(MediaType::Image, "menu.png", samples::PNG)?;
    let voice = upload(MediaType::Voice, "hello.amr", samples::AMR)?;
    let video = upload(MediaType::Video, "tour.mp4", samples::MP4)?;
    let thumb = upload(MediaType::Thumb, "cover.jpg", samples::JPEG)?;
    println!("uploaded image {image}, voice {voice}, video {video}, thumb {thumb}");

    let kf = format!("xiaomei@{}", app.wechat_id());
    client.execute(&kf_account::add(&kf, "小美"))?;
    println!("added kf account {kf}\n");

    let ann = app.create_user("Ann")?;
    let mini_program =
        MiniProgramLink::new("wx1234567890abcdef", "pages/order/index?id=42", "查看订单");
    let messages: Vec<(&str, SendMessage)> = vec![
        ("text", message::text(&ann, "您好，欢迎光临！")),
        (
            "text with a mini-program link",
            message::text(&ann, format!("订单已发货：{mini_program}")),
        ),
        (
            "text as a kf account",
            message::text(&ann, "我是客服小美。").as_kf_account(&kf),
        ),
        (
            "text written by AI",
            message::text(&ann, "这条回复由 AI 生成。").ai_generated(),
        ),
        ("image", message::image(&ann, &image)),
        ("voice", message::voice(&ann, &voice)),
        (
            "video",
            message::video(
                &ann,
                Video::new(&video, &thumb)
                    .with_title("门店导览")
                    .with_description("两分钟看完"),
            ),
        ),
        (
            "music",
            message::music(
                &ann,
                Music::new(
                    "等待音乐",
                    "客服忙，请稍候",
                    "https://example.com/wait.mp3",
                    &thumb,
                )
                .with_hqmusicurl("https://example.com/wait-hq.mp3"),
            ),
        ),
        (
            "news",
            message::news(
                &ann,
                NewsArticle::new(
                    "春季上新",
                    "全场八折",
                    "https://example.com/spring",
                    "https://example.com/spring.png",
                ),
            ),
        ),
        (
            "news (the 4-field form)",
            message::news_card(
                &ann,
                "退货指南",
                "三步完成退货",
                "https://example.com/returns",
                "https://example.com/returns.png",
            ),
        ),
        ("mpnews", message::mpnews(&ann, "MATERIAL_MEDIA_ID")),
        ("mpnewsarticle", message::mpnewsarticle(&ann, "ARTICLE_ID")),
        (
            "msgmenu",
            message::msgmenu(
                &ann,
                MsgMenu::new(vec![
                    MsgMenuItem::new("101", "满意"),
                    MsgMenuItem::new("102", "不满意"),
                ])
                .with_head_content("您对本次服务满意吗？")
                .with_tail_content("欢迎再次光临"),
            ),
        ),
        (
            "wxcard",
            message::wxcard(&ann, "pFS7Fjg8kV1IdDz01r4SQwMkuCKc"),
        ),
        (
            "miniprogrampage",
            message::miniprogrampage(
                &ann,
                MiniProgramPage::new(
                    "我的订单",
                    "wx1234567890abcdef",
                    "pages/order/index?id=42",
                    &thumb,
                ),
            ),
        ),
    ];

    for (sent, (what, message)) in messages.iter().enumerate() {
        if sent % PER_USER_MESSAGE == 0 {
            println!("Ann writes: 在吗？ (the account may answer 5 times)");
            app.writes_blocking(&ann, UserMessage::text("在吗？"))?;
        }
        client.execute(message)?;
        println!("  sent {what}");
    }
    // The quota of Ann's last message is used up: the next send is refused, typed.
    match client.execute(&message::text(&ann, "还有一件事……")) {
        Err(Error::Api(refused)) if refused.code() == Errcode::OUT_OF_RESPONSE_COUNT_LIMIT => {
            println!("a sixth message: refused as expected: {refused}");
        }
        other => {
            return Err(format!("a sixth message should be refused with 45047: {other:?}").into());
        }
    }

    println!("\n== what Ann's phone shows");
    for delivered in app.inbox(&ann)? {
        let from = delivered.kf_account.as_deref().unwrap_or("the account");
        println!(
            "   #{} from {from}: {} {}",
            delivered.seq, delivered.msgtype, delivered.payload
        );
    }
    Ok(())
}
