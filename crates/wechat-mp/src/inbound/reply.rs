//! [`Reply`]: what to answer a push with.

use std::time::{SystemTime, UNIX_EPOCH};

use wechat_core::callback::CallbackError;
use wechat_core::types::Validate;
use wechat_core::types::mp::{
    ImageReply, KfAccount, MessageHeader, MusicReply, PassiveReply, ReplyMedia, ReplyMusic,
    ReplyVideo, TextReply, TransInfo, TransferCustomerService, VideoReply, VoiceReply,
};

use super::{Incoming, is_user_message};

/// The answer to a push: nothing (`success`), a message to the user who wrote, or the
/// hand-over to the kf system. The callback fills in the addressing and the time.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Reply {
    /// No passive reply: the body `success`. Messages can still follow through the
    /// custom-message API.
    Success,
    /// A text message.
    Text(String),
    /// An image, by media_id.
    Image(String),
    /// A voice message, by media_id.
    Voice(String),
    /// A video.
    Video(ReplyVideo),
    /// A music message.
    Music(ReplyMusic),
    /// `transfer_customer_service`: the message goes to the kf system, to this kf account when
    /// one is named (the user is then assigned to it even if it cannot accept: check
    /// [`kf_account::list_online`](crate::kf_account::list_online) first).
    Transfer(Option<KfAccount>),
}

impl Reply {
    /// No passive reply.
    pub fn success() -> Self {
        Reply::Success
    }

    /// A text message.
    pub fn text(content: impl Into<String>) -> Self {
        Reply::Text(content.into())
    }

    /// An image, by media_id.
    pub fn image(media_id: impl Into<String>) -> Self {
        Reply::Image(media_id.into())
    }

    /// A voice message, by media_id.
    pub fn voice(media_id: impl Into<String>) -> Self {
        Reply::Voice(media_id.into())
    }

    /// A video ([`ReplyVideo::new`] takes the media_id; title and description are optional).
    pub fn video(video: ReplyVideo) -> Self {
        Reply::Video(video)
    }

    /// A music message ([`ReplyMusic::new`] takes the thumbnail's media_id).
    pub fn music(music: ReplyMusic) -> Self {
        Reply::Music(music)
    }

    /// Hands the conversation to the kf system: any available kf picks it up.
    pub fn transfer() -> Self {
        Reply::Transfer(None)
    }

    /// Hands the conversation to the kf account `kf_account`.
    pub fn transfer_to(kf_account: impl Into<KfAccount>) -> Self {
        Reply::Transfer(Some(kf_account.into()))
    }

    /// The typed passive reply answering `incoming` at `now`, checked against its limits;
    /// `None` for [`Reply::Success`].
    pub(crate) fn into_passive(
        self,
        incoming: &Incoming,
        now: SystemTime,
    ) -> Result<Option<PassiveReply>, CallbackError> {
        let seconds = now.duration_since(UNIX_EPOCH).map_or(0, |since| {
            i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
        });
        let header = MessageHeader::new(incoming.openid(), incoming.account(), seconds);
        let passive: PassiveReply = match self {
            Reply::Success => return Ok(None),
            Reply::Text(content) => TextReply::new(header, content).into(),
            Reply::Image(media_id) => ImageReply::new(header, ReplyMedia::new(media_id)).into(),
            Reply::Voice(media_id) => VoiceReply::new(header, ReplyMedia::new(media_id)).into(),
            Reply::Video(video) => VideoReply::new(header, video).into(),
            Reply::Music(music) => MusicReply::new(header, music).into(),
            Reply::Transfer(kf_account) => {
                if !is_user_message(incoming.message()) {
                    return Err(refused(
                        "transfer_customer_service answers a user's message, never an event",
                    ));
                }
                let transfer = TransferCustomerService::new(header);
                match kf_account {
                    Some(kf) => transfer.with_trans_info(TransInfo::new(kf)),
                    None => transfer,
                }
                .into()
            }
        };
        if incoming.openid().is_empty() || incoming.account().is_empty() {
            return Err(refused(
                "the push names no sender or receiver, so a reply cannot be addressed",
            ));
        }
        passive
            .validate()
            .map_err(|e| refused(&format!("the reply breaks a limit: {e}")))?;
        Ok(Some(passive))
    }
}

fn refused(reason: &str) -> CallbackError {
    CallbackError::ReplyEnvelope {
        reason: reason.to_owned(),
    }
}
