//! The three WeChat surfaces, as types, so that a client of one cannot call another's endpoints.

use std::fmt;

use wechat_types::{ErrcodeInfo, Host};

/// A WeChat surface: the Official Account, the Mini Program or WeChat Work.
///
/// Implemented only by [`OfficialAccount`], [`MiniProgram`] and [`Work`] (the trait is sealed).
/// A [`Client<P>`](crate::Client) executes endpoints implementing
/// [`Endpoint<P>`](crate::Endpoint), so sending a WeChat Work message with an Official Account
/// client does not compile.
pub trait Platform: sealed::Sealed + Send + Sync + 'static {
    /// Which surface this is, as a value.
    const KIND: PlatformKind;
}

/// The surfaces served by `api.weixin.qq.com` and authenticated by an AppID and AppSecret: the
/// Official Account and the Mini Program. Endpoints they share (temporary media, access tokens)
/// implement [`Endpoint<P>`](crate::Endpoint) for every `P: AppPlatform`.
pub trait AppPlatform: Platform {}

/// The Official Account (公众号 / 服务号).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OfficialAccount {}

/// The Mini Program (小程序).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MiniProgram {}

/// WeChat Work (企业微信) and its "微信客服" customer-service product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Work {}

impl Platform for OfficialAccount {
    const KIND: PlatformKind = PlatformKind::OfficialAccount;
}
impl Platform for MiniProgram {
    const KIND: PlatformKind = PlatformKind::MiniProgram;
}
impl Platform for Work {
    const KIND: PlatformKind = PlatformKind::Work;
}
impl AppPlatform for OfficialAccount {}
impl AppPlatform for MiniProgram {}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::OfficialAccount {}
    impl Sealed for super::MiniProgram {}
    impl Sealed for super::Work {}
}

/// A [`Platform`] as a runtime value: for token keys, errcode catalogues and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum PlatformKind {
    /// The Official Account.
    OfficialAccount,
    /// The Mini Program.
    MiniProgram,
    /// WeChat Work.
    Work,
}

impl PlatformKind {
    /// Short stable name, used in token keys and tracing fields (`official_account`).
    pub fn as_str(self) -> &'static str {
        match self {
            PlatformKind::OfficialAccount => "official_account",
            PlatformKind::MiniProgram => "mini_program",
            PlatformKind::Work => "work",
        }
    }

    /// The API host serving this surface.
    pub fn host(self) -> Host {
        match self {
            PlatformKind::OfficialAccount | PlatformKind::MiniProgram => Host::Api,
            PlatformKind::Work => Host::Qyapi,
        }
    }

    /// The base URL WeChat serves this surface at (`https://api.weixin.qq.com`).
    pub fn default_base_url(self) -> &'static str {
        match self.host() {
            Host::Qyapi => "https://qyapi.weixin.qq.com",
            _ => "https://api.weixin.qq.com",
        }
    }

    /// What this surface's errcode catalogue says about `code`.
    pub fn errcode_info(self, code: i64) -> Option<&'static ErrcodeInfo> {
        match self {
            PlatformKind::OfficialAccount | PlatformKind::MiniProgram => {
                wechat_types::common::Errcode(code).info()
            }
            PlatformKind::Work => wechat_types::work::Errcode(code).info(),
        }
    }
}

impl fmt::Display for PlatformKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
