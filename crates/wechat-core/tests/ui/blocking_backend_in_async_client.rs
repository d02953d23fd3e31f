// The async client needs an async backend: ureq blocks, so it is refused.
use wechat_core::{Client, UreqBackend};

fn main() {
    let _ = Client::official_account("wx1", "secret").backend(UreqBackend::new());
}
