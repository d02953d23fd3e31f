//! Credentials never appear in `Debug` output.

use wechat_types::common::{AccessTokenResponse, StableTokenRequest, TokenQuery};

const SECRET: &str = "s3cr3t-AppSecret-0123456789abcdef";
const TOKEN: &str = "ACCESS_TOKEN_81_g3xBX6p0mR7dBnT2kW";

#[test]
fn debug_redacts_secrets_and_tokens() {
    let outputs = [
        format!("{:?}", TokenQuery::new("APPID", SECRET)),
        format!(
            "{:#?}",
            StableTokenRequest::new("APPID", SECRET).with_force_refresh(true)
        ),
        format!(
            "{:?}",
            serde_json::from_str::<AccessTokenResponse>(&format!(
                r#"{{"access_token":"{TOKEN}","expires_in":7200}}"#
            ))
            .unwrap()
        ),
    ];
    for output in &outputs {
        assert!(
            !output.contains(SECRET) && !output.contains(TOKEN),
            "leaked: {output}"
        );
        assert!(output.contains("<redacted>"), "{output}");
    }
    // What is not secret stays readable.
    assert!(
        outputs[0].contains("APPID") && outputs[0].contains("ClientCredential"),
        "{}",
        outputs[0]
    );
    assert!(outputs[2].contains("7200"), "{}", outputs[2]);
}

#[test]
fn the_wire_form_still_carries_the_secret() {
    // Redaction is for logs only: WeChat must receive the real value.
    let json = serde_json::to_string(&StableTokenRequest::new("APPID", SECRET)).unwrap();
    assert!(json.contains(SECRET));
}
