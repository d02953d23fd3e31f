//! Bad input is refused before anything leaves: every limit the schemas in `schemas/mp/` (and
//! `schemas/common/`) declare, and the upload sizes of wechat-mp, comes back as
//! `Error::InvalidRequest` naming the failing field (`InvalidRequest::field`, and the error's
//! `Display`), while the recording backend saw no API request (token requests aside). The
//! values just inside each limit are accepted, to show where the line is.

use serde_json::json;
use wechat_core::test_util::CapturingBackend;
use wechat_core::types::common::MediaType;
use wechat_core::{
    BlockingClient, Client, Endpoint, Error, InvalidRequest, OfficialAccount, Upload,
};
use wechat_mp::message::{self, SendMessage, SendRaw};
use wechat_mp::records::{self, ChatRecords};
use wechat_mp::types::{MsgMenu, MsgMenuItem, News, NewsArticle, Video};
use wechat_mp::{kf_account, kf_session, media, typing};

/// 2016-06-01 00:00 +08:00.
const DAY_START: i64 = 1_464_710_400;
const DAY: i64 = 86_400;

fn blocking_client(backend: &CapturingBackend) -> BlockingClient<OfficialAccount> {
    BlockingClient::official_account("wx0123456789abcdef", "APPSECRET")
        .backend(backend.clone())
        .build()
        .expect("the client builds")
}

/// Checks that `outcome` is `Error::InvalidRequest` for `endpoint` naming `field`, whose
/// `Display` names the field too, and that `backend` saw no API request; returns the error.
fn assert_refused<T: std::fmt::Debug>(
    backend: &CapturingBackend,
    outcome: Result<T, Error>,
    endpoint: &str,
    field: &str,
) -> InvalidRequest {
    let error = outcome.expect_err("the bad value is refused");
    let display = error.to_string();
    let Error::InvalidRequest(invalid) = error else {
        panic!("expected Error::InvalidRequest, got {error:?}");
    };
    assert_eq!(invalid.field(), field, "{display}");
    assert_eq!(invalid.endpoint(), endpoint, "{display}");
    if !field.is_empty() {
        assert!(
            display.contains(&format!("`{field}`")),
            "the Display names `{field}`: {display}"
        );
    }
    assert!(
        backend.api_requests().is_empty(),
        "nothing is sent: {:#?}",
        backend.api_requests()
    );
    invalid
}

/// Executes `endpoint` on a fresh blocking client and checks it is refused naming `field`.
fn refused<E>(endpoint: &E, path: &str, field: &str) -> InvalidRequest
where
    E: Endpoint<OfficialAccount>,
    E::Output: std::fmt::Debug,
{
    let backend = CapturingBackend::new();
    let outcome = blocking_client(&backend).execute(endpoint);
    assert_refused(&backend, outcome, path, field)
}

/// Whether `endpoint` builds its request (sans-IO: the limits hold).
fn accepted<E: Endpoint<OfficialAccount>>(endpoint: &E) -> bool {
    match endpoint.request() {
        Ok(_) => true,
        Err(error) => panic!("expected the request to build, got {error}"),
    }
}

const SEND: &str = "/cgi-bin/message/custom/send";
const TYPING: &str = "/cgi-bin/message/custom/typing";
const KF_ADD: &str = "/customservice/kfaccount/add";
const KF_UPDATE: &str = "/customservice/kfaccount/update";
const KF_DEL: &str = "/customservice/kfaccount/del";
const KF_AVATAR: &str = "/customservice/kfaccount/uploadheadimg";
const KF_INVITE: &str = "/customservice/kfaccount/inviteworker";
const SESSION_CREATE: &str = "/customservice/kfsession/create";
const SESSION_CLOSE: &str = "/customservice/kfsession/close";
const SESSION_GET: &str = "/customservice/kfsession/getsession";
const SESSION_LIST: &str = "/customservice/kfsession/getsessionlist";
const MSG_LIST: &str = "/customservice/msgrecord/getmsglist";
const MEDIA_UPLOAD: &str = "/cgi-bin/media/upload";
const MEDIA_GET: &str = "/cgi-bin/media/get";

/// Malformed kf accounts: no `@`, a prefix of 11, characters outside `[A-Za-z0-9_]` before the
/// `@` or outside `[A-Za-z0-9_-]` after it, an empty part, a WeChat ID of 31.
const BAD_KF_ACCOUNTS: [&str; 7] = [
    "no-at-sign",
    "abcdefghijk@account",
    "te-st@account",
    "test1@acc.ount",
    "@account",
    "test1@",
    "test1@abcdefghijklmnopqrstuvwxyz01234",
];

// ---------------------------------------------------------------------------------------------
// message

#[test]
fn an_empty_text_is_refused_naming_text_content() {
    refused(&message::text("OPENID", ""), SEND, "text.content");
}

#[test]
fn an_empty_touser_is_refused_on_send_and_typing() {
    refused(&message::text("", "hi"), SEND, "touser");
    refused(&typing::start(""), TYPING, "touser");
    refused(&typing::stop(""), TYPING, "touser");
}

#[test]
fn a_malformed_kf_account_is_refused_on_send() {
    for bad in BAD_KF_ACCOUNTS {
        refused(
            &message::text("OPENID", "hi").as_kf_account(bad),
            SEND,
            "customservice.kf_account",
        );
    }
    assert!(accepted(
        &message::text("OPENID", "hi").as_kf_account("abcdefghij@abcdefghijklmnopqrstuvwxyz0123")
    ));
}

#[test]
fn an_empty_msgmenu_or_a_blank_option_is_refused() {
    refused(
        &message::msgmenu("OPENID", MsgMenu::new(Vec::new())),
        SEND,
        "msgmenu.list",
    );
    refused(
        &message::msgmenu("OPENID", MsgMenu::new(vec![MsgMenuItem::new("", "满意")])),
        SEND,
        "msgmenu.list[0].id",
    );
    refused(
        &message::msgmenu(
            "OPENID",
            MsgMenu::new(vec![
                MsgMenuItem::new("101", "满意"),
                MsgMenuItem::new("102", ""),
            ]),
        ),
        SEND,
        "msgmenu.list[1].content",
    );
}

#[test]
fn a_news_message_with_two_articles_is_refused() {
    let article = NewsArticle::new("T", "D", "URL", "PIC_URL");
    let two = SendMessage::new("OPENID", News::new(vec![article.clone(), article]));
    refused(&two, SEND, "news.articles");
}

#[test]
fn empty_media_ids_are_refused() {
    refused(&message::image("OPENID", ""), SEND, "image.media_id");
    refused(
        &message::video("OPENID", Video::new("MEDIA_ID", "")),
        SEND,
        "video.thumb_media_id",
    );
    refused(&media::download(""), MEDIA_GET, "media_id");
}

// ---------------------------------------------------------------------------------------------
// SendRaw

#[test]
fn send_raw_refuses_a_non_object_body() {
    for body in [json!(["touser"]), json!("text"), json!(null)] {
        let invalid = refused(&SendRaw::new(body), SEND, "");
        assert!(invalid.to_string().contains("JSON object"), "{invalid}");
    }
}

#[test]
fn send_raw_refuses_a_missing_or_empty_touser_and_msgtype() {
    let text = json!({"content": "hi"});
    refused(
        &SendRaw::new(json!({"msgtype": "text", "text": text})),
        SEND,
        "touser",
    );
    refused(
        &SendRaw::new(json!({"touser": 42, "msgtype": "text", "text": text})),
        SEND,
        "touser",
    );
    refused(
        &SendRaw::new(json!({"touser": "OPENID", "msgtype": "", "text": text})),
        SEND,
        "msgtype",
    );
    refused(
        &SendRaw::new(json!({"touser": "OPENID", "text": text})),
        SEND,
        "msgtype",
    );
}

// ---------------------------------------------------------------------------------------------
// kf_account and kf_session

#[test]
fn a_malformed_kf_account_is_refused_by_every_kf_function() {
    let avatar = || Upload::from_bytes("a.jpg", &b"\xff\xd8\xff\xd9"[..]);
    for bad in BAD_KF_ACCOUNTS {
        refused(&kf_account::add(bad, "客服1"), KF_ADD, "kf_account");
        refused(&kf_account::update(bad, "客服1"), KF_UPDATE, "kf_account");
        refused(&kf_account::delete(bad), KF_DEL, "kf_account");
        refused(
            &kf_account::upload_avatar(bad, avatar()),
            KF_AVATAR,
            "kf_account",
        );
        refused(&kf_account::invite(bad, "kfwx"), KF_INVITE, "kf_account");
        refused(
            &kf_session::create(bad, "OPENID"),
            SESSION_CREATE,
            "kf_account",
        );
        refused(
            &kf_session::close(bad, "OPENID"),
            SESSION_CLOSE,
            "kf_account",
        );
        refused(&kf_session::of_kf(bad), SESSION_LIST, "kf_account");
    }
}

#[test]
fn a_nickname_is_one_to_sixteen_characters() {
    let sixteen = "客".repeat(16);
    assert!(accepted(&kf_account::add("test1@test", sixteen.as_str())));
    assert!(accepted(&kf_account::update(
        "test1@test",
        sixteen.as_str()
    )));
    let seventeen = "客".repeat(17);
    refused(
        &kf_account::add("test1@test", seventeen.as_str()),
        KF_ADD,
        "nickname",
    );
    refused(
        &kf_account::update("test1@test", "abcdefghijklmnopq"),
        KF_UPDATE,
        "nickname",
    );
    refused(&kf_account::add("test1@test", ""), KF_ADD, "nickname");
}

#[test]
fn an_empty_invitee_or_openid_is_refused() {
    refused(
        &kf_account::invite("test1@test", ""),
        KF_INVITE,
        "invite_wx",
    );
    refused(
        &kf_session::create("test1@test", ""),
        SESSION_CREATE,
        "openid",
    );
    refused(
        &kf_session::close("test1@test", ""),
        SESSION_CLOSE,
        "openid",
    );
    refused(&kf_session::of_customer(""), SESSION_GET, "openid");
}

// ---------------------------------------------------------------------------------------------
// records

#[test]
fn a_records_page_spans_at_most_24_hours_and_must_end_after_it_starts() {
    // The span is a rule over two members, checked on the request as a whole: `field()` is
    // empty, so the message itself says what is wrong.
    assert!(accepted(&records::page(
        DAY_START,
        DAY_START + DAY,
        1,
        10_000
    )));
    let too_long = refused(
        &records::page(DAY_START, DAY_START + DAY + 1, 1, 10_000),
        MSG_LIST,
        "",
    );
    assert!(too_long.to_string().contains("24 hours"), "{too_long}");
    for (start, end) in [(DAY_START + 10, DAY_START), (DAY_START, DAY_START)] {
        let reversed = refused(&records::page(start, end, 1, 10_000), MSG_LIST, "");
        let display = reversed.to_string();
        assert!(
            display.contains("`endtime`") && display.contains("`starttime`"),
            "{display}"
        );
    }
}

#[test]
fn a_records_page_takes_1_to_10000_records_from_msgid_1_on() {
    assert!(accepted(&records::page(DAY_START, DAY_START + 60, 1, 1)));
    refused(
        &records::page(DAY_START, DAY_START + 60, 1, 0),
        MSG_LIST,
        "number",
    );
    refused(
        &records::page(DAY_START, DAY_START + 60, 1, 10_001),
        MSG_LIST,
        "number",
    );
    refused(
        &records::page(DAY_START, DAY_START + 60, 0, 100),
        MSG_LIST,
        "msgid",
    );
}

#[test]
fn a_chat_records_walk_of_a_reversed_range_fails_before_sending() {
    let backend = CapturingBackend::new();
    let client = blocking_client(&backend);
    let mut walk = ChatRecords::new(DAY_START + 60, DAY_START);
    assert_refused(&backend, walk.next_page_blocking(&client), MSG_LIST, "");
    let mut records = ChatRecords::new(DAY_START + 60, DAY_START).iter(&client);
    assert_refused(&backend, records.next().expect("one item"), MSG_LIST, "");
    assert!(
        records.next().is_none(),
        "the iterator ends after the error"
    );
}

#[test]
fn a_chat_records_walk_with_a_bad_page_size_fails_before_sending() {
    for size in [0, 10_001] {
        let backend = CapturingBackend::new();
        let mut walk = ChatRecords::new(DAY_START, DAY_START + 60).page_size(size);
        let outcome = walk.next_page_blocking(&blocking_client(&backend));
        assert_refused(&backend, outcome, MSG_LIST, "number");
    }
}

#[test]
fn the_async_client_refuses_a_reversed_walk_before_sending() {
    let backend = CapturingBackend::new();
    let client = Client::official_account("wx0123456789abcdef", "APPSECRET")
        .backend(backend.clone())
        .build()
        .expect("the client builds");
    let outcome = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime")
        .block_on(ChatRecords::new(DAY_START + 60, DAY_START).next_page(&client));
    assert_refused(&backend, outcome, MSG_LIST, "");
}

// ---------------------------------------------------------------------------------------------
// uploads

#[test]
fn an_avatar_above_five_megabytes_is_refused() {
    assert_eq!(kf_account::MAX_AVATAR_BYTES, 5 * 1024 * 1024);
    let exactly = Upload::from_bytes("a.jpg", vec![0u8; kf_account::MAX_AVATAR_BYTES]);
    assert!(accepted(&kf_account::upload_avatar("test1@test", exactly)));
    let above = Upload::from_bytes("a.jpg", vec![0u8; kf_account::MAX_AVATAR_BYTES + 1]);
    let invalid = refused(
        &kf_account::upload_avatar("test1@test", above),
        KF_AVATAR,
        "media",
    );
    assert!(
        invalid
            .to_string()
            .contains(&kf_account::MAX_AVATAR_BYTES.to_string()),
        "{invalid}"
    );
}

#[test]
fn a_thumb_above_64_kb_is_refused_and_every_type_has_its_limit() {
    assert_eq!(media::max_bytes(&MediaType::Thumb), Some(64 * 1024));
    assert_eq!(media::max_bytes(&MediaType::Voice), Some(2 * 1024 * 1024));
    assert_eq!(media::max_bytes(&MediaType::Image), Some(10 * 1024 * 1024));
    assert_eq!(media::max_bytes(&MediaType::Video), Some(10 * 1024 * 1024));
    for media_type in [
        MediaType::Thumb,
        MediaType::Voice,
        MediaType::Image,
        MediaType::Video,
    ] {
        let max = media::max_bytes(&media_type).expect("a known type has a limit");
        let exactly = Upload::from_bytes("f.bin", vec![0u8; max]);
        assert!(accepted(&media::upload(media_type.clone(), exactly)));
        let above = Upload::from_bytes("f.bin", vec![0u8; max + 1]);
        let invalid = refused(
            &media::upload(media_type.clone(), above),
            MEDIA_UPLOAD,
            "media",
        );
        assert!(
            invalid.to_string().contains(media_type.as_str()),
            "{invalid}"
        );
    }
}

#[test]
fn an_empty_or_nameless_upload_is_refused() {
    let empty = || Upload::from_bytes("empty.jpg", Vec::new());
    refused(
        &media::upload(MediaType::Image, empty()),
        MEDIA_UPLOAD,
        "media",
    );
    refused(
        &kf_account::upload_avatar("test1@test", empty()),
        KF_AVATAR,
        "media",
    );
    let nameless = Upload::from_bytes("", &b"\xff\xd8\xff\xd9"[..]);
    let invalid = refused(
        &media::upload(MediaType::Image, nameless),
        MEDIA_UPLOAD,
        "media",
    );
    assert!(invalid.to_string().contains("name"), "{invalid}");
}
