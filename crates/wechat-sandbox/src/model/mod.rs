//! The one model of everything the sandbox remembers: apps, their users, kf accounts, sessions,
//! chat records and media, the tokens, the queued faults and the log of calls. No IO here; the
//! API handlers and the control API change it under one lock.

pub(crate) mod kf;
pub(crate) mod media;
pub(crate) mod records;
pub(crate) mod sessions;
pub(crate) mod tokens;
pub(crate) mod users;

use std::time::{Duration, SystemTime};

use serde::Serialize;
use wechat_types::common::Errcode;

use crate::clock::{VirtualClock, unix_seconds};
use crate::config::{AppConfig, Rules, SandboxConfig};
use crate::control::ControlError;
use crate::faults::Faults;
use crate::wire::Refusal;

use kf::KfAccounts;
use media::MediaStore;
use records::Records;
use sessions::Session;
use tokens::Tokens;
use users::User;

/// Everything, behind the sandbox's one lock (never held across an await).
#[derive(Debug)]
pub(crate) struct World {
    pub(crate) clock: VirtualClock,
    pub(crate) rules: Rules,
    pub(crate) strict_json: bool,
    /// `http://127.0.0.1:PORT`, for the URLs the API hands out (avatars, video downloads).
    pub(crate) base_url: String,
    pub(crate) apps: Vec<App>,
    pub(crate) tokens: Tokens,
    pub(crate) faults: Faults,
    pub(crate) calls: Vec<Call>,
    next_msg_id: u64,
}

/// One emulated Official Account.
#[derive(Debug)]
pub(crate) struct App {
    pub(crate) config: AppConfig,
    /// Users in the order they were created.
    pub(crate) users: Vec<User>,
    pub(crate) kf: KfAccounts,
    pub(crate) records: Records,
    pub(crate) media: MediaStore,
}

/// One call of the emulated API, as the call log keeps it (never with its access_token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Call {
    /// Position in the log, from 1.
    pub seq: u64,
    /// Virtual time, Unix seconds.
    pub time: u64,
    /// `GET` or `POST`.
    pub method: String,
    /// The URL path.
    pub path: String,
    /// The HTTP status answered (none when the connection was dropped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The errcode answered (0 for success and data).
    pub errcode: i64,
    /// The injected fault that answered instead, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
}

impl World {
    /// The world a configuration describes, with no users, kf accounts or tokens yet.
    pub(crate) fn new(config: &SandboxConfig, clock: VirtualClock) -> Self {
        World {
            clock,
            rules: config.rules.clone(),
            strict_json: config.strict_json,
            base_url: String::new(),
            apps: config
                .apps
                .iter()
                .map(|config| App {
                    config: config.clone(),
                    users: Vec::new(),
                    kf: KfAccounts::default(),
                    records: Records::default(),
                    media: MediaStore::default(),
                })
                .collect(),
            tokens: Tokens::default(),
            faults: Faults::default(),
            calls: Vec::new(),
            next_msg_id: 24_000_000_000_000_000,
        }
    }

    /// The virtual time now.
    pub(crate) fn now(&self) -> SystemTime {
        self.clock.now()
    }

    /// The index of the app with this AppID.
    pub(crate) fn app_index(&self, appid: &str) -> Result<usize, ControlError> {
        self.apps
            .iter()
            .position(|app| app.config.appid == appid)
            .ok_or_else(|| ControlError::UnknownApp(appid.to_owned()))
    }

    /// A fresh `MsgId` for a pushed message (64-bit, ascending).
    pub(crate) fn next_msg_id(&mut self) -> u64 {
        self.next_msg_id += 1;
        self.next_msg_id
    }

    /// Adds an entry to the call log.
    pub(crate) fn log_call(
        &mut self,
        method: &str,
        path: &str,
        status: Option<u16>,
        errcode: i64,
        fault: Option<String>,
    ) {
        let seq = self.calls.len() as u64 + 1;
        let time = self.clock.unix();
        self.calls.push(Call {
            seq,
            time,
            method: method.to_owned(),
            path: path.to_owned(),
            status,
            errcode,
            fault,
        });
    }

    /// The URL prefix of the avatars of app `app`'s kf accounts.
    pub(crate) fn headimg_base(&self, app: usize) -> String {
        format!(
            "{}/sandbox/apps/{}/headimg",
            self.base_url, self.apps[app].config.appid
        )
    }

    /// The URL of a media file: a video's `video_url` (media/get), a picture's `PicUrl`.
    pub(crate) fn media_url(&self, app: usize, media_id: &str) -> String {
        format!(
            "{}/sandbox/apps/{}/media/{media_id}",
            self.base_url, self.apps[app].config.appid
        )
    }
}

impl App {
    /// The user, or 40003 (the answer for an OpenID the account does not know).
    pub(crate) fn user(&self, openid: &str) -> Result<&User, Refusal> {
        self.users
            .iter()
            .find(|user| user.openid == openid)
            .ok_or_else(|| Refusal::new(Errcode::INVALID_OPENID))
    }

    /// The user, mutably, or 40003.
    pub(crate) fn user_mut(&mut self, openid: &str) -> Result<&mut User, Refusal> {
        self.users
            .iter_mut()
            .find(|user| user.openid == openid)
            .ok_or_else(|| Refusal::new(Errcode::INVALID_OPENID))
    }

    /// The number of users kf `kf` serves now.
    pub(crate) fn accepted_cases(&self, kf: &str) -> usize {
        self.users
            .iter()
            .filter(|user| user.session.serving() == Some(kf))
            .count()
    }

    /// Ends every session of a kf account that is going away.
    pub(crate) fn drop_sessions_of(&mut self, kf: &str) {
        for user in &mut self.users {
            let routed_here =
                matches!(&user.session, Session::Waiting { kf: Some(routed), .. } if routed == kf);
            if user.session.serving() == Some(kf) || routed_here {
                user.session = Session::None;
            }
        }
    }
}

/// What the control API shows of a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct UserView {
    /// The OpenID.
    pub openid: String,
    /// The display name.
    pub nickname: String,
    /// Whether the user follows the account.
    pub subscribed: bool,
    /// The interaction window, if one was ever opened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<WindowView>,
    /// Whether the typing indicator shows now.
    pub typing: bool,
    /// The kf session.
    pub session: SessionView,
    /// How many messages the user received in all.
    pub received: usize,
}

/// The interaction window of a user (reference §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct WindowView {
    /// When it closes, Unix seconds.
    pub closes_at: u64,
    /// Whether it is open now.
    pub open: bool,
    /// Custom messages it still allows.
    pub remaining: u32,
}

/// A user's kf session (reference §5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SessionView {
    /// No session.
    None,
    /// In the waiting queue.
    Waiting {
        /// Since when, Unix seconds.
        since: u64,
        /// The kf the user was routed to (`TransInfo`), if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        kf_account: Option<String>,
    },
    /// Served by a kf.
    Serving {
        /// The kf account.
        kf_account: String,
        /// Since when, Unix seconds.
        since: u64,
    },
}

impl UserView {
    pub(crate) fn of(user: &User, now: SystemTime) -> Self {
        UserView {
            openid: user.openid.clone(),
            nickname: user.nickname.clone(),
            subscribed: user.subscribed,
            window: user.window.map(|window| WindowView {
                closes_at: unix_seconds(window.closes_at),
                open: window.closes_at > now,
                remaining: window.remaining,
            }),
            typing: user.is_typing(now),
            session: match &user.session {
                Session::None => SessionView::None,
                Session::Waiting { since, kf, .. } => SessionView::Waiting {
                    since: unix_seconds(*since),
                    kf_account: kf.clone(),
                },
                Session::Serving { kf, since, .. } => SessionView::Serving {
                    kf_account: kf.clone(),
                    since: unix_seconds(*since),
                },
            },
            received: user.inbox.len(),
        }
    }
}

/// `Duration` of a number of seconds of the rules.
pub(crate) fn secs(seconds: u64) -> Duration {
    Duration::from_secs(seconds)
}
