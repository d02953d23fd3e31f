//! The kf account endpoints against the sandbox, with both backends: add, update, delete (both
//! forms), avatars, the lists, bind invitations, and 65400 while the feature is off (reference
//! §4, §10).

mod support;

use std::time::Duration;

use serde_json::json;
use wechat_core::endpoints::mp::*;
use wechat_core::types::common::Errcode;
use wechat_core::types::mp::*;
use wechat_core::{Error, Upload};
use wechat_sandbox::{ControlError, Sandbox, UserMessage, samples};

use support::{
    Caller, RawJson, T0, each_backend_with, each_frozen_backend, frozen, http_get, kf_name,
};

const ADD: &str = "/customservice/kfaccount/add";
const UPDATE: &str = "/customservice/kfaccount/update";
const DELETE: &str = "/customservice/kfaccount/del";
const INVITE: &str = "/customservice/kfaccount/inviteworker";

fn add(caller: &Caller, kf: &str, nickname: &str) -> Result<(), Error> {
    caller.call(&AddKfAccount::new(KfAccountProfile::new(kf, nickname)))
}

fn add_errcode(caller: &Caller, kf: &str, nickname: &str) -> Errcode {
    caller.errcode(&AddKfAccount::new(KfAccountProfile::new(kf, nickname)))
}

fn kf_list(caller: &Caller) -> Vec<KfInfo> {
    caller
        .call(&GetKfList::new(KfListQuery::new()))
        .unwrap()
        .kf_list
}

/// The `kf_account` of each `getkflist` entry.
fn listed_accounts(caller: &Caller) -> Vec<String> {
    kf_list(caller)
        .into_iter()
        .map(|info| info.kf_account)
        .collect()
}

fn online_list(caller: &Caller) -> Vec<OnlineKfInfo> {
    caller
        .call(&GetOnlineKfList::new(KfListQuery::new()))
        .unwrap()
        .kf_online_list
}

/// The `getkflist` entry of `kf`.
fn info(caller: &Caller, kf: &str) -> KfInfo {
    let list = kf_list(caller);
    list.iter()
        .find(|info| info.kf_account == kf)
        .cloned()
        .unwrap_or_else(|| panic!("{kf} is not listed: {list:?}"))
}

fn invite(caller: &Caller, kf: &str, wx: &str) -> Result<(), Error> {
    caller.call(&InviteKfWorker::new(InviteWorkerRequest::new(kf, wx)))
}

fn invite_errcode(caller: &Caller, kf: &str, wx: &str) -> Errcode {
    caller.errcode(&InviteKfWorker::new(InviteWorkerRequest::new(kf, wx)))
}

fn upload_headimg(caller: &Caller, kf: &str, name: &str, data: Vec<u8>) -> Result<(), Error> {
    caller.call(&UploadKfHeadImg::new(
        UploadHeadImgQuery::new(kf),
        Upload::from_bytes(name, data),
    ))
}

/// A kf account added, bound to `wx` and (if `online`) online.
fn bound_kf(sandbox: &Sandbox, caller: &Caller, prefix: &str, wx: &str, online: bool) -> String {
    let account = kf_name(sandbox, prefix);
    add(caller, &account, prefix).unwrap();
    invite(caller, &account, wx).unwrap();
    assert_eq!(sandbox.app().answer_invitation(&account, true).unwrap(), wx);
    sandbox.app().set_online(&account, online).unwrap();
    account
}

fn errcode(result: Result<(), Error>) -> Errcode {
    support::errcode(&result.unwrap_err())
}

fn is_invalid_request<T: std::fmt::Debug>(result: Result<T, Error>) -> bool {
    matches!(result, Err(Error::InvalidRequest(_)))
}

#[test]
fn added_accounts_are_listed_with_numbers_from_1001() {
    each_frozen_backend(|sandbox, caller| {
        assert!(kf_list(caller).is_empty());
        let (ann, bo) = (kf_name(sandbox, "kf1"), kf_name(sandbox, "kf_2"));
        add(caller, &ann, "客服小美").unwrap();
        add(caller, &bo, "Bo").unwrap();
        assert_eq!(
            kf_list(caller),
            vec![
                KfInfo::new(&ann, "1001")
                    .with_kf_nick("客服小美")
                    .with_kf_headimgurl(""),
                KfInfo::new(&bo, "1002")
                    .with_kf_nick("Bo")
                    .with_kf_headimgurl(""),
            ]
        );
    });
}

#[test]
fn the_account_must_be_well_formed_with_the_apps_wechat_id() {
    each_frozen_backend(|sandbox, caller| {
        let wechat_id = sandbox.app().wechat_id();
        assert_eq!(wechat_id, wechat_sandbox::DEFAULT_WECHAT_ID);
        // Well-formed, but another account's suffix.
        assert_eq!(
            add_errcode(caller, "kf1@other_oa", "Ann"),
            Errcode::ILLEGAL_CUSTOM_SERVICE_ACCOUNT
        );
        assert_eq!(
            add_errcode(caller, &format!("kf1@{wechat_id}x"), "Ann"),
            Errcode::ILLEGAL_CUSTOM_SERVICE_ACCOUNT
        );
        // Malformed: the typed API refuses to send them, WeChat answers 65404.
        let malformed = [
            "kf1".to_owned(),
            format!("@{wechat_id}"),
            "kf1@".to_owned(),
            format!("prefix_of_11@{wechat_id}"),
            format!("kf-1@{wechat_id}"),
            format!("kf 1@{wechat_id}"),
            format!("kf1@{wechat_id}@{wechat_id}"),
            String::new(),
        ];
        for account in &malformed {
            assert!(
                is_invalid_request(add(caller, account, "Ann")),
                "{account:?}"
            );
            let body = json!({"kf_account": account, "nickname": "Ann"});
            assert_eq!(
                caller.errcode(&RawJson::post(ADD, body)),
                Errcode::ILLEGAL_CUSTOM_SERVICE_ACCOUNT,
                "{account:?}"
            );
        }
        // The longest prefix there is.
        add(caller, &format!("prefix_of1@{wechat_id}"), "Ann").unwrap();
        assert_eq!(kf_list(caller).len(), 1, "nothing refused was added");
    });
}

#[test]
fn the_nickname_has_1_to_16_characters() {
    each_frozen_backend(|sandbox, caller| {
        let account = kf_name(sandbox, "kf1");
        for nickname in [
            "",
            "abcdefghijklmnopq",
            "一二三四五六七八九十一二三四五六七",
        ] {
            assert!(
                is_invalid_request(add(caller, &account, nickname)),
                "{nickname:?}"
            );
            let body = json!({"kf_account": account, "nickname": nickname});
            assert_eq!(
                caller.errcode(&RawJson::post(ADD, body)),
                Errcode::ILLEGAL_NICKNAME,
                "{nickname:?}"
            );
        }
        // Sixteen characters, whatever their bytes.
        add(caller, &account, "一二三四五六七八九十一二三四五六").unwrap();
        assert_eq!(
            info(caller, &account).kf_nick.as_deref(),
            Some("一二三四五六七八九十一二三四五六")
        );
    });
}

#[test]
fn an_existing_account_is_65406() {
    each_frozen_backend(|sandbox, caller| {
        let account = kf_name(sandbox, "kf1");
        add(caller, &account, "Ann").unwrap();
        assert_eq!(
            add_errcode(caller, &account, "Another"),
            Errcode::CUSTOM_SERVICE_ACCOUNT_EXISTS
        );
        assert_eq!(info(caller, &account).kf_nick.as_deref(), Some("Ann"));
        assert_eq!(kf_list(caller).len(), 1);
    });
}

#[test]
fn past_the_limit_is_65405() {
    each_backend_with(
        || {
            let mut config = frozen();
            config.rules.kf_account_limit = 2;
            config
        },
        |sandbox, caller| {
            let (a, b, c) = (
                kf_name(sandbox, "a"),
                kf_name(sandbox, "b"),
                kf_name(sandbox, "c"),
            );
            add(caller, &a, "A").unwrap();
            add(caller, &b, "B").unwrap();
            assert_eq!(
                add_errcode(caller, &c, "C"),
                Errcode::CUSTOM_SERVICE_ACCOUNT_LIMIT_REACHED
            );
            assert_eq!(
                add_errcode(caller, &b, "B"),
                Errcode::CUSTOM_SERVICE_ACCOUNT_EXISTS,
                "a duplicate is a duplicate, even at the limit"
            );
            caller
                .call(&DeleteKfAccount::new(DeleteKfAccountRequest::new(
                    a.as_str(),
                )))
                .unwrap();
            add(caller, &c, "C").unwrap();
            let numbers: Vec<_> = kf_list(caller)
                .into_iter()
                .map(|info| (info.kf_account, info.kf_id))
                .collect();
            assert_eq!(
                numbers,
                [
                    (b.clone(), "1002".to_owned()),
                    (c.clone(), "1003".to_owned())
                ],
                "numbers are not reused, and a refused add takes none"
            );
            assert_eq!(
                add_errcode(caller, &a, "A"),
                Errcode::CUSTOM_SERVICE_ACCOUNT_LIMIT_REACHED
            );
        },
    );
}

#[test]
fn update_changes_the_nickname_of_an_existing_account() {
    each_frozen_backend(|sandbox, caller| {
        let account = kf_name(sandbox, "kf1");
        add(caller, &account, "Ann").unwrap();
        caller
            .call(&UpdateKfAccount::new(KfAccountProfile::new(
                account.as_str(),
                "安妮",
            )))
            .unwrap();
        assert_eq!(
            info(caller, &account),
            KfInfo::new(&account, "1001")
                .with_kf_nick("安妮")
                .with_kf_headimgurl("")
        );
        for unknown in [kf_name(sandbox, "kf2"), "kf1@other_oa".to_owned()] {
            assert_eq!(
                caller.errcode(&UpdateKfAccount::new(KfAccountProfile::new(
                    unknown.as_str(),
                    "Bo"
                ))),
                Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT,
                "{unknown}"
            );
        }
        let too_long = json!({"kf_account": account, "nickname": "abcdefghijklmnopq"});
        assert_eq!(
            caller.errcode(&RawJson::post(UPDATE, too_long)),
            Errcode::ILLEGAL_NICKNAME
        );
        let malformed = json!({"kf_account": "kf1", "nickname": "Bo"});
        assert_eq!(
            caller.errcode(&RawJson::post(UPDATE, malformed)),
            Errcode::ILLEGAL_CUSTOM_SERVICE_ACCOUNT
        );
        assert_eq!(info(caller, &account).kf_nick.as_deref(), Some("安妮"));
        assert_eq!(kf_list(caller).len(), 1, "update adds nothing");
    });
}

#[test]
fn delete_in_the_documented_post_form() {
    each_frozen_backend(|sandbox, caller| {
        let (ann, bo) = (kf_name(sandbox, "kf1"), kf_name(sandbox, "kf2"));
        add(caller, &ann, "Ann").unwrap();
        add(caller, &bo, "Bo").unwrap();
        let delete = DeleteKfAccount::new(DeleteKfAccountRequest::new(ann.as_str()));
        caller.call(&delete).unwrap();
        assert_eq!(listed_accounts(caller), std::slice::from_ref(&bo));
        assert_eq!(
            caller.errcode(&delete),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
        );
        let malformed = json!({"kf_account": "kf2"});
        assert_eq!(
            caller.errcode(&RawJson::post(DELETE, malformed)),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
        );
        assert_eq!(kf_list(caller).len(), 1);
    });
}

#[test]
fn delete_in_the_legacy_get_form() {
    each_frozen_backend(|sandbox, caller| {
        let (ann, bo) = (kf_name(sandbox, "kf1"), kf_name(sandbox, "kf2"));
        add(caller, &ann, "Ann").unwrap();
        add(caller, &bo, "Bo").unwrap();
        let delete = RawJson::get(DELETE, &[("kf_account", &ann)]);
        assert_eq!(
            caller.call(&delete).unwrap(),
            json!({"errcode": 0, "errmsg": "ok"})
        );
        assert_eq!(listed_accounts(caller), std::slice::from_ref(&bo));
        assert_eq!(
            caller.errcode(&delete),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
        );
        assert_eq!(
            caller.errcode(&RawJson::get(DELETE, &[])),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT,
            "no kf_account at all"
        );
        // Other endpoints keep their method.
        assert_eq!(
            caller.errcode(&RawJson::get(ADD, &[("kf_account", &ann)])),
            Errcode::REQUIRE_POST_METHOD
        );
        assert_eq!(kf_list(caller).len(), 1);
    });
}

#[test]
fn a_jpeg_avatar_is_listed_and_served() {
    each_frozen_backend(|sandbox, caller| {
        let (ann, bo) = (kf_name(sandbox, "kf1"), kf_name(sandbox, "kf2"));
        add(caller, &ann, "Ann").unwrap();
        add(caller, &bo, "Bo").unwrap();
        upload_headimg(caller, &bo, "bo.jpg", samples::JPEG.to_vec()).unwrap();
        let url = format!(
            "{}/sandbox/apps/{}/headimg/1002",
            sandbox.url(),
            sandbox.app().appid()
        );
        assert_eq!(
            kf_list(caller),
            vec![
                KfInfo::new(&ann, "1001")
                    .with_kf_nick("Ann")
                    .with_kf_headimgurl(""),
                KfInfo::new(&bo, "1002")
                    .with_kf_nick("Bo")
                    .with_kf_headimgurl(&url),
            ]
        );
        let (status, content_type, body) = http_get(&url);
        assert_eq!(status, 200);
        assert_eq!(content_type, "image/jpeg");
        assert_eq!(body, samples::JPEG);

        // A new avatar replaces the old one at the same URL.
        let mut second = samples::JPEG.to_vec();
        second.extend_from_slice(b"second");
        upload_headimg(caller, &bo, "bo2.jpg", second.clone()).unwrap();
        assert_eq!(info(caller, &bo).kf_headimgurl.as_deref(), Some(&*url));
        assert_eq!(http_get(&url).2, second);

        // An account without one has none to serve.
        let none = url.replace("/1002", "/1001");
        assert_eq!(http_get(&none).0, 404);
    });
}

#[test]
fn an_avatar_is_a_jpeg_of_at_most_5_mb() {
    each_frozen_backend(|sandbox, caller| {
        let account = kf_name(sandbox, "kf1");
        add(caller, &account, "Ann").unwrap();
        assert_eq!(
            errcode(upload_headimg(
                caller,
                &account,
                "a.png",
                samples::PNG.to_vec()
            )),
            Errcode::INVALID_FILE_TYPE
        );
        assert_eq!(
            errcode(upload_headimg(
                caller,
                &account,
                "a.jpg",
                b"not a picture".to_vec()
            )),
            Errcode::INVALID_FILE_TYPE,
            "the bytes count, not the name"
        );
        let mut big = samples::JPEG.to_vec();
        big.resize(5 * 1024 * 1024 + 1, 0);
        assert_eq!(
            errcode(upload_headimg(caller, &account, "big.jpg", big.clone())),
            Errcode::INVALID_FILE_SIZE
        );
        assert_eq!(
            info(caller, &account).kf_headimgurl.as_deref(),
            Some(""),
            "nothing refused was stored"
        );
        big.truncate(5 * 1024 * 1024);
        upload_headimg(caller, &account, "max.jpg", big).unwrap();
        assert_ne!(info(caller, &account).kf_headimgurl.as_deref(), Some(""));

        assert_eq!(
            errcode(upload_headimg(
                caller,
                &kf_name(sandbox, "kf9"),
                "a.jpg",
                samples::JPEG.to_vec()
            )),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
        );
    });
}

#[test]
fn an_invitation_binds_the_worker_who_accepts_it() {
    each_frozen_backend(|sandbox, caller| {
        let (ann, bo) = (kf_name(sandbox, "kf1"), kf_name(sandbox, "kf2"));
        add(caller, &ann, "Ann").unwrap();
        add(caller, &bo, "Bo").unwrap();
        let lifetime = 7 * 24 * 3600;

        invite(caller, &ann, "worker_ann").unwrap();
        assert_eq!(
            info(caller, &ann),
            KfInfo::new(&ann, "1001")
                .with_kf_nick("Ann")
                .with_kf_headimgurl("")
                .with_invite_wx("worker_ann")
                .with_invite_expire_time((T0 + lifetime) as i64)
                .with_invite_status(InviteStatus::Waiting)
        );
        assert_eq!(
            invite_errcode(caller, &ann, "worker_bob"),
            Errcode::INVITATION_ALREADY_EXISTS
        );
        assert_eq!(
            invite_errcode(caller, &ann, "worker_ann"),
            Errcode::INVITATION_ALREADY_EXISTS
        );
        assert_eq!(
            invite_errcode(caller, &bo, "worker_ann"),
            Errcode::WORKER_ALREADY_INVITED
        );

        assert_eq!(
            sandbox.app().answer_invitation(&ann, true),
            Ok("worker_ann".to_owned())
        );
        assert_eq!(
            info(caller, &ann),
            KfInfo::new(&ann, "1001")
                .with_kf_nick("Ann")
                .with_kf_headimgurl("")
                .with_kf_wx("worker_ann")
        );
        assert!(matches!(
            sandbox.app().answer_invitation(&ann, true),
            Err(ControlError::Invalid(_))
        ));
        assert_eq!(
            invite_errcode(caller, &ann, "worker_bob"),
            Errcode::CUSTOM_SERVICE_ACCOUNT_ALREADY_BOUND
        );
        assert_eq!(
            invite_errcode(caller, &bo, "worker_ann"),
            Errcode::WORKER_ALREADY_BOUND_TO_ACCOUNT
        );
        invite(caller, &bo, "worker_bob").unwrap();
        assert_eq!(info(caller, &bo).invite_wx.as_deref(), Some("worker_bob"));
    });
}

#[test]
fn a_declined_invitation_is_rejected_and_can_be_sent_again() {
    each_frozen_backend(|sandbox, caller| {
        let (ann, bo) = (kf_name(sandbox, "kf1"), kf_name(sandbox, "kf2"));
        add(caller, &ann, "Ann").unwrap();
        add(caller, &bo, "Bo").unwrap();
        invite(caller, &ann, "worker_ann").unwrap();
        assert_eq!(
            sandbox.app().answer_invitation(&ann, false),
            Ok("worker_ann".to_owned())
        );
        let declined = info(caller, &ann);
        assert_eq!(declined.invite_status, Some(InviteStatus::Rejected));
        assert_eq!(declined.invite_wx.as_deref(), Some("worker_ann"));
        assert_eq!(declined.kf_wx, None);
        assert!(matches!(
            sandbox.app().answer_invitation(&ann, true),
            Err(ControlError::Invalid(_))
        ));
        assert!(matches!(
            sandbox.app().set_online(&ann, true),
            Err(ControlError::Invalid(_))
        ));
        // Neither the account nor the worker is held by a declined invitation.
        invite(caller, &bo, "worker_ann").unwrap();
        invite(caller, &ann, "worker_cy").unwrap();
        assert_eq!(
            info(caller, &ann).invite_status,
            Some(InviteStatus::Waiting)
        );
        assert_eq!(
            sandbox.app().answer_invitation(&ann, true),
            Ok("worker_cy".to_owned())
        );
        assert_eq!(info(caller, &ann).kf_wx.as_deref(), Some("worker_cy"));
    });
}

#[test]
fn an_invitation_expires_after_its_lifetime() {
    each_backend_with(
        || {
            let mut config = frozen();
            config.rules.invitation_lifetime_secs = 3600;
            config
        },
        |sandbox, caller| {
            let (ann, bo) = (kf_name(sandbox, "kf1"), kf_name(sandbox, "kf2"));
            add(caller, &ann, "Ann").unwrap();
            add(caller, &bo, "Bo").unwrap();
            invite(caller, &ann, "worker_ann").unwrap();
            assert_eq!(
                info(caller, &ann).invite_expire_time,
                Some(T0 as i64 + 3600)
            );
            sandbox.advance(Duration::from_secs(3599));
            assert_eq!(
                info(caller, &ann).invite_status,
                Some(InviteStatus::Waiting)
            );
            assert_eq!(
                invite_errcode(caller, &bo, "worker_ann"),
                Errcode::WORKER_ALREADY_INVITED
            );
            sandbox.advance(Duration::from_secs(1));
            let expired = info(caller, &ann);
            assert_eq!(expired.invite_status, Some(InviteStatus::Expired));
            assert_eq!(expired.invite_wx.as_deref(), Some("worker_ann"));
            assert!(matches!(
                sandbox.app().answer_invitation(&ann, true),
                Err(ControlError::Invalid(_))
            ));
            assert_eq!(info(caller, &ann).kf_wx, None);
            // Expired, it holds neither the worker nor the account.
            invite(caller, &bo, "worker_ann").unwrap();
            invite(caller, &ann, "worker_bob").unwrap();
            assert_eq!(
                info(caller, &ann).invite_expire_time,
                Some(T0 as i64 + 2 * 3600)
            );
        },
    );
}

#[test]
fn the_invitee_must_have_a_valid_wechat_id() {
    each_frozen_backend(|sandbox, caller| {
        let account = kf_name(sandbox, "kf1");
        add(caller, &account, "Ann").unwrap();
        for wx in [
            "x",
            "abcde",
            "1worker",
            "_worker",
            "worker ann",
            "worker.ann",
            "微信号微信号",
            "a_wechat_id_of_21_chr",
        ] {
            assert_eq!(
                invite_errcode(caller, &account, wx),
                Errcode::INVALID_WECHAT_ACCOUNT,
                "{wx:?}"
            );
        }
        assert!(is_invalid_request(invite(caller, &account, "")));
        let empty = json!({"kf_account": account, "invite_wx": ""});
        assert_eq!(
            caller.errcode(&RawJson::post(INVITE, empty)),
            Errcode::INVALID_WECHAT_ACCOUNT
        );
        assert_eq!(info(caller, &account).invite_wx, None);
        invite(caller, &account, "a_wechat_id_of_20_ch").unwrap();
        assert_eq!(
            invite_errcode(caller, &kf_name(sandbox, "kf9"), "worker_ann"),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
        );
    });
}

#[test]
fn only_online_workers_are_listed_online_with_their_sessions() {
    each_frozen_backend(|sandbox, caller| {
        let app = sandbox.app();
        let ann = bound_kf(sandbox, caller, "kf1", "worker_ann", true);
        let bo = bound_kf(sandbox, caller, "kf2", "worker_bob", false);
        let cy = kf_name(sandbox, "kf3");
        add(caller, &cy, "Cy").unwrap();
        assert!(matches!(
            app.set_online(&cy, true),
            Err(ControlError::Invalid(_))
        ));
        assert!(matches!(
            app.set_online(&kf_name(sandbox, "kf9"), true),
            Err(ControlError::UnknownKf(_))
        ));
        assert_eq!(
            online_list(caller),
            vec![
                OnlineKfInfo::new(&ann, "1001")
                    .with_status(1)
                    .with_accepted_case(0)
            ]
        );

        let users: Vec<String> = ["U1", "U2"]
            .iter()
            .map(|name| {
                let openid = app.create_user(name).unwrap();
                app.writes_blocking(&openid, UserMessage::text("你好"))
                    .unwrap();
                caller
                    .call(&CreateKfSession::new(KfSessionRequest::new(
                        ann.as_str(),
                        &openid,
                    )))
                    .unwrap();
                openid
            })
            .collect();
        app.set_online(&bo, true).unwrap();
        assert_eq!(
            online_list(caller),
            vec![
                OnlineKfInfo::new(&ann, "1001")
                    .with_status(1)
                    .with_accepted_case(2),
                OnlineKfInfo::new(&bo, "1002")
                    .with_status(1)
                    .with_accepted_case(0),
            ]
        );
        caller
            .call(&CloseKfSession::new(KfSessionRequest::new(
                ann.as_str(),
                &users[0],
            )))
            .unwrap();
        app.set_online(&bo, false).unwrap();
        assert_eq!(
            online_list(caller),
            vec![
                OnlineKfInfo::new(&ann, "1001")
                    .with_status(1)
                    .with_accepted_case(1)
            ]
        );
        app.set_online(&ann, false).unwrap();
        assert!(online_list(caller).is_empty());
    });
}

#[test]
fn every_kf_endpoint_is_65400_while_the_feature_is_off() {
    each_backend_with(
        || {
            let mut config = frozen();
            config.apps[0].kf_enabled = false;
            config
        },
        |sandbox, caller| {
            let account = kf_name(sandbox, "kf1");
            let openid = sandbox.app().create_user("Ann").unwrap();
            let off = Errcode::NEW_CUSTOM_SERVICE_NOT_ENABLED;
            let profile = KfAccountProfile::new(account.as_str(), "Ann");
            let session = KfSessionRequest::new(account.as_str(), &openid);
            let t0 = T0 as i64;
            let codes = [
                ("add", caller.errcode(&AddKfAccount::new(profile.clone()))),
                ("update", caller.errcode(&UpdateKfAccount::new(profile))),
                (
                    "del",
                    caller.errcode(&DeleteKfAccount::new(DeleteKfAccountRequest::new(
                        account.as_str(),
                    ))),
                ),
                (
                    "del (GET)",
                    caller.errcode(&RawJson::get(DELETE, &[("kf_account", &account)])),
                ),
                (
                    "uploadheadimg",
                    errcode(upload_headimg(
                        caller,
                        &account,
                        "a.jpg",
                        samples::JPEG.to_vec(),
                    )),
                ),
                (
                    "getkflist",
                    caller.errcode(&GetKfList::new(KfListQuery::new())),
                ),
                (
                    "getonlinekflist",
                    caller.errcode(&GetOnlineKfList::new(KfListQuery::new())),
                ),
                (
                    "inviteworker",
                    caller.errcode(&InviteKfWorker::new(InviteWorkerRequest::new(
                        account.as_str(),
                        "worker_ann",
                    ))),
                ),
                (
                    "kfsession/create",
                    caller.errcode(&CreateKfSession::new(session.clone())),
                ),
                (
                    "kfsession/close",
                    caller.errcode(&CloseKfSession::new(session)),
                ),
                (
                    "getsession",
                    caller.errcode(&GetKfSession::new(GetSessionQuery::new(&openid))),
                ),
                (
                    "getsessionlist",
                    caller.errcode(&GetKfSessionList::new(GetSessionListQuery::new(
                        account.as_str(),
                    ))),
                ),
                ("getwaitcase", caller.errcode(&GetWaitCase)),
                (
                    "getmsglist",
                    caller.errcode(&GetMsgList::new(GetMsgListRequest::new(
                        t0,
                        t0 + 3600,
                        1,
                        100,
                    ))),
                ),
            ];
            for (endpoint, code) in codes {
                assert_eq!(code, off, "{endpoint}");
            }
            // The rest of the API works: custom messages without a kf account.
            sandbox
                .app()
                .writes_blocking(&openid, UserMessage::text("你好"))
                .unwrap();
            caller
                .call(&SendCustomMessage::new(CustomMessage::new(
                    &openid,
                    Text::new("您好"),
                )))
                .unwrap();
        },
    );
}
