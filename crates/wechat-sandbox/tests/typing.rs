//! `POST /cgi-bin/message/custom/typing` against the sandbox, with both backends: the window,
//! the 30 seconds since the last exchange, the 15 seconds of typing, what ends it, and the
//! refusals as WeChat's errcodes (reference §3, §10).

mod support;

use serde_json::json;
use wechat_core::Error;
use wechat_core::endpoints::mp::{SendCustomMessage, SetTyping};
use wechat_core::types::common::Errcode;
use wechat_core::types::mp::{CustomMessage, Text, TypingCommand, TypingRequest};
use wechat_sandbox::{Sandbox, UserMessage};

use support::{Caller, RawJson, each_frozen_backend, secs};

const TYPING: &str = "/cgi-bin/message/custom/typing";

fn typing(caller: &Caller, openid: &str) -> Result<(), Error> {
    caller.call(&SetTyping::new(TypingRequest::new(
        openid,
        TypingCommand::Typing,
    )))
}

fn cancel(caller: &Caller, openid: &str) -> Result<(), Error> {
    caller.call(&SetTyping::new(TypingRequest::new(
        openid,
        TypingCommand::CancelTyping,
    )))
}

fn errcode(result: Result<(), Error>) -> Errcode {
    support::errcode(&result.unwrap_err())
}

fn send(caller: &Caller, openid: &str, text: &str) {
    caller
        .call(&SendCustomMessage::new(CustomMessage::new(
            openid,
            Text::new(text),
        )))
        .unwrap();
}

/// A user who has just written: the window is open and a message was just exchanged.
fn writing_user(sandbox: &Sandbox) -> String {
    let app = sandbox.app();
    let openid = app.create_user("Ann").unwrap();
    app.writes_blocking(&openid, UserMessage::text("在吗？"))
        .unwrap();
    openid
}

fn is_typing(sandbox: &Sandbox, openid: &str) -> bool {
    sandbox.app().user(openid).unwrap().typing
}

#[test]
fn typing_before_any_interaction_is_45015() {
    each_frozen_backend(|sandbox, caller| {
        let openid = sandbox.app().create_user("Ann").unwrap();
        assert_eq!(
            errcode(typing(caller, &openid)),
            Errcode::RESPONSE_OUT_OF_TIME_LIMIT
        );
        assert!(!is_typing(sandbox, &openid));
    });
}

#[test]
fn typing_within_30_seconds_of_the_users_message_shows() {
    each_frozen_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        assert!(!is_typing(sandbox, &openid));
        sandbox.advance(secs(29));
        typing(caller, &openid).unwrap();
        assert!(is_typing(sandbox, &openid));
        // Typing is no message: the quota is untouched and nothing was delivered.
        let user = sandbox.app().user(&openid).unwrap();
        assert_eq!(user.window.unwrap().remaining, 5);
        assert_eq!(user.received, 0);
    });
}

#[test]
fn typing_lasts_15_seconds_and_cannot_be_repeated_meanwhile() {
    each_frozen_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        sandbox.advance(secs(1));
        typing(caller, &openid).unwrap();
        sandbox.advance(secs(14));
        assert!(is_typing(sandbox, &openid));
        assert_eq!(errcode(typing(caller, &openid)), Errcode::ALREADY_TYPING);
        assert!(
            is_typing(sandbox, &openid),
            "the refusal leaves the indicator as it was"
        );
        sandbox.advance(secs(1));
        assert!(!is_typing(sandbox, &openid), "15 seconds have passed");
        // Off again, and still within 30 s of the user's message: it may start again.
        typing(caller, &openid).unwrap();
        assert!(is_typing(sandbox, &openid));
    });
}

#[test]
fn more_than_30_seconds_after_the_last_exchange_is_45080() {
    each_frozen_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        sandbox.advance(secs(31));
        assert_eq!(
            errcode(typing(caller, &openid)),
            Errcode::TYPING_NEEDS_RECENT_MESSAGE
        );
        assert!(!is_typing(sandbox, &openid));
        // The window is still open: a message is a new exchange, and typing may follow.
        send(caller, &openid, "您好，请稍等");
        typing(caller, &openid).unwrap();
        // Typing itself is no exchange: 31 s after the message it is refused again, though
        // typing started 1 s after it.
        sandbox.advance(secs(31));
        assert_eq!(
            errcode(typing(caller, &openid)),
            Errcode::TYPING_NEEDS_RECENT_MESSAGE
        );
    });
}

#[test]
fn a_message_sent_ends_typing_and_counts_as_an_exchange() {
    each_frozen_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        sandbox.advance(secs(1));
        typing(caller, &openid).unwrap();
        sandbox.advance(secs(5));
        send(caller, &openid, "查到了");
        assert!(!is_typing(sandbox, &openid), "the message ends typing");
        // Within the 15 s the first typing would have lasted: it is off, so no 45081.
        typing(caller, &openid).unwrap();
        assert!(is_typing(sandbox, &openid));
        send(caller, &openid, "还有一件事");
        // 35 s after the user's message, 29 s after ours: ours is the last exchange.
        sandbox.advance(secs(29));
        typing(caller, &openid).unwrap();
        assert!(is_typing(sandbox, &openid));
    });
}

#[test]
fn cancel_typing_turns_it_off() {
    each_frozen_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        typing(caller, &openid).unwrap();
        assert!(is_typing(sandbox, &openid));
        cancel(caller, &openid).unwrap();
        assert!(!is_typing(sandbox, &openid));
        // Cancelled, it may start again at once: no 45081.
        sandbox.advance(secs(2));
        typing(caller, &openid).unwrap();
        assert!(is_typing(sandbox, &openid));
    });
}

#[test]
fn an_unknown_user_is_40003() {
    each_frozen_backend(|_sandbox, caller| {
        assert_eq!(errcode(typing(caller, "oNOBODY")), Errcode::INVALID_OPENID);
        assert_eq!(errcode(cancel(caller, "oNOBODY")), Errcode::INVALID_OPENID);
        let empty = RawJson::post(TYPING, json!({"touser": "", "command": "Typing"}));
        assert_eq!(caller.errcode(&empty), Errcode::INVALID_OPENID);
    });
}

#[test]
fn a_command_other_than_typing_or_cancel_typing_is_45072() {
    each_frozen_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        for command in [json!("Typeing"), json!("typing"), json!(""), json!(1)] {
            let body = json!({"touser": openid, "command": command});
            assert_eq!(
                caller.errcode(&RawJson::post(TYPING, body)),
                Errcode::INVALID_COMMAND,
                "{command}"
            );
        }
        let without = RawJson::post(TYPING, json!({"touser": openid}));
        assert_eq!(caller.errcode(&without), Errcode::INVALID_COMMAND);
        // The command is read before the user.
        let unknown = RawJson::post(TYPING, json!({"touser": "oNOBODY", "command": "Typeing"}));
        assert_eq!(caller.errcode(&unknown), Errcode::INVALID_COMMAND);
        assert!(!is_typing(sandbox, &openid));
        // The well-formed body passes through the same raw path.
        let right = RawJson::post(TYPING, json!({"touser": openid, "command": "Typing"}));
        caller.call(&right).unwrap();
        assert!(is_typing(sandbox, &openid));
    });
}

#[test]
fn bodies_that_are_not_a_typing_request() {
    each_frozen_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        let empty = RawJson {
            body: None,
            ..RawJson::post(TYPING, json!(null))
        };
        assert_eq!(caller.errcode(&empty), Errcode::EMPTY_POST_DATA);
        let extra = RawJson::post(
            TYPING,
            json!({"touser": openid, "command": "Typing", "tpyo": 1}),
        );
        assert_eq!(caller.errcode(&extra), Errcode::DATA_FORMAT_ERROR);
        let get = RawJson::get(TYPING, &[]);
        assert_eq!(caller.errcode(&get), Errcode::REQUIRE_POST_METHOD);
        assert!(!is_typing(sandbox, &openid));
    });
}

#[test]
fn the_closed_window_is_45015() {
    each_frozen_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        sandbox.advance(secs(48 * 3600));
        assert_eq!(
            errcode(typing(caller, &openid)),
            Errcode::RESPONSE_OUT_OF_TIME_LIMIT
        );
        // The user writes again: typing is possible again.
        sandbox
            .app()
            .writes_blocking(&openid, UserMessage::text("还在吗？"))
            .unwrap();
        typing(caller, &openid).unwrap();
    });
}

#[test]
fn an_unfollowed_user_is_45015() {
    each_frozen_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        sandbox.app().unfollow(&openid).unwrap();
        assert_eq!(
            errcode(typing(caller, &openid)),
            Errcode::RESPONSE_OUT_OF_TIME_LIMIT
        );
        sandbox.app().follow(&openid).unwrap();
        typing(caller, &openid).unwrap();
    });
}

#[test]
fn typing_needs_the_window_not_a_message_left() {
    each_frozen_backend(|sandbox, caller| {
        let openid = writing_user(sandbox);
        for i in 0..5 {
            send(caller, &openid, &format!("message {i}"));
        }
        let user = sandbox.app().user(&openid).unwrap();
        assert_eq!(user.window.unwrap().remaining, 0);
        typing(caller, &openid).unwrap();
        assert!(is_typing(sandbox, &openid));
    });
}
