//! The control API over HTTP (`/sandbox/...`), as a test in another language would use it:
//! plain JSON requests, JSON answers, `{"error": ...}` with 404 or 400 when refused.

mod support;

use serde_json::{Value, json};
use wechat_core::callback::Receiver;
use wechat_core::endpoints::mp::{AddKfAccount, InviteKfWorker, SendCustomMessage};
use wechat_core::types::mp::{
    CustomMessage, InviteWorkerRequest, KfAccount, KfAccountProfile, Text,
};
use wechat_sandbox::{DEFAULT_APPID, Sandbox};

use support::bot::{Answer, Bot};
use support::{BACKENDS, Caller};

/// One control request; answers the status and the JSON body.
fn control(sandbox: &Sandbox, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let url = format!("{}{path}", sandbox.url());
    let response = match (method, body) {
        ("GET", _) => agent.get(&url).call(),
        ("DELETE", _) => agent.delete(&url).call(),
        ("POST", None) => agent.post(&url).send_empty(),
        ("POST", Some(body)) => agent.post(&url).send(body.to_string()),
        ("PUT", Some(body)) => agent.put(&url).send(body.to_string()),
        other => panic!("no such request in these tests: {other:?}"),
    };
    let mut response = response.expect("the sandbox answers");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, value)
}

fn app_path(rest: &str) -> String {
    format!("/sandbox/apps/{DEFAULT_APPID}{rest}")
}

#[test]
fn overview_and_clock() {
    let sandbox = Sandbox::start().unwrap();
    let (status, overview) = control(&sandbox, "GET", "/sandbox", None);
    assert_eq!(status, 200);
    assert_eq!(overview["apps"][0]["appid"], DEFAULT_APPID);
    assert_eq!(overview["apps"][0]["users"], 0);
    let (_, clock) = control(&sandbox, "GET", "/sandbox/clock", None);
    let now = clock["now"].as_u64().unwrap();
    assert_eq!(clock["frozen"], false);
    let (status, advanced) = control(
        &sandbox,
        "POST",
        "/sandbox/clock/advance",
        Some(json!({"seconds": 172_800})),
    );
    assert_eq!(status, 200);
    assert!(advanced["now"].as_u64().unwrap() >= now + 172_800);
    assert!(
        sandbox.clock().unix() >= now + 172_800,
        "the same clock as the Rust handle"
    );
}

#[test]
fn users_write_and_read_what_they_received() {
    for backend in BACKENDS {
        let sandbox = Sandbox::start().unwrap();
        let caller = Caller::new(&sandbox, backend);
        let (status, user) = control(
            &sandbox,
            "POST",
            &app_path("/users"),
            Some(json!({"openid": "oAnn", "nickname": "Ann"})),
        );
        assert_eq!(status, 200, "{user}");
        assert_eq!(
            user,
            json!({"openid": "oAnn", "nickname": "Ann", "subscribed": true, "typing": false, "session": {"state": "none"}, "received": 0})
        );
        let (_, generated) = control(&sandbox, "POST", &app_path("/users"), None);
        let openid = generated["openid"].as_str().unwrap();
        assert_eq!(openid.len(), 28);
        assert!(openid.starts_with('o'));

        let (status, report) = control(
            &sandbox,
            "POST",
            &app_path("/users/oAnn/messages"),
            Some(json!({"type": "text", "content": "在吗"})),
        );
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["route"], json!({"to": "no_callback"}));
        assert_eq!(report["outcome"], json!({"kind": "not_pushed"}));
        let (_, user) = control(&sandbox, "GET", &app_path("/users/oAnn"), None);
        assert_eq!(user["window"]["remaining"], 5);
        assert_eq!(user["window"]["open"], true);

        for text in ["在的", "请讲"] {
            caller
                .call(&SendCustomMessage::new(CustomMessage::new(
                    "oAnn",
                    Text::new(text),
                )))
                .unwrap();
        }
        let (_, inbox) = control(&sandbox, "GET", &app_path("/users/oAnn/inbox"), None);
        assert_eq!(inbox.as_array().unwrap().len(), 2);
        assert_eq!(inbox[0]["via"], "custom_message");
        assert_eq!(inbox[0]["payload"], json!({"content": "在的"}));
        let (_, rest) = control(
            &sandbox,
            "GET",
            &app_path("/users/oAnn/inbox?after=1"),
            None,
        );
        assert_eq!(rest.as_array().unwrap().len(), 1);
        assert_eq!(rest[0]["seq"], 2);

        let (_, users) = control(&sandbox, "GET", &app_path("/users"), None);
        assert_eq!(users.as_array().unwrap().len(), 2);

        let (_, unfollowed) = control(&sandbox, "POST", &app_path("/users/oAnn/unfollow"), None);
        assert_eq!(unfollowed["subscribed"], false);
        let (_, followed) = control(&sandbox, "POST", &app_path("/users/oAnn/follow"), None);
        assert_eq!(followed["subscribed"], true);
    }
}

#[test]
fn refusals_are_json_with_404_or_400() {
    let sandbox = Sandbox::start().unwrap();
    let cases = [
        (
            "GET",
            "/sandbox/apps/wxNOPE/users".to_owned(),
            None,
            404,
            "no app wxNOPE",
        ),
        (
            "GET",
            app_path("/users/oNOBODY"),
            None,
            404,
            "no user oNOBODY",
        ),
        (
            "POST",
            app_path("/users/oNOBODY/messages"),
            Some(json!({"type": "text", "content": "x"})),
            404,
            "no user",
        ),
        (
            "POST",
            app_path("/users"),
            Some(json!({"openid": 5})),
            400,
            "request body",
        ),
        (
            "POST",
            app_path("/users"),
            Some(json!({"nick": "x"})),
            400,
            "unknown field",
        ),
        (
            "POST",
            "/sandbox/clock/advance".to_owned(),
            Some(json!({})),
            400,
            "seconds",
        ),
        (
            "POST",
            app_path("/kf/nobody@sandbox_oa/online"),
            Some(json!({"online": true})),
            404,
            "no kf account",
        ),
        (
            "POST",
            "/sandbox/faults".to_owned(),
            Some(json!({"fault": {"kind": "explode"}})),
            400,
            "request body",
        ),
        (
            "GET",
            app_path("/media/NO_SUCH_MEDIA"),
            None,
            404,
            "no media",
        ),
        (
            "PUT",
            app_path("/callback"),
            Some(json!({"url": "http://127.0.0.1:9", "token": "t", "mode": "safe"})),
            400,
            "encoding_aes_key",
        ),
    ];
    for (method, path, body, status, error) in cases {
        let (got, answer) = control(&sandbox, method, &path, body);
        assert_eq!(got, status, "{method} {path}: {answer}");
        let message = answer["error"].as_str().unwrap_or_default();
        assert!(message.contains(error), "{method} {path}: {answer}");
    }
    control(
        &sandbox,
        "POST",
        app_path("/users").as_str(),
        Some(json!({"openid": "oAnn"})),
    );
    let (status, taken) = control(
        &sandbox,
        "POST",
        &app_path("/users"),
        Some(json!({"openid": "oAnn"})),
    );
    assert_eq!(status, 400);
    assert!(
        taken["error"].as_str().unwrap().contains("taken"),
        "{taken}"
    );
}

#[test]
fn the_callback_is_set_and_removed_over_http() {
    let sandbox = Sandbox::start().unwrap();
    let bot = Bot::start(Receiver::official_account("tok"), |_| Answer::Success);
    let (status, _) = control(
        &sandbox,
        "PUT",
        &app_path("/callback"),
        Some(json!({"url": bot.url(), "token": "tok"})),
    );
    assert_eq!(status, 200);
    control(
        &sandbox,
        "POST",
        &app_path("/users"),
        Some(json!({"openid": "oAnn"})),
    );
    let (_, report) = control(
        &sandbox,
        "POST",
        &app_path("/users/oAnn/messages"),
        Some(json!({"type": "location", "latitude": 23.13, "longitude": 113.26, "label": "广州"})),
    );
    assert_eq!(report["route"], json!({"to": "callback"}));
    assert_eq!(report["outcome"], json!({"kind": "no_reply"}));
    assert_eq!(report["attempts"], 1);
    assert_eq!(bot.seen(|seen| seen.pushes.len()), 1);
    let (status, _) = control(&sandbox, "DELETE", &app_path("/callback"), None);
    assert_eq!(status, 200);
    let (_, report) = control(
        &sandbox,
        "POST",
        &app_path("/users/oAnn/messages"),
        Some(json!({"type": "text", "content": "anyone?"})),
    );
    assert_eq!(report["route"], json!({"to": "no_callback"}));
}

#[test]
fn kf_workers_and_tokens_over_http() {
    for backend in BACKENDS {
        let sandbox = Sandbox::start().unwrap();
        let caller = Caller::new(&sandbox, backend);
        let kf = "kf1@sandbox_oa";
        caller
            .call(&AddKfAccount::new(KfAccountProfile::new(
                KfAccount::new(kf),
                "小美",
            )))
            .unwrap();
        caller
            .call(&InviteKfWorker::new(InviteWorkerRequest::new(
                KfAccount::new(kf),
                "xiaomei_wx",
            )))
            .unwrap();
        let (status, offline) = control(
            &sandbox,
            "POST",
            &app_path(&format!("/kf/{kf}/online")),
            Some(json!({"online": true})),
        );
        assert_eq!(status, 400, "not bound yet: {offline}");
        let (status, answered) = control(
            &sandbox,
            "POST",
            &app_path(&format!("/kf/{kf}/invitation")),
            Some(json!({"accept": true})),
        );
        assert_eq!(status, 200);
        assert_eq!(
            answered,
            json!({"kf_account": kf, "invite_wx": "xiaomei_wx", "bound": true})
        );
        let (status, _) = control(
            &sandbox,
            "POST",
            &app_path(&format!("/kf/{kf}/online")),
            Some(json!({"online": true})),
        );
        assert_eq!(status, 200);
        control(
            &sandbox,
            "POST",
            &app_path("/users"),
            Some(json!({"openid": "oAnn"})),
        );
        let (status, not_waiting) = control(
            &sandbox,
            "POST",
            &app_path(&format!("/kf/{kf}/accept")),
            Some(json!({"openid": "oAnn"})),
        );
        assert_eq!(status, 400);
        assert!(
            not_waiting["error"]
                .as_str()
                .unwrap()
                .contains("not waiting")
        );

        let (_, expired) = control(&sandbox, "POST", &app_path("/tokens/expire"), None);
        assert_eq!(expired, json!({"expired": 1}));
        let (_, none_left) = control(&sandbox, "POST", &app_path("/tokens/expire"), None);
        assert_eq!(none_left, json!({"expired": 0}));

        let (_, calls) = control(&sandbox, "GET", "/sandbox/calls", None);
        let paths: Vec<&str> = calls
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["path"].as_str().unwrap())
            .collect();
        assert_eq!(
            paths,
            [
                "/cgi-bin/stable_token",
                "/customservice/kfaccount/add",
                "/customservice/kfaccount/inviteworker"
            ]
        );
    }
}
