//! The receiver of each surface: plain, compatible and safe mode; XML and JSON; replies;
//! replay protection; and every refusal.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use wechat_core::Clock;
use wechat_core::callback::{
    CallbackError, CallbackQuery, MsgCrypt, PayloadFormat, Receiver, plain_signature,
};
use wechat_types::mp::{self, MessageHeader, PassiveReply, TransInfo, TransferCustomerService};
use wechat_types::{miniprogram, work};

const TOKEN: &str = "TOKEN123";
const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const APPID: &str = "wx0123456789abcdef";
const TIMESTAMP: &str = "1714037059";
const NONCE: &str = "486452656";

const TEXT: &str = "<xml><ToUserName><![CDATA[gh_123]]></ToUserName><FromUserName><![CDATA[OPENID]]></FromUserName>\
<CreateTime>1714037059</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content><MsgId>42</MsgId></xml>";

/// A clock that shows a settable time.
#[derive(Debug)]
struct FixedClock(Mutex<SystemTime>);

impl FixedClock {
    fn at(unix: u64) -> Arc<Self> {
        Arc::new(FixedClock(Mutex::new(
            UNIX_EPOCH + Duration::from_secs(unix),
        )))
    }
}

impl Clock for FixedClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
}

fn plain_query(timestamp: &str) -> String {
    format!(
        "signature={}&timestamp={timestamp}&nonce={NONCE}&openid=OPENID",
        plain_signature(TOKEN, timestamp, NONCE)
    )
}

/// A safe-mode request as WeChat sends it: query and XML body.
fn safe_request(crypt: &MsgCrypt, message: &str) -> (String, String) {
    let encrypt = crypt.encrypt(message).unwrap();
    let query = format!(
        "signature={}&timestamp={TIMESTAMP}&nonce={NONCE}&openid=OPENID&encrypt_type=aes&msg_signature={}",
        plain_signature(TOKEN, TIMESTAMP, NONCE),
        crypt.signature(TIMESTAMP, NONCE, &encrypt)
    );
    let body = format!(
        "<xml><ToUserName><![CDATA[gh_123]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    );
    (query, body)
}

fn oa_safe() -> Receiver<wechat_core::OfficialAccount> {
    Receiver::official_account(TOKEN)
        .with_encoding_aes_key(KEY, APPID)
        .unwrap()
}

fn text_of(push: &mp::InboundMessage) -> &str {
    let mp::InboundMessage::Text(text) = push else {
        panic!("{push:?}")
    };
    &text.content
}

#[test]
fn official_account_plain_push() {
    let push = Receiver::official_account(TOKEN)
        .receive(&plain_query(TIMESTAMP), TEXT.as_bytes())
        .unwrap();
    assert_eq!(text_of(&push.message), "你好");
    assert!(!push.encrypted);
    assert_eq!(push.format, PayloadFormat::Xml);
}

#[test]
fn official_account_safe_mode_push() {
    let receiver = oa_safe();
    let (query, body) = safe_request(receiver.crypt().unwrap(), TEXT);
    let push = receiver.receive(&query, body.as_bytes()).unwrap();
    assert_eq!(text_of(&push.message), "你好");
    assert!(push.encrypted);
    assert_eq!(push.nonce, NONCE);
}

#[test]
fn official_account_compatible_mode_reads_the_ciphertext_not_the_plain_copy() {
    // Compatible mode (兼容) sends the plain members and `Encrypt` together; only the
    // signed ciphertext counts, so a plain member altered in transit changes nothing.
    let receiver = oa_safe();
    let crypt = receiver.crypt().unwrap();
    let encrypt = crypt.encrypt(TEXT).unwrap();
    let query = format!(
        "signature={}&timestamp={TIMESTAMP}&nonce={NONCE}&encrypt_type=aes&msg_signature={}",
        plain_signature(TOKEN, TIMESTAMP, NONCE),
        crypt.signature(TIMESTAMP, NONCE, &encrypt)
    );
    let body = format!(
        "<xml><ToUserName><![CDATA[gh_123]]></ToUserName><FromUserName><![CDATA[OPENID]]></FromUserName>\
         <CreateTime>1714037059</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[forged]]></Content>\
         <MsgId>42</MsgId><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    );
    let push = receiver.receive(&query, body.as_bytes()).unwrap();
    assert_eq!(text_of(&push.message), "你好");
}

#[test]
fn a_safe_mode_receiver_can_refuse_plain_requests() {
    let lenient = oa_safe();
    assert!(
        lenient
            .receive(&plain_query(TIMESTAMP), TEXT.as_bytes())
            .is_ok()
    );
    let strict = oa_safe().require_encryption();
    let error = strict
        .receive(&plain_query(TIMESTAMP), TEXT.as_bytes())
        .unwrap_err();
    assert_eq!(error, CallbackError::EncryptionRequired);
    assert_eq!(error.code(), -40001);
}

#[test]
fn an_encrypted_request_needs_a_key() {
    let (query, body) = safe_request(oa_safe().crypt().unwrap(), TEXT);
    let error = Receiver::official_account(TOKEN)
        .receive(&query, body.as_bytes())
        .unwrap_err();
    assert!(
        matches!(error, CallbackError::InvalidAesKey { .. }),
        "{error:?}"
    );
}

#[test]
fn forged_and_incomplete_requests() {
    let receiver = oa_safe();
    let (query, body) = safe_request(receiver.crypt().unwrap(), TEXT);
    // Plain mode with the safe mode's signature over other data.
    let forged = plain_query(TIMESTAMP).replace(
        &plain_signature(TOKEN, TIMESTAMP, NONCE),
        &plain_signature("OTHER", TIMESTAMP, NONCE),
    );
    assert_eq!(
        receiver.receive(&forged, TEXT.as_bytes()),
        Err(CallbackError::SignatureMismatch)
    );
    // Safe mode whose body was swapped for another ciphertext.
    let (_, other_body) = safe_request(receiver.crypt().unwrap(), TEXT);
    assert_eq!(
        receiver.receive(&query, other_body.as_bytes()),
        Err(CallbackError::SignatureMismatch)
    );
    // Missing parameters, named.
    for (name, drop) in [
        ("timestamp", "timestamp="),
        ("nonce", "nonce="),
        ("msg_signature", "msg_signature="),
    ] {
        let partial: Vec<&str> = query.split('&').filter(|p| !p.starts_with(drop)).collect();
        assert_eq!(
            receiver.receive(&partial.join("&"), body.as_bytes()),
            Err(CallbackError::MissingParameter { name }),
        );
    }
    assert_eq!(
        receiver.receive(
            &format!("timestamp={TIMESTAMP}&nonce={NONCE}"),
            TEXT.as_bytes()
        ),
        Err(CallbackError::MissingParameter { name: "signature" })
    );
}

#[test]
fn malformed_query_strings() {
    let doubled = format!("{}&nonce=1", plain_query(TIMESTAMP));
    assert!(matches!(
        CallbackQuery::parse(&doubled),
        Err(CallbackError::MalformedQuery { .. })
    ));
    assert!(matches!(
        CallbackQuery::parse("nonce=%ff%fe"),
        Err(CallbackError::MalformedQuery { .. })
    ));
    // Unknown parameters and empty pairs are ignored.
    let query = CallbackQuery::parse("&foo=bar&nonce=1&&").unwrap();
    assert_eq!(query.nonce(), Some("1"));
}

#[test]
fn malformed_bodies_are_parse_errors() {
    let receiver = Receiver::official_account(TOKEN);
    let query = plain_query(TIMESTAMP);
    for (body, what) in [
        ("", "envelope"),
        ("hello", "envelope"),
        ("{\"MsgType\":\"text\"}", "envelope"),
        ("<xml><MsgType>text</MsgType>", "message"),
        (
            "<xml><ToUserName>gh</ToUserName><MsgType><![CDATA[text]]></MsgType></xml>",
            "message",
        ),
    ] {
        let error = receiver.receive(&query, body.as_bytes()).unwrap_err();
        let CallbackError::Parse { what: got, .. } = &error else {
            panic!("{body:?}: {error:?}")
        };
        assert_eq!(*got, what, "{body:?}: {error}");
        assert_eq!(error.code(), -40002);
    }
    // A safe-mode envelope without `Encrypt`, or not UTF-8.
    let safe = oa_safe();
    let (query, _) = safe_request(safe.crypt().unwrap(), TEXT);
    for body in [
        &b"<xml><ToUserName>gh</ToUserName></xml>"[..],
        b"<xml>\xff</xml>",
    ] {
        let error = safe.receive(&query, body).unwrap_err();
        assert!(
            matches!(
                error,
                CallbackError::Parse {
                    what: "envelope",
                    ..
                }
            ),
            "{error:?}"
        );
    }
}

#[test]
fn a_known_message_type_that_does_not_fit_is_an_error_and_an_unknown_one_is_kept() {
    let receiver = Receiver::official_account(TOKEN);
    let query = plain_query(TIMESTAMP);
    let no_content = TEXT.replace("<Content><![CDATA[你好]]></Content>", "");
    let error = receiver.receive(&query, no_content.as_bytes()).unwrap_err();
    assert!(error.to_string().contains("Content"), "{error}");

    let subscribe = "<xml><ToUserName><![CDATA[gh_123]]></ToUserName><FromUserName><![CDATA[OPENID]]></FromUserName>\
        <CreateTime>1</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>";
    let push = receiver.receive(&query, subscribe.as_bytes()).unwrap();
    let mp::InboundMessage::Event(mp::InboundEvent::Unknown(raw)) = &push.message else {
        panic!("{push:?}")
    };
    assert_eq!(raw["Event"], "subscribe");
}

#[test]
fn the_timestamp_tolerance_refuses_replays() {
    let sent: u64 = TIMESTAMP.parse().unwrap();
    let receiver =
        || Receiver::official_account(TOKEN).with_timestamp_tolerance(Duration::from_secs(300));
    let query = plain_query(TIMESTAMP);
    for now in [sent, sent + 300, sent - 300] {
        let on_time = receiver().with_clock(FixedClock::at(now));
        assert!(on_time.receive(&query, TEXT.as_bytes()).is_ok(), "{now}");
    }
    for now in [sent + 301, sent - 301] {
        let late = receiver().with_clock(FixedClock::at(now));
        let error = late.receive(&query, TEXT.as_bytes()).unwrap_err();
        assert_eq!(
            error,
            CallbackError::StaleTimestamp {
                timestamp: TIMESTAMP.to_owned(),
                tolerance_secs: 300
            }
        );
    }
    // A signed but non-numeric timestamp cannot be placed in time.
    let odd = plain_query("yesterday");
    let error = receiver()
        .with_clock(FixedClock::at(sent))
        .receive(&odd, TEXT.as_bytes())
        .unwrap_err();
    assert!(matches!(error, CallbackError::StaleTimestamp { .. }));
    // Without a tolerance (the default, as in the official samples) time is not checked.
    assert!(
        Receiver::official_account(TOKEN)
            .with_clock(FixedClock::at(0))
            .receive(&query, TEXT.as_bytes())
            .is_ok()
    );
}

#[test]
fn replies_go_back_the_way_the_push_came() {
    let transfer = PassiveReply::from(
        TransferCustomerService::new(MessageHeader::new("OPENID", "gh_123", 1714037059))
            .with_trans_info(TransInfo::new("test1@test")),
    );
    // WeChat's member order: the header, then the tag.
    let expected = "<xml><ToUserName><![CDATA[OPENID]]></ToUserName>\
        <FromUserName><![CDATA[gh_123]]></FromUserName><CreateTime>1714037059</CreateTime>\
        <MsgType><![CDATA[transfer_customer_service]]></MsgType><TransInfo><KfAccount><![CDATA[test1@test]]></KfAccount></TransInfo></xml>";

    // Plain push: the reply as is.
    let plain = Receiver::official_account(TOKEN);
    let push = plain
        .receive(&plain_query(TIMESTAMP), TEXT.as_bytes())
        .unwrap();
    assert_eq!(plain.reply_with(&push, &transfer).unwrap(), expected);

    // Safe-mode push: sealed with the request's nonce and the clock's time; it opens again.
    let safe = oa_safe().with_clock(FixedClock::at(1_714_037_100));
    let crypt = safe.crypt().unwrap();
    let (query, body) = safe_request(crypt, TEXT);
    let push = safe.receive(&query, body.as_bytes()).unwrap();
    let sealed = safe.reply_with(&push, &transfer).unwrap();
    let envelope = wechat_types::xml::to_map(&sealed).unwrap();
    assert_eq!(envelope["TimeStamp"], "1714037100");
    assert_eq!(envelope["Nonce"], NONCE);
    let encrypt = envelope["Encrypt"].as_str().unwrap();
    let opened = crypt
        .verify_and_decrypt(
            envelope["MsgSignature"].as_str().unwrap(),
            "1714037100",
            NONCE,
            encrypt,
        )
        .unwrap();
    assert_eq!(opened.message(), expected);
    // Two seals of one reply differ: the random prefix is fresh each time.
    assert_ne!(safe.reply_with(&push, &transfer).unwrap(), sealed);
}

#[test]
fn mini_program_json_and_xml_pushes() {
    let receiver = Receiver::mini_program(TOKEN);
    let query = plain_query(TIMESTAMP);
    let card = r#"{"ToUserName":"gh_1","FromUserName":"OPENID","CreateTime":1482048670,"MsgType":"miniprogrampage","MsgId":1234567890123456,"Title":"title","AppId":"appid","PagePath":"path","ThumbUrl":"","ThumbMediaId":""}"#;
    let push = receiver.receive(&query, card.as_bytes()).unwrap();
    assert_eq!(push.format, PayloadFormat::Json);
    let miniprogram::InboundMessage::MiniProgramPage(page) = &push.message else {
        panic!("{push:?}")
    };
    assert_eq!(page.page_path, "path");
    assert_eq!(receiver.reply(&push, "success").unwrap(), "success");

    let enter = "<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[fromUser]]></FromUserName>\
        <CreateTime>1482048670</CreateTime><MsgType><![CDATA[event]]></MsgType>\
        <Event><![CDATA[user_enter_tempsession]]></Event><SessionFrom><![CDATA[sessionFrom]]></SessionFrom></xml>";
    let push = receiver.receive(&query, enter.as_bytes()).unwrap();
    let miniprogram::InboundMessage::Event(miniprogram::InboundEvent::UserEnterTempSession(event)) =
        &push.message
    else {
        panic!("{push:?}")
    };
    assert_eq!(event.session_from.as_deref(), Some("sessionFrom"));

    // The Official Account pushes XML only.
    let error = Receiver::official_account(TOKEN)
        .receive(&query, card.as_bytes())
        .unwrap_err();
    assert!(matches!(
        error,
        CallbackError::Parse {
            what: "envelope",
            ..
        }
    ));
}

#[test]
fn mini_program_safe_json_reply_is_sealed_as_json() {
    let receiver = Receiver::mini_program(TOKEN)
        .with_encoding_aes_key(KEY, APPID)
        .unwrap();
    let crypt = receiver.crypt().unwrap();
    let message = r#"{"ToUserName":"gh_1","FromUserName":"OPENID","CreateTime":1,"MsgType":"text","Content":"hi","MsgId":7}"#;
    let encrypt = crypt.encrypt(message).unwrap();
    let query = format!(
        "timestamp={TIMESTAMP}&nonce={NONCE}&encrypt_type=aes&msg_signature={}",
        crypt.signature(TIMESTAMP, NONCE, &encrypt)
    );
    let body = serde_json::json!({"ToUserName": "gh_1", "Encrypt": encrypt}).to_string();
    let push = receiver.receive(&query, body.as_bytes()).unwrap();
    let miniprogram::InboundMessage::Text(text) = &push.message else {
        panic!("{push:?}")
    };
    assert_eq!(text.content, "hi");
    let sealed: serde_json::Value = serde_json::from_str(
        &receiver
            .reply(&push, r#"{"MsgType":"transfer_customer_service"}"#)
            .unwrap(),
    )
    .unwrap();
    let opened = crypt
        .verify_and_decrypt(
            sealed["MsgSignature"].as_str().unwrap(),
            &sealed["TimeStamp"].to_string(),
            sealed["Nonce"].as_str().unwrap(),
            sealed["Encrypt"].as_str().unwrap(),
        )
        .unwrap();
    assert_eq!(
        opened.message(),
        r#"{"MsgType":"transfer_customer_service"}"#
    );
}

#[test]
fn work_requests_are_always_encrypted() {
    let receiver = Receiver::work(TOKEN, KEY, "ww12345678910").unwrap();
    // A plain-mode request (no msg_signature) is not accepted.
    let error = receiver
        .receive(&plain_query(TIMESTAMP), TEXT.as_bytes())
        .unwrap_err();
    assert_eq!(
        error,
        CallbackError::MissingParameter {
            name: "msg_signature"
        }
    );
    let error = receiver
        .verify_url(
            &CallbackQuery::parse(&format!("{}&echostr=abc", plain_query(TIMESTAMP))).unwrap(),
        )
        .unwrap_err();
    assert_eq!(
        error,
        CallbackError::MissingParameter {
            name: "msg_signature"
        }
    );
    // A message encrypted for another corp with the same key is refused.
    let other = MsgCrypt::new(TOKEN, KEY, "ww00000000000").unwrap();
    let event = "<xml><ToUserName><![CDATA[ww00000000000]]></ToUserName><CreateTime>1</CreateTime>\
        <MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[T]]></Token></xml>";
    let encrypt = other.encrypt(event).unwrap();
    let query = format!(
        "msg_signature={}&timestamp={TIMESTAMP}&nonce={NONCE}",
        other.signature(TIMESTAMP, NONCE, &encrypt)
    );
    let body = format!(
        "<xml><ToUserName><![CDATA[ww00000000000]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    );
    let error = receiver.receive(&query, body.as_bytes()).unwrap_err();
    assert!(
        matches!(error, CallbackError::ReceiveIdMismatch { .. }),
        "{error:?}"
    );
    // Its own corp's event arrives typed.
    let own = Receiver::work(TOKEN, KEY, "ww00000000000").unwrap();
    let push = own.receive(&query, body.as_bytes()).unwrap();
    let work::InboundMessage::Event(work::InboundEvent::KfMsgOrEvent(event)) = &push.message else {
        panic!("{push:?}")
    };
    assert_eq!(event.open_kf_id, None);
}

#[test]
fn receivers_can_be_shared_between_request_handlers() {
    fn shared<T: Send + Sync + Clone + 'static>() {}
    shared::<Receiver<wechat_core::OfficialAccount>>();
    shared::<Receiver<wechat_core::MiniProgram>>();
    shared::<Receiver<wechat_core::Work>>();
    shared::<MsgCrypt>();
}

#[test]
fn a_random_nonce_seals_a_reply_that_opens() {
    let crypt = MsgCrypt::new(TOKEN, KEY, APPID).unwrap();
    let nonce = wechat_core::callback::random_nonce().unwrap();
    assert_ne!(nonce, wechat_core::callback::random_nonce().unwrap());
    let sealed = crypt
        .seal("<xml/>", PayloadFormat::Xml, 1_700_000_000, &nonce)
        .unwrap();
    let envelope = wechat_types::xml::to_map(&sealed).unwrap();
    assert_eq!(envelope["Nonce"], nonce.as_str());
    let opened = crypt
        .verify_and_decrypt(
            envelope["MsgSignature"].as_str().unwrap(),
            "1700000000",
            &nonce,
            envelope["Encrypt"].as_str().unwrap(),
        )
        .unwrap();
    assert_eq!(opened.message(), "<xml/>");
}
