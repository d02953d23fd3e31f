//! The exact request every public wechat-mp function puts on the wire: each endpoint value is
//! executed by a real `BlockingClient` over wechat-core's `CapturingBackend` (canned answers, no
//! network), and the one API request it sends is snapshotted with insta as method, path with
//! query (the access_token is the fixed dummy the token answer hands out), headers and body.
//! JSON bodies are written as text; multipart bodies byte by byte (`\r`, `\n` and non-ASCII bytes
//! escaped, the boundary as wechat-core makes it: fixed, so nothing is redacted). Also: the
//! async and the blocking client send byte-identical requests.

mod temp_file;

use std::fmt::Write as _;

use serde_json::json;
use wechat_core::test_util::CapturingBackend;
use wechat_core::test_util::{is_token_request, json_response, ok_response, token_response};
use wechat_core::types::common::MediaType;
use wechat_core::{
    BlockingClient, Client, Endpoint, Error, HttpRequest, HttpResponse, OfficialAccount, Upload,
};
use wechat_mp::message::{self, MiniProgramLink, SendMessage, SendRaw};
use wechat_mp::records::{self, ChatRecords};
use wechat_mp::types::{
    CustomMessage, MiniProgramPage, MsgMenu, MsgMenuItem, Music, NewsArticle, Text, Video,
};
use wechat_mp::{kf_account, kf_session, media, typing};

use temp_file::TempFile;

const APPID: &str = "wx0123456789abcdef";
/// The access_token every token request is answered with; it shows in the snapshots.
const ACCESS_TOKEN: &str = "DUMMY_ACCESS_TOKEN";
const HOST: &str = "https://api.weixin.qq.com";
/// The first bytes of a JPEG, with non-ASCII and NUL bytes to show the body is sent as is.
const JPEG: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\xff\xd9";
/// 2016-06-01 00:00 +08:00, the reference's example `starttime`.
const DAY_START: i64 = 1_464_710_400;

/// A success answer to `request`, by path: the reference's response examples (§4.5-§7), a
/// token for token requests, `{"errcode":0,"errmsg":"ok"}` otherwise.
fn answer(request: &HttpRequest) -> HttpResponse {
    if is_token_request(request) {
        return token_response(ACCESS_TOKEN, 7200);
    }
    match request.path() {
        "/cgi-bin/customservice/getkflist" => json_response(
            r#"{"kf_list":[{"kf_account":"test1@test","kf_headimgurl":"http://mmbiz.qpic.cn/mmbiz/1/0","kf_id":"1001","kf_nick":"ntest1","kf_wx":"kfwx1"}]}"#,
        ),
        "/cgi-bin/customservice/getonlinekflist" => json_response(
            r#"{"kf_online_list":[{"kf_account":"test1@test","status":1,"kf_id":"1001","accepted_case":1}]}"#,
        ),
        "/customservice/kfsession/getsession" => {
            json_response(r#"{"createtime":123456789,"kf_account":"test1@test"}"#)
        }
        "/customservice/kfsession/getsessionlist" => {
            json_response(r#"{"sessionlist":[{"createtime":123456789,"openid":"OPENID"}]}"#)
        }
        "/customservice/kfsession/getwaitcase" => json_response(
            r#"{"count":1,"waitcaselist":[{"latest_time":123456789,"openid":"OPENID"}]}"#,
        ),
        // One record: a short page, so a walk reads one page per window.
        "/customservice/msgrecord/getmsglist" => json_response(
            r#"{"recordlist":[{"openid":"OPENID","opercode":2002,"text":"您好","time":1464710500,"worker":"test1@test"}],"number":1,"msgid":2}"#,
        ),
        "/cgi-bin/media/upload" => {
            json_response(r#"{"type":"image","media_id":"MEDIA_ID","created_at":1672500000}"#)
        }
        "/cgi-bin/media/get" => HttpResponse::new(200, JPEG)
            .with_header("Content-Type", "image/jpeg")
            .with_header(
                "Content-disposition",
                r#"attachment; filename="MEDIA_ID.jpg""#,
            ),
        _ => ok_response(),
    }
}

fn backend() -> CapturingBackend {
    CapturingBackend::answering(answer)
}

fn blocking_client(backend: &CapturingBackend) -> BlockingClient<OfficialAccount> {
    BlockingClient::official_account(APPID, "APPSECRET")
        .backend(backend.clone())
        .build()
        .expect("the client builds")
}

/// `request` as snapshotted: `METHOD /path?query`, one `name: value` line per header, and after
/// a blank line the body (JSON as text, multipart escaped by [`escape_bytes`]). Asserts the host.
fn render(request: &HttpRequest) -> String {
    let path_and_query = request
        .url()
        .strip_prefix(HOST)
        .unwrap_or_else(|| panic!("every request goes to {HOST}: {}", request.url()));
    let mut out = format!("{} {path_and_query}\n", request.method().as_str());
    for (name, value) in request.headers() {
        writeln!(out, "{name}: {value}").unwrap();
    }
    if !request.body().is_empty() {
        out.push('\n');
        let multipart = request
            .header("content-type")
            .is_some_and(|value| value.starts_with("multipart/form-data"));
        if multipart {
            out.push_str(&escape_bytes(request.body()));
        } else {
            out.push_str(std::str::from_utf8(request.body()).expect("a JSON body is UTF-8"));
        }
    }
    out
}

/// Bytes as readable text: printable ASCII as is, `\r` and `\n` escaped (a line break follows
/// each `\n`), `\` doubled, anything else as `\xNN`.
fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &byte in bytes {
        match byte {
            b'\r' => out.push_str("\\r"),
            b'\n' => out.push_str("\\n\n"),
            b'\\' => out.push_str("\\\\"),
            b' '..=b'~' => out.push(char::from(byte)),
            _ => write!(out, "\\x{byte:02x}").unwrap(),
        }
    }
    out
}

/// Runs `call` on a fresh blocking client and returns the API requests it sent (the token
/// request aside, after checking it came first).
fn api_requests(
    call: impl FnOnce(&BlockingClient<OfficialAccount>) -> Result<(), Error>,
) -> Vec<HttpRequest> {
    let backend = backend();
    let client = blocking_client(&backend);
    if let Err(error) = call(&client) {
        panic!("the call failed: {error}");
    }
    let all = backend.requests();
    assert!(is_token_request(&all[0]), "the token comes first: {all:#?}");
    backend.api_requests()
}

/// The one request executing `endpoint` sends, rendered.
fn sent<E: Endpoint<OfficialAccount>>(endpoint: &E) -> String {
    let requests = api_requests(|client| client.execute(endpoint).map(drop));
    assert_eq!(requests.len(), 1, "one call, one request: {requests:#?}");
    render(&requests[0])
}

// ---------------------------------------------------------------------------------------------
// message: POST /cgi-bin/message/custom/send

#[test]
fn message_text() {
    insta::assert_snapshot!(
        "message_text",
        sent(&message::text("OPENID", "Hello World"))
    );
}

#[test]
fn message_text_with_a_mini_program_link_and_href() {
    let link = MiniProgramLink::new(
        "wx1234567890abcdef",
        "pages/index/index?x=1",
        "点击跳小程序",
    )
    .with_href("http://www.qq.com");
    let content = format!("订单详情：{link}");
    assert_eq!(
        content,
        r#"订单详情：<a href="http://www.qq.com" data-miniprogram-appid="wx1234567890abcdef" data-miniprogram-path="pages/index/index?x=1">点击跳小程序</a>"#,
        "the reference's link form (§2.3, text)"
    );
    insta::assert_snapshot!(
        "message_text_mini_program_link_with_href",
        sent(&message::text("OPENID", content))
    );
}

#[test]
fn message_text_with_a_mini_program_link_escapes_quotes_angles_and_ampersands() {
    let link = MiniProgramLink::new(
        "wx1234567890abcdef",
        r#"pages/a?x=1&y="2"<b>"#,
        r#"Tom & "Jerry" <3>"#,
    );
    let content = link.to_string();
    assert_eq!(
        content,
        r#"<a data-miniprogram-appid="wx1234567890abcdef" data-miniprogram-path="pages/a?x=1&amp;y=&quot;2&quot;&lt;b&gt;">Tom &amp; &quot;Jerry&quot; &lt;3&gt;</a>"#
    );
    insta::assert_snapshot!(
        "message_text_mini_program_link_escaped",
        sent(&message::text("OPENID", content))
    );
}

#[test]
fn message_image() {
    insta::assert_snapshot!("message_image", sent(&message::image("OPENID", "MEDIA_ID")));
}

#[test]
fn message_voice() {
    insta::assert_snapshot!("message_voice", sent(&message::voice("OPENID", "MEDIA_ID")));
}

#[test]
fn message_video() {
    let video = Video::new("MEDIA_ID", "THUMB_MEDIA_ID")
        .with_title("TITLE")
        .with_description("DESCRIPTION");
    insta::assert_snapshot!("message_video", sent(&message::video("OPENID", video)));
}

#[test]
fn message_video_without_title_or_description() {
    let video = Video::new("MEDIA_ID", "THUMB_MEDIA_ID");
    insta::assert_snapshot!(
        "message_video_minimal",
        sent(&message::video("OPENID", video))
    );
}

#[test]
fn message_music() {
    let music = Music::new(
        "MUSIC_TITLE",
        "MUSIC_DESCRIPTION",
        "MUSIC_URL",
        "THUMB_MEDIA_ID",
    )
    .with_hqmusicurl("HQ_MUSIC_URL");
    insta::assert_snapshot!("message_music", sent(&message::music("OPENID", music)));
}

#[test]
fn message_news() {
    let article = NewsArticle::new("Happy Day", "Is Really A Happy Day", "URL", "PIC_URL");
    insta::assert_snapshot!("message_news", sent(&message::news("OPENID", article)));
}

#[test]
fn message_news_card() {
    insta::assert_snapshot!(
        "message_news_card",
        sent(&message::news_card(
            "OPENID",
            "Happy Day",
            "Is Really A Happy Day",
            "URL",
            "PIC_URL"
        ))
    );
}

#[test]
fn message_mpnews() {
    insta::assert_snapshot!(
        "message_mpnews",
        sent(&message::mpnews("OPENID", "MEDIA_ID"))
    );
}

#[test]
fn message_mpnewsarticle() {
    insta::assert_snapshot!(
        "message_mpnewsarticle",
        sent(&message::mpnewsarticle("OPENID", "ARTICLE_ID"))
    );
}

#[test]
fn message_msgmenu() {
    let menu = MsgMenu::new(vec![
        MsgMenuItem::new("101", "满意"),
        MsgMenuItem::new("102", "不满意"),
    ])
    .with_head_content("您对本次服务是否满意呢? ")
    .with_tail_content("欢迎再次光临");
    insta::assert_snapshot!("message_msgmenu", sent(&message::msgmenu("OPENID", menu)));
}

#[test]
fn message_wxcard() {
    insta::assert_snapshot!(
        "message_wxcard",
        sent(&message::wxcard("OPENID", "123dsdajkasd231jhksad"))
    );
}

#[test]
fn message_miniprogrampage() {
    let page = MiniProgramPage::new(
        "title",
        "appid",
        "pages/index/index?foo=bar",
        "thumb_media_id",
    );
    insta::assert_snapshot!(
        "message_miniprogrampage",
        sent(&message::miniprogrampage("OPENID", page))
    );
}

#[test]
fn message_as_kf_account() {
    insta::assert_snapshot!(
        "message_as_kf_account",
        sent(&message::text("OPENID", "Hello World").as_kf_account("test1@kftest"))
    );
}

#[test]
fn message_ai_generated() {
    insta::assert_snapshot!(
        "message_ai_generated",
        sent(&message::text("OPENID", "Hello World").ai_generated())
    );
}

#[test]
fn message_with_ai_flag_false() {
    insta::assert_snapshot!(
        "message_with_ai_flag_false",
        sent(&message::text("OPENID", "Hello World").with_ai_flag(false))
    );
}

#[test]
fn message_for_business() {
    insta::assert_snapshot!(
        "message_for_business",
        sent(&message::text("OPENID", "Hello World").for_business("BUSINESS_ID"))
    );
}

#[test]
fn message_with_every_option_on_an_image() {
    let message = message::image("OPENID", "MEDIA_ID")
        .for_business("BUSINESS_ID")
        .ai_generated()
        .as_kf_account("test1@kftest");
    insta::assert_snapshot!("message_every_option", sent(&message));
}

#[test]
fn message_send_message_new_and_from_custom_message() {
    let from_new = sent(&SendMessage::new("OPENID", Text::new("Hello World")));
    let from_custom = sent(&SendMessage::from(CustomMessage::new(
        "OPENID",
        Text::new("Hello World"),
    )));
    assert_eq!(from_new, from_custom);
    assert_eq!(from_new, sent(&message::text("OPENID", "Hello World")));
    insta::assert_snapshot!("message_send_message_new", from_new);
}

#[test]
fn message_send_raw_sends_the_body_as_given() {
    let raw = SendRaw::new(json!({
        "touser": "OPENID",
        "msgtype": "text",
        "text": {"content": "Hello"},
        "some_new_member": {"flag": 1}
    }));
    insta::assert_snapshot!("message_send_raw", sent(&raw));
}

// ---------------------------------------------------------------------------------------------
// typing: POST /cgi-bin/message/custom/typing

#[test]
fn typing_start() {
    insta::assert_snapshot!("typing_start", sent(&typing::start("OPENID")));
}

#[test]
fn typing_stop() {
    insta::assert_snapshot!("typing_stop", sent(&typing::stop("OPENID")));
}

#[test]
fn typing_set_is_start_or_stop() {
    assert_eq!(
        sent(&typing::set("OPENID", true)),
        sent(&typing::start("OPENID"))
    );
    assert_eq!(
        sent(&typing::set("OPENID", false)),
        sent(&typing::stop("OPENID"))
    );
    insta::assert_snapshot!("typing_set_false", sent(&typing::set("OPENID", false)));
}

// ---------------------------------------------------------------------------------------------
// kf_account

#[test]
fn kf_account_add() {
    insta::assert_snapshot!(
        "kf_account_add",
        sent(&kf_account::add("test1@test", "客服1"))
    );
}

#[test]
fn kf_account_update() {
    insta::assert_snapshot!(
        "kf_account_update",
        sent(&kf_account::update("test1@test", "客服2"))
    );
}

#[test]
fn kf_account_delete() {
    insta::assert_snapshot!("kf_account_delete", sent(&kf_account::delete("test1@test")));
}

#[test]
fn kf_account_upload_avatar() {
    let avatar = kf_account::upload_avatar("test1@test", Upload::from_bytes("test.jpg", JPEG));
    insta::assert_snapshot!("kf_account_upload_avatar", sent(&avatar));
}

#[test]
fn kf_account_upload_avatar_from_path() {
    let file = TempFile::new("avatar.jpg", JPEG);
    let avatar = kf_account::upload_avatar_from_path("test1@test", file.path())
        .expect("the temp file is read");
    assert_eq!(avatar.file().filename(), "avatar.jpg");
    insta::assert_snapshot!("kf_account_upload_avatar_from_path", sent(&avatar));
}

#[test]
fn kf_account_list() {
    insta::assert_snapshot!("kf_account_list", sent(&kf_account::list()));
}

#[test]
fn kf_account_list_online() {
    insta::assert_snapshot!("kf_account_list_online", sent(&kf_account::list_online()));
}

#[test]
fn kf_account_invite() {
    insta::assert_snapshot!(
        "kf_account_invite",
        sent(&kf_account::invite("test1@test", "test_kfwx"))
    );
}

// ---------------------------------------------------------------------------------------------
// kf_session

#[test]
fn kf_session_create() {
    insta::assert_snapshot!(
        "kf_session_create",
        sent(&kf_session::create("test1@test", "OPENID"))
    );
}

#[test]
fn kf_session_close() {
    insta::assert_snapshot!(
        "kf_session_close",
        sent(&kf_session::close("test1@test", "OPENID"))
    );
}

#[test]
fn kf_session_of_customer() {
    insta::assert_snapshot!(
        "kf_session_of_customer",
        sent(&kf_session::of_customer("OPENID"))
    );
}

#[test]
fn kf_session_of_kf() {
    insta::assert_snapshot!("kf_session_of_kf", sent(&kf_session::of_kf("test1@test")));
}

#[test]
fn kf_session_waiting() {
    insta::assert_snapshot!("kf_session_waiting", sent(&kf_session::waiting()));
}

// ---------------------------------------------------------------------------------------------
// records: POST /customservice/msgrecord/getmsglist

#[test]
fn records_page() {
    insta::assert_snapshot!(
        "records_page",
        sent(&records::page(DAY_START, DAY_START + 86_400, 1, 10_000))
    );
}

#[test]
fn records_chat_records_first_request_of_a_walk() {
    // Two China-time days: the walk starts with the first day's window, cursor 1, 10000 a page.
    let requests = api_requests(|client| {
        let mut walk = ChatRecords::new(DAY_START, DAY_START + 2 * 86_400);
        let page = walk.next_page_blocking(client)?;
        assert_eq!(page.map(|records| records.len()), Some(1));
        Ok(())
    });
    assert_eq!(requests.len(), 1, "{requests:#?}");
    insta::assert_snapshot!("records_chat_records_first_request", render(&requests[0]));
}

#[test]
fn records_chat_records_page_size() {
    let requests = api_requests(|client| {
        let mut walk = ChatRecords::new(DAY_START + 3600, DAY_START + 7200).page_size(50);
        walk.next_page_blocking(client).map(drop)
    });
    assert_eq!(requests.len(), 1, "{requests:#?}");
    insta::assert_snapshot!("records_chat_records_page_size", render(&requests[0]));
}

// ---------------------------------------------------------------------------------------------
// media

#[test]
fn media_upload() {
    let upload = media::upload(MediaType::Image, Upload::from_bytes("test.jpg", JPEG));
    insta::assert_snapshot!("media_upload", sent(&upload));
}

#[test]
fn media_upload_from_path() {
    let file = TempFile::new("voice.amr", b"#!AMR\n\x3c\x00");
    let upload =
        media::upload_from_path(MediaType::Voice, file.path()).expect("the temp file is read");
    insta::assert_snapshot!("media_upload_from_path", sent(&upload));
}

#[test]
fn media_download() {
    insta::assert_snapshot!("media_download", sent(&media::download("MEDIA_ID")));
}

// ---------------------------------------------------------------------------------------------
// Both clients

#[test]
fn async_and_blocking_clients_send_byte_identical_requests() {
    let text = message::text("OPENID", "您好").as_kf_account("test1@kftest");
    let avatar = kf_account::upload_avatar("test1@test", Upload::from_bytes("test.jpg", JPEG));
    let thumb = media::upload(MediaType::Thumb, Upload::from_bytes("thumb.jpg", JPEG));

    let async_backend = backend();
    let async_client = Client::official_account(APPID, "APPSECRET")
        .backend(async_backend.clone())
        .build()
        .expect("the client builds");
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime")
        .block_on(async {
            async_client.execute(&text).await?;
            async_client.execute(&avatar).await?;
            async_client.execute(&thumb).await.map(drop)
        })
        .expect("the async calls succeed");

    let blocking_backend = backend();
    let blocking_client = blocking_client(&blocking_backend);
    blocking_client.execute(&text).expect("the blocking send");
    blocking_client
        .execute(&avatar)
        .expect("the blocking avatar");
    blocking_client
        .execute(&thumb)
        .expect("the blocking upload");

    let from_async = async_backend.api_requests();
    let from_blocking = blocking_backend.api_requests();
    assert_eq!(from_async.len(), 3);
    for (a, b) in from_async.iter().zip(&from_blocking) {
        assert_eq!(a.method(), b.method());
        assert_eq!(a.url(), b.url());
        assert_eq!(
            a.headers().collect::<Vec<_>>(),
            b.headers().collect::<Vec<_>>()
        );
        assert_eq!(a.body(), b.body(), "byte-identical body of {}", a.path());
    }
    assert_eq!(from_async, from_blocking);
}
