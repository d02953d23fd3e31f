//! The transport-agnostic core of the WeChat customer-service SDK.
//!
//! * **Endpoints are values** ([`Endpoint`]): each WeChat call is a struct that knows its
//!   method, path, query, body and how to read the answer, and does no IO. Every endpoint the
//!   schemas declare is generated into [`endpoints`]; the same value runs on the async
//!   [`Client`] and on the [`BlockingClient`].
//! * **The platform is a type**: a [`Client<OfficialAccount>`](Client) cannot execute a
//!   WeChat Work endpoint; it does not compile.
//! * **Any HTTP stack**: the clients talk to an [`HttpBackend`] or [`BlockingHttpBackend`]
//!   over this crate's own [`HttpRequest`]/[`HttpResponse`]. reqwest (feature `reqwest`) and
//!   ureq 3 (feature `ureq`) are bundled, both on by default; each can be left out.
//! * **Tokens handled**: obtained from `/cgi-bin/stable_token` (or `/cgi-bin/token`, or WeChat
//!   Work's `/cgi-bin/gettoken`), kept in a [`TokenStore`], refreshed ahead of expiry with one
//!   refresh in flight per key, and refreshed once more when WeChat calls a token stale.
//! * **Typed errors** ([`Error`]): WeChat's errcode with its documented meaning, HTTP status,
//!   transport failures, undecodable answers and requests refused before sending, none of them
//!   ever showing a credential.
//! * **Callbacks** ([`callback`]): WeChat's URL verification, signed and encrypted pushes
//!   (WXBizMsgCrypt) turned into typed messages, and sealed passive replies, for all three
//!   surfaces.
//!
//! # Async
//!
//! ```no_run
//! use wechat_core::Client;
//! use wechat_core::endpoints::mp::SendCustomMessage;
//! use wechat_types::mp::{CustomMessage, Text};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::official_account("wx0123456789abcdef", "APPSECRET").build()?;
//! let reply = CustomMessage::new("OPENID", Text::new("您好，请问有什么可以帮您？"));
//! client.execute(&SendCustomMessage::new(reply)).await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Blocking
//!
//! ```no_run
//! # fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use wechat_core::BlockingClient;
//! use wechat_core::endpoints::mp::SendCustomMessage;
//! use wechat_types::mp::{CustomMessage, Text};
//!
//! let client = BlockingClient::official_account("wx0123456789abcdef", "APPSECRET").build()?;
//! client.execute(&SendCustomMessage::new(CustomMessage::new("OPENID", Text::new("Hello"))))?;
//! # Ok(())
//! # }
//! ```
//!
//! # Features
//!
//! * `reqwest` (default): [`ReqwestBackend`], the default backend of [`Client`].
//! * `ureq` (default): [`UreqBackend`], the default backend of [`BlockingClient`].
//! * `test-util`: [`test_util`]: a backend recording every request (for snapshots), one
//!   replaying canned answers, and a clock tests move by hand.
//!
//! Without a backend feature the clients still build with a backend you pass in.

mod backend;
pub mod callback;
mod client;
mod endpoint;
#[rustfmt::skip]
pub mod endpoints;
mod error;
mod http;
mod media;
mod platform;
mod redact;
mod retry;
mod secret;
mod token;
mod trace;

#[cfg(feature = "test-util")]
pub mod test_util;

#[cfg(feature = "reqwest")]
pub use backend::ReqwestBackend;
#[cfg(feature = "ureq")]
pub use backend::UreqBackend;
pub use backend::{BackendOptions, BlockingHttpBackend, HttpBackend};
pub use client::{BlockingClient, BlockingClientBuilder, BuildError, Client, ClientBuilder};
pub use endpoint::{Endpoint, Reply, Request};
pub use error::{
    ApiError, DecodeError, Error, ErrorCode, HttpStatusError, InvalidRequest, StoreError,
    TransportError, TransportErrorKind,
};
pub use http::{HttpRequest, HttpResponse, Method};
pub use media::{Media, MediaFile, Upload};
pub use platform::{AppPlatform, MiniProgram, OfficialAccount, Platform, PlatformKind, Work};
pub use retry::RetryPolicy;
pub use secret::Secret;
pub use token::{
    AccessToken, BlockingTokenStore, Clock, MemoryTokenStore, RefreshLock, SystemClock,
    TokenEndpoint, TokenKey, TokenStore,
};

/// The wire types this crate's endpoints carry, re-exported so that one dependency suffices.
pub use wechat_types as types;
