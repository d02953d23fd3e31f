// Only the crate's three platforms exist: a made-up one cannot be implemented.
use wechat_core::{Platform, PlatformKind};

enum Weibo {}

impl Platform for Weibo {
    const KIND: PlatformKind = PlatformKind::OfficialAccount;
}

fn main() {}
