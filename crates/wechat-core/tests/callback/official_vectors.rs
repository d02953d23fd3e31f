//! Every vector of reference §17.1: URL verification, decryption, and deterministic
//! encryption byte for byte.

use wechat_core::callback::{CallbackError, CallbackQuery, MsgCrypt, PayloadFormat, Receiver};
use wechat_types::{miniprogram, work};

use crate::vectors::{v1, v2, v3, v4, v5};

#[test]
fn v1_work_url_verification_decrypts_echostr() {
    let crypt = MsgCrypt::new(v1::TOKEN, v1::KEY, v1::CORP_ID).unwrap();
    let echo = crypt
        .verify_and_decrypt(
            v1::URL_SIGNATURE,
            v1::URL_TIMESTAMP,
            v1::URL_NONCE,
            v1::ECHOSTR,
        )
        .unwrap();
    assert_eq!(echo.message(), v1::ECHO);

    let receiver = Receiver::work(v1::TOKEN, v1::KEY, v1::CORP_ID).unwrap();
    let query = CallbackQuery::new()
        .with_msg_signature(v1::URL_SIGNATURE)
        .with_timestamp(v1::URL_TIMESTAMP)
        .with_nonce(v1::URL_NONCE)
        .with_echostr(v1::ECHOSTR);
    assert_eq!(receiver.verify_url(&query).unwrap(), v1::ECHO);
}

#[test]
fn v1_work_url_verification_from_the_raw_query_keeps_plus_signs() {
    let receiver = Receiver::work(v1::TOKEN, v1::KEY, v1::CORP_ID).unwrap();
    // WeChat may send `+` and `/` unescaped or percent-encoded; neither may become a space.
    for echostr in [
        v1::ECHOSTR.to_owned(),
        v1::ECHOSTR.replace('+', "%2B").replace('/', "%2F"),
    ] {
        let raw = format!(
            "msg_signature={}&timestamp={}&nonce={}&echostr={echostr}",
            v1::URL_SIGNATURE,
            v1::URL_TIMESTAMP,
            v1::URL_NONCE
        );
        let query = CallbackQuery::parse(&raw).unwrap();
        assert_eq!(receiver.verify_url(&query).unwrap(), v1::ECHO, "{raw}");
    }
    // A framework that form-decoded the query turned `+` into spaces; they are restored.
    let form_decoded = CallbackQuery::new()
        .with_msg_signature(v1::URL_SIGNATURE)
        .with_timestamp(v1::URL_TIMESTAMP)
        .with_nonce(v1::URL_NONCE)
        .with_echostr(v1::ECHOSTR.replace('+', " "));
    assert_eq!(receiver.verify_url(&form_decoded).unwrap(), v1::ECHO);
}

#[test]
fn v1_work_message_decrypts_to_the_official_plaintext() {
    let crypt = MsgCrypt::new(v1::TOKEN, v1::KEY, v1::CORP_ID).unwrap();
    let decrypted = crypt
        .verify_and_decrypt(v1::MSG_SIGNATURE, v1::TIMESTAMP, v1::NONCE, v1::ENCRYPT)
        .unwrap();
    assert_eq!(decrypted.message(), v1::MESSAGE);
    assert_eq!(decrypted.into_message(), v1::MESSAGE);
}

#[test]
fn v1_work_push_is_received_whole_and_keeps_an_unmodelled_message() {
    let receiver = Receiver::work(v1::TOKEN, v1::KEY, v1::CORP_ID).unwrap();
    let query = format!(
        "msg_signature={}&timestamp={}&nonce={}",
        v1::MSG_SIGNATURE,
        v1::TIMESTAMP,
        v1::NONCE
    );
    let push = receiver.receive(&query, v1::body().as_bytes()).unwrap();
    assert!(push.encrypted);
    assert_eq!(push.format, PayloadFormat::Xml);
    // A WeChat Work app's text message is not a customer-service event: kept whole.
    let work::InboundMessage::Unknown(raw) = &push.message else {
        panic!("{:?}", push.message)
    };
    assert_eq!(raw["MsgType"], "text");
    assert_eq!(raw["Content"], "hello");
    assert_eq!(raw["MsgId"], "4561255354251345929");
    assert_eq!(raw["AgentID"], "218");
}

#[test]
fn v2_work_url_verification_and_its_wrong_nonce() {
    let crypt = MsgCrypt::new(v2::TOKEN, v2::KEY, v2::CORP_ID).unwrap();
    let echo = crypt
        .verify_and_decrypt(
            v2::URL_SIGNATURE,
            v2::URL_TIMESTAMP,
            v2::URL_NONCE,
            v2::ECHOSTR,
        )
        .unwrap();
    assert_eq!(echo.message(), v2::ECHO);
    assert_eq!(
        crypt.verify_and_decrypt(
            v2::URL_SIGNATURE,
            v2::URL_TIMESTAMP,
            v2::URL_WRONG_NONCE,
            v2::ECHOSTR
        ),
        Err(CallbackError::SignatureMismatch)
    );
}

#[test]
fn v2_deterministic_encryption_and_reply_are_byte_exact() {
    let crypt = MsgCrypt::new(v2::TOKEN, v2::KEY, v2::CORP_ID).unwrap();
    let encrypt = crypt
        .encrypt_with_random(v2::REPLY_PLAINTEXT, v2::REPLY_RANDOM)
        .unwrap();
    assert_eq!(encrypt, v2::REPLY_ENCRYPT);
    assert_eq!(
        crypt.signature(&v2::REPLY_TIMESTAMP.to_string(), v2::REPLY_NONCE, &encrypt),
        v2::REPLY_SIGNATURE
    );
    let reply = crypt
        .seal_with_random(
            v2::REPLY_PLAINTEXT,
            PayloadFormat::Xml,
            v2::REPLY_TIMESTAMP,
            v2::REPLY_NONCE,
            v2::REPLY_RANDOM,
        )
        .unwrap();
    assert_eq!(reply, v2::reply_xml());
}

#[test]
fn v2_work_message_decrypts_to_the_official_plaintext() {
    let crypt = MsgCrypt::new(v2::TOKEN, v2::KEY, v2::CORP_ID).unwrap();
    let decrypted = crypt
        .verify_and_decrypt(v2::MSG_SIGNATURE, v2::TIMESTAMP, v2::NONCE, v2::ENCRYPT)
        .unwrap();
    assert_eq!(decrypted.message(), v2::MESSAGE);

    let receiver = Receiver::work(v2::TOKEN, v2::KEY, v2::CORP_ID).unwrap();
    let query = format!(
        "msg_signature={}&timestamp={}&nonce={}",
        v2::MSG_SIGNATURE,
        v2::TIMESTAMP,
        v2::NONCE
    );
    let opened = receiver
        .open(
            &CallbackQuery::parse(&query).unwrap(),
            v2::body().as_bytes(),
        )
        .unwrap();
    assert_eq!(opened.text, v2::MESSAGE);
    assert_eq!(opened.nonce, v2::NONCE);
}

#[test]
fn v3_mini_program_url_verification_echoes_echostr_as_is() {
    let receiver = Receiver::mini_program(v3::TOKEN);
    let query = CallbackQuery::parse(v3::URL_QUERY).unwrap();
    assert_eq!(receiver.verify_url(&query).unwrap(), v3::ECHO);
    // Safe mode changes nothing for the verification: the echo is not encrypted.
    let safe = receiver.with_encoding_aes_key(v3::KEY, v3::APPID).unwrap();
    assert_eq!(safe.verify_url(&query).unwrap(), v3::ECHO);
}

#[test]
fn v3_plain_and_safe_mode_signatures() {
    assert_eq!(
        wechat_core::callback::plain_signature(v3::TOKEN, v3::PLAIN_TIMESTAMP, v3::PLAIN_NONCE),
        v3::PLAIN_SIGNATURE
    );
    let query = CallbackQuery::parse(v3::SAFE_QUERY).unwrap();
    // In safe mode `signature` is still the three-part one; `msg_signature` covers Encrypt.
    assert_eq!(
        wechat_core::callback::plain_signature(
            v3::TOKEN,
            query.timestamp().unwrap(),
            query.nonce().unwrap()
        ),
        query.signature().unwrap()
    );
}

#[test]
fn v3_safe_mode_json_push_is_received_as_a_typed_message() {
    let receiver = Receiver::mini_program(v3::TOKEN)
        .with_encoding_aes_key(v3::KEY, v3::APPID)
        .unwrap()
        .require_encryption();
    let opened = receiver
        .open(
            &CallbackQuery::parse(v3::SAFE_QUERY).unwrap(),
            v3::SAFE_BODY.as_bytes(),
        )
        .unwrap();
    assert_eq!(opened.text, v3::SAFE_MESSAGE);
    assert_eq!(opened.format, PayloadFormat::Json);

    let push = receiver
        .receive(v3::SAFE_QUERY, v3::SAFE_BODY.as_bytes())
        .unwrap();
    let miniprogram::InboundMessage::Event(miniprogram::InboundEvent::Unknown(raw)) = &push.message
    else {
        panic!("{:?}", push.message)
    };
    assert_eq!(raw["Event"], "debug_demo");
    assert_eq!(raw["debug_str"], "hello world");
    assert_eq!(raw["CreateTime"], 1714112445);
}

#[test]
fn v3_json_reply_is_byte_exact() {
    let crypt = MsgCrypt::new(v3::TOKEN, v3::KEY, v3::APPID).unwrap();
    assert_eq!(
        crypt
            .encrypt_with_random(v3::REPLY_MESSAGE, v3::REPLY_RANDOM)
            .unwrap(),
        v3::REPLY_ENCRYPT
    );
    let reply = crypt
        .seal_with_random(
            v3::REPLY_MESSAGE,
            PayloadFormat::Json,
            v3::REPLY_TIMESTAMP,
            v3::REPLY_NONCE,
            v3::REPLY_RANDOM,
        )
        .unwrap();
    assert_eq!(reply, v3::REPLY_JSON);
}

#[test]
fn v4_deterministic_encryption_signatures_and_round_trip() {
    let crypt = MsgCrypt::new(v4::TOKEN, v4::KEY, v4::APPID).unwrap();
    for (message, encrypt, signature) in [
        (v4::SHORT_MESSAGE, v4::SHORT_ENCRYPT, v4::SHORT_SIGNATURE),
        (v4::XML_MESSAGE, v4::XML_ENCRYPT, v4::XML_SIGNATURE),
    ] {
        assert_eq!(
            crypt.encrypt_with_random(message, v4::RANDOM).unwrap(),
            encrypt
        );
        assert_eq!(
            crypt.signature(v4::TIMESTAMP, v4::NONCE, encrypt),
            signature
        );
        let decrypted = crypt
            .verify_and_decrypt(signature, v4::TIMESTAMP, v4::NONCE, encrypt)
            .unwrap();
        assert_eq!(decrypted.message(), message);
    }
    assert_eq!(
        wechat_core::callback::plain_signature(v4::TOKEN, v4::TIMESTAMP, v4::NONCE),
        v4::PLAIN_SIGNATURE
    );
}

#[test]
fn v5_a_block_aligned_plaintext_gets_a_whole_block_of_padding() {
    let crypt = MsgCrypt::new("token", v5::KEY, v5::PAD_RECEIVE_ID).unwrap();
    let encrypt = crypt
        .encrypt_with_random(v5::PAD_MESSAGE, v5::PAD_RANDOM)
        .unwrap();
    assert_eq!(encrypt, v5::PAD_ENCRYPT);
    assert_eq!(crypt.decrypt(&encrypt).unwrap().message(), v5::PAD_MESSAGE);
}

#[test]
fn v5_kf_callback_end_to_end() {
    let crypt = MsgCrypt::new(v5::KF_TOKEN, v5::KEY, v5::KF_RECEIVE_ID).unwrap();
    let encrypt = crypt
        .encrypt_with_random(v5::KF_MESSAGE, v5::KF_RANDOM)
        .unwrap();
    assert_eq!(encrypt, v5::KF_ENCRYPT);
    assert_eq!(
        crypt.signature(v5::KF_TIMESTAMP, v5::KF_NONCE, &encrypt),
        v5::KF_SIGNATURE
    );

    let receiver = Receiver::work(v5::KF_TOKEN, v5::KEY, v5::KF_RECEIVE_ID).unwrap();
    let body = format!(
        "<xml><ToUserName><![CDATA[ww12345678910]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>"
    );
    let push = receiver.receive(&v5::kf_query(), body.as_bytes()).unwrap();
    let work::InboundMessage::Event(work::InboundEvent::KfMsgOrEvent(event)) = &push.message else {
        panic!("{:?}", push.message)
    };
    assert_eq!(
        event.token,
        "ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR"
    );
    assert_eq!(event.open_kf_id.as_deref(), Some("wkxxxxxxx"));
    assert_eq!(event.to_user_name, "ww12345678910");
    assert_eq!(event.create_time, 1348831860);
}
