//! The callback's token and EncodingAESKey never show in its `Debug` output, nor in the errors
//! of a refused request.

use wechat_mp::inbound::Callback;

const TOKEN: &str = "token-3b8f0e2d9c";
/// The EncodingAESKey of the official WXBizMsgCrypt samples.
const AES_KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

#[test]
fn debug_output_shows_neither_token_nor_key() {
    let callback = Callback::safe(TOKEN, AES_KEY, "wx5a9d0c1e3b7f2a64").unwrap();
    let debug = format!("{callback:?} {:#?}", callback.clone());
    assert!(debug.contains("Callback"), "{debug}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(!debug.contains(AES_KEY), "{debug}");
    assert!(!debug.contains(&AES_KEY[..20]), "{debug}");
}

#[test]
fn refusals_show_neither_token_nor_key() {
    let callback = Callback::safe(TOKEN, AES_KEY, "wx5a9d0c1e3b7f2a64").unwrap();
    let query = "signature=0&timestamp=1&nonce=2&encrypt_type=aes&msg_signature=3";
    let body =
        b"<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[AAAA]]></Encrypt></xml>";
    let refused = callback.open(query, body).unwrap_err();
    let shown = format!("{refused} {refused:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(!shown.contains(AES_KEY), "{shown}");
}
