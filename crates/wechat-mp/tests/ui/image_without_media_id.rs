// An image message is its media_id.
use wechat_mp::message;

fn main() {
    let _ = message::image("OPENID");
}
