//! A user's kf session as a state machine (reference §5 and §8.4).
//!
//! ```text
//!            transfer_customer_service              kf accepts / kfsession/create
//!   None ─────────────────────────────▶ Waiting ─────────────────────────────▶ Serving(kf)
//!    ▲  └──────────────────── kfsession/create ──────────────────────────────────▲   │
//!    └──────────────────────────────── kfsession/close ──────────────────────────────┘
//! ```
//!
//! While a kf serves the user, the user's messages go to the kf system instead of the callback
//! URL, until the session has been quiet for 30 minutes; waiting users keep being pushed.

use std::time::{Duration, SystemTime};

use wechat_types::common::Errcode;

use crate::wire::Refusal;

/// Where a user stands with the kf system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Session {
    /// No session.
    None,
    /// In the waiting queue, possibly assigned to one kf (`TransInfo`).
    Waiting {
        /// When the user entered the queue (the queue's order).
        since: SystemTime,
        /// The user's latest message (`latest_time` of getwaitcase).
        latest: SystemTime,
        /// The kf the user was routed to, if any.
        kf: Option<String>,
    },
    /// Served by a kf.
    Serving {
        /// The kf account.
        kf: String,
        /// When the kf accepted (`createtime`).
        since: SystemTime,
        /// The last message of the session either way.
        last_activity: SystemTime,
    },
}

/// Where a message the user writes goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    /// To the account's callback URL.
    Callback,
    /// To the kf serving the user.
    Kf(String),
}

impl Session {
    /// The bot answered a push with `transfer_customer_service`: the user joins the queue (or,
    /// already served, stays with the kf).
    pub(crate) fn transfer(&mut self, now: SystemTime, kf: Option<String>) {
        match self {
            Session::None => {
                *self = Session::Waiting {
                    since: now,
                    latest: now,
                    kf,
                }
            }
            Session::Waiting {
                latest, kf: routed, ..
            } => {
                *latest = now;
                if kf.is_some() {
                    *routed = kf;
                }
            }
            Session::Serving { last_activity, .. } => *last_activity = now,
        }
    }

    /// `kf` takes the user: from the queue or directly (kfsession/create). Already served by
    /// `kf` is fine (WeChat answers 0); served by another kf is 65414.
    pub(crate) fn accept(&mut self, kf: &str, now: SystemTime) -> Result<Accepted, Refusal> {
        match self {
            Session::Serving { kf: serving, .. } if serving == kf => Ok(Accepted::Already),
            Session::Serving { kf: serving, .. } => Err(Refusal::hint(
                Errcode::ANOTHER_WORKER_SERVING,
                format!("served by {serving}"),
            )),
            _ => {
                *self = Session::Serving {
                    kf: kf.to_owned(),
                    since: now,
                    last_activity: now,
                };
                Ok(Accepted::New)
            }
        }
    }

    /// `kf` closes the session: 65413 when there is none (waiting is not a session yet), 65414
    /// when another kf serves the user.
    pub(crate) fn close(&mut self, kf: &str) -> Result<(), Refusal> {
        match self {
            Session::Serving { kf: serving, .. } if serving == kf => {
                *self = Session::None;
                Ok(())
            }
            Session::Serving { kf: serving, .. } => Err(Refusal::hint(
                Errcode::ANOTHER_WORKER_SERVING,
                format!("served by {serving}"),
            )),
            _ => Err(Refusal::new(Errcode::NO_EFFECTIVE_SESSION)),
        }
    }

    /// The user writes: to the serving kf while the session is alive, else to the callback.
    pub(crate) fn user_wrote(&mut self, now: SystemTime, forward: Duration) -> Route {
        match self {
            Session::Serving {
                kf, last_activity, ..
            } if *last_activity + forward > now => {
                *last_activity = now;
                Route::Kf(kf.clone())
            }
            Session::Waiting { latest, .. } => {
                *latest = now;
                Route::Callback
            }
            _ => Route::Callback,
        }
    }

    /// The serving kf's account, if `sender` (or anyone, when `None`) writes in the session.
    pub(crate) fn kf_wrote(&mut self, now: SystemTime, sender: Option<&str>) -> Option<String> {
        match self {
            Session::Serving {
                kf, last_activity, ..
            } if sender.is_none_or(|sender| sender == kf) => {
                *last_activity = now;
                Some(kf.clone())
            }
            _ => None,
        }
    }

    /// The serving kf, if any.
    pub(crate) fn serving(&self) -> Option<&str> {
        match self {
            Session::Serving { kf, .. } => Some(kf),
            _ => None,
        }
    }
}

/// What [`Session::accept`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Accepted {
    /// The session started now (a `kf_create_session` event is due).
    New,
    /// The kf already served the user.
    Already,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    fn t(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    const FORWARD: Duration = Duration::from_secs(1800);

    #[test]
    fn queue_then_accept_then_close() {
        let mut session = Session::None;
        session.transfer(t(0), None);
        assert_eq!(
            session.user_wrote(t(5), FORWARD),
            Route::Callback,
            "waiting users are pushed"
        );
        assert!(matches!(session, Session::Waiting { latest, .. } if latest == t(5)));
        assert_eq!(
            session.close("a@x").unwrap_err().code,
            Errcode::NO_EFFECTIVE_SESSION
        );
        assert_eq!(session.accept("a@x", t(10)), Ok(Accepted::New));
        assert_eq!(session.accept("a@x", t(11)), Ok(Accepted::Already));
        assert_eq!(
            session.accept("b@x", t(11)).unwrap_err().code,
            Errcode::ANOTHER_WORKER_SERVING
        );
        assert_eq!(session.user_wrote(t(20), FORWARD), Route::Kf("a@x".into()));
        assert_eq!(
            session.close("b@x").unwrap_err().code,
            Errcode::ANOTHER_WORKER_SERVING
        );
        session.close("a@x").unwrap();
        assert_eq!(session, Session::None);
    }

    #[test]
    fn a_quiet_session_hands_the_user_back_after_30_minutes() {
        let mut session = Session::None;
        session.accept("a@x", t(0)).unwrap();
        assert_eq!(
            session.user_wrote(t(1799), FORWARD),
            Route::Kf("a@x".into())
        );
        assert_eq!(session.user_wrote(t(1799 + 1800), FORWARD), Route::Callback);
        assert_eq!(
            session.serving(),
            Some("a@x"),
            "the session itself stays open"
        );
    }

    #[test]
    fn a_routed_transfer_remembers_the_kf() {
        let mut session = Session::None;
        session.transfer(t(0), Some("a@x".into()));
        session.transfer(t(1), None);
        assert!(matches!(session, Session::Waiting { kf: Some(ref kf), .. } if kf == "a@x"));
    }

    #[test]
    fn the_kf_writing_keeps_the_session_alive() {
        let mut session = Session::None;
        session.accept("a@x", t(0)).unwrap();
        assert_eq!(session.kf_wrote(t(1700), Some("b@x")), None);
        assert_eq!(session.kf_wrote(t(1700), None), Some("a@x".into()));
        assert_eq!(
            session.user_wrote(t(3000), FORWARD),
            Route::Kf("a@x".into())
        );
    }
}
