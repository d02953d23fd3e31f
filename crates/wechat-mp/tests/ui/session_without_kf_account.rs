// A kf session joins a customer to a kf account: creating one without the account does not compile.
use wechat_mp::kf_session;

fn main() {
    let _ = kf_session::create("OPENID");
}
