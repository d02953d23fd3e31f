#![cfg(feature = "test-util")]
//! The exact wire bytes of every request the SDK sends: every generated endpoint of
//! `wechat_core::endpoints::{common, mp, work}` and the token requests the clients make on their
//! own, captured by a `CapturingBackend` and snapshotted with insta (credentials masked by
//! `HttpRequest`'s `Display`). Also: the async and the blocking client send identical requests,
//! and an invalid value is refused before anything is sent.
//!
//! insta compares text snapshots with CRLF normalised to LF and trailing white space trimmed, so
//! the multipart tests also compare the raw body bytes exactly.

use wechat_core::endpoints::{common, mp, work};
use wechat_core::test_util::{
    CapturingBackend, TEST_ACCESS_TOKEN, json_response, ok_response, token_response,
};
use wechat_core::{
    BlockingClient, Client, Endpoint, Error, HttpRequest, HttpResponse, Media, MiniProgram,
    OfficialAccount, Platform, TokenEndpoint, Upload,
};
use wechat_types::Rule;
use wechat_types::common::{
    AccessTokenResponse, MediaGetQuery, MediaType, MediaUploadQuery, MediaUploadResponse,
    StableTokenRequest, TokenQuery,
};
use wechat_types::mp::{
    CustomMessage, CustomService, DeleteKfAccountRequest, GetMsgListRequest, GetMsgListResponse,
    GetSessionListQuery, GetSessionQuery, GetSessionResponse, InviteStatus, InviteWorkerRequest,
    KfAccount, KfAccountProfile, KfInfo, KfListQuery, KfListResponse, KfSessionRequest, MsgRecord,
    News, NewsArticle, OnlineKfInfo, OnlineKfListResponse, SessionInfo, SessionListResponse, Text,
    TypingCommand, TypingRequest, UploadHeadImgQuery, WaitCase, WaitCaseResponse,
};
use wechat_types::work::GetTokenQuery;

/// The Official Account / Mini Program AppID used throughout (the reference's `APPID` shape).
const APPID: &str = "wx0123456789abcdef";
/// The AppSecret; it must only ever appear as `<redacted>` in a snapshot.
const APPSECRET: &str = "APPSECRET";
/// The WeChat Work CorpID.
const CORPID: &str = "ww0123456789abcdef";
/// The WeChat Work app secret.
const CORPSECRET: &str = "CORPSECRET";

/// The multipart boundary the SDK uses when it does not occur in the file.
const BOUNDARY: &str = "wechat-sdk-form-boundary-7MA4YWxkTrZu0gW";

/// A plausible success answer to `request`, by path: the official response examples of the
/// reference (§1, §4.5, §4.6, §5.3-§5.5, §6, §7), `{"errcode":0,"errmsg":"ok"}` otherwise.
fn official_answer(request: &HttpRequest) -> HttpResponse {
    match request.path() {
        "/cgi-bin/token" | "/cgi-bin/stable_token" | "/cgi-bin/gettoken" => {
            token_response(TEST_ACCESS_TOKEN, 7200)
        }
        "/cgi-bin/media/upload" => {
            json_response(r#"{"type":"image","media_id":"MEDIA_ID","created_at":1672500000}"#)
        }
        "/cgi-bin/media/get" => HttpResponse::new(200, &b"\xff\xd8\xff\xe0JFIF"[..])
            .with_header("Content-Type", "image/jpeg")
            .with_header(
                "Content-disposition",
                r#"attachment; filename="MEDIA_ID.jpg""#,
            ),
        "/cgi-bin/customservice/getkflist" => json_response(
            r#"{"kf_list":[
 {"kf_account":"test1@test","kf_headimgurl":"http://mmbiz.qpic.cn/mmbiz/1/0","kf_id":"1001","kf_nick":"ntest1","kf_wx":"kfwx1"},
 {"kf_account":"test3@test","kf_headimgurl":"http://mmbiz.qpic.cn/mmbiz/3/0","kf_id":"1003","kf_nick":"ntest3","invite_wx":"kfwx3","invite_expire_time":123456789,"invite_status":"waiting"}]}"#,
        ),
        "/cgi-bin/customservice/getonlinekflist" => json_response(
            r#"{"kf_online_list":[{"kf_account":"test1@test","status":1,"kf_id":"1001","accepted_case":1},{"kf_account":"test2@test","status":1,"kf_id":"1002","accepted_case":2}]}"#,
        ),
        "/customservice/kfsession/getsession" => {
            json_response(r#"{"createtime":123456789,"kf_account":"test1@test"}"#)
        }
        "/customservice/kfsession/getsessionlist" => {
            json_response(r#"{"sessionlist":[{"createtime":123456789,"openid":"OPENID"}]}"#)
        }
        "/customservice/kfsession/getwaitcase" => json_response(
            r#"{"count":150,"waitcaselist":[{"latest_time":123456789,"openid":"OPENID"}]}"#,
        ),
        "/customservice/msgrecord/getmsglist" => json_response(
            r#"{"recordlist":[{"openid":"oDF3iY9WMaswOPWjCIp_f3Bnpljk","opercode":2002,"text":"您好，客服test1为您服务。","time":1464710500,"worker":"test1@test"}],"number":10000,"msgid":20165258}"#,
        ),
        _ => ok_response(),
    }
}

/// A backend recording every request and answering it with [`official_answer`].
fn capturing() -> CapturingBackend {
    CapturingBackend::answering(official_answer)
}

/// A blocking Official Account client over `backend` that already holds its token, so that each
/// call made with [`sent`] adds exactly one request to the record.
fn official_account(backend: &CapturingBackend) -> BlockingClient<OfficialAccount> {
    let client = BlockingClient::official_account(APPID, APPSECRET)
        .backend(backend.clone())
        .build()
        .expect("the client builds");
    client.access_token().expect("the token is served");
    client
}

/// A blocking Mini Program client over `backend` that already holds its token.
fn mini_program(backend: &CapturingBackend) -> BlockingClient<MiniProgram> {
    let client = BlockingClient::mini_program(APPID, APPSECRET)
        .backend(backend.clone())
        .build()
        .expect("the client builds");
    client.access_token().expect("the token is served");
    client
}

/// Executes `endpoint` with `client` and returns its output and the one HTTP request it sent
/// (asserting that it sent exactly one).
fn sent<P: Platform, E: Endpoint<P>>(
    client: &BlockingClient<P>,
    backend: &CapturingBackend,
    endpoint: &E,
) -> (E::Output, HttpRequest) {
    let before = backend.requests().len();
    let output = match client.execute(endpoint) {
        Ok(output) => output,
        Err(error) => panic!("the call failed: {error}"),
    };
    let mut new = backend.requests().split_off(before);
    assert_eq!(new.len(), 1, "one call sends one request: {new:#?}");
    (output, new.remove(0))
}

// ---------------------------------------------------------------------------------------------
// The token requests the clients make on their own.

#[test]
fn the_default_token_request_is_a_stable_token_post_with_the_secret_masked() {
    let backend = capturing();
    let client = BlockingClient::official_account(APPID, APPSECRET)
        .backend(backend.clone())
        .build()
        .unwrap();
    client.access_token().unwrap();
    let requests = backend.requests();
    assert_eq!(requests.len(), 1);
    let token = &requests[0];
    assert_eq!(
        token.body().as_ref(),
        br#"{"grant_type":"client_credential","appid":"wx0123456789abcdef","secret":"APPSECRET"}"#,
        "the wire carries the real secret"
    );
    insta::assert_snapshot!("token_stable_official_account", token.to_string());
}

#[test]
fn a_mini_program_obtains_its_token_from_the_same_stable_token_endpoint() {
    let backend = capturing();
    let client = BlockingClient::mini_program(APPID, APPSECRET)
        .backend(backend.clone())
        .build()
        .unwrap();
    client.access_token().unwrap();
    let requests = backend.requests();
    assert_eq!(requests.len(), 1);
    insta::assert_snapshot!("token_stable_mini_program", requests[0].to_string());
}

#[test]
fn the_classic_token_request_is_a_get_with_the_secret_masked_in_the_query() {
    let backend = capturing();
    let client = BlockingClient::official_account(APPID, APPSECRET)
        .token_endpoint(TokenEndpoint::Classic)
        .backend(backend.clone())
        .build()
        .unwrap();
    client.access_token().unwrap();
    let requests = backend.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].query_param("secret").as_deref(),
        Some(APPSECRET)
    );
    insta::assert_snapshot!("token_classic", requests[0].to_string());
}

#[test]
fn the_work_token_request_is_gettoken_on_qyapi_with_the_corpsecret_masked() {
    let backend = capturing();
    let client = BlockingClient::work(CORPID, CORPSECRET)
        .backend(backend.clone())
        .build()
        .unwrap();
    client.access_token().unwrap();
    let requests = backend.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].query_param("corpsecret").as_deref(),
        Some(CORPSECRET)
    );
    insta::assert_snapshot!("token_work_gettoken", requests[0].to_string());
}

// ---------------------------------------------------------------------------------------------
// wechat_core::endpoints::common

#[test]
fn common_upload_temp_media_sends_these_exact_multipart_bytes() {
    let backend = capturing();
    let client = official_account(&backend);
    let upload = common::UploadTempMedia::new(
        MediaUploadQuery::new(MediaType::Image),
        Upload::from_bytes("hello.txt", "Hello, WeChat!\n"),
    );
    let (output, request) = sent(&client, &backend, &upload);
    assert_eq!(
        output,
        MediaUploadResponse::new("MEDIA_ID")
            .with_media_type(MediaType::Image)
            .with_created_at(1672500000)
    );
    assert_eq!(
        request.header("content-type"),
        Some("multipart/form-data; boundary=wechat-sdk-form-boundary-7MA4YWxkTrZu0gW")
    );
    let expected = format!(
        "--{BOUNDARY}\r\n\
         Content-Disposition: form-data; name=\"media\"; filename=\"hello.txt\"\r\n\
         Content-Type: text/plain\r\n\
         \r\n\
         Hello, WeChat!\n\
         \r\n\
         --{BOUNDARY}--\r\n"
    );
    assert_eq!(
        std::str::from_utf8(request.body()).unwrap(),
        expected,
        "byte-exact, CRLF included"
    );
    insta::assert_snapshot!("common_upload_temp_media", request.to_string());
}

#[test]
fn common_upload_temp_media_on_a_mini_program_sends_the_same_request() {
    let upload = common::UploadTempMedia::new(
        MediaUploadQuery::new(MediaType::Image),
        Upload::from_bytes("hello.txt", "Hello, WeChat!\n"),
    );
    let oa_backend = capturing();
    let (_, oa_request) = sent(&official_account(&oa_backend), &oa_backend, &upload);
    let mp_backend = capturing();
    let (_, mp_request) = sent(&mini_program(&mp_backend), &mp_backend, &upload);
    assert_eq!(oa_request, mp_request);
}

#[test]
fn common_get_temp_media_on_a_mini_program() {
    let backend = capturing();
    let client = mini_program(&backend);
    let (media, request) = sent(
        &client,
        &backend,
        &common::GetTempMedia::new(MediaGetQuery::new("MEDIA_ID")),
    );
    let Media::File(file) = media else {
        panic!("an image download is a file: {media:?}")
    };
    assert_eq!(file.content_type(), Some("image/jpeg"));
    assert_eq!(file.filename(), Some("MEDIA_ID.jpg"));
    assert_eq!(file.data().as_ref(), b"\xff\xd8\xff\xe0JFIF");
    insta::assert_snapshot!("common_get_temp_media_mini_program", request.to_string());
}

#[test]
fn common_get_access_token_executed_directly_sends_no_access_token() {
    let backend = capturing();
    let client = BlockingClient::official_account(APPID, APPSECRET)
        .backend(backend.clone())
        .build()
        .unwrap();
    let (output, request) = sent(
        &client,
        &backend,
        &common::GetAccessToken::new(TokenQuery::new(APPID, APPSECRET)),
    );
    assert_eq!(output, AccessTokenResponse::new(TEST_ACCESS_TOKEN, 7200));
    assert_eq!(request.query_param("access_token"), None);
    insta::assert_snapshot!("common_get_access_token", request.to_string());
}

#[test]
fn common_get_stable_access_token_executed_directly_with_force_refresh() {
    let backend = capturing();
    let client = BlockingClient::mini_program(APPID, APPSECRET)
        .backend(backend.clone())
        .build()
        .unwrap();
    let (output, request) = sent(
        &client,
        &backend,
        &common::GetStableAccessToken::new(
            StableTokenRequest::new(APPID, APPSECRET).with_force_refresh(true),
        ),
    );
    assert_eq!(output, AccessTokenResponse::new(TEST_ACCESS_TOKEN, 7200));
    assert_eq!(request.query_param("access_token"), None);
    insta::assert_snapshot!("common_get_stable_access_token", request.to_string());
}

// ---------------------------------------------------------------------------------------------
// wechat_core::endpoints::mp

#[test]
fn mp_send_custom_message_as_a_kf_account() {
    let backend = capturing();
    let client = official_account(&backend);
    let message = CustomMessage::new("OPENID", Text::new("您好，请问有什么可以帮您？"))
        .with_customservice(CustomService::new(KfAccount::new("test1@kftest")));
    let ((), request) = sent(&client, &backend, &mp::SendCustomMessage::new(message));
    insta::assert_snapshot!("mp_send_custom_message", request.to_string());
}

#[test]
fn mp_add_kf_account() {
    let backend = capturing();
    let client = official_account(&backend);
    let ((), request) = sent(
        &client,
        &backend,
        &mp::AddKfAccount::new(KfAccountProfile::new("test1@test", "客服1")),
    );
    insta::assert_snapshot!("mp_add_kf_account", request.to_string());
}

#[test]
fn mp_update_kf_account() {
    let backend = capturing();
    let client = official_account(&backend);
    let ((), request) = sent(
        &client,
        &backend,
        &mp::UpdateKfAccount::new(KfAccountProfile::new("test1@test", "客服2")),
    );
    insta::assert_snapshot!("mp_update_kf_account", request.to_string());
}

#[test]
fn mp_delete_kf_account_uses_the_documented_post_json_form() {
    let backend = capturing();
    let client = official_account(&backend);
    let ((), request) = sent(
        &client,
        &backend,
        &mp::DeleteKfAccount::new(DeleteKfAccountRequest::new("test1@test")),
    );
    insta::assert_snapshot!("mp_delete_kf_account", request.to_string());
}

#[test]
fn mp_upload_kf_head_img_sends_these_exact_multipart_bytes() {
    let backend = capturing();
    let client = official_account(&backend);
    let jpeg: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\xff\xd9";
    let ((), request) = sent(
        &client,
        &backend,
        &mp::UploadKfHeadImg::new(
            UploadHeadImgQuery::new("test1@test"),
            Upload::new("test.jpg", "image/jpeg", jpeg),
        ),
    );
    assert_eq!(
        request.query_param("kf_account").as_deref(),
        Some("test1@test")
    );
    let mut expected = format!(
        "--{BOUNDARY}\r\n\
         Content-Disposition: form-data; name=\"media\"; filename=\"test.jpg\"\r\n\
         Content-Type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    expected.extend_from_slice(jpeg);
    expected.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    assert_eq!(request.body().as_ref(), expected, "byte-exact");
    insta::assert_snapshot!("mp_upload_kf_head_img", request.to_string());
}

#[test]
fn mp_get_kf_list() {
    let backend = capturing();
    let client = official_account(&backend);
    let (list, request) = sent(&client, &backend, &mp::GetKfList::new(KfListQuery::new()));
    assert_eq!(
        list,
        KfListResponse::new().with_kf_list(vec![
            KfInfo::new("test1@test", "1001")
                .with_kf_headimgurl("http://mmbiz.qpic.cn/mmbiz/1/0")
                .with_kf_nick("ntest1")
                .with_kf_wx("kfwx1"),
            KfInfo::new("test3@test", "1003")
                .with_kf_headimgurl("http://mmbiz.qpic.cn/mmbiz/3/0")
                .with_kf_nick("ntest3")
                .with_invite_wx("kfwx3")
                .with_invite_expire_time(123456789)
                .with_invite_status(InviteStatus::Waiting),
        ])
    );
    insta::assert_snapshot!("mp_get_kf_list", request.to_string());
}

#[test]
fn mp_get_kf_list_of_a_sub_merchant() {
    let backend = capturing();
    let client = official_account(&backend);
    let (_, request) = sent(
        &client,
        &backend,
        &mp::GetKfList::new(KfListQuery::new().with_business_id("BUSINESS_ID")),
    );
    insta::assert_snapshot!("mp_get_kf_list_business_id", request.to_string());
}

#[test]
fn mp_get_online_kf_list() {
    let backend = capturing();
    let client = official_account(&backend);
    let (online, request) = sent(
        &client,
        &backend,
        &mp::GetOnlineKfList::new(KfListQuery::new()),
    );
    assert_eq!(
        online,
        OnlineKfListResponse::new().with_kf_online_list(vec![
            OnlineKfInfo::new("test1@test", "1001")
                .with_status(1)
                .with_accepted_case(1),
            OnlineKfInfo::new("test2@test", "1002")
                .with_status(1)
                .with_accepted_case(2),
        ])
    );
    insta::assert_snapshot!("mp_get_online_kf_list", request.to_string());
}

#[test]
fn mp_invite_kf_worker() {
    let backend = capturing();
    let client = official_account(&backend);
    let ((), request) = sent(
        &client,
        &backend,
        &mp::InviteKfWorker::new(InviteWorkerRequest::new("test1@test", "test_kfwx")),
    );
    insta::assert_snapshot!("mp_invite_kf_worker", request.to_string());
}

#[test]
fn mp_create_kf_session() {
    let backend = capturing();
    let client = official_account(&backend);
    let ((), request) = sent(
        &client,
        &backend,
        &mp::CreateKfSession::new(KfSessionRequest::new("test1@test", "OPENID")),
    );
    insta::assert_snapshot!("mp_create_kf_session", request.to_string());
}

#[test]
fn mp_close_kf_session() {
    let backend = capturing();
    let client = official_account(&backend);
    let ((), request) = sent(
        &client,
        &backend,
        &mp::CloseKfSession::new(KfSessionRequest::new("test1@test", "OPENID")),
    );
    insta::assert_snapshot!("mp_close_kf_session", request.to_string());
}

#[test]
fn mp_get_kf_session() {
    let backend = capturing();
    let client = official_account(&backend);
    let (session, request) = sent(
        &client,
        &backend,
        &mp::GetKfSession::new(GetSessionQuery::new("OPENID")),
    );
    assert_eq!(
        session,
        GetSessionResponse::new()
            .with_createtime(123456789)
            .with_kf_account("test1@test")
    );
    insta::assert_snapshot!("mp_get_kf_session", request.to_string());
}

#[test]
fn mp_get_kf_session_list() {
    let backend = capturing();
    let client = official_account(&backend);
    let (sessions, request) = sent(
        &client,
        &backend,
        &mp::GetKfSessionList::new(GetSessionListQuery::new("test1@test")),
    );
    assert_eq!(
        sessions,
        SessionListResponse::new()
            .with_sessionlist(vec![SessionInfo::new("OPENID").with_createtime(123456789)])
    );
    insta::assert_snapshot!("mp_get_kf_session_list", request.to_string());
}

#[test]
fn mp_get_wait_case() {
    let backend = capturing();
    let client = official_account(&backend);
    let (waiting, request) = sent(&client, &backend, &mp::GetWaitCase);
    assert_eq!(
        waiting,
        WaitCaseResponse::new()
            .with_count(150)
            .with_waitcaselist(vec![
                WaitCase::new()
                    .with_latest_time(123456789)
                    .with_openid("OPENID")
            ])
    );
    insta::assert_snapshot!("mp_get_wait_case", request.to_string());
}

#[test]
fn mp_get_msg_list() {
    let backend = capturing();
    let client = official_account(&backend);
    let (page, request) = sent(
        &client,
        &backend,
        &mp::GetMsgList::new(GetMsgListRequest::new(1464710400, 1464796800, 1, 10000)),
    );
    assert_eq!(
        page,
        GetMsgListResponse::new()
            .with_recordlist(vec![
                MsgRecord::new("oDF3iY9WMaswOPWjCIp_f3Bnpljk", 2002, 1464710500)
                    .with_text("您好，客服test1为您服务。")
                    .with_worker("test1@test")
            ])
            .with_number(10000)
            .with_msgid(20165258)
    );
    insta::assert_snapshot!("mp_get_msg_list", request.to_string());
}

#[test]
fn mp_set_typing_and_cancel_typing() {
    let backend = capturing();
    let client = official_account(&backend);
    let ((), typing) = sent(
        &client,
        &backend,
        &mp::SetTyping::new(TypingRequest::new("OPENID", TypingCommand::Typing)),
    );
    insta::assert_snapshot!("mp_set_typing", typing.to_string());
    let ((), cancel) = sent(
        &client,
        &backend,
        &mp::SetTyping::new(TypingRequest::new("OPENID", TypingCommand::CancelTyping)),
    );
    insta::assert_snapshot!("mp_set_typing_cancel", cancel.to_string());
}

// ---------------------------------------------------------------------------------------------
// wechat_core::endpoints::work

#[test]
fn work_get_access_token_executed_directly_sends_no_access_token() {
    let backend = capturing();
    let client = BlockingClient::work(CORPID, CORPSECRET)
        .backend(backend.clone())
        .build()
        .unwrap();
    let (output, request) = sent(
        &client,
        &backend,
        &work::GetAccessToken::new(GetTokenQuery::new(CORPID, CORPSECRET)),
    );
    assert_eq!(output, AccessTokenResponse::new(TEST_ACCESS_TOKEN, 7200));
    assert_eq!(request.query_param("access_token"), None);
    insta::assert_snapshot!("work_get_access_token", request.to_string());
}

// ---------------------------------------------------------------------------------------------
// Both clients, and invalid values.

/// A current-thread tokio runtime to drive the async client on the test thread.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime")
}

/// The same endpoint value executed by the async and by the blocking client; `$endpoint` must be
/// an expression evaluating to a reference to an endpoint value.
macro_rules! on_both {
    ($async_client:expr, $blocking_client:expr, $runtime:expr, $endpoint:expr) => {{
        let endpoint = $endpoint;
        $runtime
            .block_on($async_client.execute(endpoint))
            .expect("the async call succeeds");
        $blocking_client
            .execute(endpoint)
            .expect("the blocking call succeeds");
    }};
}

#[test]
fn async_and_blocking_clients_send_identical_requests() {
    let async_backend = capturing();
    let blocking_backend = capturing();
    let async_client = Client::official_account(APPID, APPSECRET)
        .backend(async_backend.clone())
        .build()
        .unwrap();
    let blocking_client = BlockingClient::official_account(APPID, APPSECRET)
        .backend(blocking_backend.clone())
        .build()
        .unwrap();
    let runtime = runtime();

    let message = CustomMessage::new("OPENID", Text::new("Hello World"));
    on_both!(
        async_client,
        blocking_client,
        runtime,
        &mp::SendCustomMessage::new(message)
    );
    on_both!(
        async_client,
        blocking_client,
        runtime,
        &common::UploadTempMedia::new(
            MediaUploadQuery::new(MediaType::Image),
            Upload::from_bytes("hello.txt", "Hello, WeChat!\n"),
        )
    );
    on_both!(
        async_client,
        blocking_client,
        runtime,
        &mp::GetKfSession::new(GetSessionQuery::new("OPENID"))
    );
    on_both!(async_client, blocking_client, runtime, &mp::GetWaitCase);
    on_both!(
        async_client,
        blocking_client,
        runtime,
        &common::GetStableAccessToken::new(StableTokenRequest::new(APPID, APPSECRET))
    );

    let from_async = async_backend.requests();
    let from_blocking = blocking_backend.requests();
    let paths: Vec<&str> = from_async.iter().map(HttpRequest::path).collect();
    assert_eq!(
        paths,
        [
            "/cgi-bin/stable_token",
            "/cgi-bin/message/custom/send",
            "/cgi-bin/media/upload",
            "/customservice/kfsession/getsession",
            "/customservice/kfsession/getwaitcase",
            "/cgi-bin/stable_token",
        ]
    );
    assert!(
        from_async == from_blocking,
        "{from_async:#?}\n{from_blocking:#?}"
    );
}

/// Asserts that `outcome` is an [`Error::InvalidRequest`] for `endpoint` naming `field`, with
/// `rule` as the broken rule (`None` for a problem that is not a schema rule).
fn assert_refused<T: std::fmt::Debug>(
    outcome: Result<T, Error>,
    endpoint: &str,
    field: &str,
    rule: Option<Rule>,
) {
    let error = outcome.expect_err("an invalid value is refused");
    let Error::InvalidRequest(invalid) = &error else {
        panic!("expected InvalidRequest, got {error:?}")
    };
    assert_eq!(invalid.endpoint(), endpoint);
    assert_eq!(invalid.field(), field);
    assert_eq!(invalid.rule(), rule.as_ref());
    assert_eq!(error.endpoint(), Some(endpoint));
}

#[test]
fn invalid_values_are_refused_naming_the_field_and_nothing_is_sent() {
    let backend = capturing();
    let client = BlockingClient::official_account(APPID, APPSECRET)
        .backend(backend.clone())
        .build()
        .unwrap();
    let send = "/cgi-bin/message/custom/send";

    assert_refused(
        client.execute(&mp::SendCustomMessage::new(CustomMessage::new(
            "OPENID",
            Text::new(""),
        ))),
        send,
        "text.content",
        Some(Rule::MinChars { min: 1, actual: 0 }),
    );
    let article = || NewsArticle::new("Happy Day", "Is Really A Happy Day", "URL", "PIC_URL");
    assert_refused(
        client.execute(&mp::SendCustomMessage::new(CustomMessage::new(
            "OPENID",
            News::new(vec![article(), article()]),
        ))),
        send,
        "news.articles",
        Some(Rule::MaxItems { max: 1, actual: 2 }),
    );
    assert_refused(
        client.execute(&mp::AddKfAccount::new(KfAccountProfile::new(
            "test1@test",
            "客".repeat(17),
        ))),
        "/customservice/kfaccount/add",
        "nickname",
        Some(Rule::MaxChars {
            max: 16,
            actual: 17,
        }),
    );
    assert_refused(
        client.execute(&mp::GetMsgList::new(GetMsgListRequest::new(
            1464710400, 1464796800, 1, 10001,
        ))),
        "/customservice/msgrecord/getmsglist",
        "number",
        Some(Rule::Maximum {
            max: "10000".into(),
            actual: "10001".into(),
        }),
    );
    assert_refused(
        client.execute(&mp::GetKfSession::new(GetSessionQuery::new(""))),
        "/customservice/kfsession/getsession",
        "openid",
        Some(Rule::MinChars { min: 1, actual: 0 }),
    );
    assert_refused(
        client.execute(&common::UploadTempMedia::new(
            MediaUploadQuery::new(MediaType::Image),
            Upload::new("empty.jpg", "image/jpeg", Vec::new()),
        )),
        "/cgi-bin/media/upload",
        "media",
        None,
    );

    assert_eq!(
        backend.requests(),
        Vec::<HttpRequest>::new(),
        "neither the calls nor even a token request were sent"
    );
}

#[test]
fn the_async_client_refuses_an_invalid_value_without_sending_anything() {
    let backend = capturing();
    let client = Client::official_account(APPID, APPSECRET)
        .backend(backend.clone())
        .build()
        .unwrap();
    let empty = mp::SendCustomMessage::new(CustomMessage::new("OPENID", Text::new("")));
    assert_refused(
        runtime().block_on(client.execute(&empty)),
        "/cgi-bin/message/custom/send",
        "text.content",
        Some(Rule::MinChars { min: 1, actual: 0 }),
    );
    assert_eq!(backend.requests(), Vec::<HttpRequest>::new());
}

#[test]
fn a_token_fetched_once_serves_every_snapshotted_call() {
    // The snapshots above show `access_token=<redacted>`; this checks what is behind the mask.
    let backend = capturing();
    let client = official_account(&backend);
    let (_, request) = sent(&client, &backend, &mp::GetWaitCase);
    assert_eq!(
        request.query_param("access_token").as_deref(),
        Some(TEST_ACCESS_TOKEN)
    );
    assert_eq!(
        request.url(),
        "https://api.weixin.qq.com/customservice/kfsession/getwaitcase?access_token=TEST_ACCESS_TOKEN"
    );
    assert_eq!(backend.requests().len(), 2, "one token request, one call");
}
