//! A customer writes to an Official Account and a bot answers: the whole loop over real HTTP,
//! against the sandbox started in-process, printed as a transcript.
//!
//! The bot is an ordinary WeChat bot: an axum server whose callback URL checks and decrypts
//! the pushes (safe mode) with `wechat_core::callback::Receiver`, and a `wechat_core::Client`
//! that answers through the customer-service API: typing, text, a menu, a news card, an
//! image; a hand-over to a human kf with `transfer_customer_service`; and, two days later,
//! the 48-hour window refusing a message as a typed error.
//!
//! ```sh
//! cargo run -p wechat-sandbox --example demo
//! ```
//!
//! With `WECHAT_APPID`, `WECHAT_SECRET` and `WECHAT_OPENID` (a user who wrote to the account
//! in the last 48 hours) in the environment, the bot's answers go to WeChat itself instead.
#![allow(clippy::print_stdout)] // Printing the transcript is the point.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use wechat_core::callback::{Push, Receiver};
use wechat_core::endpoints::common::UploadTempMedia;
use wechat_core::endpoints::mp::{AddKfAccount, InviteKfWorker, SendCustomMessage, SetTyping};
use wechat_core::types::common::{MediaType, MediaUploadQuery};
use wechat_core::types::mp::*;
use wechat_core::{Client, Error, OfficialAccount, Upload};
use wechat_sandbox::{CallbackConfig, Sandbox, UserMessage, samples};

/// The callback's Token and EncodingAESKey (the bot's and the account's settings agree).
const TOKEN: &str = "demo-callback-token";
const AES_KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    match live_settings() {
        Some((appid, secret, openid)) => live(&appid, &secret, &openid).await,
        None => sandboxed().await,
    }
}

/// The conversation against the sandbox.
async fn sandboxed() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start()?;
    let app = sandbox.app();
    println!(
        "== wechat-sandbox at {} (app {})\n",
        sandbox.url(),
        app.appid()
    );

    let client = app.client().build()?;
    let kf = KfAccount::new(format!("xiaomei@{}", app.wechat_id()));
    let bot = Arc::new(Bot {
        client: client.clone(),
        receiver: Receiver::official_account(TOKEN).with_encoding_aes_key(AES_KEY, app.appid())?,
        kf: kf.clone(),
    });
    let callback = serve(Arc::clone(&bot)).await?;
    app.set_callback(Some(CallbackConfig::safe(&callback, TOKEN, AES_KEY)))?;
    println!("   the bot listens at {callback} (safe mode: pushes and replies encrypted)");

    // A human colleague joins the kf team: an account, an invitation, accepted, online.
    client
        .execute(&AddKfAccount::new(KfAccountProfile::new(
            kf.clone(),
            "小美",
        )))
        .await?;
    client
        .execute(&InviteKfWorker::new(InviteWorkerRequest::new(
            kf.clone(),
            "xiaomei_wx",
        )))
        .await?;
    app.answer_invitation(kf.as_str(), true)?;
    app.set_online(kf.as_str(), true)?;
    println!("   kf account {kf} added, bound to WeChat user xiaomei_wx, online\n");

    let ann = app.create_user("Ann")?;
    let says = |text: &str| println!("Ann     > {text}");

    says("你好，我的订单还没到");
    report(
        app.writes(&ann, UserMessage::text("你好，我的订单还没到"))
            .await?,
    );

    says("(taps 查询物流)");
    report(app.writes(&ann, UserMessage::menu_choice("101")).await?);

    says("(sends a photo of the parcel label)");
    report(app.writes(&ann, UserMessage::Image).await?);

    says("(taps 转人工客服)");
    report(app.writes(&ann, UserMessage::menu_choice("102")).await?);
    println!("          Ann's session: {:?}", app.user(&ann)?.session);
    app.kf_accepts(kf.as_str(), &ann)?;
    println!("          {kf} accepts Ann: {:?}", app.user(&ann)?.session);

    says("谢谢！");
    report(app.writes(&ann, UserMessage::text("谢谢！")).await?);
    let reply = CustomMessage::new(&ann, Text::new("不客气，包裹明天上午送达。"))
        .with_customservice(CustomService::new(kf.clone()));
    bot.send("小美 answers as herself", reply).await;

    println!("\n   ... two days pass (the sandbox's virtual clock) ...\n");
    sandbox.advance(Duration::from_secs(48 * 3600));
    bot.send(
        "a follow-up, outside the window",
        CustomMessage::new(&ann, Text::new("您对这次服务满意吗？")),
    )
    .await;

    println!("\n== what Ann's phone shows");
    for delivered in app.inbox(&ann)? {
        let from = delivered.kf_account.as_deref().unwrap_or("the account");
        println!(
            "   #{} {:?} from {from}: {} {}",
            delivered.seq, delivered.via, delivered.msgtype, delivered.payload
        );
    }
    println!("\n== the API calls the bot made");
    for call in sandbox.calls() {
        println!(
            "   {} {} -> errcode {}",
            call.method, call.path, call.errcode
        );
    }
    Ok(())
}

/// The bot: a receiver for its callback URL and a client for its answers.
struct Bot {
    client: Client<OfficialAccount>,
    receiver: Receiver<OfficialAccount>,
    kf: KfAccount,
}

impl Bot {
    /// Answers one push; returns the passive reply (plain XML, `None` for `success`).
    async fn answer(&self, push: &Push<InboundMessage>) -> Option<String> {
        match &push.message {
            InboundMessage::Text(text) => {
                let openid = &text.header.from_user_name;
                println!(
                    "bot     < text {:?} (menu option {:?})",
                    text.content, text.biz_msg_menu_id
                );
                match text.biz_msg_menu_id.as_deref() {
                    Some("101") => {
                        self.send(
                            "a news card",
                            CustomMessage::new(
                                openid,
                                News::new(vec![NewsArticle::new(
                                    "您的包裹正在派送中",
                                    "SF1234567890 · 预计明天送达",
                                    "https://example.com/track/SF1234567890",
                                    "https://example.com/parcel.png",
                                )]),
                            ),
                        )
                        .await;
                        None
                    }
                    Some("102") => {
                        println!("bot     > passive reply: transfer_customer_service");
                        let header = MessageHeader::new(
                            openid,
                            &text.header.to_user_name,
                            text.header.create_time,
                        );
                        let transfer = PassiveReply::from(TransferCustomerService::new(header));
                        wechat_types_xml(&transfer)
                    }
                    _ => {
                        let typing =
                            SetTyping::new(TypingRequest::new(openid, TypingCommand::Typing));
                        if let Err(error) = self.client.execute(&typing).await {
                            println!("bot     ! typing: {error}");
                        }
                        self.send(
                            "text",
                            CustomMessage::new(
                                openid,
                                Text::new("您好！我是客服机器人，马上为您查询。"),
                            ),
                        )
                        .await;
                        let menu = MsgMenu::new(vec![
                            MsgMenuItem::new("101", "查询物流"),
                            MsgMenuItem::new("102", "转人工客服"),
                        ])
                        .with_head_content("请问您需要：");
                        self.send("a menu", CustomMessage::new(openid, menu)).await;
                        None
                    }
                }
            }
            InboundMessage::Image(image) => {
                let openid = &image.header.from_user_name;
                println!("bot     < image (media_id {}…)", &image.media_id[..8]);
                let upload = UploadTempMedia::new(
                    MediaUploadQuery::new(MediaType::Image),
                    Upload::from_bytes("map.png", samples::PNG),
                );
                match self.client.execute(&upload).await {
                    Ok(uploaded) => {
                        self.send(
                            "an image",
                            CustomMessage::new(openid, Image::new(uploaded.media_id)),
                        )
                        .await;
                    }
                    Err(error) => println!("bot     ! upload: {error}"),
                }
                None
            }
            InboundMessage::Event(InboundEvent::KfCreateSession(event)) => {
                println!("bot     < event kf_create_session by {}", event.kf_account);
                let openid = &event.header.from_user_name;
                let greeting = CustomMessage::new(openid, Text::new("您好，我是客服小美。"))
                    .with_customservice(CustomService::new(self.kf.clone()));
                self.send("小美's greeting", greeting).await;
                None
            }
            other => {
                println!("bot     < {other:?}");
                None
            }
        }
    }

    /// Sends a custom message and prints what happened.
    async fn send(&self, what: &str, message: CustomMessage) {
        let msgtype = serde_json::to_value(&message.content)
            .ok()
            .and_then(|v| v["msgtype"].as_str().map(str::to_owned))
            .unwrap_or_default();
        match self.client.execute(&SendCustomMessage::new(message)).await {
            Ok(()) => println!("bot     > {what} ({msgtype}): sent"),
            Err(Error::Api(refused)) => println!(
                "bot     ! {what} ({msgtype}): refused with errcode {} — {}",
                refused.code().value(),
                refused.code().info().map_or("", |info| info.meaning)
            ),
            Err(error) => println!("bot     ! {what} ({msgtype}): {error}"),
        }
    }
}

fn wechat_types_xml(reply: &PassiveReply) -> Option<String> {
    wechat_core::types::xml::to_string(reply).ok()
}

/// Prints what became of a message Ann wrote.
fn report(report: wechat_sandbox::PushReport) {
    println!("          -> {:?}, {:?}", report.route, report.outcome);
}

/// Starts the bot's callback server; returns its URL.
async fn serve(bot: Arc<Bot>) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/wechat", listener.local_addr()?);
    let app = axum::Router::new()
        .route("/wechat", axum::routing::post(callback))
        .with_state(bot);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(url)
}

/// The callback URL: check and decrypt, answer, seal the passive reply.
async fn callback(State(bot): State<Arc<Bot>>, RawQuery(query): RawQuery, body: Bytes) -> String {
    let push = match bot
        .receiver
        .receive(query.as_deref().unwrap_or_default(), &body)
    {
        Ok(push) => push,
        Err(error) => {
            println!("bot     ! refused a push: {error}");
            return String::new();
        }
    };
    match bot.answer(&push).await {
        Some(reply) => bot.receiver.reply(&push, &reply).unwrap_or_default(),
        None => "success".to_owned(),
    }
}

/// `WECHAT_APPID`, `WECHAT_SECRET` and `WECHAT_OPENID`, when all are set.
fn live_settings() -> Option<(String, String, String)> {
    let var = |name| std::env::var(name).ok().filter(|value| !value.is_empty());
    Some((
        var("WECHAT_APPID")?,
        var("WECHAT_SECRET")?,
        var("WECHAT_OPENID")?,
    ))
}

/// The bot's side of the conversation against WeChat itself: the customer is real, so only
/// the answers are sent.
async fn live(appid: &str, secret: &str, openid: &str) -> Result<(), Box<dyn std::error::Error>> {
    println!("== WeChat itself, app {appid}, user {openid}\n");
    let bot = Bot {
        client: Client::official_account(appid, secret).build()?,
        receiver: Receiver::official_account(TOKEN),
        kf: KfAccount::new("unused@unused"),
    };
    bot.send(
        "text",
        CustomMessage::new(openid, Text::new("您好！我是客服机器人。")),
    )
    .await;
    let menu = MsgMenu::new(vec![
        MsgMenuItem::new("101", "查询物流"),
        MsgMenuItem::new("102", "转人工客服"),
    ])
    .with_head_content("请问您需要：");
    bot.send("a menu", CustomMessage::new(openid, menu)).await;
    Ok(())
}
