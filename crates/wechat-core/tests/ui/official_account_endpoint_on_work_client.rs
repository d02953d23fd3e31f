// An Official Account endpoint cannot be executed by a WeChat Work client.
use wechat_core::endpoints::mp::SendCustomMessage;
use wechat_core::types::mp::{CustomMessage, Text};
use wechat_core::{Client, Work};

async fn send(client: &Client<Work>) {
    let hello = SendCustomMessage::new(CustomMessage::new("OPENID", Text::new("hi")));
    let _ = client.execute(&hello).await;
}

fn main() {
    let _ = send;
}
