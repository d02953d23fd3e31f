// `message::video` takes a video, never a music payload (the Go seed's example sends one as video).
use wechat_mp::message;
use wechat_mp::types::Music;

fn main() {
    let music = Music::new("TITLE", "DESCRIPTION", "MUSIC_URL", "THUMB_MEDIA_ID");
    let _ = message::video("OPENID", music);
}
