//! What receiving a pushed message costs: verify + decrypt + typed parse of a safe-mode
//! Official Account text push of about 300 bytes, from the raw query string and body to a
//! [`mp::InboundMessage`], and its parts.
//!
//! Run with `cargo bench -p wechat-core --bench callback`. Messages per second is the inverse
//! of the time per iteration (criterion prints it as `thrpt` in elements/s). Figures and the
//! peers they compare with: `benches/README.md`.

use std::hint::black_box;

use criterion::{Criterion, Throughput};
use wechat_core::callback::{CallbackQuery, MsgCrypt, Receiver};
use wechat_core::types::mp;

const TOKEN: &str = "QDG6eK";
const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const APPID: &str = "wx5823bf96d3bd56c7";
const TIMESTAMP: &str = "1714112445";
const NONCE: &str = "415670741";

/// A user's text message as the Official Account pushes it: 342 bytes.
const MESSAGE: &str = "<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>\n\
<FromUserName><![CDATA[o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></FromUserName>\n\
<CreateTime>1714112445</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n\
<Content><![CDATA[您好，我想咨询一下订单的发货时间，谢谢！Hello there]]></Content>\n\
<MsgId>24533238412350153</MsgId>\n</xml>";

fn main() {
    let receiver = Receiver::official_account(TOKEN)
        .with_encoding_aes_key(KEY, APPID)
        .expect("a valid key")
        .require_encryption();
    let crypt = MsgCrypt::new(TOKEN, KEY, APPID).expect("a valid key");
    let encrypt = crypt.encrypt(MESSAGE).expect("encrypts");
    let msg_signature = crypt.signature(TIMESTAMP, NONCE, &encrypt);
    let query = format!(
        "signature=6c5c811b55cc85e0e1b54100749188c20beb3f5d&timestamp={TIMESTAMP}&nonce={NONCE}\
         &openid=o9AgO5Kd5ggOC-bXrbNODIiE3bGY&encrypt_type=aes&msg_signature={msg_signature}"
    );
    let body = format!(
        "<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    );
    // The measured call must do the real work: check once that it succeeds.
    let push = receiver
        .receive(&query, body.as_bytes())
        .expect("the push is valid");
    assert!(matches!(push.message, mp::InboundMessage::Text(_)));

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("callback");
    group.throughput(Throughput::Elements(1));
    group.bench_function("receive: query + body -> typed message", |b| {
        b.iter(|| receiver.receive(black_box(&query), black_box(body.as_bytes())))
    });
    group.bench_function("verify + decrypt + typed parse", |b| {
        b.iter(|| {
            let decrypted = crypt
                .verify_and_decrypt(
                    black_box(&msg_signature),
                    TIMESTAMP,
                    NONCE,
                    black_box(&encrypt),
                )
                .expect("valid");
            wechat_core::types::xml::from_str::<mp::InboundMessage>(decrypted.message())
                .expect("a text message")
        })
    });
    group.bench_function("verify + decrypt (no parsing)", |b| {
        b.iter(|| {
            crypt.verify_and_decrypt(
                black_box(&msg_signature),
                TIMESTAMP,
                NONCE,
                black_box(&encrypt),
            )
        })
    });
    group.bench_function("typed XML parse of the plaintext", |b| {
        b.iter(|| wechat_core::types::xml::from_str::<mp::InboundMessage>(black_box(MESSAGE)))
    });
    group.bench_function("query string parse", |b| {
        b.iter(|| CallbackQuery::parse(black_box(&query)))
    });
    group.finish();
    criterion.final_summary();
}
