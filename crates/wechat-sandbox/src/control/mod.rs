//! The control API: what a test (or a person) does to the sandbox that WeChat's users and kf
//! workers would do — create users and make them write, answer invitations, bring workers
//! online, accept waiting users — and what only a sandbox can do: read what a user received,
//! move the clock, expire tokens, inject faults. The operations live here, once; the
//! [`Sandbox`](crate::Sandbox) handle and the HTTP routes under `/sandbox` ([`routes`]) call
//! them.

pub(crate) mod routes;

use std::time::SystemTime;

use bytes::Bytes;
use wechat_types::common::MediaType;
use wechat_types::mp::{
    InboundImage, InboundLink, InboundLocation, InboundMessage, InboundShortVideo, InboundText,
    InboundVideo, InboundVoice,
};

use crate::config::CallbackConfig;
use crate::model::media::{Media, samples};
use crate::model::records::{KF_RECEIVED, record_text};
use crate::model::sessions::{Accepted, Route, Session};
use crate::model::users::{Delivered, User};
use crate::model::{UserView, World, secs};
use crate::push::{PushJob, SessionEvent, header};
use crate::user_message::{PushOutcome, PushReport, PushRoute, UserMessage};

/// A control request that cannot be carried out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ControlError {
    /// No app has this AppID.
    #[error("no app {0}")]
    UnknownApp(String),
    /// The app has no user with this OpenID.
    #[error("no user {0}")]
    UnknownUser(String),
    /// The app has no kf account of this name.
    #[error("no kf account {0}")]
    UnknownKf(String),
    /// The app has no such media file, or it expired.
    #[error("no media {0}, or it expired")]
    UnknownMedia(String),
    /// The request makes no sense in the current state (the message says why).
    #[error("{0}")]
    Invalid(String),
}

/// A user's message, ready: either pushed (the job), or already handed to the kf serving them.
pub(crate) enum Written {
    Push { job: PushJob, msg_id: u64 },
    Done(PushReport),
}

impl World {
    fn user_of(&self, app: usize, openid: &str) -> Result<&User, ControlError> {
        self.apps[app]
            .user(openid)
            .map_err(|_| ControlError::UnknownUser(openid.to_owned()))
    }

    fn user_of_mut(&mut self, app: usize, openid: &str) -> Result<&mut User, ControlError> {
        self.apps[app]
            .user_mut(openid)
            .map_err(|_| ControlError::UnknownUser(openid.to_owned()))
    }

    /// Creates a follower; a random OpenID when none is given.
    pub(crate) fn create_user(
        &mut self,
        app: usize,
        openid: Option<String>,
        nickname: Option<String>,
    ) -> Result<UserView, ControlError> {
        let openid = openid.unwrap_or_else(new_openid);
        if openid.is_empty() || self.apps[app].user(&openid).is_ok() {
            return Err(ControlError::Invalid(format!(
                "the OpenID {openid:?} is empty or taken"
            )));
        }
        let nickname =
            nickname.unwrap_or_else(|| format!("user{}", self.apps[app].users.len() + 1));
        let user = User::new(openid, nickname);
        let view = UserView::of(&user, self.now());
        self.apps[app].users.push(user);
        Ok(view)
    }

    /// Every user of the app, oldest first.
    pub(crate) fn user_views(&self, app: usize) -> Vec<UserView> {
        let now = self.now();
        self.apps[app]
            .users
            .iter()
            .map(|user| UserView::of(user, now))
            .collect()
    }

    /// One user.
    pub(crate) fn user_view(&self, app: usize, openid: &str) -> Result<UserView, ControlError> {
        Ok(UserView::of(self.user_of(app, openid)?, self.now()))
    }

    /// The user follows (again) or unfollows the account.
    pub(crate) fn set_subscribed(
        &mut self,
        app: usize,
        openid: &str,
        subscribed: bool,
    ) -> Result<UserView, ControlError> {
        let now = self.now();
        let user = self.user_of_mut(app, openid)?;
        user.subscribed = subscribed;
        Ok(UserView::of(user, now))
    }

    /// What the user received after position `after` (0 for everything).
    pub(crate) fn inbox(
        &self,
        app: usize,
        openid: &str,
        after: u64,
    ) -> Result<Vec<Delivered>, ControlError> {
        Ok(self
            .user_of(app, openid)?
            .inbox
            .iter()
            .filter(|delivered| delivered.seq > after)
            .cloned()
            .collect())
    }

    /// Sets (or removes) the callback.
    pub(crate) fn set_callback(
        &mut self,
        app: usize,
        callback: Option<CallbackConfig>,
    ) -> Result<(), ControlError> {
        if let Some(callback) = &callback {
            callback
                .check(&self.apps[app].config.appid)
                .map_err(|e| ControlError::Invalid(e.to_string()))?;
        }
        self.apps[app].config.callback = callback;
        Ok(())
    }

    /// Ends the life of every token of the app now.
    pub(crate) fn expire_tokens(&mut self, app: usize) -> usize {
        let now = self.now();
        self.tokens.expire_all(app, now)
    }

    /// The invited worker accepts or declines; returns their WeChat ID.
    pub(crate) fn answer_invitation(
        &mut self,
        app: usize,
        kf: &str,
        accept: bool,
    ) -> Result<String, ControlError> {
        let now = self.now();
        self.known_kf(app, kf)?;
        self.apps[app]
            .kf
            .answer_invitation(kf, accept, now)
            .map_err(ControlError::Invalid)
    }

    /// The kf's worker goes online or offline.
    pub(crate) fn set_online(
        &mut self,
        app: usize,
        kf: &str,
        online: bool,
    ) -> Result<(), ControlError> {
        self.known_kf(app, kf)?;
        self.apps[app]
            .kf
            .set_online(kf, online)
            .map_err(ControlError::Invalid)
    }

    /// The kf's worker takes a waiting user (in the kf client); `kf_create_session` is pushed.
    pub(crate) fn kf_accept(
        &mut self,
        app: usize,
        kf: &str,
        openid: &str,
    ) -> Result<Option<PushJob>, ControlError> {
        self.known_kf(app, kf)?;
        let account = self.apps[app]
            .kf
            .get(kf)
            .map_err(|_| ControlError::UnknownKf(kf.into()))?;
        if !account.online {
            return Err(ControlError::Invalid(format!("{kf} is not online")));
        }
        let now = self.now();
        let user = self.user_of_mut(app, openid)?;
        match &user.session {
            Session::Waiting {
                kf: Some(routed), ..
            } if routed != kf => {
                return Err(ControlError::Invalid(format!(
                    "{openid} was transferred to {routed}"
                )));
            }
            Session::Waiting { .. } => {}
            _ => return Err(ControlError::Invalid(format!("{openid} is not waiting"))),
        }
        match user.session.accept(kf, now) {
            Ok(Accepted::New) => Ok(Some(PushJob::session_event(
                self,
                app,
                openid,
                SessionEvent::Create(kf.to_owned()),
            ))),
            Ok(Accepted::Already) => Ok(None),
            Err(refusal) => Err(ControlError::Invalid(refusal.errmsg())),
        }
    }

    fn known_kf(&self, app: usize, kf: &str) -> Result<(), ControlError> {
        self.apps[app]
            .kf
            .get(kf)
            .map(drop)
            .map_err(|_| ControlError::UnknownKf(kf.to_owned()))
    }

    /// The user writes: the window opens (§2.1); the message goes to the serving kf (a chat
    /// record, §8.4) or becomes a push.
    pub(crate) fn user_writes(
        &mut self,
        app: usize,
        openid: &str,
        message: UserMessage,
    ) -> Result<Written, ControlError> {
        self.user_of(app, openid)?;
        let msg_id = self.next_msg_id();
        let (inbound, text) = self.inbound(app, openid, message, msg_id)?;
        let now = self.now();
        let rules = self.rules.clone();
        let user = self.user_of_mut(app, openid)?;
        user.wrote(now, &rules);
        match user
            .session
            .user_wrote(now, secs(rules.session_forward_secs))
        {
            Route::Kf(kf) => {
                let time = crate::clock::unix_seconds(now) as i64;
                self.apps[app]
                    .records
                    .push(openid, KF_RECEIVED, text, time, Some(kf.clone()));
                Ok(Written::Done(PushReport {
                    msg_id,
                    route: PushRoute::Kf { kf_account: kf },
                    attempts: 0,
                    outcome: PushOutcome::NotPushed,
                }))
            }
            Route::Callback if self.apps[app].config.callback.is_none() => {
                Ok(Written::Done(PushReport {
                    msg_id,
                    route: PushRoute::NoCallback,
                    attempts: 0,
                    outcome: PushOutcome::NotPushed,
                }))
            }
            Route::Callback => Ok(Written::Push {
                job: PushJob::message(app, openid, &inbound),
                msg_id,
            }),
        }
    }

    /// The push of a user's message, and its chat-record text. Media messages store a sample
    /// file as the user's media.
    fn inbound(
        &mut self,
        app: usize,
        openid: &str,
        message: UserMessage,
        msg_id: u64,
    ) -> Result<(InboundMessage, String), ControlError> {
        let header = header(self, app, openid);
        let now = self.now();
        Ok(match message {
            UserMessage::Text { content } => {
                let text = content.clone();
                (
                    InboundMessage::Text(InboundText::new(header, content, msg_id)),
                    text,
                )
            }
            UserMessage::MenuChoice { option_id } => {
                let content = self.menu_option(app, openid, &option_id)?;
                let text = InboundText::new(header, content.clone(), msg_id)
                    .with_biz_msg_menu_id(option_id);
                (InboundMessage::Text(text), content)
            }
            UserMessage::Image => {
                let media_id =
                    self.user_media(app, MediaType::Image, "image/png", samples::PNG, now);
                let pic_url = self.media_url(app, &media_id);
                let image = InboundImage::new(header, media_id, msg_id).with_pic_url(pic_url);
                (InboundMessage::Image(image), record_text("image", None))
            }
            UserMessage::Voice => {
                let media_id =
                    self.user_media(app, MediaType::Voice, "audio/amr", samples::AMR, now);
                let voice = InboundVoice::new(header, media_id, msg_id).with_format("amr");
                (InboundMessage::Voice(voice), record_text("voice", None))
            }
            UserMessage::Video | UserMessage::ShortVideo => {
                let short = matches!(message, UserMessage::ShortVideo);
                let media_id =
                    self.user_media(app, MediaType::Video, "video/mp4", samples::MP4, now);
                let thumb =
                    self.user_media(app, MediaType::Thumb, "image/jpeg", samples::JPEG, now);
                let inbound = if short {
                    InboundMessage::ShortVideo(
                        InboundShortVideo::new(header, media_id, msg_id).with_thumb_media_id(thumb),
                    )
                } else {
                    InboundMessage::Video(
                        InboundVideo::new(header, media_id, msg_id).with_thumb_media_id(thumb),
                    )
                };
                (
                    inbound,
                    record_text(if short { "shortvideo" } else { "video" }, None),
                )
            }
            UserMessage::Location {
                latitude,
                longitude,
                scale,
                label,
            } => {
                let location = InboundLocation::new(header, latitude, longitude, msg_id)
                    .with_scale(scale)
                    .with_label(label);
                (
                    InboundMessage::Location(location),
                    record_text("location", None),
                )
            }
            UserMessage::Link {
                title,
                description,
                url,
            } => {
                let link = InboundLink::new(header, url, msg_id)
                    .with_title(title)
                    .with_description(description);
                (InboundMessage::Link(link), record_text("link", None))
            }
        })
    }

    /// The text of option `option_id` of the latest menu message the user received.
    fn menu_option(
        &self,
        app: usize,
        openid: &str,
        option_id: &str,
    ) -> Result<String, ControlError> {
        self.user_of(app, openid)?
            .inbox
            .iter()
            .rev()
            .filter(|delivered| delivered.msgtype == "msgmenu")
            .find_map(|menu| {
                menu.payload["list"].as_array()?.iter().find_map(|option| {
                    (option["id"] == option_id)
                        .then(|| option["content"].as_str().map(str::to_owned))?
                })
            })
            .ok_or_else(|| {
                ControlError::Invalid(format!(
                    "{openid} received no menu message with option {option_id:?}"
                ))
            })
    }

    fn user_media(
        &mut self,
        app: usize,
        media_type: MediaType,
        content_type: &str,
        data: &'static [u8],
        now: SystemTime,
    ) -> String {
        self.apps[app].media.insert(Media {
            media_type,
            content_type: content_type.to_owned(),
            data: Bytes::from_static(data),
            created_at: now,
        })
    }

    /// The bytes of a media file (the URLs `PicUrl` and `video_url` point to).
    pub(crate) fn media_file(&self, app: usize, media_id: &str) -> Option<(String, Bytes)> {
        let lifetime = secs(self.rules.media_lifetime_secs);
        self.apps[app]
            .media
            .get(media_id, self.now(), lifetime)
            .ok()
            .map(|media| (media.content_type.clone(), media.data.clone()))
    }
}

/// An OpenID shaped like WeChat's: `o` and 27 characters of `[0-9A-Za-z_-]`.
fn new_openid() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    let mut openid = String::from("o");
    openid.extend((0..27).map(|_| ALPHABET[fastrand::usize(..ALPHABET.len())] as char));
    openid
}
