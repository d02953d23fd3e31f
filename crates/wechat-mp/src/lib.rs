//! The WeChat Official Account (公众号) customer-service API (客服消息), on
//! [`wechat_core`]'s clients.
//!
//! Every function here returns an endpoint value: it does no IO, checks its documented limits
//! when the request is built, and runs on the async [`Client`](wechat_core::Client) and on the
//! [`BlockingClient`](wechat_core::BlockingClient) alike, so async and blocking code call the
//! same functions. The crate has no HTTP library or runtime of its own: the `reqwest` and `ureq`
//! features (both default) are wechat-core's backends.
//!
//! ```no_run
//! use wechat_core::Client;
//! use wechat_mp::{kf_session, message, typing};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::official_account("wx0123456789abcdef", std::env::var("WECHAT_SECRET")?)
//!     .build()?;
//! client.execute(&typing::start("OPENID")).await?;
//! client.execute(&message::text("OPENID", "您好，客服小王为您服务。").as_kf_account("wang@gh_account")).await?;
//! let session = client.execute(&kf_session::of_customer("OPENID")).await?;
//! println!("served by {:?}", session.kf_account);
//! # Ok(())
//! # }
//! ```
//!
//! The same with the blocking client is `client.execute(&...)?` without `.await`.
//!
//! WeChat's refusals are [`Error::Api`](wechat_core::Error::Api) with a typed errcode (45015:
//! the 48-hour window is closed; 45047: the window's 5 messages are used up; 65401: no such kf
//! account; 40003: an OpenID of another account), and a request breaking a documented limit
//! is [`Error::InvalidRequest`](wechat_core::Error::InvalidRequest), naming the field, before
//! anything is sent.
//!
//! # Endpoints
//!
//! | WeChat endpoint | function | file |
//! |---|---|---|
//! | `POST /cgi-bin/message/custom/send` | [`message::text`], [`image`](message::image), [`voice`](message::voice), [`video`](message::video), [`music`](message::music), [`news`](message::news), [`news_card`](message::news_card), [`mpnews`](message::mpnews), [`mpnewsarticle`](message::mpnewsarticle), [`msgmenu`](message::msgmenu), [`wxcard`](message::wxcard), [`miniprogrampage`](message::miniprogrampage), [`SendMessage::new`](message::SendMessage::new), [`SendRaw::new`](message::SendRaw::new) | `src/message/mod.rs`, `src/message/raw.rs` |
//! | `POST /cgi-bin/message/custom/typing` | [`typing::start`], [`typing::stop`], [`typing::set`] | `src/typing.rs` |
//! | `POST /customservice/kfaccount/add` | [`kf_account::add`] | `src/kf_account.rs` |
//! | `POST /customservice/kfaccount/update` | [`kf_account::update`] | `src/kf_account.rs` |
//! | `POST /customservice/kfaccount/del` | [`kf_account::delete`] | `src/kf_account.rs` |
//! | `POST /customservice/kfaccount/uploadheadimg` | [`kf_account::upload_avatar`], [`kf_account::upload_avatar_from_path`] | `src/kf_account.rs` |
//! | `GET /cgi-bin/customservice/getkflist` | [`kf_account::list`] | `src/kf_account.rs` |
//! | `GET /cgi-bin/customservice/getonlinekflist` | [`kf_account::list_online`] | `src/kf_account.rs` |
//! | `POST /customservice/kfaccount/inviteworker` | [`kf_account::invite`] | `src/kf_account.rs` |
//! | `POST /customservice/kfsession/create` | [`kf_session::create`] | `src/kf_session.rs` |
//! | `POST /customservice/kfsession/close` | [`kf_session::close`] | `src/kf_session.rs` |
//! | `GET /customservice/kfsession/getsession` | [`kf_session::of_customer`] | `src/kf_session.rs` |
//! | `GET /customservice/kfsession/getsessionlist` | [`kf_session::of_kf`] | `src/kf_session.rs` |
//! | `GET /customservice/kfsession/getwaitcase` | [`kf_session::waiting`] | `src/kf_session.rs` |
//! | `POST /customservice/msgrecord/getmsglist` | [`records::page`], [`records::ChatRecords`] (any range: windows and paging) | `src/records/mod.rs`, `src/records/walker.rs` |
//! | `POST /cgi-bin/media/upload` | [`media::upload`], [`media::upload_from_path`] | `src/media.rs` |
//! | `GET /cgi-bin/media/get` | [`media::download`] | `src/media.rs` |
//! | pushes to the callback URL, passive replies | [`inbound::Callback`], [`inbound::Reply`] | `src/inbound/` |
//!
//! The access token (`/cgi-bin/stable_token` or `/cgi-bin/token`) is the client's business.
//!
//! # Coming from Elixir `WeChat.CustomMessage` / Go `GetCustom()`
//!
//! The Go column is silenceper/wechat's Official Account, whose custom-message functions sit on
//! `GetCustomerMessageManager()` and its kf functions on `GetCustomerServiceManager()` (what
//! other Go SDKs call the `GetCustom()` manager).
//!
//! | Elixir (feng19/wechat) | Go (silenceper/wechat) | here |
//! |---|---|---|
//! | `CustomMessage.send_text/3` | `NewCustomerTextMessage` + `Send` | [`message::text`] |
//! | `CustomMessage.send_text/4` (by kf account) | — | [`message::text`]`(..).`[`as_kf_account`](message::SendMessage::as_kf_account) (on every type) |
//! | `send_image/3`, `send_voice/3` | `NewCustomerImgMessage`, `NewCustomerVoiceMessage` | [`message::image`], [`message::voice`] |
//! | `send_video/3`, `send_music/3` | `CustomerMessage{Video/Music}` | [`message::video`], [`message::music`] |
//! | `send_news/6`, `send_news/3` | `CustomerMessage{News}` | [`message::news_card`], [`message::news`] |
//! | `send_mp_news/3`, `send_article/3` | `CustomerMessage{Mpnews}` | [`message::mpnews`], [`message::mpnewsarticle`] |
//! | `send_menu/3`, `send_card/3`, `send_mini_program_page/3` | `CustomerMessage{Msgmenu/Wxcard/Miniprogrampage}` | [`message::msgmenu`], [`message::wxcard`], [`message::miniprogrampage`] |
//! | `send_msg/2` (any map) | `Send(*CustomerMessage)` | [`message::SendRaw`] (any JSON), [`message::SendMessage`] (any typed message) |
//! | `typing/3` | `GetCustomerServiceManager().SendTypingStatus` | [`typing::set`], [`typing::start`], [`typing::stop`] |
//! | `CustomService.add_kf_account/4`, `update_kf_account/4`, `del_kf_account/4` | `Add`, `Update`, `Delete` | [`kf_account::add`], [`kf_account::update`], [`kf_account::delete`] (no legacy password) |
//! | `CustomService.upload_head_img/3`, `/4` | `UploadHeadImg` | [`kf_account::upload_avatar_from_path`], [`kf_account::upload_avatar`] |
//! | `CustomService.get_kf_list/1` | `List`, `OnlineList` | [`kf_account::list`], [`kf_account::list_online`] |
//! | — | `InviteBind` | [`kf_account::invite`] |
//! | — | — | [`kf_session`], [`records`], [`media`], [`inbound`] |
//!
//! What they miss and this crate has: `aimsgcontext` ([`ai_generated`](message::SendMessage::ai_generated)),
//! mini-program links in text ([`message::MiniProgramLink`]), sessions, chat records over any
//! range, limits checked before sending, typed errcodes, and one value per message type so
//! `msgtype` and payload never disagree (the Elixir `send_video` takes any map; the Go example
//! sends a music payload as `video`).
//!
//! # Modules
//!
//! * [`message`]: every custom-message type, `kf_account`, `aimsgcontext`, the raw escape hatch.
//! * [`typing`]: the typing state.
//! * [`kf_account`], [`kf_session`]: kf accounts and sessions.
//! * [`records`]: chat records, one call or any range.
//! * [`media`]: temporary media.
//! * [`inbound`]: pushed messages and passive replies, including `transfer_customer_service`.

pub mod inbound;
pub mod kf_account;
pub mod kf_session;
pub mod media;
pub mod message;
pub mod records;
pub mod typing;
mod upload_limit;

pub use wechat_core;
/// The wire types of the Official Account (`wechat_types::mp`), re-exported.
pub use wechat_core::types::mp as types;

/// The examples of this crate's README, compiled as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;

/// The examples of the repository's README (they use this crate, wechat-core and
/// wechat-types), compiled as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct RepositoryReadmeExamples;
