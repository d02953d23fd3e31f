//! Callback security: the URL WeChat pushes messages to (WXBizMsgCrypt, reference §16–§17).
//!
//! * [`Receiver`]: the server side of one app's callback URL, for the Official Account, the
//!   Mini Program or WeChat Work: answers URL verification, checks and decrypts pushed requests
//!   (plain, compatible and safe modes; XML and the Mini Program's JSON) into typed messages,
//!   and seals passive replies.
//! * [`MsgCrypt`]: the crypto itself (signatures compared in constant time, AES-256-CBC with
//!   32-byte padding, the receive id check), for those who handle envelopes themselves.
//! * [`CallbackError`]: every refusal, typed, in the classes of the official samples
//!   (`-40001` ... `-40011`).
//!
//! Nothing here panics on any input, and the token and EncodingAESKey never appear in `Debug`
//! output or errors.

mod crypt;
mod error;
mod inbound;
mod key;
mod query;
mod receiver;
mod signature;

pub use crypt::{Decrypted, MsgCrypt, random_nonce};
pub use error::{BufferError, CallbackError, PayloadFormat};
pub use inbound::InboundPlatform;
pub use key::ENCODING_AES_KEY_LEN;
pub use query::CallbackQuery;
pub use receiver::{Opened, Push, Receiver, plain_signature};
