//! An echo bot for an Official Account, async on axum, against the sandbox started in-process.
//!
//! The bot's callback URL opens each push with [`wechat_mp::inbound::Callback`] (safe mode:
//! pushes and replies encrypted) and answers through the customer-service API: it shows
//! "typing", then echoes a text, an image or a voice clip back with `message::*`. A location
//! gets a passive text reply, "人工" hands the user to a human kf with
//! `transfer_customer_service`, and the kf's session events arrive typed. A simulated user,
//! Ann, writes one message of each kind; the example prints the exchange and what Ann's phone
//! shows, then stops.
//!
//! ```sh
//! cargo run -p wechat-mp --example echo_bot
//! ```
#![allow(clippy::print_stdout)] // Printing the exchange is the point.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::routing::get;
use wechat_core::{Client, Error, OfficialAccount};
use wechat_mp::inbound::{Callback, Incoming, Reply};
use wechat_mp::message::{self, SendMessage};
use wechat_mp::types::{InboundEvent, InboundMessage};
use wechat_mp::{kf_account, typing};
use wechat_sandbox::{CallbackConfig, Sandbox, UserMessage};

/// The callback's Token and EncodingAESKey: the bot's and the account's settings agree.
const TOKEN: &str = "echo-bot-callback-token";
const AES_KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start()?;
    let app = sandbox.app();
    println!(
        "== wechat-sandbox at {} (app {})",
        sandbox.url(),
        app.appid()
    );

    let bot = Arc::new(Bot {
        client: app.client().build()?,
        callback: Callback::safe(TOKEN, AES_KEY, app.appid())?,
    });
    let url = serve(Arc::clone(&bot)).await?;
    app.set_callback(Some(CallbackConfig::safe(&url, TOKEN, AES_KEY)))?;
    println!("   the bot listens at {url}");

    // A human colleague for the hand-over: a kf account bound to a WeChat user, online.
    let kf = format!("xiaomei@{}", app.wechat_id());
    bot.client.execute(&kf_account::add(&kf, "小美")).await?;
    bot.client
        .execute(&kf_account::invite(&kf, "xiaomei_wx"))
        .await?;
    app.answer_invitation(&kf, true)?;
    app.set_online(&kf, true)?;
    println!("   kf account {kf} is online\n");

    let ann = app.create_user("Ann")?;
    for (what, said) in [
        ("你好", UserMessage::text("你好")),
        ("(a photo)", UserMessage::Image),
        ("(a voice clip)", UserMessage::Voice),
        (
            "(her location)",
            UserMessage::Location {
                latitude: 23.134_521,
                longitude: 113.358_803,
                scale: 15,
                label: "广州市天河区".to_owned(),
            },
        ),
        ("人工", UserMessage::text("人工")),
    ] {
        println!("Ann > {what}");
        let report = app.writes(&ann, said).await?;
        println!("      -> {:?}, {:?}", report.route, report.outcome);
    }
    // The kf takes the waiting session: WeChat pushes `kf_create_session`.
    app.kf_accepts(&kf, &ann)?;
    println!("      {kf} accepts Ann: {:?}", app.user(&ann)?.session);

    println!("\n== what Ann's phone shows");
    for delivered in app.inbox(&ann)? {
        let from = delivered.kf_account.as_deref().unwrap_or("the account");
        println!(
            "   #{} {:?} from {from}: {} {}",
            delivered.seq, delivered.via, delivered.msgtype, delivered.payload
        );
    }
    Ok(())
}

/// The bot: its callback settings and a client for its answers.
struct Bot {
    client: Client<OfficialAccount>,
    callback: Callback,
}

impl Bot {
    /// Answers one push: echoes through the custom-message API, or a passive reply.
    async fn answer(&self, incoming: &Incoming) -> Reply {
        let openid = incoming.openid();
        match incoming.message() {
            InboundMessage::Text(text) if text.content == "人工" => {
                println!(
                    "bot < text {:?}: passive transfer_customer_service",
                    text.content
                );
                Reply::transfer()
            }
            InboundMessage::Text(text) => {
                println!("bot < text {:?}", text.content);
                self.echo(message::text(openid, format!("你说：{}", text.content)))
                    .await
            }
            InboundMessage::Image(image) => {
                println!("bot < image {}", image.media_id);
                self.echo(message::image(openid, &image.media_id)).await
            }
            InboundMessage::Voice(voice) => {
                println!("bot < voice {}", voice.media_id);
                self.echo(message::voice(openid, &voice.media_id)).await
            }
            InboundMessage::Location(location) => {
                let place = location.label.as_deref().unwrap_or("?");
                println!("bot < location {place:?}: passive text");
                Reply::text(format!("收到您的位置：{place}"))
            }
            InboundMessage::Event(InboundEvent::KfCreateSession(event)) => {
                println!("bot < event kf_create_session by {}", event.kf_account);
                Reply::success()
            }
            other => {
                println!("bot < {other:?}");
                Reply::success()
            }
        }
    }

    /// "Typing", then `message`; answers the push with `success`.
    async fn echo(&self, message: SendMessage) -> Reply {
        let openid = message.message().touser.clone();
        report("typing", self.client.execute(&typing::start(openid)).await);
        report("echo", self.client.execute(&message).await);
        Reply::success()
    }
}

/// Prints what became of a call.
fn report(what: &str, outcome: Result<(), Error>) {
    match outcome {
        Ok(()) => println!("bot > {what}: sent"),
        Err(error) => println!("bot ! {what}: {error}"),
    }
}

/// Starts the bot's callback server on 127.0.0.1; returns its URL.
async fn serve(bot: Arc<Bot>) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/wechat", listener.local_addr()?);
    let routes = Router::new()
        .route("/wechat", get(verify).post(push))
        .with_state(bot);
    tokio::spawn(async move { axum::serve(listener, routes).await });
    Ok(url)
}

/// WeChat's URL verification: the `echostr`, when the signature holds.
async fn verify(
    State(bot): State<Arc<Bot>>,
    RawQuery(query): RawQuery,
) -> Result<String, StatusCode> {
    bot.callback
        .verify_url(query.as_deref().unwrap_or_default())
        .map_err(|_| StatusCode::FORBIDDEN)
}

/// A push: check and decrypt, answer, seal the passive reply.
async fn push(
    State(bot): State<Arc<Bot>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<String, StatusCode> {
    let incoming = bot
        .callback
        .open(query.as_deref().unwrap_or_default(), &body)
        .map_err(|error| {
            println!("bot ! refused a push: {error}");
            StatusCode::FORBIDDEN
        })?;
    let reply = bot.answer(&incoming).await;
    bot.callback.respond(&incoming, reply).map_err(|error| {
        println!("bot ! cannot answer: {error}");
        StatusCode::INTERNAL_SERVER_ERROR
    })
}
