// The msgtype is the variant and the payload its field: an image cannot carry a text.
use wechat_mp::types::{CustomMessage, CustomMessageContent, Text};

fn main() {
    let content = CustomMessageContent::Image { image: Text::new("not an image") };
    let _ = CustomMessage::new("OPENID", content);
}
