//! The emulated WeChat API over HTTP: every path outside `/sandbox`. One request goes: injected
//! fault? → multipart upload read → the endpoint's handler under the lock → call log → the
//! pushes it causes, in the background → the answer (late, for a delay fault).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method as HttpMethod, Uri, header};
use axum::response::Response;
use tokio::sync::Notify;
use wechat_types::Method;
use wechat_types::common::Errcode;

use crate::api::{self, ApiRequest, UploadedFile};
use crate::faults::Fault;
use crate::push;
use crate::shared::Shared;
use crate::wire::{self, Answer, Refusal};

/// Closes the connection a request came on, without answering (the `drop_connection` fault).
/// The accept loop puts one into every request's extensions.
#[derive(Debug, Clone)]
pub(crate) struct DropConnection(pub(crate) Arc<Notify>);

/// Serves one API request.
pub(crate) async fn serve(
    State(shared): State<Arc<Shared>>,
    drop_connection: Option<axum::Extension<DropConnection>>,
    method: HttpMethod,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    // A path under `/sandbox` that no control route serves is a mistake in the control API,
    // not an API call: no fault may hit it (plans for any path are for the emulated API).
    if is_control_path(&path) {
        return unknown_control_route(&method, &path);
    }
    let method = match method {
        HttpMethod::GET => Method::Get,
        HttpMethod::POST => Method::Post,
        other => {
            return wire::response(Answer::Status {
                status: 405,
                body: format!("wechat-sandbox: WeChat's API takes GET and POST, not {other}"),
            });
        }
    };
    let fault = shared.world().faults.take(&path);
    let delay = match fault {
        Some(Fault::Delay { millis }) => Duration::from_millis(millis),
        Some(fault) => return misbehave(&shared, method, &path, fault, drop_connection).await,
        None => Duration::ZERO,
    };
    let upload = if api::takes_upload(&path) {
        read_upload(&headers, body.clone()).await
    } else {
        None
    };
    let request = ApiRequest {
        method,
        path,
        query: uri.query().unwrap_or_default().to_owned(),
        body,
        upload,
    };
    let handled = {
        let mut world = shared.world();
        let handled = api::handle(&mut world, &request);
        let fault = (!delay.is_zero()).then(|| format!("delay {} ms", delay.as_millis()));
        world.log_call(
            method.as_str(),
            &request.path,
            Some(handled.answer.status()),
            handled.answer.errcode(),
            fault,
        );
        handled
    };
    tracing::debug!(
        method = method.as_str(),
        path = %request.path,
        errcode = handled.answer.errcode(),
        "wechat-sandbox: API call"
    );
    for job in handled.pushes {
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            push::deliver(&shared, &job).await;
        });
    }
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    wire::response(handled.answer)
}

/// Whether `path` belongs to the control API (`/sandbox` and everything under it).
fn is_control_path(path: &str) -> bool {
    path.strip_prefix("/sandbox")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The control API's 404, for a path under `/sandbox` that none of its routes serves.
fn unknown_control_route(method: &HttpMethod, path: &str) -> Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;

    let body = serde_json::json!({
        "error": format!("the control API has no route {method} {path}")
    })
    .to_string();
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// Serves a fault instead of the call: the call has no effect.
async fn misbehave(
    shared: &Shared,
    method: Method,
    path: &str,
    fault: Fault,
    drop_connection: Option<axum::Extension<DropConnection>>,
) -> Response {
    let (answer, described) = match fault {
        Fault::Errcode { errcode } => {
            let refusal = Refusal::new(Errcode(errcode));
            (Some(Answer::Refused(refusal)), format!("errcode {errcode}"))
        }
        Fault::HttpStatus { status } => (
            Some(Answer::Status {
                status,
                body: format!(
                    "<html><head><title>{status}</title></head><body><center><h1>{status}</h1></center><hr><center>wechat-sandbox</center></body></html>"
                ),
            }),
            format!("HTTP {status}"),
        ),
        _ => (None, "drop connection".to_owned()),
    };
    let status = answer.as_ref().map(Answer::status);
    let errcode = answer.as_ref().map_or(0, Answer::errcode);
    shared
        .world()
        .log_call(method.as_str(), path, status, errcode, Some(described));
    match answer {
        Some(answer) => wire::response(answer),
        None => {
            if let Some(axum::Extension(DropConnection(notify))) = drop_connection {
                notify.notify_one();
            }
            // The connection goes away; this answer is never written.
            std::future::pending().await
        }
    }
}

/// The first file of a `multipart/form-data` body, if it is one and has a file.
async fn read_upload(headers: &HeaderMap, body: Bytes) -> Option<UploadedFile> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = multipart.next_field().await {
        // A part without a file name is a form value, not a file.
        let (Some(name), Some(_)) = (field.name(), field.file_name()) else {
            continue;
        };
        let name = name.to_owned();
        let data = field.bytes().await.ok()?;
        return Some(UploadedFile { field: name, data });
    }
    None
}
