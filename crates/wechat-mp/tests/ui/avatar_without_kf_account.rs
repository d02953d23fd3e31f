// An avatar belongs to a kf account.
use wechat_core::Upload;
use wechat_mp::kf_account;

fn main() {
    let _ = kf_account::upload_avatar(Upload::from_bytes("avatar.jpg", vec![0xff, 0xd8]));
}
