//! Exact, typed wire payloads of the WeChat customer-service (客服消息) APIs.
//!
//! Every request body, query, response and pushed message here is **generated** by
//! `cargo xtask codegen` from the JSON Schemas in the repository's `schemas/` directory, the single
//! source of truth; nothing in [`common`], [`mp`], [`miniprogram`] or [`work`] is written by hand. This crate does no IO and
//! depends on `serde` and `serde_json` only, so another SDK can build on it alone.
//!
//! What the types guarantee:
//!
//! * a message type and its payload are one value, so `msgtype` can never disagree with the body;
//! * absent optional members are omitted, never sent as `null` or `""`;
//! * payloads WeChat sends (replies, pushes) keep values this version does not know in an
//!   `Unknown` variant instead of failing, and accept numbers sent as strings;
//! * [`Validate::validate`] checks the documented limits and names the failing member;
//! * credentials (`x-secret` in the schemas) print as `<redacted>` in `Debug`.
//!
//! ```
//! use wechat_types::Validate;
//! use wechat_types::mp::{CustomMessage, CustomService, KfAccount, Text};
//!
//! let message = CustomMessage::new("OPENID", Text::new("Hello World"))
//!     .with_customservice(CustomService::new(KfAccount::new("test1@kftest")));
//! message.validate()?;
//! assert_eq!(
//!     serde_json::to_string(&message)?,
//!     r#"{"touser":"OPENID","msgtype":"text","text":{"content":"Hello World"},"customservice":{"kf_account":"test1@kftest"}}"#
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Features
//!
//! * `schemars`: derive [`schemars::JsonSchema`](https://docs.rs/schemars/1) for every type; the
//!   derived schemas equal the source schemas (a test compares them).
//! * `xml`: [`xml::from_str`] for pushed XML messages, and [`xml::to_string`] /
//!   [`xml::to_string_with`] for XML passive replies, compact or one element per line as the
//!   official encrypted replies are (quick-xml).

#[rustfmt::skip]
mod generated;

pub mod checks;
mod endpoint;
mod errcode;
mod lenient;
mod redact;
mod tagged;
mod validate;
#[cfg(feature = "xml")]
pub mod xml;

pub use endpoint::{BodySpec, EndpointSpec, Host, Method, ResponseSpec};
pub use errcode::{ErrcodeInfo, Handling};
pub use generated::SECRET_MEMBERS;
pub use redact::Redacted;
pub use validate::{FieldPath, Rule, Validate, ValidationError};

pub mod common {
    //! Payloads shared by the Official Account and the Mini Program (both served by
    //! `api.weixin.qq.com`): access tokens, temporary media, the errcode catalogue, and the
    //! `errcode`/`errmsg` envelope every WeChat API reply carries; and the encrypted callback
    //! envelopes ([`EncryptedPush`],
    //! [`EncryptedReply`]) of all three surfaces, WeChat Work
    //! included.
    //!
    //! Generated from `schemas/common/`.

    pub use crate::generated::common::*;
}

pub mod mp {
    //! Official Account (公众号) customer service: custom messages of every type, typing state,
    //! kf accounts, kf sessions, chat records, pushed XML messages and events, and the
    //! `transfer_customer_service` passive reply.
    //!
    //! Generated from `schemas/mp/`.

    pub use crate::generated::mp::*;
}

pub mod miniprogram {
    //! Mini Program (小程序) customer service: the messages and events WeChat pushes to a Mini
    //! Program's server (XML or JSON), including the Mini Program card and the
    //! `user_enter_tempsession` event. The header is the Official Account's
    //! [`mp::MessageHeader`](crate::mp::MessageHeader).
    //!
    //! Generated from `schemas/miniprogram/`.

    pub use crate::generated::miniprogram::*;
}

pub mod work {
    //! WeChat Work (企业微信): the app access token of `/cgi-bin/gettoken`, the decrypted
    //! callbacks customer service (微信客服) needs (`kf_msg_or_event`), and the errcode catalogue
    //! of the WeChat Work APIs.
    //!
    //! Generated from `schemas/work/`.

    pub use crate::generated::work::*;
}
