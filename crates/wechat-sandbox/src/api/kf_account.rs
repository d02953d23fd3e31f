//! The kf account endpoints (reference §4). Every one answers 65400 while the app's new
//! customer-service feature is off.

use wechat_types::common::Errcode;
use wechat_types::mp::{
    DeleteKfAccountRequest, InviteWorkerRequest, KfAccountProfile, KfListResponse, OnlineKfInfo,
    OnlineKfListResponse, UploadHeadImgQuery,
};
use wechat_types::{EndpointSpec, Method, ValidationError};

use super::{ApiRequest, Handled, kf_enabled, read_query};
use crate::model::{World, secs};
use crate::wire::{self, Answer, Refusal};

/// `kfaccount/add`: 65404 for a malformed account or one whose suffix is not the app's
/// WeChat ID, 65403 for a nickname of 0 or more than 16 characters, 65405 past 100 accounts,
/// 65406 for an existing one.
pub(super) fn add(world: &mut World, app: usize, request: &ApiRequest) -> Handled {
    let result = kf_enabled(world, app)
        .and_then(|()| profile(world, request))
        .and_then(|profile| {
            let limit = world.rules.kf_account_limit;
            let state = &mut world.apps[app];
            state.kf.add(
                profile.kf_account.as_str(),
                &profile.nickname,
                &state.config.wechat_id,
                limit,
            )
        });
    result.map(|()| Answer::Ok).into()
}

/// `kfaccount/update`: the checks of `add`, and 65401 for an account that does not exist.
pub(super) fn update(world: &mut World, app: usize, request: &ApiRequest) -> Handled {
    let result = kf_enabled(world, app)
        .and_then(|()| profile(world, request))
        .and_then(|profile| {
            world.apps[app]
                .kf
                .update(profile.kf_account.as_str(), &profile.nickname)
        });
    result.map(|()| Answer::Ok).into()
}

fn profile(world: &World, request: &ApiRequest) -> Result<KfAccountProfile, Refusal> {
    wire::read_json(
        &request.body,
        world.strict_json,
        |e: &ValidationError| match e.path() {
            "nickname" => Refusal::hint(Errcode::ILLEGAL_NICKNAME, e.to_string()),
            _ => Refusal::hint(Errcode::ILLEGAL_CUSTOM_SERVICE_ACCOUNT, e.to_string()),
        },
    )
}

/// Whether a request in another method than the declared one is still served: `kfaccount/del`
/// in its legacy `GET ?kf_account=` form, which SDKs in the wild still use (§4.3).
pub(super) fn accepts_legacy_get(spec: &EndpointSpec, request: &ApiRequest) -> bool {
    spec == &wechat_types::mp::DELETE_KF_ACCOUNT && request.method == Method::Get
}

/// `kfaccount/del`, as POST JSON or as the legacy GET: 65401 for an account that does not
/// exist. The account's sessions end with it.
pub(super) fn delete(world: &mut World, app: usize, request: &ApiRequest) -> Handled {
    let result = kf_enabled(world, app)
        .and_then(|()| match request.method {
            Method::Get => request
                .query_param("kf_account")
                .ok_or_else(|| Refusal::new(Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT)),
            _ => wire::read_json::<DeleteKfAccountRequest>(
                &request.body,
                world.strict_json,
                unknown_account,
            )
            .map(|body| body.kf_account.into_inner()),
        })
        .and_then(|account| {
            let state = &mut world.apps[app];
            state.kf.delete(&account)?;
            state.drop_sessions_of(&account);
            Ok(())
        });
    result.map(|()| Answer::Ok).into()
}

fn unknown_account(e: &ValidationError) -> Refusal {
    Refusal::hint(Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT, e.to_string())
}

/// `kfaccount/uploadheadimg?kf_account=...` with the image in form field `media`: 65401 for an
/// unknown account, 41005 without a file, 40006 above 5 MB, 40005 for a file that is not a JPG.
pub(super) fn upload_headimg(world: &mut World, app: usize, request: &ApiRequest) -> Handled {
    let result = kf_enabled(world, app)
        .and_then(|()| {
            read_query::<UploadHeadImgQuery>(request, Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT)
        })
        .and_then(|query| {
            let account = query.kf_account.into_inner();
            let kf = &mut world.apps[app].kf;
            kf.get(&account)?;
            let file = request.file("media")?;
            kf.set_headimg(&account, file.data.clone())
        });
    result.map(|()| Answer::Ok).into()
}

/// `getkflist`: every account, with its invitation while it is not bound.
pub(super) fn list(world: &mut World, app: usize, _request: &ApiRequest) -> Handled {
    let result = kf_enabled(world, app).map(|()| {
        let now = world.now();
        let base = world.headimg_base(app);
        let list = world.apps[app]
            .kf
            .iter()
            .map(|kf| crate::model::kf::KfAccounts::info(kf, &base, now))
            .collect();
        Answer::json(&KfListResponse::new().with_kf_list(list))
    });
    result.into()
}

/// `getonlinekflist`: the online accounts, `status` 1 (web online), with the number of users
/// each serves.
pub(super) fn list_online(world: &mut World, app: usize, _request: &ApiRequest) -> Handled {
    let result = kf_enabled(world, app).map(|()| {
        let state = &world.apps[app];
        let list = state
            .kf
            .iter()
            .filter(|kf| kf.online)
            .map(|kf| {
                OnlineKfInfo::new(&kf.account, kf.kf_id.to_string())
                    .with_status(1)
                    .with_accepted_case(state.accepted_cases(&kf.account) as i64)
            })
            .collect();
        Answer::json(&OnlineKfListResponse::new().with_kf_online_list(list))
    });
    result.into()
}

/// `kfaccount/inviteworker`: 65401 for an unknown account; 65407 to 65412 as the kf model
/// decides.
pub(super) fn invite(world: &mut World, app: usize, request: &ApiRequest) -> Handled {
    let result = kf_enabled(world, app)
        .and_then(|()| {
            wire::read_json::<InviteWorkerRequest>(&request.body, world.strict_json, |e| {
                match e.path() {
                    "invite_wx" => Refusal::hint(Errcode::INVALID_WECHAT_ACCOUNT, e.to_string()),
                    _ => unknown_account(e),
                }
            })
        })
        .and_then(|body| {
            let now = world.now();
            let lifetime = secs(world.rules.invitation_lifetime_secs);
            world.apps[app]
                .kf
                .invite(body.kf_account.as_str(), &body.invite_wx, now, lifetime)
        });
    result.map(|()| Answer::Ok).into()
}
