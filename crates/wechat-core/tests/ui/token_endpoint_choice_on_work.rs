// Choosing between stable_token and token only exists where both exist: not on WeChat Work.
use wechat_core::{Client, TokenEndpoint};

fn main() {
    let _ = Client::work("ww1", "secret").token_endpoint(TokenEndpoint::Classic);
}
