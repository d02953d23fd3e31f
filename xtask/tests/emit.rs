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

#[test]
fn flattened_structs_are_read_in_one_pass_unless_a_union_or_a_name_clash_needs_serde() {
    let header = json!({"type": "object", "description": "H.",
        "properties": {"From": {"type": "string", "description": "F."}}, "required": ["From"]});
    let code = generate_mp(
        "flat",
        json!({
            "Header": header,
            "Middle": {"type": "object", "description": "M.",
                "allOf": [{"$ref": "#/$defs/Header", "x-rust-name": "header"}],
                "properties": {"y": {"type": "integer", "description": "Y."}}},
            "Outer": {"type": "object", "description": "O.",
                "allOf": [{"$ref": "#/$defs/Middle", "x-rust-name": "middle"}],
                "properties": {"x": {"type": "string", "description": "X."}}, "required": ["x"]},
            "Clash": {"type": "object", "description": "C.",
                "allOf": [{"$ref": "#/$defs/Header", "x-rust-name": "header"}],
                "properties": {"From": {"type": "string", "description": "Clash."}}},
            "Choice": {"description": "U.", "oneOf": [
                {"type": "object", "description": "A.", "properties": {"t": {"const": "a"}}, "required": ["t"]}
            ]},
            "WithUnion": {"type": "object", "description": "W.",
                "allOf": [{"$ref": "#/$defs/Choice", "x-rust-name": "choice"}]}
        }),
    );
    // `Outer` reads `From` (two levels down), `y` and `x` in one struct.
    assert!(
        code.contains(
            "Ok(Self{middle:super::Middle{header:super::Header{from:wire.m0},y:wire.m1,},x:wire.m2,})"
        ),
        "{code}"
    );
    assert!(
        code.contains(r#"#[serde(rename="From")]m0:String,#[serde(rename="y")]#[serde(default)]#[serde(deserialize_with="crate::lenient::option_number")]m1:Option<i64>"#),
        "{code}"
    );
    for name in ["Clash", "WithUnion"] {
        let start = code.find(&format!("pubstruct{name}{{")).unwrap();
        let derive = &code[..start].rfind("#[derive(").unwrap();
        assert!(
            code[*derive..start].contains("serde::Deserialize"),
            "{name} keeps serde's derive: {}",
            &code[*derive..start]
        );
        assert!(
            !code.contains(&format!("serde::Deserialize<'de>for{name}{{")),
            "{name}"
        );
    }
}
