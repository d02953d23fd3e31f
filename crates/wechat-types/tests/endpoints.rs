//! Endpoint declarations point at real types and match the reference's paths.

mod support;

use wechat_types::{BodySpec, EndpointSpec, Host, Method, ResponseSpec};

fn all() -> Vec<&'static EndpointSpec> {
    wechat_types::common::ENDPOINTS
        .iter()
        .chain(wechat_types::mp::ENDPOINTS)
        .copied()
        .collect()
}

#[test]
fn every_schema_pointer_names_a_generated_type() {
    for spec in all() {
        let body = match spec.body {
            BodySpec::Json(pointer) => Some(pointer),
            _ => None,
        };
        let response = match spec.response {
            ResponseSpec::Json(pointer) | ResponseSpec::Media(pointer) => pointer,
            _ => unreachable!(),
        };
        for pointer in spec.query.into_iter().chain(body).chain([response]) {
            let (file, def) = pointer.split_once("#/$defs/").unwrap();
            support::entry(file, def);
        }
    }
}

#[test]
fn the_official_account_api_is_complete() {
    let table: Vec<(Method, &str)> = all().iter().map(|s| (s.method, s.path)).collect();
    let expected = [
        (Method::Get, "/cgi-bin/token"),
        (Method::Post, "/cgi-bin/stable_token"),
        (Method::Post, "/cgi-bin/media/upload"),
        (Method::Get, "/cgi-bin/media/get"),
        (Method::Post, "/cgi-bin/message/custom/send"),
        (Method::Post, "/cgi-bin/message/custom/typing"),
        (Method::Post, "/customservice/kfaccount/add"),
        (Method::Post, "/customservice/kfaccount/update"),
        (Method::Post, "/customservice/kfaccount/del"),
        (Method::Post, "/customservice/kfaccount/uploadheadimg"),
        (Method::Get, "/cgi-bin/customservice/getkflist"),
        (Method::Get, "/cgi-bin/customservice/getonlinekflist"),
        (Method::Post, "/customservice/kfaccount/inviteworker"),
        (Method::Post, "/customservice/kfsession/create"),
        (Method::Post, "/customservice/kfsession/close"),
        (Method::Get, "/customservice/kfsession/getsession"),
        (Method::Get, "/customservice/kfsession/getsessionlist"),
        (Method::Get, "/customservice/kfsession/getwaitcase"),
        (Method::Post, "/customservice/msgrecord/getmsglist"),
    ];
    for endpoint in expected {
        assert!(table.contains(&endpoint), "missing {endpoint:?}");
    }
    assert_eq!(table.len(), expected.len(), "{table:?}");
    assert!(all().iter().all(|s| s.host == Host::Api));
}

#[test]
fn only_token_endpoints_go_without_an_access_token() {
    for spec in all() {
        let is_token_endpoint =
            spec.path.ends_with("/token") || spec.path.ends_with("/stable_token");
        assert_eq!(spec.access_token, !is_token_endpoint, "{}", spec.id);
    }
    let upload = wechat_types::common::UPLOAD_TEMP_MEDIA;
    assert_eq!(upload.body, BodySpec::Multipart { field: "media" });
    assert_eq!(
        wechat_types::mp::UPLOAD_KF_HEAD_IMG.query,
        Some("mp/kf_account.schema.json#/$defs/UploadHeadImgQuery")
    );
}

#[test]
fn wechat_work_endpoints_are_served_by_qyapi() {
    let gettoken = wechat_types::work::GET_ACCESS_TOKEN;
    assert_eq!(
        (gettoken.method, gettoken.path),
        (Method::Get, "/cgi-bin/gettoken")
    );
    assert!(!gettoken.access_token);
    assert!(
        wechat_types::work::ENDPOINTS
            .iter()
            .all(|s| s.host == Host::Qyapi)
    );
}

#[test]
fn every_credential_member_is_listed_for_masking() {
    assert_eq!(
        wechat_types::SECRET_MEMBERS,
        ["Token", "access_token", "corpsecret", "secret"]
    );
}
