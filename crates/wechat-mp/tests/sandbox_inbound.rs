//! `wechat_mp::inbound` behind a real callback server (axum on 127.0.0.1), with the sandbox
//! as the WeChat that pushes to it, in plain and safe mode and with both client backends: the
//! URL verification echo, user messages and kf session events opened as typed `Incoming`s,
//! every passive `Reply` (text, image, voice, video, music, transfer, transfer to a kf,
//! success) applied by the sandbox, and pushes the `Callback` refuses with a typed
//! `CallbackError` failing the delivery (reference §8).

#[path = "../../wechat-sandbox/tests/support/mod.rs"]
mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use wechat_core::Upload;
use wechat_core::callback::{CallbackError, Receiver, plain_signature};
use wechat_core::types::common::MediaType;
use wechat_core::types::mp::{
    InboundEvent, InboundMessage, InboundText, KfCloseSession, KfCreateSession, MessageHeader,
    ReplyMusic, ReplyVideo,
};
use wechat_mp::inbound::{Callback, Incoming, Reply};
use wechat_mp::{kf_account, kf_session, media};
use wechat_sandbox::{
    CallbackConfig, CallbackMode, DeliveredVia, PushOutcome, PushReport, PushRoute, Sandbox,
    SessionView, UserMessage, samples,
};

use support::served::Served;
use support::{Caller, each_frozen_backend, http_get, kf_name, secs};

const TOKEN: &str = "inbound-token-3e7a";
const AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const MODES: [CallbackMode; 2] = [CallbackMode::Plain, CallbackMode::Safe];

/// What the callback server saw and answered.
#[derive(Debug, Default)]
struct Seen {
    /// Every push `Callback::open` accepted.
    incoming: Vec<Incoming>,
    /// Every body answered to an accepted push (`Callback::respond`).
    answers: Vec<String>,
    /// Every refusal of `verify_url`, `open` or `respond`.
    refusals: Vec<CallbackError>,
}

type Answering = Arc<dyn Fn(&Incoming) -> Reply + Send + Sync>;

struct Shared {
    callback: Callback,
    answer: Answering,
    seen: Mutex<Seen>,
}

/// A bot's callback URL served by axum on a runtime of its own: `GET` answers the URL
/// verification with `Callback::verify_url`, `POST` opens the push with `Callback::open`,
/// asks `answer` and writes the reply with `Callback::respond`; a refusal is HTTP 400.
struct Server {
    served: Served,
    shared: Arc<Shared>,
}

impl Server {
    fn start(
        callback: Callback,
        answer: impl Fn(&Incoming) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let shared = Arc::new(Shared {
            callback,
            answer: Arc::new(answer),
            seen: Mutex::new(Seen::default()),
        });
        let app = Router::new()
            .route("/wechat", axum::routing::get(verify_url).post(receive_push))
            .with_state(Arc::clone(&shared));
        Server {
            served: Served::start(app, "/wechat"),
            shared,
        }
    }

    /// A server with `callback` that the sandbox's app pushes to as `config(url)` says.
    fn serving(
        sandbox: &Sandbox,
        callback: Callback,
        config: impl FnOnce(&str) -> CallbackConfig,
        answer: impl Fn(&Incoming) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let server = Server::start(callback.with_clock(Arc::new(sandbox.clock())), answer);
        sandbox
            .app()
            .set_callback(Some(config(server.served.url())))
            .unwrap();
        server
    }

    /// A server sharing the app's secrets in `mode`, pushed to in `mode`.
    fn for_mode(
        sandbox: &Sandbox,
        mode: CallbackMode,
        answer: impl Fn(&Incoming) -> Reply + Send + Sync + 'static,
    ) -> Self {
        Server::serving(
            sandbox,
            callback(sandbox, mode),
            |url| pushing(mode, url),
            answer,
        )
    }

    fn seen<T>(&self, read: impl FnOnce(&Seen) -> T) -> T {
        read(&self.shared.seen.lock().unwrap())
    }

    /// The callback the server checks with.
    fn callback(&self) -> &Callback {
        &self.shared.callback
    }

    /// Waits until `count` pushes were accepted (session events are pushed in the
    /// background) and returns them.
    fn wait_for_incoming(&self, count: usize) -> Vec<Incoming> {
        for _ in 0..400 {
            let incoming = self.seen(|seen| seen.incoming.clone());
            if incoming.len() >= count {
                return incoming;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!(
            "the server never accepted {count} pushes: {:?}",
            self.seen(|seen| seen.incoming.len())
        );
    }
}

async fn verify_url(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    match shared.callback.verify_url(&query.unwrap_or_default()) {
        Ok(echo) => echo.into_response(),
        Err(refusal) => {
            shared.seen.lock().unwrap().refusals.push(refusal);
            StatusCode::BAD_REQUEST.into_response()
        }
    }
}

async fn receive_push(
    State(shared): State<Arc<Shared>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let mut seen = shared.seen.lock().unwrap();
    let incoming = match shared.callback.open(&query.unwrap_or_default(), &body) {
        Ok(incoming) => incoming,
        Err(refusal) => {
            seen.refusals.push(refusal);
            return StatusCode::BAD_REQUEST.into_response();
        }
    };
    seen.incoming.push(incoming.clone());
    let reply = (shared.answer)(&incoming);
    match shared.callback.respond(&incoming, reply) {
        Ok(answer) => {
            seen.answers.push(answer.clone());
            answer.into_response()
        }
        Err(refusal) => {
            seen.refusals.push(refusal);
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The bot's side of `mode`, built the way the crate offers: `Callback::plain`,
/// `Callback::safe`, or `Callback::new` over a receiver with the key (compatible mode).
fn callback(sandbox: &Sandbox, mode: CallbackMode) -> Callback {
    let appid = sandbox.app().appid();
    match mode {
        CallbackMode::Plain => Callback::plain(TOKEN),
        CallbackMode::Safe => Callback::safe(TOKEN, AES_KEY, appid).unwrap(),
        _ => Callback::new(
            Receiver::official_account(TOKEN)
                .with_encoding_aes_key(AES_KEY, appid)
                .unwrap(),
        ),
    }
}

/// The sandbox's side of `mode`, pushing to `url`.
fn pushing(mode: CallbackMode, url: &str) -> CallbackConfig {
    match mode {
        CallbackMode::Plain => CallbackConfig::plain(url, TOKEN),
        mode => CallbackConfig::safe(url, TOKEN, AES_KEY).with_mode(mode),
    }
}

fn assert_pushed_once(report: &PushReport, outcome: PushOutcome) {
    assert_eq!(report.route, PushRoute::Callback, "{report:?}");
    assert_eq!(report.attempts, 1, "{report:?}");
    assert_eq!(report.outcome, outcome, "{report:?}");
}

/// The one passive reply in `openid`'s inbox: its type and payload.
fn passive_reply(sandbox: &Sandbox, openid: &str) -> (String, serde_json::Value) {
    let inbox = sandbox.app().inbox(openid).unwrap();
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    assert_eq!(inbox[0].via, DeliveredVia::PassiveReply);
    assert_eq!(inbox[0].kf_account, None);
    (inbox[0].msgtype.clone(), inbox[0].payload.clone())
}

/// A kf account of the app, bound to a worker who is online.
fn online_kf(sandbox: &Sandbox, caller: &Caller, prefix: &str) -> String {
    let kf = kf_name(sandbox, prefix);
    caller.call(&kf_account::add(kf.as_str(), prefix)).unwrap();
    caller
        .call(&kf_account::invite(kf.as_str(), format!("worker_{prefix}")))
        .unwrap();
    sandbox.app().answer_invitation(&kf, true).unwrap();
    sandbox.app().set_online(&kf, true).unwrap();
    kf
}

#[test]
fn the_url_verification_echoes_echostr_through_verify_url() {
    // The sandbox never verifies a URL, so the test sends WeChat's GET itself, signed as WeChat
    // signs it (token, timestamp, nonce) in every mode of an Official Account.
    let sandbox = Sandbox::start_with(support::frozen()).unwrap();
    for mode in MODES {
        let server = Server::start(callback(&sandbox, mode), |_| Reply::success());
        let (timestamp, nonce, echostr) = ("1700000000", "372951846", "6183417297905129482");
        let signed = |token: &str| {
            format!(
                "{}?signature={}&echostr={echostr}&timestamp={timestamp}&nonce={nonce}",
                server.served.url(),
                plain_signature(token, timestamp, nonce)
            )
        };
        let (status, _, body) = http_get(&signed(TOKEN));
        assert_eq!(
            (status, body.as_slice()),
            (200, echostr.as_bytes()),
            "{mode:?}"
        );

        // Signed with another token, or not signed at all: refused, nothing echoed.
        let (status, _, body) = http_get(&signed("another-token"));
        assert_eq!((status, body.as_slice()), (400, &b""[..]), "{mode:?}");
        let unsigned = format!(
            "{}?echostr={echostr}&timestamp={timestamp}&nonce={nonce}",
            server.served.url()
        );
        assert_eq!(http_get(&unsigned).0, 400, "{mode:?}");
        server.seen(|seen| {
            assert_eq!(
                seen.refusals,
                [
                    CallbackError::SignatureMismatch,
                    CallbackError::MissingParameter { name: "signature" }
                ],
                "{mode:?}"
            );
            assert!(seen.incoming.is_empty());
        });
    }
}

#[test]
fn a_text_push_is_opened_as_a_typed_incoming_and_a_text_reply_reaches_the_user() {
    each_frozen_backend(|sandbox, _caller| {
        let app = sandbox.app();
        let account = app.original_id();
        for mode in [
            CallbackMode::Plain,
            CallbackMode::Compatible,
            CallbackMode::Safe,
        ] {
            let server = Server::for_mode(sandbox, mode, |incoming| match incoming.message() {
                InboundMessage::Text(text) => Reply::text(format!("收到：{}", text.content)),
                _ => Reply::success(),
            });
            let openid = app.create_user("Ann").unwrap();
            sandbox.advance(secs(17));
            let now = sandbox.clock().unix() as i64;
            let report = app
                .writes_blocking(&openid, UserMessage::text("你好 <&> ]]>"))
                .unwrap();
            assert_pushed_once(
                &report,
                PushOutcome::Replied {
                    msgtype: "text".into(),
                },
            );

            let incoming = server.wait_for_incoming(1).remove(0);
            assert_eq!(
                incoming.message(),
                &InboundMessage::Text(InboundText::new(
                    MessageHeader::new(&account, &openid, now),
                    "你好 <&> ]]>",
                    report.msg_id,
                )),
                "{mode:?}"
            );
            assert_eq!(incoming.openid(), openid);
            assert_eq!(incoming.account(), account);
            assert_eq!(incoming.create_time(), now);
            assert_eq!(
                incoming.is_encrypted(),
                mode != CallbackMode::Plain,
                "{mode:?}"
            );
            assert_eq!(incoming.dedup_key(), report.msg_id.to_string());

            // The answer: the reply from the account to the user, dated by the callback's
            // clock, as is to a plain push and sealed with the push's nonce otherwise.
            let answer = server.seen(|seen| seen.answers.clone()).remove(0);
            if mode == CallbackMode::Plain {
                // WeChat's member order (the header, then `MsgType`), and the `]]>` in the
                // text split across two CDATA sections.
                assert_eq!(
                    answer,
                    format!(
                        "<xml><ToUserName><![CDATA[{openid}]]></ToUserName>\
                         <FromUserName><![CDATA[{account}]]></FromUserName>\
                         <CreateTime>{now}</CreateTime>\
                         <MsgType><![CDATA[text]]></MsgType>\
                         <Content><![CDATA[收到：你好 <&> ]]]]><![CDATA[>]]></Content></xml>"
                    )
                );
            } else {
                assert!(answer.contains("<Encrypt><![CDATA["), "{answer}");
                assert!(
                    answer.contains(&format!("<TimeStamp>{now}</TimeStamp>")),
                    "{answer}"
                );
                let nonce = &incoming.push().nonce;
                assert!(
                    answer.contains(&format!("<Nonce><![CDATA[{nonce}]]></Nonce>")),
                    "{answer}"
                );
                assert!(!answer.contains("收到"), "{answer}");
            }

            assert_eq!(
                passive_reply(sandbox, &openid),
                ("text".into(), json!({"Content": "收到：你好 <&> ]]>"})),
                "{mode:?}"
            );
            server.seen(|seen| assert!(seen.refusals.is_empty(), "{:?}", seen.refusals));
        }
    });
}

#[test]
fn image_voice_video_and_music_replies_with_uploaded_media_reach_the_user() {
    each_frozen_backend(|sandbox, caller| {
        let app = sandbox.app();
        let upload = |media_type: MediaType, name: &str, data: &'static [u8]| {
            caller
                .call(&media::upload(media_type, Upload::from_bytes(name, data)))
                .unwrap()
                .media_id
        };
        let image = upload(MediaType::Image, "reply.png", samples::PNG);
        let voice = upload(MediaType::Voice, "reply.amr", samples::AMR);
        let video = upload(MediaType::Video, "reply.mp4", samples::MP4);
        let thumb = upload(MediaType::Thumb, "cover.jpg", samples::JPEG);
        let music_url = "https://music.example.com/song.mp3";
        let hq_music_url = "https://music.example.com/song-hq.mp3";

        for mode in MODES {
            let (reply_image, reply_voice, reply_video, reply_thumb) =
                (image.clone(), voice.clone(), video.clone(), thumb.clone());
            let server = Server::for_mode(sandbox, mode, move |incoming| {
                let InboundMessage::Text(text) = incoming.message() else {
                    return Reply::success();
                };
                match text.content.as_str() {
                    "image" => Reply::image(&reply_image),
                    "voice" => Reply::voice(&reply_voice),
                    "video" => Reply::video(
                        ReplyVideo::new(&reply_video)
                            .with_title("使用说明")
                            .with_description("三分钟上手"),
                    ),
                    _ => Reply::music(
                        ReplyMusic::new(&reply_thumb)
                            .with_title("晴天")
                            .with_description("周杰伦")
                            .with_music_url(music_url)
                            .with_hq_music_url(hq_music_url),
                    ),
                }
            });
            let expected = [
                ("image", json!({"Image": {"MediaId": image}})),
                ("voice", json!({"Voice": {"MediaId": voice}})),
                (
                    "video",
                    json!({"Video": {"MediaId": video, "Title": "使用说明", "Description": "三分钟上手"}}),
                ),
                (
                    "music",
                    json!({"Music": {
                        "Title": "晴天",
                        "Description": "周杰伦",
                        "MusicUrl": music_url,
                        "HQMusicUrl": hq_music_url,
                        "ThumbMediaId": thumb,
                    }}),
                ),
            ];
            for (msgtype, payload) in expected {
                let openid = app.create_user("Ann").unwrap();
                let report = app
                    .writes_blocking(&openid, UserMessage::text(msgtype))
                    .unwrap();
                assert_pushed_once(
                    &report,
                    PushOutcome::Replied {
                        msgtype: msgtype.into(),
                    },
                );
                assert_eq!(
                    passive_reply(sandbox, &openid),
                    (msgtype.into(), payload),
                    "{mode:?}"
                );
            }
            server.seen(|seen| {
                assert_eq!(seen.incoming.len(), 4);
                assert!(
                    seen.incoming
                        .iter()
                        .all(|incoming| incoming.is_encrypted() == (mode == CallbackMode::Safe))
                );
                assert!(seen.refusals.is_empty(), "{:?}", seen.refusals);
            });
        }
    });
}

#[test]
fn transfer_queues_the_user_and_transfer_to_routes_the_user_to_that_kf() {
    each_frozen_backend(|sandbox, caller| {
        let app = sandbox.app();
        let kf = online_kf(sandbox, caller, "xiaomei");
        for mode in MODES {
            let routed = kf.clone();
            let server =
                Server::for_mode(sandbox, mode, move |incoming| match incoming.message() {
                    InboundMessage::Text(text) if text.content == "找小美" => {
                        Reply::transfer_to(routed.as_str())
                    }
                    InboundMessage::Text(_) => Reply::transfer(),
                    _ => Reply::success(),
                });

            // To the kf system: the user waits, for no one in particular.
            let ann = app.create_user("Ann").unwrap();
            sandbox.advance(secs(5));
            let report = app
                .writes_blocking(&ann, UserMessage::text("转人工"))
                .unwrap();
            assert_pushed_once(&report, PushOutcome::Transferred { kf_account: None });
            assert_eq!(
                app.user(&ann).unwrap().session,
                SessionView::Waiting {
                    since: sandbox.clock().unix(),
                    kf_account: None
                },
                "{mode:?}"
            );
            let waiting = caller.call(&kf_session::waiting()).unwrap();
            assert!(
                waiting
                    .waitcaselist
                    .iter()
                    .any(|case| case.openid.as_deref() == Some(ann.as_str())),
                "{waiting:?}"
            );
            // Waiting is no session yet.
            assert_eq!(
                caller
                    .call(&kf_session::of_customer(&ann))
                    .unwrap()
                    .kf_account,
                ""
            );

            // To one kf: the user waits for that kf, who then serves the user.
            let bo = app.create_user("Bo").unwrap();
            sandbox.advance(secs(5));
            let report = app
                .writes_blocking(&bo, UserMessage::text("找小美"))
                .unwrap();
            assert_pushed_once(
                &report,
                PushOutcome::Transferred {
                    kf_account: Some(kf.clone()),
                },
            );
            assert_eq!(
                app.user(&bo).unwrap().session,
                SessionView::Waiting {
                    since: sandbox.clock().unix(),
                    kf_account: Some(kf.clone())
                },
                "{mode:?}"
            );
            let waiting = caller.call(&kf_session::waiting()).unwrap();
            let openids: Vec<_> = waiting
                .waitcaselist
                .iter()
                .filter_map(|case| case.openid.as_deref())
                .collect();
            assert!(
                openids.ends_with(&[ann.as_str(), bo.as_str()]),
                "{waiting:?}"
            );
            app.kf_accepts(&kf, &bo).unwrap();
            assert_eq!(
                caller
                    .call(&kf_session::of_customer(&bo))
                    .unwrap()
                    .kf_account,
                kf
            );

            // Neither transfer is a message for the user.
            assert!(app.inbox(&ann).unwrap().is_empty());
            assert!(app.inbox(&bo).unwrap().is_empty());
            server.seen(|seen| assert!(seen.refusals.is_empty(), "{:?}", seen.refusals));
        }
    });
}

#[test]
fn kf_session_events_are_typed_and_cannot_be_answered_with_a_transfer() {
    each_frozen_backend(|sandbox, caller| {
        let app = sandbox.app();
        let account = app.original_id();
        let kf = online_kf(sandbox, caller, "kf1");
        for mode in MODES {
            let server = Server::for_mode(sandbox, mode, |_| Reply::success());
            let openid = app.create_user("Ann").unwrap();

            sandbox.advance(secs(30));
            let created = sandbox.clock().unix() as i64;
            caller
                .call(&kf_session::create(kf.as_str(), &openid))
                .unwrap();
            let event = server.wait_for_incoming(1).remove(0);
            assert_eq!(
                event.message(),
                &InboundMessage::Event(InboundEvent::KfCreateSession(KfCreateSession::new(
                    MessageHeader::new(&account, &openid, created),
                    &kf,
                ))),
                "{mode:?}"
            );
            assert_eq!(
                (event.openid(), event.account(), event.create_time()),
                (openid.as_str(), account.as_str(), created)
            );
            assert_eq!(event.is_encrypted(), mode == CallbackMode::Safe);
            // An event has no MsgId: it is told apart by sender and time.
            assert_eq!(event.dedup_key(), format!("{openid}:{created}"));
            // transfer_customer_service answers user messages only.
            let refused = server
                .callback()
                .respond(&event, Reply::transfer())
                .unwrap_err();
            assert!(
                matches!(refused, CallbackError::ReplyEnvelope { ref reason } if reason.contains("event")),
                "{refused:?}"
            );

            sandbox.advance(secs(60));
            let closed = sandbox.clock().unix() as i64;
            caller
                .call(&kf_session::close(kf.as_str(), &openid))
                .unwrap();
            let event = server.wait_for_incoming(2).remove(1);
            assert_eq!(
                event.message(),
                &InboundMessage::Event(InboundEvent::KfCloseSession(KfCloseSession::new(
                    MessageHeader::new(&account, &openid, closed),
                    &kf,
                ))),
                "{mode:?}"
            );
            assert_eq!(event.dedup_key(), format!("{openid}:{closed}"));

            server.seen(|seen| {
                assert_eq!(seen.answers, ["success", "success"], "{mode:?}");
                assert!(seen.refusals.is_empty(), "{:?}", seen.refusals);
            });
            assert!(app.inbox(&openid).unwrap().is_empty());
        }
    });
}

#[test]
fn reply_success_answers_success_and_sends_the_user_nothing() {
    each_frozen_backend(|sandbox, _caller| {
        let app = sandbox.app();
        for mode in MODES {
            let server = Server::for_mode(sandbox, mode, |_| Reply::success());
            let openid = app.create_user("Ann").unwrap();
            let report = app
                .writes_blocking(&openid, UserMessage::text("hi"))
                .unwrap();
            assert_pushed_once(&report, PushOutcome::NoReply);
            server.seen(|seen| {
                assert_eq!(seen.incoming.len(), 1);
                assert_eq!(seen.answers, ["success"], "{mode:?}");
            });
            assert!(app.inbox(&openid).unwrap().is_empty());
            assert_eq!(app.user(&openid).unwrap().window.unwrap().remaining, 5);
        }
    });
}

#[test]
fn a_push_the_callback_cannot_trust_is_refused_by_open_and_the_delivery_fails() {
    each_frozen_backend(|sandbox, _caller| {
        let app = sandbox.app();
        let appid = app.appid();
        let other_app = "wx0000000000000002";
        let cases = [
            // Another token: the signature does not match.
            (
                CallbackMode::Plain,
                Callback::plain("another-token"),
                CallbackError::SignatureMismatch,
            ),
            // Another token in safe mode: msg_signature does not match.
            (
                CallbackMode::Safe,
                Callback::safe("another-token", AES_KEY, &appid).unwrap(),
                CallbackError::SignatureMismatch,
            ),
            // The right secrets of another app: the message is not for this one.
            (
                CallbackMode::Safe,
                Callback::safe(TOKEN, AES_KEY, other_app).unwrap(),
                CallbackError::ReceiveIdMismatch {
                    expected: other_app.into(),
                    found: appid.clone(),
                },
            ),
            // A safe-mode callback takes no plain push, even a well signed one.
            (
                CallbackMode::Plain,
                Callback::safe(TOKEN, AES_KEY, &appid).unwrap(),
                CallbackError::EncryptionRequired,
            ),
        ];
        for (mode, callback, refusal) in cases {
            let server = Server::serving(
                sandbox,
                callback,
                |url| pushing(mode, url),
                |_| Reply::text("never sent"),
            );
            let openid = app.create_user("Ann").unwrap();
            let report = app
                .writes_blocking(&openid, UserMessage::text("hi"))
                .unwrap();
            // Every attempt was refused, so WeChat's three attempts all failed.
            assert_eq!(report.route, PushRoute::Callback);
            assert_eq!(report.attempts, 3, "{refusal:?}");
            assert_eq!(
                report.outcome,
                PushOutcome::Failed {
                    error: "HTTP 400".into()
                },
                "{refusal:?}"
            );
            server.seen(|seen| {
                assert_eq!(
                    seen.refusals,
                    [refusal.clone(), refusal.clone(), refusal.clone()]
                );
                assert!(seen.incoming.is_empty() && seen.answers.is_empty());
            });
            assert!(app.inbox(&openid).unwrap().is_empty());
        }
    });
}
