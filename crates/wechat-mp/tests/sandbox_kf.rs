//! wechat-mp's `kf_account` and `kf_session` functions end to end against the sandbox, with
//! both backends: accounts added, renamed and deleted as the list shows them, avatars from
//! bytes and from a file, invitations and online workers, sessions created, queried, waited
//! for and closed, and WeChat's refusals as typed errcodes (reference §4, §5).

#[path = "../../wechat-sandbox/tests/support/mod.rs"]
mod support;
mod temp_file;

use wechat_core::callback::Receiver;
use wechat_core::types::common::Errcode;
use wechat_core::{Error, OfficialAccount, Upload};
use wechat_mp::kf_account::{self, MAX_AVATAR_BYTES, UploadAvatar};
use wechat_mp::kf_session;
use wechat_mp::types::{
    GetSessionResponse, InboundMessage, InviteStatus, KfInfo, OnlineKfInfo, SessionInfo,
    SessionListResponse, WaitCase, WaitCaseResponse,
};
use wechat_sandbox::{CallbackConfig, PushOutcome, Sandbox, UserMessage, samples};

use support::bot::{Answer, Bot, transfer_reply};
use support::{Caller, T0, each_frozen_backend, http_get, kf_name, secs};
use temp_file::TempFile;

const TOKEN: &str = "mp-kf-token-5c2e";
const UPLOAD_HEADIMG: &str = "/customservice/kfaccount/uploadheadimg";
const INVITATION_LIFETIME: i64 = 7 * 24 * 3600;

/// `kf_account::list()`'s accounts.
fn listed(caller: &Caller) -> Vec<KfInfo> {
    caller.call(&kf_account::list()).unwrap().kf_list
}

/// The `kf_account::list()` entry of `kf`.
fn listed_info(caller: &Caller, kf: &str) -> KfInfo {
    let list = listed(caller);
    list.iter()
        .find(|info| info.kf_account == kf)
        .cloned()
        .unwrap_or_else(|| panic!("{kf} is not listed: {list:?}"))
}

/// `kf_account::list_online()`'s accounts.
fn listed_online(caller: &Caller) -> Vec<OnlineKfInfo> {
    caller
        .call(&kf_account::list_online())
        .unwrap()
        .kf_online_list
}

/// A kf account `prefix@…` added with `kf_account::add`, nicknamed `prefix`.
fn added_kf(sandbox: &Sandbox, caller: &Caller, prefix: &str) -> String {
    let account = kf_name(sandbox, prefix);
    caller
        .call(&kf_account::add(account.as_str(), prefix))
        .unwrap();
    account
}

/// [`added_kf`], invited with `kf_account::invite` to the worker `worker_{prefix}`, who accepts
/// and is `online` or not.
fn bound_kf(sandbox: &Sandbox, caller: &Caller, prefix: &str, online: bool) -> String {
    let account = added_kf(sandbox, caller, prefix);
    let worker = format!("worker_{prefix}");
    caller
        .call(&kf_account::invite(account.as_str(), worker.as_str()))
        .unwrap();
    assert_eq!(sandbox.app().answer_invitation(&account, true), Ok(worker));
    sandbox.app().set_online(&account, online).unwrap();
    account
}

/// Where the sandbox serves the avatar of kf number `kf_id` (what `kf_headimgurl` says).
fn headimg_url(sandbox: &Sandbox, kf_id: u32) -> String {
    format!(
        "{}/sandbox/apps/{}/headimg/{kf_id}",
        sandbox.url(),
        sandbox.app().appid()
    )
}

/// `kf_account::upload_avatar_from_path` of a `.jpg` file holding `data`, removed as soon as
/// the endpoint has read it.
fn avatar_from_file(kf: &str, data: &[u8]) -> UploadAvatar {
    let file = TempFile::new("avatar.jpg", data);
    kf_account::upload_avatar_from_path(kf, file.path()).unwrap()
}

/// How many calls the sandbox received at `path`.
fn calls_to(sandbox: &Sandbox, path: &str) -> usize {
    sandbox
        .calls()
        .iter()
        .filter(|call| call.path == path)
        .count()
}

/// A bot as the app's callback that hands every user who writes to the kf system
/// (`transfer_customer_service`) and answers events with `success`.
fn transferring_bot(sandbox: &Sandbox) -> Bot {
    let bot = Bot::start(
        Receiver::<OfficialAccount>::official_account(TOKEN),
        |push| match push.message {
            InboundMessage::Event(_) => Answer::Success,
            _ => Answer::Reply(transfer_reply(push, None)),
        },
    );
    sandbox
        .app()
        .set_callback(Some(CallbackConfig::plain(bot.url(), TOKEN)))
        .unwrap();
    bot
}

#[test]
fn add_update_and_delete_show_in_the_list() {
    each_frozen_backend(|sandbox, caller| {
        assert!(listed(caller).is_empty());
        let (ann, bo) = (kf_name(sandbox, "ann"), kf_name(sandbox, "bo"));
        caller
            .call(&kf_account::add(ann.as_str(), "客服小美"))
            .unwrap();
        caller.call(&kf_account::add(bo.as_str(), "Bo")).unwrap();
        assert_eq!(
            listed(caller),
            [
                KfInfo::new(&ann, "1001")
                    .with_kf_nick("客服小美")
                    .with_kf_headimgurl(""),
                KfInfo::new(&bo, "1002")
                    .with_kf_nick("Bo")
                    .with_kf_headimgurl(""),
            ]
        );

        caller
            .call(&kf_account::update(ann.as_str(), "安妮"))
            .unwrap();
        assert_eq!(listed_info(caller, &ann).kf_nick.as_deref(), Some("安妮"));

        caller.call(&kf_account::delete(ann.as_str())).unwrap();
        assert_eq!(
            listed(caller),
            [KfInfo::new(&bo, "1002")
                .with_kf_nick("Bo")
                .with_kf_headimgurl("")]
        );
    });
}

#[test]
fn an_avatar_from_bytes_or_from_a_file_is_what_the_list_points_at() {
    each_frozen_backend(|sandbox, caller| {
        let ann = added_kf(sandbox, caller, "ann");
        let bo = added_kf(sandbox, caller, "bo");
        let url = headimg_url(sandbox, 1002);

        let from_bytes =
            kf_account::upload_avatar(bo.as_str(), Upload::from_bytes("bo.jpg", samples::JPEG));
        caller.call(&from_bytes).unwrap();
        assert_eq!(listed_info(caller, &ann).kf_headimgurl.as_deref(), Some(""));
        assert_eq!(
            listed_info(caller, &bo).kf_headimgurl.as_deref(),
            Some(&*url)
        );
        assert_eq!(
            http_get(&url),
            (200, "image/jpeg".to_owned(), samples::JPEG.to_vec())
        );

        // From a file: the bytes the file held replace the avatar at the same URL.
        let mut data = samples::JPEG.to_vec();
        data.extend_from_slice(b"read from a file");
        let from_file = avatar_from_file(&bo, &data);
        assert_eq!(from_file.kf_account().as_ref(), bo);
        assert_eq!(from_file.file().content_type(), "image/jpeg");
        caller.call(&from_file).unwrap();
        assert_eq!(
            listed_info(caller, &bo).kf_headimgurl.as_deref(),
            Some(&*url)
        );
        assert_eq!(http_get(&url), (200, "image/jpeg".to_owned(), data));
    });
}

#[test]
fn an_avatar_of_max_avatar_bytes_is_accepted_and_a_larger_one_is_never_sent() {
    let mut largest = samples::JPEG.to_vec();
    largest.resize(MAX_AVATAR_BYTES, 0);
    let largest = Upload::from_bytes("largest.jpg", largest);
    let mut too_large = samples::JPEG.to_vec();
    too_large.resize(MAX_AVATAR_BYTES + 1, 0);
    let too_large = Upload::from_bytes("too_large.jpg", too_large);
    each_frozen_backend(|sandbox, caller| {
        let ann = added_kf(sandbox, caller, "ann");
        caller
            .call(&kf_account::upload_avatar(ann.as_str(), largest.clone()))
            .unwrap();
        assert_eq!(
            http_get(&headimg_url(sandbox, 1001)).2.len(),
            MAX_AVATAR_BYTES
        );
        assert_eq!(calls_to(sandbox, UPLOAD_HEADIMG), 1);

        let refused = caller.call(&kf_account::upload_avatar(ann.as_str(), too_large.clone()));
        assert!(
            matches!(refused, Err(Error::InvalidRequest(_))),
            "{refused:?}"
        );
        assert_eq!(calls_to(sandbox, UPLOAD_HEADIMG), 1, "nothing was sent");
    });
}

#[test]
fn an_invitation_is_listed_as_waiting_until_the_worker_binds() {
    each_frozen_backend(|sandbox, caller| {
        let app = sandbox.app();
        let ann = added_kf(sandbox, caller, "ann");
        let bo = added_kf(sandbox, caller, "bo");

        caller
            .call(&kf_account::invite(ann.as_str(), "worker_ann"))
            .unwrap();
        assert_eq!(
            listed_info(caller, &ann),
            KfInfo::new(&ann, "1001")
                .with_kf_nick("ann")
                .with_kf_headimgurl("")
                .with_invite_wx("worker_ann")
                .with_invite_expire_time(T0 as i64 + INVITATION_LIFETIME)
                .with_invite_status(InviteStatus::Waiting)
        );
        assert_eq!(
            caller.errcode(&kf_account::invite(ann.as_str(), "worker_cy")),
            Errcode::INVITATION_ALREADY_EXISTS
        );

        assert_eq!(
            app.answer_invitation(&ann, true),
            Ok("worker_ann".to_owned())
        );
        assert_eq!(
            listed_info(caller, &ann),
            KfInfo::new(&ann, "1001")
                .with_kf_nick("ann")
                .with_kf_headimgurl("")
                .with_kf_wx("worker_ann")
        );
        assert_eq!(
            caller.errcode(&kf_account::invite(ann.as_str(), "worker_cy")),
            Errcode::CUSTOM_SERVICE_ACCOUNT_ALREADY_BOUND
        );

        // A declined invitation stays listed as rejected, and binds nobody.
        caller
            .call(&kf_account::invite(bo.as_str(), "worker_bo"))
            .unwrap();
        assert_eq!(
            app.answer_invitation(&bo, false),
            Ok("worker_bo".to_owned())
        );
        let declined = listed_info(caller, &bo);
        assert_eq!(declined.invite_wx.as_deref(), Some("worker_bo"));
        assert_eq!(declined.invite_status, Some(InviteStatus::Rejected));
        assert_eq!(declined.kf_wx, None);
    });
}

#[test]
fn list_online_shows_the_online_workers_with_the_users_they_serve() {
    each_frozen_backend(|sandbox, caller| {
        let app = sandbox.app();
        let ann = bound_kf(sandbox, caller, "ann", true);
        let bo = bound_kf(sandbox, caller, "bo", false);
        let _unbound = added_kf(sandbox, caller, "cy");
        assert_eq!(
            listed_online(caller),
            [OnlineKfInfo::new(&ann, "1001")
                .with_status(1)
                .with_accepted_case(0)]
        );

        let openid = app.create_user("U1").unwrap();
        caller
            .call(&kf_session::create(ann.as_str(), openid.as_str()))
            .unwrap();
        app.set_online(&bo, true).unwrap();
        assert_eq!(
            listed_online(caller),
            [
                OnlineKfInfo::new(&ann, "1001")
                    .with_status(1)
                    .with_accepted_case(1),
                OnlineKfInfo::new(&bo, "1002")
                    .with_status(1)
                    .with_accepted_case(0),
            ]
        );

        app.set_online(&ann, false).unwrap();
        assert_eq!(
            listed_online(caller),
            [OnlineKfInfo::new(&bo, "1002")
                .with_status(1)
                .with_accepted_case(0)]
        );
    });
}

#[test]
fn a_created_session_shows_for_the_customer_and_the_kf_until_it_is_closed() {
    each_frozen_backend(|sandbox, caller| {
        let ann = bound_kf(sandbox, caller, "ann", true);
        let openid = sandbox.app().create_user("U1").unwrap();
        let nobody = GetSessionResponse::new()
            .with_createtime(0)
            .with_kf_account("");
        assert_eq!(
            caller.call(&kf_session::of_customer(&openid)).unwrap(),
            nobody
        );

        sandbox.advance(secs(30));
        let create = kf_session::create(ann.as_str(), openid.as_str());
        caller.call(&create).unwrap();
        let since = T0 as i64 + 30;
        assert_eq!(
            caller.call(&kf_session::of_customer(&openid)).unwrap(),
            GetSessionResponse::new()
                .with_createtime(since)
                .with_kf_account(&ann)
        );
        let served = SessionListResponse::new()
            .with_sessionlist(vec![SessionInfo::new(&openid).with_createtime(since)]);
        assert_eq!(
            caller.call(&kf_session::of_kf(ann.as_str())).unwrap(),
            served
        );

        // Creating the session again succeeds and changes nothing.
        sandbox.advance(secs(30));
        caller.call(&create).unwrap();
        assert_eq!(
            caller.call(&kf_session::of_kf(ann.as_str())).unwrap(),
            served
        );

        caller
            .call(&kf_session::close(ann.as_str(), openid.as_str()))
            .unwrap();
        assert_eq!(
            caller.call(&kf_session::of_customer(&openid)).unwrap(),
            nobody
        );
        assert_eq!(
            caller.call(&kf_session::of_kf(ann.as_str())).unwrap(),
            SessionListResponse::new()
        );
    });
}

#[test]
fn a_user_the_bot_transfers_waits_until_a_kf_takes_them() {
    each_frozen_backend(|sandbox, caller| {
        let _bot = transferring_bot(sandbox);
        let app = sandbox.app();
        let ann = bound_kf(sandbox, caller, "ann", true);
        assert_eq!(
            caller.call(&kf_session::waiting()).unwrap(),
            WaitCaseResponse::new().with_count(0)
        );

        let openid = app.create_user("U1").unwrap();
        sandbox.advance(secs(5));
        let report = app
            .writes_blocking(&openid, UserMessage::text("转人工"))
            .unwrap();
        assert_eq!(
            report.outcome,
            PushOutcome::Transferred { kf_account: None }
        );
        let waited_since = T0 as i64 + 5;
        assert_eq!(
            caller.call(&kf_session::waiting()).unwrap(),
            WaitCaseResponse::new()
                .with_count(1)
                .with_waitcaselist(vec![
                    WaitCase::new()
                        .with_latest_time(waited_since)
                        .with_openid(&openid)
                ])
        );
        // Waiting, nobody serves the user yet (`createtime` of a waiting user is not
        // documented, so it is not checked), and there is no session to close.
        assert_eq!(
            caller
                .call(&kf_session::of_customer(&openid))
                .unwrap()
                .kf_account,
            ""
        );
        assert_eq!(
            caller.errcode(&kf_session::close(ann.as_str(), openid.as_str())),
            Errcode::NO_EFFECTIVE_SESSION
        );

        sandbox.advance(secs(10));
        caller
            .call(&kf_session::create(ann.as_str(), openid.as_str()))
            .unwrap();
        assert_eq!(
            caller.call(&kf_session::waiting()).unwrap(),
            WaitCaseResponse::new().with_count(0)
        );
        assert_eq!(
            caller.call(&kf_session::of_customer(&openid)).unwrap(),
            GetSessionResponse::new()
                .with_createtime(waited_since + 10)
                .with_kf_account(&ann)
        );
    });
}

#[test]
fn kf_account_refusals_are_typed_errcodes() {
    each_frozen_backend(|sandbox, caller| {
        let ann = added_kf(sandbox, caller, "ann");
        assert_eq!(
            caller.errcode(&kf_account::add(ann.as_str(), "Again")),
            Errcode::CUSTOM_SERVICE_ACCOUNT_EXISTS
        );

        // Well-formed, but no account of the app.
        let nobody = kf_name(sandbox, "nobody");
        let nobody = nobody.as_str();
        assert_eq!(
            caller.errcode(&kf_account::update(nobody, "Bo")),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
        );
        assert_eq!(
            caller.errcode(&kf_account::delete(nobody)),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
        );
        assert_eq!(
            caller.errcode(&kf_account::upload_avatar(
                nobody,
                Upload::from_bytes("a.jpg", samples::JPEG)
            )),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
        );
        assert_eq!(
            caller.errcode(&kf_account::invite(nobody, "worker_bo")),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
        );

        assert_eq!(
            listed(caller),
            [KfInfo::new(&ann, "1001")
                .with_kf_nick("ann")
                .with_kf_headimgurl("")],
            "nothing refused changed the accounts"
        );
    });
}

#[test]
fn kf_session_refusals_are_typed_errcodes() {
    each_frozen_backend(|sandbox, caller| {
        let ann = bound_kf(sandbox, caller, "ann", true);
        let bo = bound_kf(sandbox, caller, "bo", true);
        let offline = bound_kf(sandbox, caller, "offline", false);
        let unbound = added_kf(sandbox, caller, "unbound");
        let nobody = kf_name(sandbox, "nobody");
        let openid = sandbox.app().create_user("U1").unwrap();
        let openid = openid.as_str();

        let create = |kf: &str, openid: &str| caller.errcode(&kf_session::create(kf, openid));
        assert_eq!(
            create(&nobody, openid),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
        );
        assert_eq!(
            create(&unbound, openid),
            Errcode::CUSTOM_SERVICE_ACCOUNT_NOT_BOUND
        );
        assert_eq!(create(&offline, openid), Errcode::WORKER_NOT_ONLINE);
        assert_eq!(create(&ann, "oNOBODY"), Errcode::INVALID_OPENID);

        assert_eq!(
            caller.errcode(&kf_session::close(ann.as_str(), openid)),
            Errcode::NO_EFFECTIVE_SESSION
        );
        caller
            .call(&kf_session::create(ann.as_str(), openid))
            .unwrap();
        assert_eq!(create(&bo, openid), Errcode::ANOTHER_WORKER_SERVING);
        assert_eq!(
            caller.errcode(&kf_session::close(bo.as_str(), openid)),
            Errcode::ANOTHER_WORKER_SERVING
        );

        assert_eq!(
            caller.errcode(&kf_session::of_kf(nobody.as_str())),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
        );
        assert_eq!(
            caller.errcode(&kf_session::of_kf(unbound.as_str())),
            Errcode::CUSTOM_SERVICE_ACCOUNT_NOT_BOUND
        );
        assert_eq!(
            caller.errcode(&kf_session::of_customer("oNOBODY")),
            Errcode::INVALID_OPENID
        );
        assert_eq!(
            caller
                .call(&kf_session::of_customer(openid))
                .unwrap()
                .kf_account,
            ann,
            "nothing refused changed the session"
        );
    });
}
