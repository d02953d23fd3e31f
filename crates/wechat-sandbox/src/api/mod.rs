//! The emulated WeChat API: one handler per endpoint, found by the method and path of the
//! generated endpoint declarations (`wechat_types::common::ENDPOINTS`,
//! `wechat_types::mp::ENDPOINTS`), so that a path is written once, in a schema.
//!
//! Handlers are synchronous and run under the world's lock; what needs IO (multipart parsing
//! before, pushes after) happens outside it.

mod kf_account;
mod kf_session;
mod media;
mod msg_record;
mod send;
mod token;
mod typing;

use bytes::Bytes;
use wechat_types::common::Errcode;
use wechat_types::{BodySpec, EndpointSpec, Method};

use crate::model::World;
use crate::push::PushJob;
use crate::wire::{Answer, Refusal};

/// One request to the emulated API, read off the wire.
#[derive(Debug, Clone)]
pub(crate) struct ApiRequest {
    pub(crate) method: Method,
    pub(crate) path: String,
    /// The raw query string, without `?`.
    pub(crate) query: String,
    pub(crate) body: Bytes,
    /// The file of a multipart upload, read before the handler runs.
    pub(crate) upload: Option<UploadedFile>,
}

/// The file part of a `multipart/form-data` upload.
#[derive(Debug, Clone)]
pub(crate) struct UploadedFile {
    /// The form field it came in.
    pub(crate) field: String,
    pub(crate) data: Bytes,
}

impl ApiRequest {
    /// The first value of query parameter `name`, decoded.
    pub(crate) fn query_param(&self, name: &str) -> Option<String> {
        form_urlencoded::parse(self.query.as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }

    /// The file in form field `field`: 41005 when there is none.
    pub(crate) fn file(&self, field: &str) -> Result<&UploadedFile, Refusal> {
        self.upload
            .as_ref()
            .filter(|file| file.field == field)
            .ok_or_else(|| {
                Refusal::hint(
                    Errcode::MEDIA_DATA_MISSING,
                    format!("no file in form field `{field}`"),
                )
            })
    }
}

/// What a handler answers, and the pushes its call causes (session events).
#[derive(Debug)]
pub(crate) struct Handled {
    pub(crate) answer: Answer,
    pub(crate) pushes: Vec<PushJob>,
}

impl Handled {
    fn answer(answer: impl Into<Answer>) -> Self {
        Handled {
            answer: answer.into(),
            pushes: Vec::new(),
        }
    }
}

impl From<Result<Answer, Refusal>> for Handled {
    fn from(result: Result<Answer, Refusal>) -> Self {
        Handled::answer(result.unwrap_or_else(Answer::Refused))
    }
}

/// A handler of an endpoint that needs an access_token, for the app the token belongs to.
type AppHandler = fn(&mut World, usize, &ApiRequest) -> Handled;

/// How an endpoint is served.
#[derive(Clone, Copy)]
enum Serve {
    /// A token endpoint: credentials in the request itself.
    Token(fn(&mut World, &ApiRequest) -> Answer),
    /// A business endpoint of one app, after the access_token check.
    App(AppHandler),
}

/// Every emulated endpoint, by its generated declaration.
const ENDPOINTS: &[(&EndpointSpec, Serve)] = &[
    (
        &wechat_types::common::GET_ACCESS_TOKEN,
        Serve::Token(token::classic),
    ),
    (
        &wechat_types::common::GET_STABLE_ACCESS_TOKEN,
        Serve::Token(token::stable),
    ),
    (
        &wechat_types::common::UPLOAD_TEMP_MEDIA,
        Serve::App(media::upload),
    ),
    (
        &wechat_types::common::GET_TEMP_MEDIA,
        Serve::App(media::get),
    ),
    (
        &wechat_types::mp::SEND_CUSTOM_MESSAGE,
        Serve::App(send::send),
    ),
    (&wechat_types::mp::SET_TYPING, Serve::App(typing::typing)),
    (
        &wechat_types::mp::ADD_KF_ACCOUNT,
        Serve::App(kf_account::add),
    ),
    (
        &wechat_types::mp::UPDATE_KF_ACCOUNT,
        Serve::App(kf_account::update),
    ),
    (
        &wechat_types::mp::DELETE_KF_ACCOUNT,
        Serve::App(kf_account::delete),
    ),
    (
        &wechat_types::mp::UPLOAD_KF_HEAD_IMG,
        Serve::App(kf_account::upload_headimg),
    ),
    (&wechat_types::mp::GET_KF_LIST, Serve::App(kf_account::list)),
    (
        &wechat_types::mp::GET_ONLINE_KF_LIST,
        Serve::App(kf_account::list_online),
    ),
    (
        &wechat_types::mp::INVITE_KF_WORKER,
        Serve::App(kf_account::invite),
    ),
    (
        &wechat_types::mp::CREATE_KF_SESSION,
        Serve::App(kf_session::create),
    ),
    (
        &wechat_types::mp::CLOSE_KF_SESSION,
        Serve::App(kf_session::close),
    ),
    (
        &wechat_types::mp::GET_KF_SESSION,
        Serve::App(kf_session::get),
    ),
    (
        &wechat_types::mp::GET_KF_SESSION_LIST,
        Serve::App(kf_session::list),
    ),
    (
        &wechat_types::mp::GET_WAIT_CASE,
        Serve::App(kf_session::wait_case),
    ),
    (
        &wechat_types::mp::GET_MSG_LIST,
        Serve::App(msg_record::get_msg_list),
    ),
];

/// The declaration of the endpoint at `path`, if the sandbox emulates one there.
pub(crate) fn spec(path: &str) -> Option<&'static EndpointSpec> {
    ENDPOINTS
        .iter()
        .find(|(spec, _)| spec.path == path)
        .map(|(spec, _)| *spec)
}

/// Whether the endpoint at `path` takes a multipart upload (whose body is parsed first).
pub(crate) fn takes_upload(path: &str) -> bool {
    spec(path).is_some_and(|spec| matches!(spec.body, BodySpec::Multipart { .. }))
}

/// Serves one API request: the method check (43001/43002), the access_token check, then the
/// endpoint's handler.
pub(crate) fn handle(world: &mut World, request: &ApiRequest) -> Handled {
    let Some((spec, serve)) = ENDPOINTS.iter().find(|(spec, _)| spec.path == request.path) else {
        return Handled::answer(Answer::Status {
            status: 404,
            body: format!(
                "<html><body>wechat-sandbox does not emulate {}</body></html>",
                request.path
            ),
        });
    };
    if request.method != spec.method && !kf_account::accepts_legacy_get(spec, request) {
        return Handled::answer(Refusal::new(match spec.method {
            Method::Get => Errcode::REQUIRE_GET_METHOD,
            _ => Errcode::REQUIRE_POST_METHOD,
        }));
    }
    match serve {
        Serve::Token(serve) => Handled::answer(serve(world, request)),
        Serve::App(serve) => {
            let token = request.query_param("access_token");
            match world.tokens.check(token.as_deref(), world.now()) {
                Ok(app) => serve(world, app, request),
                Err(refusal) => Handled::answer(refusal),
            }
        }
    }
}

/// 65400 unless the app has the new customer-service feature enabled (§10).
pub(crate) fn kf_enabled(world: &World, app: usize) -> Result<(), Refusal> {
    if world.apps[app].config.kf_enabled {
        Ok(())
    } else {
        Err(Refusal::new(Errcode::NEW_CUSTOM_SERVICE_NOT_ENABLED))
    }
}

/// The query of an endpoint as its generated type: the members the type requires are
/// required; a missing or malformed one is refused with `code`.
pub(crate) fn read_query<Q: serde::de::DeserializeOwned>(
    request: &ApiRequest,
    code: Errcode,
) -> Result<Q, Refusal> {
    serde_urlencoded::from_str(&request.query).map_err(|e| Refusal::hint(code, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_endpoint_of_the_official_account_is_emulated() {
        for spec in wechat_types::common::ENDPOINTS
            .iter()
            .chain(wechat_types::mp::ENDPOINTS)
        {
            assert!(
                ENDPOINTS.iter().any(|(served, _)| served == spec),
                "{} {} is declared in schemas/ but not emulated",
                spec.method.as_str(),
                spec.path
            );
        }
    }

    #[test]
    fn no_path_is_served_twice() {
        for (i, (spec, _)) in ENDPOINTS.iter().enumerate() {
            assert!(
                ENDPOINTS[..i]
                    .iter()
                    .all(|(other, _)| other.path != spec.path),
                "{}",
                spec.path
            );
        }
    }
}
