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
