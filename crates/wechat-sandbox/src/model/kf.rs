//! The kf accounts of one app (reference §4): their profile, avatar, the WeChat user bound to
//! each (by invitation, §4.7) and whether that worker is online.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use wechat_types::common::Errcode;
use wechat_types::mp::{InviteStatus, KfInfo};

use crate::clock::unix_seconds;
use crate::wire::Refusal;

/// The largest avatar (§4.4: 5 MB).
pub(crate) const HEADIMG_MAX_BYTES: usize = 5 * 1024 * 1024;

/// One kf account.
#[derive(Debug, Clone)]
pub(crate) struct KfAccount {
    /// `prefix@wechat_id`.
    pub(crate) account: String,
    pub(crate) nickname: String,
    /// The kf number (工号), from 1001.
    pub(crate) kf_id: u32,
    /// The uploaded avatar.
    pub(crate) headimg: Option<Bytes>,
    /// The WeChat user bound to the account.
    pub(crate) bound_wx: Option<String>,
    /// The latest bind invitation.
    pub(crate) invitation: Option<Invitation>,
    /// Whether the bound worker is online (web client).
    pub(crate) online: bool,
}

/// A bind invitation.
#[derive(Debug, Clone)]
pub(crate) struct Invitation {
    pub(crate) wx: String,
    pub(crate) expires_at: SystemTime,
    /// `false` once the invitee declined.
    pub(crate) rejected: bool,
}

impl Invitation {
    /// Waiting for an answer, and not expired.
    fn is_pending(&self, now: SystemTime) -> bool {
        !self.rejected && self.expires_at > now
    }

    fn status(&self, now: SystemTime) -> InviteStatus {
        if self.rejected {
            InviteStatus::Rejected
        } else if self.expires_at > now {
            InviteStatus::Waiting
        } else {
            InviteStatus::Expired
        }
    }
}

/// Every kf account of an app.
#[derive(Debug, Clone, Default)]
pub(crate) struct KfAccounts {
    accounts: Vec<KfAccount>,
    next_id: u32,
}

impl KfAccounts {
    /// The accounts, oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &KfAccount> {
        self.accounts.iter()
    }

    /// The account, or 65401.
    pub(crate) fn get(&self, account: &str) -> Result<&KfAccount, Refusal> {
        self.accounts
            .iter()
            .find(|kf| kf.account == account)
            .ok_or_else(|| unknown(account))
    }

    fn get_mut(&mut self, account: &str) -> Result<&mut KfAccount, Refusal> {
        self.accounts
            .iter_mut()
            .find(|kf| kf.account == account)
            .ok_or_else(|| unknown(account))
    }

    /// `kfaccount/add`: the suffix must be the account's WeChat ID (65404), at most `limit`
    /// accounts (65405), no duplicate (65406). The format and the nickname were checked with
    /// the request.
    pub(crate) fn add(
        &mut self,
        account: &str,
        nickname: &str,
        wechat_id: &str,
        limit: usize,
    ) -> Result<(), Refusal> {
        let suffix = account.split_once('@').map_or("", |(_, suffix)| suffix);
        if suffix != wechat_id {
            return Err(Refusal::hint(
                Errcode::ILLEGAL_CUSTOM_SERVICE_ACCOUNT,
                format!("the suffix must be the account's WeChat ID `{wechat_id}`"),
            ));
        }
        if self.accounts.iter().any(|kf| kf.account == account) {
            return Err(Refusal::new(Errcode::CUSTOM_SERVICE_ACCOUNT_EXISTS));
        }
        if self.accounts.len() >= limit {
            return Err(Refusal::hint(
                Errcode::CUSTOM_SERVICE_ACCOUNT_LIMIT_REACHED,
                format!("{limit} accounts"),
            ));
        }
        if self.next_id == 0 {
            self.next_id = 1001;
        }
        self.accounts.push(KfAccount {
            account: account.to_owned(),
            nickname: nickname.to_owned(),
            kf_id: self.next_id,
            headimg: None,
            bound_wx: None,
            invitation: None,
            online: false,
        });
        self.next_id += 1;
        Ok(())
    }

    /// `kfaccount/update`.
    pub(crate) fn update(&mut self, account: &str, nickname: &str) -> Result<(), Refusal> {
        self.get_mut(account)?.nickname = nickname.to_owned();
        Ok(())
    }

    /// `kfaccount/del`.
    pub(crate) fn delete(&mut self, account: &str) -> Result<(), Refusal> {
        let before = self.accounts.len();
        self.accounts.retain(|kf| kf.account != account);
        if self.accounts.len() == before {
            return Err(unknown(account));
        }
        Ok(())
    }

    /// `kfaccount/uploadheadimg`: a JPEG (LEGACY rule; 40005 otherwise) of at most 5 MB
    /// (40006).
    pub(crate) fn set_headimg(&mut self, account: &str, image: Bytes) -> Result<(), Refusal> {
        let kf = self.get_mut(account)?;
        if image.len() > HEADIMG_MAX_BYTES {
            return Err(Refusal::hint(
                Errcode::INVALID_FILE_SIZE,
                format!("{} bytes; at most 5 MB", image.len()),
            ));
        }
        if infer::get(&image).map(|kind| kind.mime_type()) != Some("image/jpeg") {
            return Err(Refusal::hint(
                Errcode::INVALID_FILE_TYPE,
                "the avatar must be a JPG",
            ));
        }
        kf.headimg = Some(image);
        Ok(())
    }

    /// `kfaccount/inviteworker` (§4.7).
    pub(crate) fn invite(
        &mut self,
        account: &str,
        wx: &str,
        now: SystemTime,
        lifetime: Duration,
    ) -> Result<(), Refusal> {
        let kf = self.get(account)?;
        if kf.bound_wx.is_some() {
            return Err(Refusal::new(Errcode::CUSTOM_SERVICE_ACCOUNT_ALREADY_BOUND));
        }
        if !is_wechat_id(wx) {
            return Err(Refusal::hint(
                Errcode::INVALID_WECHAT_ACCOUNT,
                "a WeChat ID is 6 to 20 letters, digits, `_` or `-`, starting with a letter",
            ));
        }
        if kf.invitation.as_ref().is_some_and(|i| i.is_pending(now)) {
            return Err(Refusal::new(Errcode::INVITATION_ALREADY_EXISTS));
        }
        if self
            .accounts
            .iter()
            .any(|other| other.bound_wx.as_deref() == Some(wx))
        {
            return Err(Refusal::new(Errcode::WORKER_ALREADY_BOUND_TO_ACCOUNT));
        }
        let invited_elsewhere = self.accounts.iter().any(|other| {
            other
                .invitation
                .as_ref()
                .is_some_and(|i| i.wx == wx && i.is_pending(now))
        });
        if invited_elsewhere {
            return Err(Refusal::new(Errcode::WORKER_ALREADY_INVITED));
        }
        self.get_mut(account)?.invitation = Some(Invitation {
            wx: wx.to_owned(),
            expires_at: now + lifetime,
            rejected: false,
        });
        Ok(())
    }

    /// The invitee answers a pending invitation (control API): accepting binds the account.
    pub(crate) fn answer_invitation(
        &mut self,
        account: &str,
        accept: bool,
        now: SystemTime,
    ) -> Result<String, String> {
        let kf = self
            .get_mut(account)
            .map_err(|_| format!("no kf account {account}"))?;
        let invitation = kf
            .invitation
            .as_mut()
            .filter(|i| i.is_pending(now))
            .ok_or_else(|| format!("{account} has no pending invitation"))?;
        let wx = invitation.wx.clone();
        if accept {
            kf.bound_wx = Some(wx.clone());
            kf.invitation = None;
        } else {
            invitation.rejected = true;
        }
        Ok(wx)
    }

    /// The worker goes online or offline (control API); only a bound account has a worker.
    pub(crate) fn set_online(&mut self, account: &str, online: bool) -> Result<(), String> {
        let kf = self
            .get_mut(account)
            .map_err(|_| format!("no kf account {account}"))?;
        if online && kf.bound_wx.is_none() {
            return Err(format!(
                "{account} is not bound to a WeChat user; invite one first"
            ));
        }
        kf.online = online;
        Ok(())
    }

    /// The `getkflist` entry of `kf`; `headimg_base` prefixes avatar URLs.
    pub(crate) fn info(kf: &KfAccount, headimg_base: &str, now: SystemTime) -> KfInfo {
        let mut info = KfInfo::new(&kf.account, kf.kf_id.to_string())
            .with_kf_nick(&kf.nickname)
            .with_kf_headimgurl(match kf.headimg {
                Some(_) => format!("{headimg_base}/{}", kf.kf_id),
                None => String::new(),
            });
        if let Some(wx) = &kf.bound_wx {
            info = info.with_kf_wx(wx);
        } else if let Some(invitation) = &kf.invitation {
            info = info
                .with_invite_wx(&invitation.wx)
                .with_invite_expire_time(unix_seconds(invitation.expires_at) as i64)
                .with_invite_status(invitation.status(now));
        }
        info
    }

    /// The avatar of kf number `kf_id`.
    pub(crate) fn headimg(&self, kf_id: u32) -> Option<Bytes> {
        self.accounts
            .iter()
            .find(|kf| kf.kf_id == kf_id)
            .and_then(|kf| kf.headimg.clone())
    }
}

fn unknown(account: &str) -> Refusal {
    Refusal::hint(
        Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT,
        format!("no kf account {account}"),
    )
}

/// WeChat's rule for a WeChat ID (微信号): 6 to 20 characters, letters, digits, `_` and `-`,
/// starting with a letter.
fn is_wechat_id(wx: &str) -> bool {
    (6..=20).contains(&wx.len())
        && wx.starts_with(|c: char| c.is_ascii_alphabetic())
        && wx
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    const WEEK: Duration = Duration::from_secs(7 * 86_400);
    const JPEG: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01";

    fn t(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_700_000_000 + secs)
    }

    fn accounts() -> KfAccounts {
        let mut accounts = KfAccounts::default();
        accounts.add("kf1@oa", "Ann", "oa", 100).unwrap();
        accounts
    }

    fn code(result: Result<(), Refusal>) -> Errcode {
        result.unwrap_err().code
    }

    #[test]
    fn add_update_delete() {
        let mut accounts = accounts();
        assert_eq!(accounts.get("kf1@oa").unwrap().kf_id, 1001);
        assert_eq!(
            code(accounts.add("kf1@oa", "Ann", "oa", 100)),
            Errcode::CUSTOM_SERVICE_ACCOUNT_EXISTS
        );
        assert_eq!(
            code(accounts.add("kf2@other", "Bo", "oa", 100)),
            Errcode::ILLEGAL_CUSTOM_SERVICE_ACCOUNT
        );
        assert_eq!(
            code(accounts.add("kf2@oa", "Bo", "oa", 1)),
            Errcode::CUSTOM_SERVICE_ACCOUNT_LIMIT_REACHED
        );
        accounts.update("kf1@oa", "Annie").unwrap();
        assert_eq!(accounts.get("kf1@oa").unwrap().nickname, "Annie");
        assert_eq!(
            code(accounts.update("kf9@oa", "x")),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
        );
        accounts.delete("kf1@oa").unwrap();
        assert_eq!(
            code(accounts.delete("kf1@oa")),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
        );
        accounts.add("kf1@oa", "Ann", "oa", 100).unwrap();
        assert_eq!(
            accounts.get("kf1@oa").unwrap().kf_id,
            1002,
            "numbers are not reused"
        );
    }

    #[test]
    fn avatars_are_jpegs_of_at_most_5_mb() {
        let mut accounts = accounts();
        accounts
            .set_headimg("kf1@oa", Bytes::from_static(JPEG))
            .unwrap();
        assert_eq!(
            code(accounts.set_headimg("kf1@oa", Bytes::from_static(b"\x89PNG\r\n\x1a\n"))),
            Errcode::INVALID_FILE_TYPE
        );
        let mut big = JPEG.to_vec();
        big.resize(HEADIMG_MAX_BYTES + 1, 0);
        assert_eq!(
            code(accounts.set_headimg("kf1@oa", big.into())),
            Errcode::INVALID_FILE_SIZE
        );
        assert_eq!(accounts.headimg(1001).as_deref(), Some(JPEG));
    }

    #[test]
    fn invitations() {
        let mut accounts = accounts();
        accounts.add("kf2@oa", "Bo", "oa", 100).unwrap();
        assert_eq!(
            code(accounts.invite("kf1@oa", "x", t(0), WEEK)),
            Errcode::INVALID_WECHAT_ACCOUNT
        );
        accounts.invite("kf1@oa", "worker_ann", t(0), WEEK).unwrap();
        assert_eq!(
            code(accounts.invite("kf1@oa", "worker_bob", t(1), WEEK)),
            Errcode::INVITATION_ALREADY_EXISTS
        );
        assert_eq!(
            code(accounts.invite("kf2@oa", "worker_ann", t(1), WEEK)),
            Errcode::WORKER_ALREADY_INVITED
        );
        let info = KfAccounts::info(accounts.get("kf1@oa").unwrap(), "http://h", t(1));
        assert_eq!(info.invite_status, Some(InviteStatus::Waiting));
        assert_eq!(info.kf_wx, None);
        assert_eq!(
            accounts.answer_invitation("kf1@oa", true, t(2)),
            Ok("worker_ann".into())
        );
        assert_eq!(
            code(accounts.invite("kf1@oa", "worker_bob", t(3), WEEK)),
            Errcode::CUSTOM_SERVICE_ACCOUNT_ALREADY_BOUND
        );
        assert_eq!(
            code(accounts.invite("kf2@oa", "worker_ann", t(3), WEEK)),
            Errcode::WORKER_ALREADY_BOUND_TO_ACCOUNT
        );
        let info = KfAccounts::info(accounts.get("kf1@oa").unwrap(), "http://h", t(3));
        assert_eq!(info.kf_wx.as_deref(), Some("worker_ann"));
        assert_eq!(info.invite_wx, None);
    }

    #[test]
    fn invitations_expire_and_can_be_declined() {
        let mut accounts = accounts();
        accounts.invite("kf1@oa", "worker_ann", t(0), WEEK).unwrap();
        let later = t(0) + WEEK;
        let info = KfAccounts::info(accounts.get("kf1@oa").unwrap(), "http://h", later);
        assert_eq!(info.invite_status, Some(InviteStatus::Expired));
        assert!(accounts.answer_invitation("kf1@oa", true, later).is_err());
        accounts
            .invite("kf1@oa", "worker_ann", later, WEEK)
            .unwrap();
        accounts.answer_invitation("kf1@oa", false, later).unwrap();
        let info = KfAccounts::info(accounts.get("kf1@oa").unwrap(), "http://h", later);
        assert_eq!(info.invite_status, Some(InviteStatus::Rejected));
        assert!(accounts.invite("kf1@oa", "worker_bob", later, WEEK).is_ok());
    }

    #[test]
    fn only_a_bound_worker_goes_online() {
        let mut accounts = accounts();
        assert!(accounts.set_online("kf1@oa", true).is_err());
        accounts.invite("kf1@oa", "worker_ann", t(0), WEEK).unwrap();
        accounts.answer_invitation("kf1@oa", true, t(0)).unwrap();
        accounts.set_online("kf1@oa", true).unwrap();
        assert!(accounts.get("kf1@oa").unwrap().online);
    }
}
