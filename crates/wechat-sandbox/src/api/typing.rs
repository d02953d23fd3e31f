//! `POST /cgi-bin/message/custom/typing` (reference §3).

use serde_json::Value;
use wechat_types::common::Errcode;
use wechat_types::mp::{TypingCommand, TypingRequest};

use super::{ApiRequest, Handled};
use crate::model::World;
use crate::wire::{self, Answer, Refusal};

/// `Typing` or `CancelTyping`: 45072 for any other command, 40003 for an unknown user, then the
/// typing rules (45015, 45080, 45081; see the user model).
pub(super) fn typing(world: &mut World, app: usize, request: &ApiRequest) -> Handled {
    set(world, app, request).map(|()| Answer::Ok).into()
}

fn set(world: &mut World, app: usize, request: &ApiRequest) -> Result<(), Refusal> {
    let body = wire::parse_value(&request.body)?;
    match body.get("command").and_then(Value::as_str) {
        Some("Typing" | "CancelTyping") => {}
        other => {
            return Err(Refusal::hint(
                Errcode::INVALID_COMMAND,
                format!("command {other:?}; must be Typing or CancelTyping"),
            ));
        }
    }
    let request: TypingRequest =
        wire::read_json(&request.body, world.strict_json, |e| match e.path() {
            "touser" => Refusal::hint(Errcode::INVALID_OPENID, e.to_string()),
            _ => wire::format_error(e),
        })?;
    let now = world.now();
    let rules = world.rules.clone();
    let user = world.apps[app].user_mut(&request.touser)?;
    match request.command {
        TypingCommand::Typing => user.start_typing(now, &rules),
        _ => {
            user.cancel_typing();
            Ok(())
        }
    }
}
