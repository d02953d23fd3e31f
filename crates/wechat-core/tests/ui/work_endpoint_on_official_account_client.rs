// A WeChat Work endpoint cannot be executed by an Official Account client.
use wechat_core::endpoints::work::GetAccessToken;
use wechat_core::types::work::GetTokenQuery;
use wechat_core::{BlockingClient, OfficialAccount};

fn token(client: &BlockingClient<OfficialAccount>) {
    let _ = client.execute(&GetAccessToken::new(GetTokenQuery::new("ww1", "secret")));
}

fn main() {
    let _ = token;
}
