//! Every official example payload (`schemas/<module>/fixtures/<Def>/`) validates against its
//! schema and round-trips through its generated Rust type to the same bytes.

mod support;

use serde_json::Value;
use support::schemas::{self, Fixture};

/// Validates one JSON fixture and round-trips it; returns what went wrong.
fn check_json(fixture: &Fixture) -> Result<(), String> {
    let file = schemas::file_of(&fixture.module, &fixture.def);
    let entry = support::entry(&file, &fixture.def);
    let validator = schemas::validator(&file, &fixture.def);
    let text = fixture.text.trim_end();
    let instance: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let violations = schemas::violations(&validator, &instance);
    if fixture.unknown() {
        if violations.is_empty() {
            return Err("is meant to be unknown to the schema, but matches it".to_owned());
        }
        let written = (entry.json_roundtrip)(text).map_err(|e| format!("does not decode: {e}"))?;
        let written: Value = serde_json::from_str(&written).unwrap();
        return if written == instance {
            Ok(())
        } else {
            Err(format!("Unknown did not keep the payload: {written}"))
        };
    }
    if !violations.is_empty() {
        return Err(format!("does not match its schema: {violations:?}"));
    }
    let written = (entry.json_roundtrip)(text).map_err(|e| format!("does not decode: {e}"))?;
    if fixture.lenient() {
        // The canonical form we write must still be valid.
        let written: Value = serde_json::from_str(&written).unwrap();
        let violations = schemas::violations(&validator, &written);
        if !violations.is_empty() {
            return Err(format!(
                "re-encoded form {written} does not match its schema: {violations:?}"
            ));
        }
    } else if written != text {
        return Err(format!(
            "round trip changed the bytes:\n  fixture: {text}\n  written: {written}"
        ));
    }
    Ok(())
}

#[test]
fn every_json_fixture_validates_and_round_trips_to_the_same_bytes() {
    let fixtures: Vec<_> = schemas::fixtures()
        .into_iter()
        .filter(|f| f.extension == "json")
        .collect();
    let failures: Vec<String> = fixtures
        .iter()
        .filter_map(|f| check_json(f).err().map(|e| format!("{}: {e}", f.path)))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        fixtures.len() >= 50,
        "only {} JSON fixtures found",
        fixtures.len()
    );
}

#[cfg(feature = "xml")]
#[test]
fn every_xml_fixture_decodes_validates_and_round_trips() {
    let fixtures: Vec<_> = schemas::fixtures()
        .into_iter()
        .filter(|f| f.extension == "xml")
        .collect();
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let file = schemas::file_of(&fixture.module, &fixture.def);
        let entry = support::entry(&file, &fixture.def);
        let result = (entry.xml_to_json)(&fixture.text).and_then(|json| {
            let value: Value = serde_json::from_str(&json).unwrap();
            let violations = schemas::violations(&schemas::validator(&file, &fixture.def), &value);
            match (fixture.unknown(), violations.is_empty()) {
                (false, true) | (true, false) => Ok(()),
                (false, false) => Err(format!(
                    "decoded {json} does not match its schema: {violations:?}"
                )),
                (true, true) => Err(format!(
                    "is meant to be unknown to the schema, but {json} matches it"
                )),
            }
        });
        if let Err(e) = result {
            failures.push(format!("{}: {e}", fixture.path));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        fixtures.len() >= 15,
        "only {} XML fixtures found",
        fixtures.len()
    );
}

#[test]
fn inline_examples_validate_and_round_trip() {
    let mut failures = Vec::new();
    let mut count = 0;
    for (file, schema) in schemas::files() {
        for (name, def) in schema["$defs"].as_object().unwrap() {
            let Some(examples) = def.get("examples").and_then(Value::as_array) else {
                continue;
            };
            let validator = schemas::validator(file, name);
            let entry = support::entry(file, name);
            for example in examples {
                count += 1;
                let violations = schemas::violations(&validator, example);
                let text = example.to_string();
                let outcome = if !violations.is_empty() {
                    Err(format!("does not match its schema: {violations:?}"))
                } else {
                    (entry.json_roundtrip)(&text).and_then(|written| {
                        let written: Value = serde_json::from_str(&written).unwrap();
                        if written == *example {
                            Ok(())
                        } else {
                            Err(format!("round trip gave {written}"))
                        }
                    })
                };
                if let Err(e) = outcome {
                    failures.push(format!("{file}#/$defs/{name} example {text}: {e}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(count > 0, "no inline examples found");
}

#[test]
fn every_endpoint_payload_has_an_official_fixture() {
    use wechat_types::{BodySpec, ResponseSpec};
    let fixtures = schemas::fixtures();
    let has_fixture = |pointer: &str| {
        let (file, def) = pointer.split_once("#/$defs/").unwrap();
        let module = file.split('/').next().unwrap();
        support::entry(file, def);
        fixtures.iter().any(|f| f.module == module && f.def == def)
    };
    let mut missing = Vec::new();
    for spec in wechat_types::common::ENDPOINTS
        .iter()
        .chain(wechat_types::mp::ENDPOINTS)
    {
        let body = match spec.body {
            BodySpec::Json(pointer) => Some(pointer),
            _ => None,
        };
        let response = match spec.response {
            ResponseSpec::Json(pointer) | ResponseSpec::Media(pointer) => pointer,
            _ => unreachable!("no other response kind yet"),
        };
        for pointer in spec.query.into_iter().chain(body).chain([response]) {
            if !has_fixture(pointer) {
                missing.push(format!("{}: {pointer}", spec.id));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "payloads without a fixture:\n{}",
        missing.join("\n")
    );
}
