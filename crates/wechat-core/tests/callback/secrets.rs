//! The token, the EncodingAESKey and the kf callback's sync token never show in `Debug`,
//! `Display` or errors.

use wechat_core::callback::{MsgCrypt, Receiver};

use crate::vectors::v5;

const TOKEN: &str = "tokenTOKENtoken42";
const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

#[test]
fn debug_output_and_errors_show_no_credential() {
    let crypt = MsgCrypt::new(TOKEN, KEY, "wx0123456789abcdef").unwrap();
    let work = Receiver::work(TOKEN, KEY, "ww1").unwrap();
    let oa = Receiver::official_account(TOKEN)
        .with_encoding_aes_key(KEY, "wx1")
        .unwrap();
    let mut printed = format!("{crypt:?} {work:?} {oa:?} {:#?}", oa.crypt());
    for error in [
        work.receive(
            "msg_signature=0000000000000000000000000000000000000000&timestamp=1&nonce=2",
            b"<xml><Encrypt>AAAA</Encrypt></xml>",
        )
        .unwrap_err(),
        MsgCrypt::new(TOKEN, &KEY[..42], "wx1").unwrap_err(),
        MsgCrypt::new(TOKEN, &format!("{}!", &KEY[..42]), "wx1").unwrap_err(),
    ] {
        printed.push_str(&format!(" {error} {error:?}"));
    }
    assert!(printed.contains("<redacted>"), "{printed}");
    for secret in [TOKEN, KEY, &KEY[..20], "8d69989bbaabe673"] {
        assert!(!printed.contains(secret), "{secret} in {printed}");
    }
}

#[test]
fn the_kf_callback_sync_token_is_redacted() {
    let receiver = Receiver::work(v5::KF_TOKEN, v5::KEY, v5::KF_RECEIVE_ID).unwrap();
    let body = format!(
        "<xml><Encrypt><![CDATA[{}]]></Encrypt></xml>",
        v5::KF_ENCRYPT
    );
    let push = receiver.receive(&v5::kf_query(), body.as_bytes()).unwrap();
    let printed = format!("{push:?}");
    assert!(printed.contains("wkxxxxxxx"), "{printed}");
    assert!(
        !printed.contains("ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR"),
        "{printed}"
    );
}
