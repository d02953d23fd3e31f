//! Access tokens against the sandbox, with both backends (reference §1): the classic
//! `/cgi-bin/token` with its 5-minute overlap, the stable `/cgi-bin/stable_token` with its
//! renewal and force refresh, the credential errcodes, expiry and the daily quotas, and how the
//! SDK's clients refresh on a stale token or ahead of expiry.

mod support;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use wechat_core::endpoints::common::{GetAccessToken, GetStableAccessToken};
use wechat_core::endpoints::mp::GetWaitCase;
use wechat_core::types::common::{AccessTokenResponse, Errcode, StableTokenRequest, TokenQuery};
use wechat_core::{Endpoint, Error, Method, OfficialAccount, Reply, Request, TokenEndpoint};
use wechat_sandbox::{DEFAULT_APPID, DEFAULT_SECRET, Rules, Sandbox, SandboxConfig};

use support::{Caller, each_backend_with};

const TOKEN: &str = "/cgi-bin/token";
const STABLE: &str = "/cgi-bin/stable_token";
/// The business call the tests make with a token: it needs nothing but a valid one.
const WAIT_CASE: &str = "/customservice/kfsession/getwaitcase";

/// Where the frozen clock of these tests starts: 2023-11-15 06:13:20 in Beijing.
const START: u64 = 1_700_000_000;
/// Seconds from [`START`] to the next midnight in Beijing, when the daily quotas reset.
const TO_BEIJING_MIDNIGHT: u64 = 64_000;

const SECOND: Duration = Duration::from_secs(1);

/// The default configuration with the clock frozen at [`START`], so that lifetimes and
/// `expires_in` read exactly and no quota day ends in the middle of a test.
fn frozen() -> SandboxConfig {
    frozen_with(|_| {})
}

/// [`frozen`], with some rules changed.
fn frozen_with(change: impl Fn(&mut Rules)) -> SandboxConfig {
    let mut config = SandboxConfig::default();
    config.clock.frozen = true;
    config.clock.start = Some(START);
    change(&mut config.rules);
    config
}

/// `secs` seconds.
fn secs(secs: u64) -> Duration {
    Duration::from_secs(secs)
}

/// `GET /cgi-bin/token` with the default app's credentials.
fn classic_token(caller: &Caller) -> Result<AccessTokenResponse, Error> {
    caller.call(&GetAccessToken::new(TokenQuery::new(
        DEFAULT_APPID,
        DEFAULT_SECRET,
    )))
}

/// `POST /cgi-bin/stable_token` with the default app's credentials, in force-refresh mode or
/// not.
fn stable_token(caller: &Caller, force_refresh: bool) -> Result<AccessTokenResponse, Error> {
    let mut request = StableTokenRequest::new(DEFAULT_APPID, DEFAULT_SECRET);
    if force_refresh {
        request = request.with_force_refresh(true);
    }
    caller.call(&GetStableAccessToken::new(request))
}

/// A business call (`getwaitcase`) made with exactly this access_token, not the client's.
struct WithToken(String);

impl Endpoint<OfficialAccount> for WithToken {
    type Output = Value;

    fn request(&self) -> Result<Request, Error> {
        Request::get(WAIT_CASE)
            .without_access_token()
            .with_unchecked_query(&[("access_token", &self.0)])
    }

    fn parse(&self, reply: Reply) -> Result<Value, Error> {
        reply.json()
    }
}

/// What the sandbox says of a business call made with `token`: `Ok` or the errcode.
fn verdict(caller: &Caller, token: &str) -> Result<(), Errcode> {
    match caller.call(&WithToken(token.to_owned())) {
        Ok(_) => Ok(()),
        Err(error) => Err(support::errcode(&error)),
    }
}

/// A token request written by hand, without an access_token: what the typed API refuses to
/// build (no AppID, another grant type, the wrong method).
struct Unsigned {
    method: Method,
    path: &'static str,
    query: Vec<(&'static str, &'static str)>,
    body: Option<Value>,
}

impl Unsigned {
    /// `GET /cgi-bin/token` with this query.
    fn classic(query: &[(&'static str, &'static str)]) -> Self {
        Unsigned {
            method: Method::Get,
            path: TOKEN,
            query: query.to_vec(),
            body: None,
        }
    }

    /// `POST /cgi-bin/stable_token` with this body.
    fn stable(body: Value) -> Self {
        Unsigned {
            method: Method::Post,
            path: STABLE,
            query: Vec::new(),
            body: Some(body),
        }
    }

    /// The same request with another method.
    fn with_method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }
}

impl Endpoint<OfficialAccount> for Unsigned {
    type Output = Value;

    fn request(&self) -> Result<Request, Error> {
        let request = Request::new(self.method, self.path)
            .without_access_token()
            .with_unchecked_query(&self.query)?;
        match &self.body {
            Some(body) => request.with_unchecked_json(body),
            None => Ok(request),
        }
    }

    fn parse(&self, reply: Reply) -> Result<Value, Error> {
        reply.json()
    }
}

/// How a test's own client differs from the one `each_backend` gives.
#[derive(Debug, Clone, Copy, Default)]
struct Setup {
    /// Tokens from `/cgi-bin/token` instead of `/cgi-bin/stable_token`.
    classic: bool,
    /// Token freshness judged by the sandbox's virtual clock instead of the system clock.
    virtual_clock: bool,
}

/// Applies a [`Setup`] to either kind of client builder (they share the setters, not a trait).
macro_rules! configure {
    ($builder:expr, $setup:expr, $sandbox:expr) => {{
        let mut builder = $builder;
        if $setup.classic {
            builder = builder.token_endpoint(TokenEndpoint::Classic);
        }
        if $setup.virtual_clock {
            builder = builder.clock(Arc::new($sandbox.clock()));
        }
        builder
    }};
}

/// A client of the sandbox's app on the same backend as `like`, set up as `setup` says.
fn client(sandbox: &Sandbox, like: &Caller, setup: Setup) -> Caller {
    let app = sandbox.app();
    match like {
        Caller::Async(_) => Caller::Async(
            configure!(app.client(), setup, sandbox)
                .build()
                .expect("an async client"),
        ),
        Caller::Blocking(_) => Caller::Blocking(
            configure!(app.blocking_client(), setup, sandbox)
                .build()
                .expect("a blocking client"),
        ),
    }
}

/// A client that obtains its tokens from `/cgi-bin/token`.
fn classic_client(sandbox: &Sandbox, like: &Caller) -> Caller {
    let setup = Setup {
        classic: true,
        ..Setup::default()
    };
    client(sandbox, like, setup)
}

/// The call log from entry `from` (0-based) on, as (path, errcode) pairs.
fn calls_from(sandbox: &Sandbox, from: usize) -> Vec<(String, i64)> {
    sandbox.calls()[from..]
        .iter()
        .map(|call| (call.path.clone(), call.errcode))
        .collect()
}

/// Expected call-log entries, as [`calls_from`] gives them.
fn expected(entries: &[(&str, Errcode)]) -> Vec<(String, i64)> {
    entries
        .iter()
        .map(|(path, code)| ((*path).to_owned(), code.0))
        .collect()
}

/// The errcode of success in the call log.
const OK: Errcode = Errcode(0);

/// The business call, made with the caller's own token.
fn wait_case(caller: &Caller) {
    caller
        .call(&GetWaitCase)
        .expect("a business call with the client's token");
}

#[test]
fn each_classic_call_issues_a_new_token_and_the_previous_one_lives_five_more_minutes() {
    each_backend_with(frozen, |sandbox, caller| {
        let first = classic_token(caller).unwrap();
        let second = classic_token(caller).unwrap();
        assert_ne!(first.access_token, second.access_token);
        assert_eq!(first.expires_in, 7200);
        assert_eq!(second.expires_in, 7200);
        assert!(
            first.access_token.len() <= 512,
            "fits the documented storage"
        );
        assert_eq!(verdict(caller, &first.access_token), Ok(()));
        assert_eq!(verdict(caller, &second.access_token), Ok(()));

        sandbox.advance(secs(299));
        assert_eq!(
            verdict(caller, &first.access_token),
            Ok(()),
            "in the overlap"
        );
        sandbox.advance(SECOND);
        assert_eq!(
            verdict(caller, &first.access_token),
            Err(Errcode::INVALID_CREDENTIAL),
            "replaced 5 minutes after its successor came"
        );
        assert_eq!(verdict(caller, &second.access_token), Ok(()));

        // The overlap counts from each new token: the second one lives 5 minutes past the third.
        let third = classic_token(caller).unwrap();
        sandbox.advance(secs(299));
        assert_eq!(verdict(caller, &second.access_token), Ok(()));
        sandbox.advance(SECOND);
        assert_eq!(
            verdict(caller, &second.access_token),
            Err(Errcode::INVALID_CREDENTIAL)
        );
        assert_eq!(verdict(caller, &third.access_token), Ok(()));
    });
}

#[test]
fn a_classic_client_holding_a_replaced_token_refreshes_on_40001_and_retries() {
    each_backend_with(frozen, |sandbox, caller| {
        let client = classic_client(sandbox, caller);
        wait_case(&client);
        // Someone else obtains a token with the same credentials.
        classic_token(caller).unwrap();
        sandbox.advance(secs(299));
        let before = sandbox.calls().len();
        wait_case(&client);
        assert_eq!(
            calls_from(sandbox, before),
            expected(&[(WAIT_CASE, OK)]),
            "the old token still works in the overlap"
        );

        sandbox.advance(SECOND);
        let before = sandbox.calls().len();
        wait_case(&client);
        assert_eq!(
            calls_from(sandbox, before),
            expected(&[
                (WAIT_CASE, Errcode::INVALID_CREDENTIAL),
                (TOKEN, OK),
                (WAIT_CASE, OK),
            ])
        );
        let before = sandbox.calls().len();
        wait_case(&client);
        assert_eq!(
            calls_from(sandbox, before),
            expected(&[(WAIT_CASE, OK)]),
            "the new token is kept"
        );
    });
}

#[test]
fn the_stable_token_is_the_same_while_valid_and_reports_its_remaining_lifetime() {
    each_backend_with(frozen, |sandbox, caller| {
        let first = stable_token(caller, false).unwrap();
        assert_eq!(first.expires_in, 7200);
        sandbox.advance(secs(3600));
        let again = stable_token(caller, false).unwrap();
        assert_eq!(again.access_token, first.access_token);
        assert_eq!(again.expires_in, 3600, "the remaining lifetime");
        assert_eq!(
            verdict(caller, &first.access_token),
            Ok(()),
            "asking again did not invalidate it"
        );

        sandbox.advance(secs(3299));
        let last = stable_token(caller, false).unwrap();
        assert_eq!(last.access_token, first.access_token);
        assert_eq!(last.expires_in, 301);

        // Within the last 5 minutes: the next token, while the old one lives out its time.
        sandbox.advance(SECOND);
        let next = stable_token(caller, false).unwrap();
        assert_ne!(next.access_token, first.access_token);
        assert_eq!(next.expires_in, 7200);
        assert_eq!(
            stable_token(caller, false).unwrap().access_token,
            next.access_token
        );
        sandbox.advance(secs(299));
        assert_eq!(verdict(caller, &first.access_token), Ok(()));
        sandbox.advance(SECOND);
        assert_eq!(
            verdict(caller, &first.access_token),
            Err(Errcode::ACCESS_TOKEN_EXPIRED)
        );
        assert_eq!(verdict(caller, &next.access_token), Ok(()));
        assert_eq!(stable_token(caller, false).unwrap().expires_in, 6900);
    });
}

#[test]
fn force_refresh_replaces_the_stable_token_at_once_but_not_twice_within_30_seconds() {
    each_backend_with(frozen, |sandbox, caller| {
        let first = stable_token(caller, false).unwrap();
        sandbox.advance(secs(60));
        let forced = stable_token(caller, true).unwrap();
        assert_ne!(forced.access_token, first.access_token);
        assert_eq!(forced.expires_in, 7200);
        assert_eq!(
            verdict(caller, &first.access_token),
            Err(Errcode::INVALID_CREDENTIAL),
            "invalidated at once"
        );
        assert_eq!(verdict(caller, &forced.access_token), Ok(()));
        assert_eq!(
            stable_token(caller, false).unwrap().access_token,
            forced.access_token,
            "normal mode hands out the new token"
        );

        sandbox.advance(secs(29));
        let soon = stable_token(caller, true).unwrap();
        assert_eq!(
            soon.access_token, forced.access_token,
            "not refreshed within 30 s"
        );
        assert_eq!(soon.expires_in, 7171);
        assert_eq!(verdict(caller, &forced.access_token), Ok(()));

        sandbox.advance(SECOND);
        let later = stable_token(caller, true).unwrap();
        assert_ne!(later.access_token, forced.access_token);
        assert_eq!(
            verdict(caller, &forced.access_token),
            Err(Errcode::INVALID_CREDENTIAL)
        );
        assert_eq!(verdict(caller, &later.access_token), Ok(()));
    });
}

#[test]
fn the_21st_force_refresh_of_a_day_is_45009() {
    each_backend_with(frozen, |sandbox, caller| {
        let mut tokens = HashSet::new();
        let mut last = String::new();
        for _ in 0..20 {
            sandbox.advance(secs(30));
            last = stable_token(caller, true).unwrap().access_token;
            tokens.insert(last.clone());
        }
        assert_eq!(tokens.len(), 20, "each force refresh issued a new token");
        sandbox.advance(secs(30));
        let refused = stable_token(caller, true).unwrap_err();
        assert_eq!(support::errcode(&refused), Errcode::API_DAILY_QUOTA_REACHED);
        assert_eq!(refused.endpoint(), Some(STABLE));
        assert_eq!(
            verdict(caller, &last),
            Ok(()),
            "the refusal changed nothing"
        );
        assert_eq!(
            stable_token(caller, false).unwrap().access_token,
            last,
            "normal mode still works"
        );
    });
}

#[test]
fn the_force_refresh_limit_resets_at_midnight_in_beijing() {
    let config = || frozen_with(|rules| rules.force_refresh_daily_limit = 2);
    each_backend_with(config, |sandbox, caller| {
        stable_token(caller, true).unwrap();
        sandbox.advance(secs(30));
        stable_token(caller, true).unwrap();
        sandbox.advance(secs(30));
        assert_eq!(
            support::errcode(&stable_token(caller, true).unwrap_err()),
            Errcode::API_DAILY_QUOTA_REACHED
        );
        sandbox.advance(secs(TO_BEIJING_MIDNIGHT - 60 - 1));
        assert_eq!(
            support::errcode(&stable_token(caller, true).unwrap_err()),
            Errcode::API_DAILY_QUOTA_REACHED,
            "one second before midnight"
        );
        sandbox.advance(SECOND);
        stable_token(caller, true).unwrap();
    });
}

#[test]
fn wrong_credentials_are_refused_with_wechats_errcodes() {
    each_backend_with(frozen, |sandbox, caller| {
        let typed = |appid: &str, secret: &str| {
            let classic = caller
                .call(&GetAccessToken::new(TokenQuery::new(appid, secret)))
                .unwrap_err();
            let stable = caller
                .call(&GetStableAccessToken::new(StableTokenRequest::new(
                    appid, secret,
                )))
                .unwrap_err();
            (support::errcode(&classic), support::errcode(&stable))
        };
        assert_eq!(
            typed(DEFAULT_APPID, "wrong-secret"),
            (Errcode::INVALID_APPSECRET, Errcode::INVALID_APPSECRET)
        );
        assert_eq!(
            typed("wx0000000000000000", DEFAULT_SECRET),
            (Errcode::INVALID_APPID, Errcode::INVALID_APPID)
        );

        let (appid, secret) = (DEFAULT_APPID, DEFAULT_SECRET);
        let grant = ("grant_type", "client_credential");
        let classic = [
            (
                Unsigned::classic(&[grant, ("secret", secret)]),
                Errcode::APPID_MISSING,
            ),
            (
                Unsigned::classic(&[grant, ("appid", ""), ("secret", secret)]),
                Errcode::APPID_MISSING,
            ),
            (
                Unsigned::classic(&[grant, ("appid", appid)]),
                Errcode::APPSECRET_MISSING,
            ),
            (
                Unsigned::classic(&[grant, ("appid", appid), ("secret", "")]),
                Errcode::APPSECRET_MISSING,
            ),
            (
                Unsigned::classic(&[
                    ("grant_type", "password"),
                    ("appid", appid),
                    ("secret", secret),
                ]),
                Errcode::INVALID_GRANT_TYPE,
            ),
            (
                Unsigned::classic(&[("appid", appid), ("secret", secret)]),
                Errcode::INVALID_GRANT_TYPE,
            ),
            (
                Unsigned::classic(&[grant, ("appid", appid), ("secret", secret)])
                    .with_method(Method::Post),
                Errcode::REQUIRE_GET_METHOD,
            ),
        ];
        let stable = [
            (
                Unsigned::stable(json!({"grant_type": "client_credential", "secret": secret})),
                Errcode::APPID_MISSING,
            ),
            (
                Unsigned::stable(json!({"grant_type": "client_credential", "appid": appid})),
                Errcode::APPSECRET_MISSING,
            ),
            (
                Unsigned::stable(
                    json!({"grant_type": "password", "appid": appid, "secret": secret}),
                ),
                Errcode::INVALID_GRANT_TYPE,
            ),
            (
                Unsigned::stable(json!({"appid": appid, "secret": secret})),
                Errcode::INVALID_GRANT_TYPE,
            ),
            (
                Unsigned::stable(
                    json!({"grant_type": "client_credential", "appid": appid, "secret": secret}),
                )
                .with_method(Method::Get),
                Errcode::REQUIRE_POST_METHOD,
            ),
        ];
        for (request, code) in classic.into_iter().chain(stable) {
            let description = format!(
                "{:?} {} {:?} {:?}",
                request.method, request.path, request.query, request.body
            );
            assert_eq!(caller.errcode(&request), code, "{description}");
        }
        assert!(
            sandbox.calls().iter().all(|call| call.errcode != 0),
            "no token was issued"
        );
        // The same requests, right, are answered.
        let good = Unsigned::classic(&[grant, ("appid", appid), ("secret", secret)]);
        assert_eq!(caller.call(&good).unwrap()["expires_in"], 7200);
        let good = Unsigned::stable(
            json!({"grant_type": "client_credential", "appid": appid, "secret": secret}),
        );
        assert_eq!(caller.call(&good).unwrap()["expires_in"], 7200);
    });
}

#[test]
fn a_client_with_a_wrong_secret_never_reaches_the_business_endpoint() {
    each_backend_with(frozen, |sandbox, caller| {
        let wrong = match caller {
            Caller::Async(_) => Caller::Async(
                wechat_core::Client::official_account(DEFAULT_APPID, "wrong-secret")
                    .base_url(sandbox.url())
                    .build()
                    .unwrap(),
            ),
            Caller::Blocking(_) => Caller::Blocking(
                wechat_core::BlockingClient::official_account(DEFAULT_APPID, "wrong-secret")
                    .base_url(sandbox.url())
                    .build()
                    .unwrap(),
            ),
        };
        let error = wrong.call(&GetWaitCase).unwrap_err();
        assert_eq!(support::errcode(&error), Errcode::INVALID_APPSECRET);
        assert_eq!(error.endpoint(), Some(STABLE));
        assert_eq!(
            calls_from(sandbox, 0),
            expected(&[(STABLE, Errcode::INVALID_APPSECRET)])
        );
    });
}

#[test]
fn missing_and_unknown_tokens() {
    each_backend_with(frozen, |_sandbox, caller| {
        assert_eq!(verdict(caller, ""), Err(Errcode::ACCESS_TOKEN_MISSING));
        assert_eq!(
            verdict(caller, "forged-token"),
            Err(Errcode::INVALID_ACCESS_TOKEN)
        );
    });
}

#[test]
fn an_expired_token_is_42001_and_the_client_refreshes_and_retries_once() {
    let config = || frozen_with(|rules| rules.token_lifetime_secs = 600);
    each_backend_with(config, |sandbox, caller| {
        for (client, path) in [
            (caller.clone(), STABLE),
            (classic_client(sandbox, caller), TOKEN),
        ] {
            let before = sandbox.calls().len();
            wait_case(&client);
            sandbox.advance(secs(599));
            wait_case(&client);
            sandbox.advance(SECOND);
            wait_case(&client);
            assert_eq!(
                calls_from(sandbox, before),
                expected(&[
                    (path, OK),
                    (WAIT_CASE, OK),
                    (WAIT_CASE, OK),
                    (WAIT_CASE, Errcode::ACCESS_TOKEN_EXPIRED),
                    (path, OK),
                    (WAIT_CASE, OK),
                ]),
                "{path}"
            );
        }
        assert_eq!(stable_token(caller, false).unwrap().expires_in, 600);
        assert_eq!(classic_token(caller).unwrap().expires_in, 600);
    });
}

#[test]
fn expire_tokens_ends_the_apps_tokens_now() {
    each_backend_with(frozen, |sandbox, caller| {
        let classic = classic_client(sandbox, caller);
        wait_case(caller);
        wait_case(&classic);
        assert_eq!(sandbox.app().expire_tokens(), 2);
        let before = sandbox.calls().len();
        wait_case(caller);
        wait_case(&classic);
        assert_eq!(
            calls_from(sandbox, before),
            expected(&[
                (WAIT_CASE, Errcode::ACCESS_TOKEN_EXPIRED),
                (STABLE, OK),
                (WAIT_CASE, OK),
                (WAIT_CASE, Errcode::ACCESS_TOKEN_EXPIRED),
                (TOKEN, OK),
                (WAIT_CASE, OK),
            ])
        );
        assert_eq!(
            sandbox.app().expire_tokens(),
            2,
            "only the live tokens count"
        );
        assert_eq!(sandbox.app().expire_tokens(), 0);
    });
}

#[test]
fn a_stable_client_recovers_from_a_force_refresh_made_elsewhere() {
    each_backend_with(frozen, |sandbox, caller| {
        wait_case(caller);
        // Someone else force-refreshes: the client's token is invalidated at once, and its
        // refresh (in normal mode) gets the new one.
        stable_token(caller, true).unwrap();
        let before = sandbox.calls().len();
        wait_case(caller);
        assert_eq!(
            calls_from(sandbox, before),
            expected(&[
                (WAIT_CASE, Errcode::INVALID_CREDENTIAL),
                (STABLE, OK),
                (WAIT_CASE, OK),
            ])
        );
    });
}

#[test]
fn the_classic_daily_limit_is_45009_and_resets_at_midnight_in_beijing() {
    let config = || frozen_with(|rules| rules.token_daily_limit = 3);
    each_backend_with(config, |sandbox, caller| {
        for _ in 0..3 {
            classic_token(caller).unwrap();
        }
        let refused = classic_token(caller).unwrap_err();
        assert_eq!(support::errcode(&refused), Errcode::API_DAILY_QUOTA_REACHED);

        // A client that needs a token now cannot get one.
        let classic = classic_client(sandbox, caller);
        let error = classic.call(&GetWaitCase).unwrap_err();
        assert_eq!(support::errcode(&error), Errcode::API_DAILY_QUOTA_REACHED);
        assert_eq!(error.endpoint(), Some(TOKEN));
        // The stable token has a quota of its own.
        wait_case(caller);

        sandbox.advance(secs(TO_BEIJING_MIDNIGHT - 1));
        assert_eq!(
            support::errcode(&classic_token(caller).unwrap_err()),
            Errcode::API_DAILY_QUOTA_REACHED
        );
        sandbox.advance(SECOND);
        wait_case(&classic);
    });
}

#[test]
fn a_client_on_the_sandbox_clock_refreshes_ahead_of_expiry() {
    each_backend_with(frozen, |sandbox, caller| {
        for (classic, path) in [(false, STABLE), (true, TOKEN)] {
            let setup = Setup {
                classic,
                virtual_clock: true,
            };
            let client = client(sandbox, caller, setup);
            let before = sandbox.calls().len();
            wait_case(&client);
            // The default refresh margin is 5 minutes.
            sandbox.advance(secs(6899));
            wait_case(&client);
            sandbox.advance(SECOND);
            wait_case(&client);
            sandbox.advance(secs(600));
            wait_case(&client);
            assert_eq!(
                calls_from(sandbox, before),
                expected(&[
                    (path, OK),
                    (WAIT_CASE, OK),
                    (WAIT_CASE, OK),
                    (path, OK),
                    (WAIT_CASE, OK),
                    (WAIT_CASE, OK),
                ]),
                "{path}"
            );
        }
        assert!(
            sandbox
                .calls()
                .iter()
                .all(|call| call.errcode != Errcode::ACCESS_TOKEN_EXPIRED.0),
            "never a 42001"
        );
    });
}

#[test]
fn the_two_kinds_of_token_are_isolated() {
    each_backend_with(frozen, |sandbox, caller| {
        let stable = stable_token(caller, false).unwrap().access_token;
        let first = classic_token(caller).unwrap().access_token;
        let second = classic_token(caller).unwrap().access_token;
        assert_ne!(stable, first);
        assert_ne!(stable, second);
        assert_eq!(
            stable_token(caller, false).unwrap().access_token,
            stable,
            "new classic tokens do not renew the stable one"
        );
        sandbox.advance(secs(300));
        assert_eq!(
            verdict(caller, &first),
            Err(Errcode::INVALID_CREDENTIAL),
            "replaced by the second classic token"
        );
        assert_eq!(
            verdict(caller, &stable),
            Ok(()),
            "not replaced by a classic token"
        );

        let forced = stable_token(caller, true).unwrap().access_token;
        assert_ne!(forced, second);
        assert_eq!(verdict(caller, &stable), Err(Errcode::INVALID_CREDENTIAL));
        assert_eq!(
            verdict(caller, &second),
            Ok(()),
            "a force refresh leaves the classic token alone"
        );
        assert_eq!(verdict(caller, &forced), Ok(()));
    });
}
