//! The control API over HTTP, under `/sandbox` (documented in the crate's README). JSON in,
//! JSON out; errors are `{"error": "..."}` with 404 (unknown app, user, kf account or media) or
//! 400.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::{ControlError, Written};
use crate::config::CallbackConfig;
use crate::faults::FaultPlan;
use crate::push;
use crate::shared::Shared;
use crate::user_message::{PushReport, UserMessage};

/// The shared state, as the handlers receive it.
type Ctx = State<Arc<Shared>>;

/// The routes of the control API.
pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/sandbox", get(overview))
        .route("/sandbox/clock", get(clock))
        .route("/sandbox/clock/advance", post(advance))
        .route("/sandbox/calls", get(calls))
        .route("/sandbox/faults", post(add_fault).delete(clear_faults))
        .route("/sandbox/apps/{appid}/users", get(users).post(create_user))
        .route("/sandbox/apps/{appid}/users/{openid}", get(user))
        .route(
            "/sandbox/apps/{appid}/users/{openid}/messages",
            post(user_writes),
        )
        .route("/sandbox/apps/{appid}/users/{openid}/inbox", get(inbox))
        .route("/sandbox/apps/{appid}/users/{openid}/follow", post(follow))
        .route(
            "/sandbox/apps/{appid}/users/{openid}/unfollow",
            post(unfollow),
        )
        .route(
            "/sandbox/apps/{appid}/callback",
            axum::routing::put(set_callback).delete(remove_callback),
        )
        .route("/sandbox/apps/{appid}/tokens/expire", post(expire_tokens))
        .route(
            "/sandbox/apps/{appid}/kf/{kf_account}/invitation",
            post(answer_invitation),
        )
        .route(
            "/sandbox/apps/{appid}/kf/{kf_account}/online",
            post(set_online),
        )
        .route(
            "/sandbox/apps/{appid}/kf/{kf_account}/accept",
            post(kf_accept),
        )
        .route("/sandbox/apps/{appid}/media/{media_id}", get(media))
        .route("/sandbox/apps/{appid}/headimg/{kf_id}", get(headimg))
}

/// A control answer: JSON, or an error.
type Answer = Result<Response, ControlError>;

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        let status = match self {
            ControlError::Invalid(_) => StatusCode::BAD_REQUEST,
            _ => StatusCode::NOT_FOUND,
        };
        let body = serde_json::json!({"error": self.to_string()}).to_string();
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    }
}

fn json(value: &impl serde::Serialize) -> Answer {
    let body = serde_json::to_string(value).map_err(|e| ControlError::Invalid(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// A JSON request body; an empty body reads as `{}`.
fn body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ControlError> {
    let bytes = if bytes.iter().all(u8::is_ascii_whitespace) {
        &b"{}"[..]
    } else {
        bytes
    };
    serde_json::from_slice(bytes).map_err(|e| ControlError::Invalid(format!("request body: {e}")))
}

/// The app's index, for the handlers of `/sandbox/apps/{appid}/...`.
fn app(shared: &Shared, appid: &str) -> Result<usize, ControlError> {
    shared.world().app_index(appid)
}

async fn overview(State(shared): Ctx) -> Answer {
    let world = shared.world();
    let apps: Vec<_> = world
        .apps
        .iter()
        .map(|app| {
            serde_json::json!({
                "appid": app.config.appid,
                "original_id": app.config.original_id,
                "wechat_id": app.config.wechat_id,
                "users": app.users.len(),
                "callback": app.config.callback.as_ref().map(|c| &c.url),
            })
        })
        .collect();
    json(&serde_json::json!({
        "now": world.clock.unix(),
        "apps": apps,
        "pending_faults": world.faults.pending(),
    }))
}

async fn clock(State(shared): Ctx) -> Answer {
    let world = shared.world();
    json(&serde_json::json!({"now": world.clock.unix(), "frozen": world.clock.is_frozen()}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    seconds: u64,
}

async fn advance(State(shared): Ctx, bytes: Bytes) -> Answer {
    let advance: Advance = body(&bytes)?;
    let world = shared.world();
    world.clock.advance(Duration::from_secs(advance.seconds));
    json(&serde_json::json!({"now": world.clock.unix()}))
}

async fn calls(State(shared): Ctx) -> Answer {
    json(&shared.world().calls)
}

async fn add_fault(State(shared): Ctx, bytes: Bytes) -> Answer {
    let plan: FaultPlan = body(&bytes)?;
    let mut world = shared.world();
    world.faults.push(plan);
    json(&serde_json::json!({"pending_faults": world.faults.pending()}))
}

async fn clear_faults(State(shared): Ctx) -> Answer {
    shared.world().faults.clear();
    json(&serde_json::json!({"pending_faults": 0}))
}

async fn users(State(shared): Ctx, Path(appid): Path<String>) -> Answer {
    let app = app(&shared, &appid)?;
    json(&shared.world().user_views(app))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CreateUser {
    openid: Option<String>,
    nickname: Option<String>,
}

async fn create_user(State(shared): Ctx, Path(appid): Path<String>, bytes: Bytes) -> Answer {
    let request: CreateUser = body(&bytes)?;
    let app = app(&shared, &appid)?;
    let user = shared
        .world()
        .create_user(app, request.openid, request.nickname)?;
    json(&user)
}

async fn user(State(shared): Ctx, Path((appid, openid)): Path<(String, String)>) -> Answer {
    let app = app(&shared, &appid)?;
    json(&shared.world().user_view(app, &openid)?)
}

async fn user_writes(
    State(shared): Ctx,
    Path((appid, openid)): Path<(String, String)>,
    bytes: Bytes,
) -> Answer {
    let message: UserMessage = body(&bytes)?;
    let app = app(&shared, &appid)?;
    json(&write(&shared, app, &openid, message).await?)
}

/// A user writes, and the push (if any) is delivered: the one implementation behind the HTTP
/// route and the [`Sandbox`](crate::Sandbox) handle.
pub(crate) async fn write(
    shared: &Shared,
    app: usize,
    openid: &str,
    message: UserMessage,
) -> Result<PushReport, ControlError> {
    let written = shared.world().user_writes(app, openid, message)?;
    match written {
        Written::Done(report) => Ok(report),
        Written::Push { job, msg_id } => {
            let (attempts, outcome) = push::deliver(shared, &job).await;
            Ok(PushReport {
                msg_id,
                route: crate::user_message::PushRoute::Callback,
                attempts,
                outcome,
            })
        }
    }
}

#[derive(Deserialize)]
struct InboxQuery {
    #[serde(default)]
    after: u64,
}

async fn inbox(
    State(shared): Ctx,
    Path((appid, openid)): Path<(String, String)>,
    Query(query): Query<InboxQuery>,
) -> Answer {
    let app = app(&shared, &appid)?;
    json(&shared.world().inbox(app, &openid, query.after)?)
}

async fn follow(State(shared): Ctx, Path((appid, openid)): Path<(String, String)>) -> Answer {
    let app = app(&shared, &appid)?;
    json(&shared.world().set_subscribed(app, &openid, true)?)
}

async fn unfollow(State(shared): Ctx, Path((appid, openid)): Path<(String, String)>) -> Answer {
    let app = app(&shared, &appid)?;
    json(&shared.world().set_subscribed(app, &openid, false)?)
}

async fn set_callback(State(shared): Ctx, Path(appid): Path<String>, bytes: Bytes) -> Answer {
    let callback: CallbackConfig = serde_json::from_slice(&bytes)
        .map_err(|e| ControlError::Invalid(format!("request body: {e}")))?;
    let app = app(&shared, &appid)?;
    shared.world().set_callback(app, Some(callback))?;
    json(&serde_json::json!({"ok": true}))
}

async fn remove_callback(State(shared): Ctx, Path(appid): Path<String>) -> Answer {
    let app = app(&shared, &appid)?;
    shared.world().set_callback(app, None)?;
    json(&serde_json::json!({"ok": true}))
}

async fn expire_tokens(State(shared): Ctx, Path(appid): Path<String>) -> Answer {
    let app = app(&shared, &appid)?;
    let expired = shared.world().expire_tokens(app);
    json(&serde_json::json!({"expired": expired}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Invitation {
    accept: bool,
}

async fn answer_invitation(
    State(shared): Ctx,
    Path((appid, kf)): Path<(String, String)>,
    bytes: Bytes,
) -> Answer {
    let request: Invitation = body(&bytes)?;
    let app = app(&shared, &appid)?;
    let wx = shared.world().answer_invitation(app, &kf, request.accept)?;
    json(&serde_json::json!({"kf_account": kf, "invite_wx": wx, "bound": request.accept}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Online {
    online: bool,
}

async fn set_online(
    State(shared): Ctx,
    Path((appid, kf)): Path<(String, String)>,
    bytes: Bytes,
) -> Answer {
    let request: Online = body(&bytes)?;
    let app = app(&shared, &appid)?;
    shared.world().set_online(app, &kf, request.online)?;
    json(&serde_json::json!({"kf_account": kf, "online": request.online}))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Accept {
    openid: String,
}

async fn kf_accept(
    State(shared): Ctx,
    Path((appid, kf)): Path<(String, String)>,
    bytes: Bytes,
) -> Answer {
    let request: Accept = body(&bytes)?;
    let app = app(&shared, &appid)?;
    let job = shared.world().kf_accept(app, &kf, &request.openid)?;
    if let Some(job) = job {
        push::deliver(&shared, &job).await;
    }
    json(&shared.world().user_view(app, &request.openid)?)
}

async fn media(State(shared): Ctx, Path((appid, media_id)): Path<(String, String)>) -> Answer {
    let app = app(&shared, &appid)?;
    let (content_type, data) = shared
        .world()
        .media_file(app, &media_id)
        .ok_or_else(|| ControlError::UnknownMedia(media_id.clone()))?;
    Ok(([(header::CONTENT_TYPE, content_type)], data).into_response())
}

async fn headimg(State(shared): Ctx, Path((appid, kf_id)): Path<(String, u32)>) -> Answer {
    let app = app(&shared, &appid)?;
    let data = shared.world().apps[app]
        .kf
        .headimg(kf_id)
        .ok_or_else(|| ControlError::UnknownKf(format!("number {kf_id} (or it has no avatar)")))?;
    Ok(([(header::CONTENT_TYPE, "image/jpeg")], data).into_response())
}
