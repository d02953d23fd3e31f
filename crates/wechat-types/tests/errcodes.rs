//! The errcode catalogue: data validated by its meta-schema, typed in Rust.

mod support;

use wechat_types::Handling;
use wechat_types::common::Errcode;

#[test]
fn catalogue_matches_its_meta_schema() {
    let dir = support::schemas::dir();
    let meta = support::schemas::read_json(&dir.join("meta/errcodes.schema.json"));
    let catalogue = support::schemas::read_json(&dir.join("common/errcodes.json"));
    let validator = jsonschema::validator_for(&meta).unwrap();
    let violations = support::schemas::violations(&validator, &catalogue);
    assert!(violations.is_empty(), "{violations:?}");
    assert_eq!(
        catalogue["codes"].as_array().unwrap().len(),
        Errcode::KNOWN.len()
    );
}

#[test]
fn token_errors_tell_the_client_to_refresh() {
    for code in [
        Errcode::INVALID_CREDENTIAL,
        Errcode::INVALID_ACCESS_TOKEN,
        Errcode::ACCESS_TOKEN_EXPIRED,
    ] {
        assert_eq!(
            code.info().unwrap().handling,
            Handling::RefreshToken,
            "{code:?}"
        );
        assert!(code.is_retryable());
    }
    assert_eq!(Errcode::INVALID_CREDENTIAL, Errcode::from(40001));
}

#[test]
fn handling_decides_retryability() {
    assert!(Errcode::SYSTEM_ERROR.is_retryable());
    assert!(Errcode::API_MINUTE_QUOTA_REACHED.is_retryable());
    assert!(
        !Errcode::API_DAILY_QUOTA_REACHED.is_retryable(),
        "a daily quota does not come back by retrying"
    );
    assert!(!Errcode::RESPONSE_OUT_OF_TIME_LIMIT.is_retryable());
    assert!(!Errcode::OUT_OF_RESPONSE_COUNT_LIMIT.is_retryable());
    assert_eq!(Errcode(45081).info().unwrap().handling, Handling::Ignore);
}

#[test]
fn every_code_of_reference_section_10_is_known() {
    let codes = [
        -1, 40001, 40002, 40003, 40004, 40005, 40006, 40007, 40008, 40009, 40013, 40014, 40125,
        40164, 40200, 40243, 41001, 41002, 41004, 42001, 43002, 43004, 44004, 45002, 45008, 45009,
        45011, 45015, 45047, 45072, 45080, 45081, 45162, 48001, 50002, 50004, 50007, 61450, 61451,
        61452, 61453, 61454, 61455, 61456, 61457, 61458, 61459, 61500, 61501, 65400, 65401, 65402,
        65403, 65404, 65405, 65406, 65407, 65408, 65409, 65410, 65411, 65412, 65413, 65414, 65415,
        65416, 65417, 70000, 89503, 89506, 89507,
    ];
    let missing: Vec<i64> = codes
        .into_iter()
        .filter(|c| Errcode(*c).info().is_none())
        .collect();
    assert!(missing.is_empty(), "{missing:?}");
}

#[test]
fn unknown_codes_are_preserved_and_printable() {
    let unknown = Errcode(12345);
    assert_eq!(unknown.info(), None);
    assert!(!unknown.is_retryable());
    assert_eq!(format!("{unknown:?} {unknown}"), "Errcode(12345) 12345");
    assert_eq!(
        format!("{:?}", Errcode::INVALID_CREDENTIAL),
        "Errcode(40001 INVALID_CREDENTIAL)"
    );
    assert!(
        Errcode::INVALID_CREDENTIAL
            .to_string()
            .starts_with("40001 (")
    );
    assert_eq!(serde_json::to_string(&Errcode(-1)).unwrap(), "-1");
    assert_eq!(
        serde_json::from_str::<Errcode>("45015").unwrap(),
        Errcode::RESPONSE_OUT_OF_TIME_LIMIT
    );
    assert!(Errcode::KNOWN.windows(2).all(|w| w[0].code < w[1].code));
}
