// The blocking client needs a blocking backend: reqwest is async, so it is refused.
use wechat_core::{BlockingClient, ReqwestBackend};

fn main() {
    let backend = ReqwestBackend::new().unwrap();
    let _ = BlockingClient::official_account("wx1", "secret").backend(backend);
}
