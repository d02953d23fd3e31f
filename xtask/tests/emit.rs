//! Emitter paths that the current schemas do not exercise yet.

use serde_json::json;
use xtask::codegen::{Source, generate_from};

#[test]
fn number_bounds_become_float_literals_and_negative_bounds_parse() {
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://wechat-sdk.invalid/schemas/mp/place.schema.json",
        "description": "A place.",
        "$defs": {"Place": {
            "type": "object",
            "description": "A place.",
            "properties": {
                "latitude": {"type": "number", "description": "Latitude.", "minimum": -90, "maximum": 90},
                "floor": {"type": "integer", "format": "int32", "description": "Floor.", "minimum": -5}
            },
            "required": ["latitude"]
        }}
    });
    let outputs = generate_from(&[Source {
        path: "mp/place.schema.json".into(),
        text: schema.to_string(),
    }])
    .unwrap();
    let code = &outputs["crates/wechat-types/src/generated/mp/place.rs"];
    let flat: String = code.split_whitespace().collect();
    assert!(
        flat.contains("crate::validate::range(self.latitude,Some(-90.0),Some(90.0),&at)?;"),
        "{code}"
    );
    assert!(
        flat.contains("crate::validate::range(i128::from(*value),Some(-5),None,&at)?;"),
        "{code}"
    );
    assert!(
        flat.contains("range(min=-90,max=90)"),
        "schemars keeps the schema's numbers: {code}"
    );
}

fn generate_mp(name: &str, defs: serde_json::Value) -> String {
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("https://wechat-sdk.invalid/schemas/mp/{name}.schema.json"),
        "description": "A test.",
        "$defs": defs
    });
    let outputs = generate_from(&[Source {
        path: format!("mp/{name}.schema.json"),
        text: schema.to_string(),
    }])
    .unwrap_or_else(|e| panic!("{e}"));
    let code = &outputs[&format!("crates/wechat-types/src/generated/mp/{name}.rs")];
    code.split_whitespace().collect()
}

#[test]
fn open_unions_name_nested_tags_and_consume_the_body_of_unit_and_inline_variants() {
    let branch = |tag: &str, value: &str, target: &str| {
        json!({"description": "B.", "$ref": format!("#/$defs/{target}"),
               "properties": {tag: {"const": value}}, "required": [tag]})
    };
    let code = generate_mp(
        "nested",
        json!({
            "Outer": {"description": "O.", "x-rust-unknown": true, "oneOf": [
                branch("kind", "middle", "Middle"),
                {"type": "object", "description": "U.", "properties": {"kind": {"const": "unit"}}, "required": ["kind"]},
                {"type": "object", "description": "I.", "properties": {"kind": {"const": "inline"},
                    "n": {"type": "integer", "description": "N."}}, "required": ["kind", "n"]}
            ]},
            "Middle": {"description": "M.", "x-rust-unknown": true, "oneOf": [branch("sub", "inner", "Inner")]},
            "Inner": {"description": "I.", "x-rust-unknown": true, "oneOf": [branch("leaf", "a", "A")]},
            "A": {"type": "object", "description": "A.", "properties": {"x": {"type": "string", "description": "X."}}}
        }),
    );
    for expected in [
        r#"constHINT:&'static[&'staticstr]=&["kind","sub","leaf"];"#,
        r#"constHINT:&'static[&'staticstr]=&["sub","leaf"];"#,
        r#""unit"=>{<serde::de::IgnoredAnyasserde::Deserialize>::deserialize(body)?;Self::Unit}"#,
        r#"letfields=<Fieldsasserde::Deserialize>::deserialize(body)?;Self::Inline{n:fields.n}"#,
        "_=>returnOk(Err(body)),",
    ] {
        assert!(code.contains(expected), "{expected} not in {code}");
    }
}
