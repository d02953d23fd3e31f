// Sending as a kf needs the kf account.
use wechat_mp::message;

fn main() {
    let _ = message::text("OPENID", "您好").as_kf_account();
}
