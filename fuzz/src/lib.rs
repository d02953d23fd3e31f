//! The bodies of the fuzz targets, as a library: `cargo fuzz` runs them under libFuzzer (see
//! `fuzz/README.md`), and `tests/seeds.rs` runs them over the committed seed corpus on stable,
//! so CI exercises every one.
//!
//! Each body must never panic on any input, and checks an invariant beyond "no panic":
//!
//! * [`decrypt`]: a decrypted message encrypts and decrypts back to itself; a request the
//!   receiver accepts parses to the same message as the plaintext parsed directly; every
//!   refusal is in an official error class.
//! * [`inbound_xml`]: the fast XML reader agrees with quick-xml's, and the typed decoder with
//!   the decoder through a `serde_json` map.
//! * [`inbound_json`]: whatever decodes re-encodes and decodes to the same value.

use std::sync::LazyLock;

use serde::de::DeserializeOwned;
use wechat_core::callback::{CallbackError, CallbackQuery, MsgCrypt, Receiver};
use wechat_core::{MiniProgram, OfficialAccount, Work};
use wechat_types::{common, miniprogram, mp, work};

/// Settings of the fuzzed receivers: the official WeChat Work sample (reference §17 V1).
const TOKEN: &str = "QDG6eK";
const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const RECEIVE_ID: &str = "wx5823bf96d3bd56c7";
const TIMESTAMP: &str = "1409659813";
const NONCE: &str = "1372623149";

static WORK: LazyLock<Receiver<Work>> =
    LazyLock::new(|| Receiver::work(TOKEN, KEY, RECEIVE_ID).expect("the V1 key is valid"));
static OFFICIAL_ACCOUNT: LazyLock<Receiver<OfficialAccount>> = LazyLock::new(|| {
    Receiver::official_account(TOKEN)
        .with_encoding_aes_key(KEY, RECEIVE_ID)
        .expect("the V1 key is valid")
});
static MINI_PROGRAM: LazyLock<Receiver<MiniProgram>> = LazyLock::new(|| {
    Receiver::mini_program(TOKEN)
        .with_encoding_aes_key(KEY, RECEIVE_ID)
        .expect("the V1 key is valid")
});
static CRYPT: LazyLock<MsgCrypt> =
    LazyLock::new(|| MsgCrypt::new(TOKEN, KEY, RECEIVE_ID).expect("the V1 key is valid"));

/// Callback verification and decryption. The input is a request, `query string \n body`; it
/// goes through every surface's receiver as is (where the signature gate refuses nearly
/// everything), then its body goes straight to the cipher as a ciphertext, and finally is
/// sealed as a plaintext message and received, signed, so that decryption and parsing of
/// arbitrary messages are reached too.
pub fn decrypt(data: &[u8]) {
    let (query, body) = match data.iter().position(|&b| b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (&data[..0], data),
    };
    let query = String::from_utf8_lossy(query);

    check_class(WORK.receive(&query, body).err());
    check_class(OFFICIAL_ACCOUNT.receive(&query, body).err());
    check_class(MINI_PROGRAM.receive(&query, body).err());
    if let Ok(parsed) = CallbackQuery::parse(&query) {
        check_class(WORK.verify_url(&parsed).err());
        check_class(OFFICIAL_ACCOUNT.verify_url(&parsed).err());
    }

    let Ok(text) = std::str::from_utf8(body) else {
        return;
    };
    match CRYPT.decrypt(text) {
        Ok(decrypted) => {
            let again = CRYPT
                .encrypt(decrypted.message())
                .expect("a decrypted message re-encrypts");
            let back = CRYPT.decrypt(&again).expect("a fresh ciphertext decrypts");
            assert_eq!(back.message(), decrypted.message());
        }
        Err(error) => check_class(Some(error)),
    }

    // The body as a plaintext message, pushed the way WeChat Work pushes it.
    let encrypt = CRYPT.encrypt(text).expect("any text encrypts");
    let signed = format!(
        "msg_signature={}&timestamp={TIMESTAMP}&nonce={NONCE}",
        CRYPT.signature(TIMESTAMP, NONCE, &encrypt)
    );
    let envelope = format!("<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>");
    let received = WORK.receive(&signed, envelope.as_bytes());
    // The receiver reads a message as XML when its first non-blank byte is `<`.
    let first = text.bytes().find(|b| !b.is_ascii_whitespace());
    let direct = if first == Some(b'<') {
        wechat_types::xml::from_str::<work::InboundMessage>(text).ok()
    } else {
        None
    };
    match received {
        Ok(push) => assert_eq!(Some(push.message), direct),
        Err(error) => {
            assert!(direct.is_none(), "received {error:?}, parsed directly");
            assert!(
                matches!(
                    error,
                    CallbackError::Parse {
                        what: "message",
                        ..
                    }
                ),
                "a signed, well-formed request fails only on its message: {error:?}"
            );
        }
    }
}

/// Inbound XML: every pushed-message type of every surface, and the encrypted envelope,
/// decoded by the fast decoder and through the `serde_json` map of [`wechat_types::xml::to_map`];
/// the two must agree on success, and on the value.
pub fn inbound_xml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    agree::<mp::InboundMessage>(text);
    agree::<miniprogram::InboundMessage>(text);
    agree::<work::InboundMessage>(text);
    agree::<mp::PassiveReply>(text);
    agree::<common::EncryptedPush>(text);
    // The fast reader (WeChat's kind of document) and quick-xml's agree on every document,
    // errors included.
    let fast = wechat_types::xml::to_map(text).map_err(|e| e.to_string());
    let reference = wechat_types::xml::to_map_reference(text).map_err(|e| e.to_string());
    assert_eq!(fast, reference, "the two XML readers disagree on {text:?}");
}

/// Inbound JSON: every pushed-message type that comes as JSON, and the envelopes; whatever
/// decodes must encode and decode back to the same value.
pub fn inbound_json(data: &[u8]) {
    round_trip::<miniprogram::InboundMessage>(data);
    round_trip::<mp::InboundMessage>(data);
    round_trip::<work::InboundMessage>(data);
    round_trip::<common::EncryptedPush>(data);
    round_trip::<common::EncryptedReply>(data);
}

fn agree<T: DeserializeOwned + PartialEq + std::fmt::Debug>(text: &str) {
    let fast = wechat_types::xml::from_str::<T>(text).ok();
    let through_map = wechat_types::xml::to_map(text)
        .ok()
        .and_then(|map| T::deserialize(serde_json::Value::Object(map)).ok());
    assert_eq!(
        fast, through_map,
        "the two XML decoders disagree on {text:?}"
    );
}

fn round_trip<T: DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug>(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<T>(data) else {
        return;
    };
    let encoded = serde_json::to_vec(&value).expect("a decoded value encodes");
    let decoded: T = serde_json::from_slice(&encoded).expect("an encoded value decodes");
    assert_eq!(decoded, value);
}

/// Every refusal belongs to one of the official classes.
fn check_class(error: Option<CallbackError>) {
    if let Some(error) = error {
        assert!((-40011..=-40001).contains(&error.code()), "{error:?}");
        // Display must work on every error (it is what logs print).
        assert!(!error.to_string().is_empty());
    }
}
