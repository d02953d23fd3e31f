//! Every malformed input is refused with its typed error, in its official class.

use aes::Aes256Enc;
use aes::cipher::block_padding::NoPadding;
use aes::cipher::{BlockModeEncrypt, InnerIvInit, KeyInit};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use wechat_core::callback::{BufferError, CallbackError, MsgCrypt};

use crate::vectors::v1;

/// The AES key of V1's EncodingAESKey (reference §17 V1).
const V1_AES_KEY: &str = "8d69989bbaabe67328014c194631ad0719b3dca035b64023df292447aab60760";

fn crypt() -> MsgCrypt {
    MsgCrypt::new(v1::TOKEN, v1::KEY, v1::CORP_ID).unwrap()
}

/// Encrypts raw bytes (already a multiple of 16) with V1's key and IV, bypassing the layout.
fn craft(raw: &[u8]) -> String {
    let mut key = [0_u8; 32];
    base16ct::lower::decode(V1_AES_KEY, &mut key).unwrap();
    let mut buffer = raw.to_vec();
    let len = buffer.len();
    cbc::Encryptor::<Aes256Enc>::inner_iv_init(
        Aes256Enc::new(&key.into()),
        key[..16].try_into().unwrap(),
    )
    .encrypt_padded::<NoPadding>(&mut buffer, len)
    .unwrap();
    STANDARD.encode(buffer)
}

/// `random ‖ length ‖ message ‖ receive id`, padded WeChat's way.
fn plaintext(declared: u32, message: &[u8], receive_id: &[u8]) -> Vec<u8> {
    let mut raw = b"0123456789abcdef".to_vec();
    raw.extend_from_slice(&declared.to_be_bytes());
    raw.extend_from_slice(message);
    raw.extend_from_slice(receive_id);
    let pad = 32 - raw.len() % 32;
    raw.resize(raw.len() + pad, pad as u8);
    raw
}

fn decrypt_error(encrypt: &str) -> CallbackError {
    crypt().decrypt(encrypt).unwrap_err()
}

#[test]
fn the_crafting_helper_makes_what_the_sdk_accepts() {
    let encrypt = craft(&plaintext(5, b"hello", v1::CORP_ID.as_bytes()));
    assert_eq!(crypt().decrypt(&encrypt).unwrap().message(), "hello");
}

#[test]
fn wrong_signature_and_wrong_nonce() {
    let crypt = crypt();
    let mut wrong = v1::MSG_SIGNATURE.to_owned();
    wrong.replace_range(..1, "5");
    let cases = [
        (wrong.as_str(), v1::TIMESTAMP, v1::NONCE),
        (v1::MSG_SIGNATURE, v1::TIMESTAMP, "1372623148"),
        (v1::MSG_SIGNATURE, "1409659814", v1::NONCE),
    ];
    for (signature, timestamp, nonce) in cases {
        let error = crypt
            .verify_and_decrypt(signature, timestamp, nonce, v1::ENCRYPT)
            .unwrap_err();
        assert_eq!(error, CallbackError::SignatureMismatch);
        assert_eq!(error.code(), -40001);
    }
    // A ciphertext other than the signed one.
    let other = craft(&plaintext(5, b"hello", v1::CORP_ID.as_bytes()));
    assert_eq!(
        crypt.verify_and_decrypt(v1::MSG_SIGNATURE, v1::TIMESTAMP, v1::NONCE, &other),
        Err(CallbackError::SignatureMismatch)
    );
}

#[test]
fn malformed_signatures() {
    for signature in [
        "",
        "477715d1",
        &format!("{}0", v1::MSG_SIGNATURE),
        "g77715d11cdb4164915debcba66cb864d751f3e6",
    ] {
        assert_eq!(
            crypt().verify(signature, v1::TIMESTAMP, v1::NONCE, v1::ENCRYPT),
            Err(CallbackError::MalformedSignature),
            "{signature:?}"
        );
    }
}

#[test]
fn a_message_for_another_receive_id_is_refused() {
    // The same key and token, configured for another app: the message is not for it.
    let other = MsgCrypt::new(v1::TOKEN, v1::KEY, "wx0000000000000000").unwrap();
    let error = other
        .verify_and_decrypt(v1::MSG_SIGNATURE, v1::TIMESTAMP, v1::NONCE, v1::ENCRYPT)
        .unwrap_err();
    assert_eq!(
        error,
        CallbackError::ReceiveIdMismatch {
            expected: "wx0000000000000000".to_owned(),
            found: v1::CORP_ID.to_owned(),
        }
    );
    assert_eq!(error.code(), -40005);
    // An empty receive id, or one that is only a prefix of ours, is not ours either.
    for receive_id in [&b""[..], b"wx5823bf96d3bd56c", b"wx5823bf96d3bd56c7x"] {
        let encrypt = craft(&plaintext(2, b"hi", receive_id));
        assert!(matches!(
            decrypt_error(&encrypt),
            CallbackError::ReceiveIdMismatch { .. }
        ));
    }
}

#[test]
fn truncated_ciphertexts() {
    // Cut at a block boundary: the padding of the last block is gone.
    let cut = STANDARD.decode(v1::ENCRYPT).unwrap();
    let block_cut = STANDARD.encode(&cut[..cut.len() - 16]);
    assert!(matches!(
        decrypt_error(&block_cut),
        CallbackError::InvalidBuffer(_)
    ));
    // Cut inside a block: not a whole number of AES blocks.
    let odd = STANDARD.encode(&cut[..cut.len() - 5]);
    assert_eq!(
        decrypt_error(&odd),
        CallbackError::Decrypt { len: cut.len() - 5 }
    );
    assert_eq!(decrypt_error(&odd).code(), -40007);
    // Cut inside the base64 text.
    assert_eq!(
        decrypt_error(&v1::ENCRYPT[..v1::ENCRYPT.len() - 3]),
        CallbackError::Base64
    );
    // Nothing at all.
    assert_eq!(decrypt_error(""), CallbackError::Decrypt { len: 0 });
}

#[test]
fn bad_padding() {
    let good = plaintext(5, b"hello", v1::CORP_ID.as_bytes());
    let last = good.len() - 1;
    let mut zero = good.clone();
    zero[last] = 0;
    let mut too_big = good.clone();
    too_big[last] = 33;
    let mut uneven = good.clone();
    uneven[last - 1] ^= 1;
    for raw in [zero, too_big, uneven] {
        let error = decrypt_error(&craft(&raw));
        assert_eq!(error, CallbackError::InvalidBuffer(BufferError::Padding));
        assert_eq!(error.code(), -40008);
    }
}

#[test]
fn length_field_larger_than_the_data() {
    let raw = plaintext(1000, b"hello", v1::CORP_ID.as_bytes());
    let error = decrypt_error(&craft(&raw));
    assert_eq!(
        error,
        CallbackError::InvalidBuffer(BufferError::LengthOverflow {
            declared: 1000,
            available: 5 + v1::CORP_ID.len(),
        })
    );
    let max = plaintext(u32::MAX, b"", b"");
    assert!(matches!(
        decrypt_error(&craft(&max)),
        CallbackError::InvalidBuffer(BufferError::LengthOverflow {
            declared: u32::MAX,
            ..
        })
    ));
}

#[test]
fn a_buffer_shorter_than_its_prefix() {
    // 16 bytes of content and 16 of padding: no room for the length field.
    let mut raw = b"0123456789abcdef".to_vec();
    raw.resize(32, 16);
    assert_eq!(
        decrypt_error(&craft(&raw)),
        CallbackError::InvalidBuffer(BufferError::TooShort { len: 16 })
    );
}

#[test]
fn a_message_that_is_not_utf8() {
    let raw = plaintext(2, &[0xff, 0xfe], v1::CORP_ID.as_bytes());
    assert_eq!(
        decrypt_error(&craft(&raw)),
        CallbackError::InvalidBuffer(BufferError::NotUtf8)
    );
}

#[test]
fn non_base64_ciphertexts() {
    for encrypt in [
        "not base64!",
        "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvq nLSV5",
        "Ryp=",
        "RypE\u{00e9}",
    ] {
        let error = decrypt_error(encrypt);
        assert_eq!(error, CallbackError::Base64, "{encrypt:?}");
        assert_eq!(error.code(), -40010);
    }
}

#[test]
fn wrong_key_lengths_and_alphabets() {
    for key in [
        "",
        "short",
        &v1::KEY[..42],
        &format!("{}A", v1::KEY),
        &format!("{}=", &v1::KEY[..42]),
        "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2*",
    ] {
        let error = MsgCrypt::new(v1::TOKEN, key, v1::CORP_ID).unwrap_err();
        assert!(
            matches!(error, CallbackError::InvalidAesKey { .. }),
            "{key:?}: {error:?}"
        );
        assert_eq!(error.code(), -40004);
    }
}

#[test]
fn unusable_reply_nonces() {
    let crypt = crypt();
    for nonce in ["", "]]><evil/>", "a b", &"1".repeat(65)] {
        let error = crypt
            .seal(
                "<xml/>",
                wechat_core::callback::PayloadFormat::Xml,
                1,
                nonce,
            )
            .unwrap_err();
        assert!(
            matches!(error, CallbackError::ReplyEnvelope { .. }),
            "{nonce:?}"
        );
        assert_eq!(error.code(), -40011);
    }
}
