//! The typing state (客服输入状态): `POST /cgi-bin/message/custom/typing` (reference §3).
//!
//! WeChat shows "对方正在输入" for 15 seconds, or until a message is sent to the user. It
//! refuses typing unless a message went either way in the last 30 seconds (45080), and refuses
//! `Typing` while the state is on (45081).

use wechat_core::endpoints::mp::SetTyping;
use wechat_core::types::mp::{TypingCommand, TypingRequest};

/// Shows "对方正在输入" to the user `touser`.
pub fn start(touser: impl Into<String>) -> SetTyping {
    SetTyping::new(TypingRequest::new(touser, TypingCommand::Typing))
}

/// Takes the typing state off before its 15 seconds are up.
pub fn stop(touser: impl Into<String>) -> SetTyping {
    SetTyping::new(TypingRequest::new(touser, TypingCommand::CancelTyping))
}

/// [`start`] when `typing`, [`stop`] otherwise: the form of the Elixir `typing/3`.
pub fn set(touser: impl Into<String>, typing: bool) -> SetTyping {
    if typing { start(touser) } else { stop(touser) }
}
