// The Official Account's custom messages (music, news, msgmenu, ...) are not the Mini
// Program's: its client cannot execute them.
use wechat_core::{BlockingClient, MiniProgram};
use wechat_mp::message;

fn send(client: &BlockingClient<MiniProgram>) {
    let _ = client.execute(&message::text("OPENID", "hello"));
}

fn main() {
    let _ = send;
}
