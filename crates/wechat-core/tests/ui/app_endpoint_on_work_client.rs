// Endpoints shared by the Official Account and the Mini Program (api.weixin.qq.com) are not
// WeChat Work endpoints.
use wechat_core::endpoints::common::GetTempMedia;
use wechat_core::types::common::MediaGetQuery;
use wechat_core::{BlockingClient, Work};

fn download(client: &BlockingClient<Work>) {
    let _ = client.execute(&GetTempMedia::new(MediaGetQuery::new("MEDIA_ID")));
}

fn main() {
    let _ = download;
}
