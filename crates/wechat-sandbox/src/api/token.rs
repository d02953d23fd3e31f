//! `GET /cgi-bin/token` and `POST /cgi-bin/stable_token` (reference §1.1, §1.2).

use serde_json::Value;
use wechat_types::common::{AccessTokenResponse, Errcode, StableTokenRequest};

use super::ApiRequest;
use crate::model::World;
use crate::model::tokens::Grant;
use crate::wire::{self, Answer, Refusal};

/// `GET /cgi-bin/token?grant_type=client_credential&appid=APPID&secret=APPSECRET`.
pub(super) fn classic(world: &mut World, request: &ApiRequest) -> Answer {
    let credentials = Credentials {
        grant_type: request.query_param("grant_type"),
        appid: request.query_param("appid"),
        secret: request.query_param("secret"),
    };
    let now = world.now();
    let result = credentials
        .app(world)
        .and_then(|app| world.tokens.classic(app, now, &world.rules));
    granted(result)
}

/// `POST /cgi-bin/stable_token` with `{"grant_type","appid","secret","force_refresh"}`.
pub(super) fn stable(world: &mut World, request: &ApiRequest) -> Answer {
    let result = stable_request(world, request).and_then(|(app, force_refresh)| {
        let now = world.now();
        world.tokens.stable(app, force_refresh, now, &world.rules)
    });
    granted(result)
}

fn stable_request(world: &World, request: &ApiRequest) -> Result<(usize, bool), Refusal> {
    let body = wire::parse_value(&request.body)?;
    let member = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_owned);
    let app = Credentials {
        grant_type: member("grant_type"),
        appid: member("appid"),
        secret: member("secret"),
    }
    .app(world)?;
    // The members are there; now their types and any member the schema does not know.
    let typed: StableTokenRequest =
        wire::read_json(&request.body, world.strict_json, wire::format_error)?;
    Ok((app, typed.force_refresh.unwrap_or(false)))
}

/// The credentials of a token request, wherever they came from.
struct Credentials {
    grant_type: Option<String>,
    appid: Option<String>,
    secret: Option<String>,
}

impl Credentials {
    /// The app they identify: 40002 for a grant type other than `client_credential`, 41002 /
    /// 41004 for a missing AppID / AppSecret, 40013 for an unknown AppID, 40125 for a wrong
    /// AppSecret.
    fn app(&self, world: &World) -> Result<usize, Refusal> {
        if self.grant_type.as_deref() != Some("client_credential") {
            return Err(Refusal::new(Errcode::INVALID_GRANT_TYPE));
        }
        let appid = match self.appid.as_deref() {
            None | Some("") => return Err(Refusal::new(Errcode::APPID_MISSING)),
            Some(appid) => appid,
        };
        let secret = match self.secret.as_deref() {
            None | Some("") => return Err(Refusal::new(Errcode::APPSECRET_MISSING)),
            Some(secret) => secret,
        };
        let app = world
            .apps
            .iter()
            .position(|app| app.config.appid == appid)
            .ok_or_else(|| Refusal::new(Errcode::INVALID_APPID))?;
        if world.apps[app].config.secret.expose() != secret {
            return Err(Refusal::new(Errcode::INVALID_APPSECRET));
        }
        Ok(app)
    }
}

fn granted(result: Result<Grant, Refusal>) -> Answer {
    match result {
        Ok(grant) => Answer::json(&AccessTokenResponse::new(
            grant.token,
            i64::try_from(grant.expires_in).unwrap_or(i64::MAX),
        )),
        Err(refusal) => refusal.into(),
    }
}
