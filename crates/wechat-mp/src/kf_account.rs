//! kf accounts (客服账号管理, reference §4): add, rename, delete, avatar, lists, invitations.
//!
//! A kf account is `prefix@account_wechat_id`: a prefix of at most 10 letters, digits or
//! underscores, and the account's WeChat ID of at most 30 characters; every function here
//! refuses a malformed one before sending. Note the paths: the mutations live under
//! `/customservice/kfaccount/`, the two lists under `/cgi-bin/customservice/`.

use std::path::Path;

use wechat_core::endpoints::mp::{
    AddKfAccount, DeleteKfAccount, GetKfList, GetOnlineKfList, InviteKfWorker, UpdateKfAccount,
    UploadKfHeadImg,
};
use wechat_core::types::mp::{
    DeleteKfAccountRequest, InviteWorkerRequest, KfAccount, KfAccountProfile, KfListQuery,
    UPLOAD_KF_HEAD_IMG, UploadHeadImgQuery,
};
use wechat_core::{Endpoint, Error, OfficialAccount, Reply, Request, Upload};

use crate::upload_limit::{self, MB};

/// The largest avatar WeChat takes: 5 MB (reference §4.4).
pub const MAX_AVATAR_BYTES: usize = 5 * MB;

/// Adds the kf account `kf_account` with `nickname` (at most 16 characters). An account has
/// at most 100 kf accounts (65405).
pub fn add(kf_account: impl Into<KfAccount>, nickname: impl Into<String>) -> AddKfAccount {
    AddKfAccount::new(KfAccountProfile::new(kf_account, nickname))
}

/// Renames the kf account `kf_account` to `nickname`.
pub fn update(kf_account: impl Into<KfAccount>, nickname: impl Into<String>) -> UpdateKfAccount {
    UpdateKfAccount::new(KfAccountProfile::new(kf_account, nickname))
}

/// Deletes the kf account `kf_account`, in the documented form (`POST` with a JSON body).
pub fn delete(kf_account: impl Into<KfAccount>) -> DeleteKfAccount {
    DeleteKfAccount::new(DeleteKfAccountRequest::new(kf_account))
}

/// Sets the avatar of `kf_account` to `file` (a JPG of at most 5 MB; 640×640 looks best).
///
/// `file` comes from bytes ([`Upload::from_bytes`]) or from a path ([`Upload::from_path`], or
/// [`upload_avatar_from_path`] here).
pub fn upload_avatar(kf_account: impl Into<KfAccount>, file: Upload) -> UploadAvatar {
    UploadAvatar {
        endpoint: UploadKfHeadImg::new(UploadHeadImgQuery::new(kf_account), file),
    }
}

/// [`upload_avatar`] with the file read from `path` (its name and content type come from the
/// path).
pub fn upload_avatar_from_path(
    kf_account: impl Into<KfAccount>,
    path: impl AsRef<Path>,
) -> std::io::Result<UploadAvatar> {
    Ok(upload_avatar(kf_account, Upload::from_path(path)?))
}

/// Lists every kf account, with its binding and invitation state.
pub fn list() -> GetKfList {
    GetKfList::new(KfListQuery::new())
}

/// Lists the kf accounts that are online, with how many sessions each serves.
pub fn list_online() -> GetOnlineKfList {
    GetOnlineKfList::new(KfListQuery::new())
}

/// Invites the WeChat user `invite_wx` (a WeChat ID) to bind the kf account `kf_account`; the
/// invitation waits for the user's answer until its `invite_expire_time` (in [`list`]; 7 days
/// in practice, which WeChat does not document).
pub fn invite(kf_account: impl Into<KfAccount>, invite_wx: impl Into<String>) -> InviteKfWorker {
    InviteKfWorker::new(InviteWorkerRequest::new(kf_account, invite_wx))
}

/// The endpoint value of `POST /customservice/kfaccount/uploadheadimg`: a kf account's avatar,
/// refused before sending when it is larger than [`MAX_AVATAR_BYTES`].
#[derive(Debug, Clone)]
pub struct UploadAvatar {
    endpoint: UploadKfHeadImg,
}

impl UploadAvatar {
    /// The kf account whose avatar this sets.
    pub fn kf_account(&self) -> &KfAccount {
        &self.endpoint.query.kf_account
    }

    /// The file.
    pub fn file(&self) -> &Upload {
        &self.endpoint.file
    }
}

impl Endpoint<OfficialAccount> for UploadAvatar {
    type Output = ();

    fn request(&self) -> Result<Request, Error> {
        upload_limit::check(
            UPLOAD_KF_HEAD_IMG.path,
            &self.endpoint.file,
            MAX_AVATAR_BYTES,
            "an avatar",
        )?;
        self.endpoint.request()
    }

    fn parse(&self, reply: Reply) -> Result<(), Error> {
        Endpoint::<OfficialAccount>::parse(&self.endpoint, reply)
    }
}
