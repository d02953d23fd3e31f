//! The kf session endpoints (reference §5), over the session state machine of the model.
//! Creating and closing a session pushes `kf_create_session` / `kf_close_session` to the
//! callback (§8.3), as WeChat does.

use wechat_types::common::Errcode;
use wechat_types::mp::{
    GetSessionListQuery, GetSessionQuery, GetSessionResponse, KfSessionRequest, SessionInfo,
    SessionListResponse, WaitCase, WaitCaseResponse,
};

use super::{ApiRequest, Handled, kf_enabled, read_query};
use crate::clock::unix_seconds;
use crate::model::World;
use crate::model::sessions::{Accepted, Session};
use crate::push::{PushJob, SessionEvent};
use crate::wire::{self, Answer, Refusal};

/// The most entries `getwaitcase` lists (§5.5); `count` still counts all.
const WAIT_CASE_MAX: usize = 100;

/// `kfsession/create`: 40003 for an unknown user, 65401 for an unknown account, 65402 when it
/// is not bound to a WeChat user, 65415 when its worker is offline, 65414 when another kf
/// serves the user; 0 when this kf already does.
pub(super) fn create(world: &mut World, app: usize, request: &ApiRequest) -> Handled {
    match session_request(world, app, request).and_then(|body| {
        world.apps[app].user(&body.openid)?;
        let kf = world.apps[app].kf.get(body.kf_account.as_str())?;
        if kf.bound_wx.is_none() {
            return Err(Refusal::new(Errcode::CUSTOM_SERVICE_ACCOUNT_NOT_BOUND));
        }
        if !kf.online {
            return Err(Refusal::new(Errcode::WORKER_NOT_ONLINE));
        }
        let now = world.now();
        let user = world.apps[app].user_mut(&body.openid)?;
        let accepted = user.session.accept(body.kf_account.as_str(), now)?;
        Ok((body, accepted))
    }) {
        Ok((body, Accepted::New)) => Handled {
            answer: Answer::Ok,
            pushes: vec![PushJob::session_event(
                world,
                app,
                &body.openid,
                SessionEvent::Create(body.kf_account.into_inner()),
            )],
        },
        Ok((_, Accepted::Already)) => Handled::answer(Answer::Ok),
        Err(refusal) => Handled::answer(refusal),
    }
}

/// `kfsession/close`: 40003 for an unknown user, 65401 for an unknown account, 65413 without
/// a session, 65414 when another kf serves the user.
pub(super) fn close(world: &mut World, app: usize, request: &ApiRequest) -> Handled {
    match session_request(world, app, request).and_then(|body| {
        world.apps[app].user(&body.openid)?;
        world.apps[app].kf.get(body.kf_account.as_str())?;
        world.apps[app]
            .user_mut(&body.openid)?
            .session
            .close(body.kf_account.as_str())?;
        Ok(body)
    }) {
        Ok(body) => Handled {
            answer: Answer::Ok,
            pushes: vec![PushJob::session_event(
                world,
                app,
                &body.openid,
                SessionEvent::Close(body.kf_account.into_inner()),
            )],
        },
        Err(refusal) => Handled::answer(refusal),
    }
}

fn session_request(
    world: &World,
    app: usize,
    request: &ApiRequest,
) -> Result<KfSessionRequest, Refusal> {
    kf_enabled(world, app)?;
    wire::read_json(&request.body, world.strict_json, |e| match e.path() {
        "openid" => Refusal::hint(Errcode::INVALID_OPENID, e.to_string()),
        _ => Refusal::hint(Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT, e.to_string()),
    })
}

/// `kfsession/getsession?openid=`: the serving kf and since when; an empty `kf_account` when
/// nobody serves the user (waiting users show when they started waiting). 40003 for an
/// unknown user.
pub(super) fn get(world: &mut World, app: usize, request: &ApiRequest) -> Handled {
    let result = kf_enabled(world, app)
        .and_then(|()| read_query::<GetSessionQuery>(request, Errcode::INVALID_OPENID))
        .and_then(|query| {
            let user = world.apps[app].user(&query.openid)?;
            let answer = match &user.session {
                Session::Serving { kf, since, .. } => GetSessionResponse::new()
                    .with_createtime(unix_seconds(*since) as i64)
                    .with_kf_account(kf),
                Session::Waiting { since, .. } => GetSessionResponse::new()
                    .with_createtime(unix_seconds(*since) as i64)
                    .with_kf_account(""),
                Session::None => GetSessionResponse::new()
                    .with_createtime(0)
                    .with_kf_account(""),
            };
            Ok(Answer::json(&answer))
        });
    result.into()
}

/// `kfsession/getsessionlist?kf_account=`: the users the kf serves. 65401 for an unknown
/// account, 65402 when it is not bound.
pub(super) fn list(world: &mut World, app: usize, request: &ApiRequest) -> Handled {
    let result = kf_enabled(world, app)
        .and_then(|()| {
            read_query::<GetSessionListQuery>(request, Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT)
        })
        .and_then(|query| {
            let state = &world.apps[app];
            let kf = state.kf.get(query.kf_account.as_str())?;
            if kf.bound_wx.is_none() {
                return Err(Refusal::new(Errcode::CUSTOM_SERVICE_ACCOUNT_NOT_BOUND));
            }
            let sessions = state
                .users
                .iter()
                .filter_map(|user| match &user.session {
                    Session::Serving {
                        kf: serving, since, ..
                    } if *serving == kf.account => Some(
                        SessionInfo::new(&user.openid).with_createtime(unix_seconds(*since) as i64),
                    ),
                    _ => None,
                })
                .collect();
            Ok(Answer::json(
                &SessionListResponse::new().with_sessionlist(sessions),
            ))
        });
    result.into()
}

/// `kfsession/getwaitcase`: how many users wait, and the first 100 in arrival order.
pub(super) fn wait_case(world: &mut World, app: usize, _request: &ApiRequest) -> Handled {
    let result = kf_enabled(world, app).map(|()| {
        let mut waiting: Vec<_> = world.apps[app]
            .users
            .iter()
            .filter_map(|user| match &user.session {
                Session::Waiting { since, latest, .. } => Some((*since, *latest, &user.openid)),
                _ => None,
            })
            .collect();
        waiting.sort_by_key(|(since, _, _)| *since);
        let count = waiting.len() as i64;
        let list = waiting
            .into_iter()
            .take(WAIT_CASE_MAX)
            .map(|(_, latest, openid)| {
                WaitCase::new()
                    .with_latest_time(unix_seconds(latest) as i64)
                    .with_openid(openid)
            })
            .collect();
        Answer::json(
            &WaitCaseResponse::new()
                .with_count(count)
                .with_waitcaselist(list),
        )
    });
    result.into()
}
