// WeChat takes exactly one news article (45008 otherwise): `message::news` takes one, not a list.
use wechat_mp::message;
use wechat_mp::types::NewsArticle;

fn main() {
    let article = NewsArticle::new("TITLE", "DESCRIPTION", "URL", "PIC_URL");
    let _ = message::news("OPENID", vec![article.clone(), article]);
}
