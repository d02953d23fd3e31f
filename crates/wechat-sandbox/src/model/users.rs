//! The customers: who follows the account, their interaction window and quota (reference
//! §2.1), their typing indicator (§3), their kf session (§5, §8.4) and everything they
//! received.

use std::time::{Duration, SystemTime};

use serde::Serialize;
use serde_json::Value;
use wechat_types::common::Errcode;

use crate::config::Rules;
use crate::model::sessions::Session;
use crate::wire::Refusal;

/// One user of an app.
#[derive(Debug, Clone)]
pub(crate) struct User {
    /// The OpenID.
    pub(crate) openid: String,
    /// A display name, for transcripts.
    pub(crate) nickname: String,
    /// Whether the user follows the account; an unfollowed user cannot be messaged (45015).
    pub(crate) subscribed: bool,
    /// The window the last interaction opened.
    pub(crate) window: Option<Window>,
    /// The last message exchanged either way (the typing precondition, §3).
    pub(crate) last_exchange: Option<SystemTime>,
    /// Until when the typing indicator shows.
    pub(crate) typing_until: Option<SystemTime>,
    /// The user's kf session.
    pub(crate) session: Session,
    /// What the user received, in order.
    pub(crate) inbox: Vec<Delivered>,
}

/// How long messages may be sent, and how many are left (§2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    /// When it closes.
    pub(crate) closes_at: SystemTime,
    /// Messages left.
    pub(crate) remaining: u32,
}

/// Something the user received.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Delivered {
    /// Position in the user's inbox, from 1.
    pub seq: u64,
    /// When, in Unix seconds of the virtual clock.
    pub time: u64,
    /// How it came.
    pub via: DeliveredVia,
    /// The message type (`text`, `image`, `msgmenu`, ...).
    pub msgtype: String,
    /// The kf account it was sent as, if any (`customservice.kf_account`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kf_account: Option<String>,
    /// The payload: the member named after the type in a custom message (`{"content":"hi"}`
    /// for text), or every member of a passive reply but the header.
    pub payload: Value,
}

/// How a delivered message came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DeliveredVia {
    /// `POST /cgi-bin/message/custom/send`.
    CustomMessage,
    /// The body of the callback's answer to a push.
    PassiveReply,
}

impl User {
    /// A new follower with nothing received and no window.
    pub(crate) fn new(openid: String, nickname: String) -> Self {
        User {
            openid,
            nickname,
            subscribed: true,
            window: None,
            last_exchange: None,
            typing_until: None,
            session: Session::None,
            inbox: Vec::new(),
        }
    }

    /// The user wrote: the window opens for the full quota and lasts at least the full time.
    /// Counts do not add up; the remaining count is reset (§2.1, §9.1).
    pub(crate) fn wrote(&mut self, now: SystemTime, rules: &Rules) {
        let closes_at = now + Duration::from_secs(rules.window_secs);
        self.window = Some(Window {
            closes_at: self
                .window
                .map_or(closes_at, |window| window.closes_at.max(closes_at)),
            remaining: rules.window_quota,
        });
        self.last_exchange = Some(now);
    }

    /// Whether a custom message may go out now: 45015 when the user unfollowed or the window is
    /// closed, 45047 when its quota is used up.
    pub(crate) fn may_receive(&self, now: SystemTime) -> Result<(), Refusal> {
        if !self.subscribed {
            return Err(Refusal::hint(
                Errcode::RESPONSE_OUT_OF_TIME_LIMIT,
                "the user does not follow the account",
            ));
        }
        match self.window {
            Some(window) if window.closes_at > now => {
                if window.remaining == 0 {
                    Err(Refusal::new(Errcode::OUT_OF_RESPONSE_COUNT_LIMIT))
                } else {
                    Ok(())
                }
            }
            _ => Err(Refusal::new(Errcode::RESPONSE_OUT_OF_TIME_LIMIT)),
        }
    }

    /// Records a custom message: one less left, typing ends (§3 rule 4).
    pub(crate) fn receive_custom(
        &mut self,
        now: SystemTime,
        msgtype: String,
        kf_account: Option<String>,
        payload: Value,
    ) {
        if let Some(window) = &mut self.window {
            window.remaining = window.remaining.saturating_sub(1);
        }
        self.typing_until = None;
        self.last_exchange = Some(now);
        self.deliver(
            now,
            DeliveredVia::CustomMessage,
            msgtype,
            kf_account,
            payload,
        );
    }

    /// Records a passive reply (which does not count against the quota).
    pub(crate) fn receive_passive(&mut self, now: SystemTime, msgtype: String, payload: Value) {
        self.typing_until = None;
        self.last_exchange = Some(now);
        self.deliver(now, DeliveredVia::PassiveReply, msgtype, None, payload);
    }

    fn deliver(
        &mut self,
        now: SystemTime,
        via: DeliveredVia,
        msgtype: String,
        kf_account: Option<String>,
        payload: Value,
    ) {
        self.inbox.push(Delivered {
            seq: self.inbox.len() as u64 + 1,
            time: crate::clock::unix_seconds(now),
            via,
            msgtype,
            kf_account,
            payload,
        });
    }

    /// `Typing` (§3): the window must be open (45015), a message must have been exchanged in
    /// the last 30 s (45080), and typing must not be on already (45081).
    pub(crate) fn start_typing(&mut self, now: SystemTime, rules: &Rules) -> Result<(), Refusal> {
        match self.may_receive(now) {
            // Typing needs the window open, not a message left.
            Err(refusal) if refusal.code != Errcode::OUT_OF_RESPONSE_COUNT_LIMIT => {
                return Err(refusal);
            }
            _ => {}
        }
        let lead = Duration::from_secs(rules.typing_lead_secs);
        if self.last_exchange.is_none_or(|at| at + lead <= now) {
            return Err(Refusal::new(Errcode::TYPING_NEEDS_RECENT_MESSAGE));
        }
        if self.is_typing(now) {
            return Err(Refusal::new(Errcode::ALREADY_TYPING));
        }
        self.typing_until = Some(now + Duration::from_secs(rules.typing_duration_secs));
        Ok(())
    }

    /// `CancelTyping`.
    pub(crate) fn cancel_typing(&mut self) {
        self.typing_until = None;
    }

    /// Whether the typing indicator shows now.
    pub(crate) fn is_typing(&self, now: SystemTime) -> bool {
        self.typing_until.is_some_and(|until| until > now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    fn t(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_700_000_000 + secs)
    }

    fn user() -> User {
        User::new("o1".into(), "Ann".into())
    }

    #[test]
    fn no_window_before_the_user_writes() {
        assert_eq!(
            user().may_receive(t(0)).unwrap_err().code,
            Errcode::RESPONSE_OUT_OF_TIME_LIMIT
        );
    }

    #[test]
    fn five_messages_within_48_hours() {
        let (mut user, rules) = (user(), Rules::default());
        user.wrote(t(0), &rules);
        for _ in 0..5 {
            user.may_receive(t(1)).unwrap();
            user.receive_custom(t(1), "text".into(), None, Value::Null);
        }
        assert_eq!(
            user.may_receive(t(2)).unwrap_err().code,
            Errcode::OUT_OF_RESPONSE_COUNT_LIMIT
        );
        user.wrote(t(3), &rules);
        assert!(
            user.may_receive(t(3)).is_ok(),
            "a new message resets the count"
        );
        assert_eq!(
            user.may_receive(t(3 + 48 * 3600)).unwrap_err().code,
            Errcode::RESPONSE_OUT_OF_TIME_LIMIT
        );
        assert!(user.may_receive(t(2 + 48 * 3600)).is_ok());
    }

    #[test]
    fn an_unfollowed_user_is_out_of_reach() {
        let (mut user, rules) = (user(), Rules::default());
        user.wrote(t(0), &rules);
        user.subscribed = false;
        assert_eq!(
            user.may_receive(t(0)).unwrap_err().code,
            Errcode::RESPONSE_OUT_OF_TIME_LIMIT
        );
    }

    #[test]
    fn typing_rules() {
        let (mut user, rules) = (user(), Rules::default());
        assert_eq!(
            user.start_typing(t(0), &rules).unwrap_err().code,
            Errcode::RESPONSE_OUT_OF_TIME_LIMIT
        );
        user.wrote(t(0), &rules);
        user.start_typing(t(10), &rules).unwrap();
        assert!(user.is_typing(t(24)));
        assert_eq!(
            user.start_typing(t(20), &rules).unwrap_err().code,
            Errcode::ALREADY_TYPING
        );
        assert!(!user.is_typing(t(25)), "15 seconds");
        assert_eq!(
            user.start_typing(t(30), &rules).unwrap_err().code,
            Errcode::TYPING_NEEDS_RECENT_MESSAGE
        );
        user.receive_custom(t(40), "text".into(), None, Value::Null);
        user.start_typing(t(41), &rules).unwrap();
        user.receive_custom(t(42), "text".into(), None, Value::Null);
        assert!(!user.is_typing(t(42)), "a message ends typing");
        user.start_typing(t(43), &rules).unwrap();
        user.cancel_typing();
        assert!(!user.is_typing(t(43)));
    }

    #[test]
    fn typing_needs_the_window_but_not_a_message_left() {
        let (mut user, rules) = (user(), Rules::default());
        user.wrote(t(0), &rules);
        for _ in 0..5 {
            user.receive_custom(t(1), "text".into(), None, Value::Null);
        }
        assert!(user.start_typing(t(2), &rules).is_ok());
    }
}
