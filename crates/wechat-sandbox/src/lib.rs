//! A faithful local emulator of the WeChat Official Account customer-service API.
//!
//! Nobody can run a bot's tests against WeChat itself: the 48-hour window, the 5-message
//! quota, token expiry and kf sessions only show up in production. The sandbox emulates them
//! on 127.0.0.1, with WeChat's own errcodes, so tests run over real HTTP with the real SDK:
//!
//! * **tokens**: `/cgi-bin/token` (each call replaces the previous token after 5 minutes of
//!   overlap) and `/cgi-bin/stable_token` (the same token while valid; `force_refresh` at most
//!   20 times a day, 30 s apart), with lifetimes, 40001 / 42001 / 40014, wrong credentials;
//! * **custom messages** of every type, read against the schema (unknown members and wrong types
//!   answer 47001), to existing users only (40003), inside the 48-hour window (45015) and its
//!   5-message quota (45047), news of one article (45008), as an existing kf account;
//! * **typing** (30 s / 15 s), **kf accounts**, **kf sessions** as a state machine, **chat
//!   records** with msgid paging, **temporary media** with type, size and 3-day expiry;
//! * **pushes** of what simulated users write to the app's callback URL, in plain, compatible
//!   or safe (encrypted) mode, and the passive reply applied (`transfer_customer_service`
//!   included);
//! * a **virtual clock** ([`VirtualClock`]) that tests move forward, and **faults**
//!   ([`FaultPlan`]): errcodes, HTTP errors, delays, dropped connections.
//!
//! Everything is reachable in Rust ([`Sandbox`], [`AppHandle`]) and over HTTP under
//! `/sandbox` (the crate's README documents the routes and each rule with its reference
//! section), and the `wechat-sandbox` binary serves it (`--listen`, `--config`).
//!
//! ```
//! use std::time::Duration;
//! use wechat_core::endpoints::mp::SendCustomMessage;
//! use wechat_core::types::common::Errcode;
//! use wechat_core::types::mp::{CustomMessage, Text};
//! use wechat_sandbox::{Sandbox, UserMessage};
//!
//! let sandbox = Sandbox::start()?;
//! let app = sandbox.app();
//! let openid = app.create_user("Ann")?;
//! app.writes_blocking(&openid, UserMessage::text("在吗？"))?;
//! let client = app.blocking_client().build()?;
//! let reply = SendCustomMessage::new(CustomMessage::new(&openid, Text::new("在的")));
//! client.execute(&reply)?;
//!
//! sandbox.advance(Duration::from_secs(48 * 3600));
//! let late = client.execute(&reply).unwrap_err();
//! assert_eq!(late.errcode().map(|code| code.value()), Some(Errcode::RESPONSE_OUT_OF_TIME_LIMIT.0));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod api;
mod clock;
mod config;
mod control;
mod faults;
mod http_api;
mod model;
mod push;
mod sandbox;
mod server;
mod shared;
mod user_message;
mod wire;

pub use clock::VirtualClock;
pub use config::{
    AppConfig, CallbackConfig, CallbackMode, ClockConfig, ConfigError, DEFAULT_APPID,
    DEFAULT_ORIGINAL_ID, DEFAULT_SECRET, DEFAULT_WECHAT_ID, Rules, SandboxConfig,
};
pub use control::ControlError;
pub use faults::{Fault, FaultPlan};
pub use model::media::samples;
pub use model::users::{Delivered, DeliveredVia};
pub use model::{Call, SessionView, UserView, WindowView};
pub use sandbox::{AppHandle, Sandbox, StartError};
pub use user_message::{PushOutcome, PushReport, PushRoute, UserMessage};

/// The examples of this crate's README, compiled as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
