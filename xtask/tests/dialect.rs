//! Schemas outside the dialect are rejected with the file, the JSON pointer and a useful message.

use serde_json::{Value, json};
use xtask::codegen::{DialectError, Source, build_catalog};

const FILE: &str = "mp/sample.schema.json";

/// A valid file with one object definition and one union; tests break one thing at a time.
fn valid() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://wechat-sdk.invalid/schemas/mp/sample.schema.json",
        "description": "A sample.",
        "$defs": {
            "Payload": {
                "type": "object",
                "description": "A payload.",
                "properties": {"content": {"type": "string", "description": "Text.", "maxLength": 10}},
                "required": ["content"]
            },
            "Message": {
                "description": "A message.",
                "oneOf": [{
                    "type": "object",
                    "description": "A text message.",
                    "properties": {"msgtype": {"const": "text"}, "text": {"$ref": "#/$defs/Payload", "description": "Payload."}},
                    "required": ["msgtype", "text"]
                }]
            }
        }
    })
}

fn errors(doc: &Value) -> Vec<DialectError> {
    let sources = [Source {
        path: FILE.to_owned(),
        text: doc.to_string(),
    }];
    match build_catalog(&sources) {
        Ok(_) => Vec::new(),
        Err(errors) => errors,
    }
}

/// Breaks `valid()` with `edit` and expects an error at `pointer` whose message contains `message`.
fn rejects(edit: impl FnOnce(&mut Value), pointer: &str, message: &str) {
    let mut doc = valid();
    edit(&mut doc);
    let errors = errors(&doc);
    assert!(
        errors
            .iter()
            .any(|e| e.file == FILE && e.pointer == pointer && e.message.contains(message)),
        "expected `{message}` at {pointer}, got {errors:#?}"
    );
    // The rendered form names the file and the pointer, as a reader needs it.
    let rendered = errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        rendered.contains(&format!("schemas/{FILE}#{pointer}: ")),
        "{rendered}"
    );
}

#[test]
fn the_valid_sample_is_accepted() {
    assert_eq!(errors(&valid()), Vec::new());
}

#[test]
fn rejects_open_ended_keywords() {
    rejects(
        |d| d["$defs"]["Payload"]["additionalProperties"] = json!(false),
        "/$defs/Payload/additionalProperties",
        "objects are open",
    );
    rejects(
        |d| d["$defs"]["Payload"]["properties"]["content"]["anyOf"] = json!([]),
        "/$defs/Payload/properties/content/anyOf",
        "not allowed here",
    );
    rejects(
        |d| d["$defs"]["Payload"]["patternProperties"] = json!({}),
        "/$defs/Payload/patternProperties",
        "objects are open",
    );
    rejects(
        |d| d["unexpected"] = json!(1),
        "/unexpected",
        "not allowed here",
    );
}

#[test]
fn rejects_inline_enums_consts_and_objects() {
    rejects(
        |d| {
            d["$defs"]["Payload"]["properties"]["kind"] =
                json!({"description": "Kind.", "enum": ["a", "b"]})
        },
        "/$defs/Payload/properties/kind",
        "inline enums",
    );
    rejects(
        |d| {
            d["$defs"]["Payload"]["properties"]["kind"] =
                json!({"description": "Kind.", "const": "a"})
        },
        "/$defs/Payload/properties/kind",
        "`const` only pins the tag",
    );
    rejects(
        |d| {
            d["$defs"]["Payload"]["properties"]["inner"] =
                json!({"description": "Inner.", "type": "object"})
        },
        "/$defs/Payload/properties/inner",
        "define the object in `$defs`",
    );
    rejects(
        |d| d["$defs"]["Payload"]["properties"]["n"] = json!({"description": "N.", "type": "null"}),
        "/$defs/Payload/properties/n/type",
        "type `null` is not in the dialect",
    );
}

#[test]
fn requires_descriptions_everywhere() {
    rejects(
        |d| {
            d["$defs"]["Payload"]["properties"]["content"]
                .as_object_mut()
                .unwrap()
                .remove("description")
                .map(drop)
                .unwrap()
        },
        "/$defs/Payload/properties/content",
        "`description` is required",
    );
    rejects(
        |d| {
            d["$defs"]["Message"]["oneOf"][0]
                .as_object_mut()
                .unwrap()
                .remove("description")
                .map(drop)
                .unwrap()
        },
        "/$defs/Message/oneOf/0",
        "`description` is required",
    );
    rejects(
        |d| {
            d.as_object_mut()
                .unwrap()
                .remove("description")
                .map(drop)
                .unwrap()
        },
        "",
        "`description` is required",
    );
}

#[test]
fn checks_references() {
    rejects(
        |d| {
            d["$defs"]["Payload"]["properties"]["other"] =
                json!({"description": "O.", "$ref": "#/$defs/Nope"})
        },
        "/$defs/Payload/properties/other/$ref",
        "points at no definition",
    );
    rejects(
        |d| {
            d["$defs"]["Payload"]["properties"]["other"] =
                json!({"description": "O.", "$ref": "../../x.schema.json#/$defs/A"})
        },
        "/$defs/Payload/properties/other/$ref",
        "does not name a schema file",
    );
    rejects(
        |d| {
            d["$defs"]["Payload"]["properties"]["other"] =
                json!({"description": "O.", "$ref": "#/properties/content"})
        },
        "/$defs/Payload/properties/other/$ref",
        "must point at a definition",
    );
    rejects(
        |d| d["$defs"]["Payload"]["allOf"] = json!([{"$ref": "#/$defs/Color"}]),
        "/$defs/Payload/allOf/0/$ref",
        "points at no definition",
    );
}

#[test]
fn checks_unions() {
    rejects(
        |d| d["$defs"]["Message"]["oneOf"][0]["properties"]["msgtype"] = json!({"const": 3}),
        "/$defs/Message/oneOf/0/properties/msgtype/const",
        "must be a string",
    );
    rejects(
        |d| d["$defs"]["Message"]["oneOf"][0]["required"] = json!(["text"]),
        "/$defs/Message/oneOf/0",
        "the tag `msgtype` must be listed in `required`",
    );
    rejects(
        |d| {
            let mut second = d["$defs"]["Message"]["oneOf"][0].clone();
            second["properties"] = json!({"kind": {"const": "image"}});
            second["required"] = json!(["kind"]);
            d["$defs"]["Message"]["oneOf"]
                .as_array_mut()
                .unwrap()
                .push(second);
        },
        "/$defs/Message/oneOf/1",
        "every branch must pin the same tag",
    );
    rejects(
        |d| {
            let copy = d["$defs"]["Message"]["oneOf"][0].clone();
            d["$defs"]["Message"]["oneOf"]
                .as_array_mut()
                .unwrap()
                .push(copy);
        },
        "/$defs/Message/oneOf/1",
        "tag value `text` appears twice",
    );
    rejects(
        |d| d["$defs"]["Message"]["oneOf"][0]["properties"]["msgtype"] = json!({"type": "string"}),
        "/$defs/Message/oneOf/0",
        "pins exactly one property",
    );
}

#[test]
fn checks_limits_and_defaults() {
    rejects(
        |d| d["$defs"]["Payload"]["properties"]["content"]["pattern"] = json!("^a$"),
        "/$defs/Payload/properties/content/pattern",
        "needs an `x-rust-check`",
    );
    rejects(
        |d| d["$defs"]["Payload"]["properties"]["content"]["maxLength"] = json!(-1),
        "/$defs/Payload/properties/content/maxLength",
        "non-negative integer",
    );
    rejects(
        |d| d["$defs"]["Payload"]["properties"]["content"]["minimum"] = json!(1),
        "/$defs/Payload/properties/content/minimum",
        "not allowed here",
    );
    rejects(
        |d| {
            d["$defs"]["Payload"]["properties"]["n"] =
                json!({"description": "N.", "type": "integer", "default": 5})
        },
        "/$defs/Payload/properties/n/default",
        "natural default",
    );
    rejects(
        |d| d["$defs"]["Payload"]["properties"]["content"]["default"] = json!(""),
        "/$defs/Payload/properties/content/default",
        "a required property cannot have a `default`",
    );
    rejects(
        |d| {
            d["$defs"]["Payload"]["properties"]["n"] =
                json!({"description": "N.", "type": "integer", "format": "int8"})
        },
        "/$defs/Payload/properties/n/format",
        "int32, int64, uint32 or uint64",
    );
    rejects(
        |d| {
            d["$defs"]["Payload"]["properties"]["n"] =
                json!({"description": "N.", "type": ["string", "boolean"]})
        },
        "/$defs/Payload/properties/n/type",
        "the first is the Rust type",
    );
}

#[test]
fn checks_names() {
    rejects(
        |d| {
            let payload = d["$defs"]
                .as_object_mut()
                .unwrap()
                .remove("Payload")
                .unwrap();
            d["$defs"]["payload"] = payload;
            d["$defs"]["Message"]["oneOf"][0]["properties"]["text"]["$ref"] =
                json!("#/$defs/payload");
        },
        "/$defs/payload",
        "PascalCase",
    );
    rejects(
        |d| {
            d["$defs"]["Payload"]["properties"]["type"] =
                json!({"description": "T.", "type": "string"})
        },
        "/$defs/Payload/properties/type",
        "set `x-rust-name`",
    );
    rejects(
        |d| {
            d["$defs"]["Payload"]["properties"]["Content"] =
                json!({"description": "Twin.", "type": "string"})
        },
        "/$defs/Payload",
        "two members map to the Rust name `content`",
    );
    rejects(
        |d| d["$id"] = json!("https://example.com/x.json"),
        "/$id",
        "the file's path under schemas/",
    );
    rejects(
        |d| d["$schema"] = json!("http://json-schema.org/draft-07/schema#"),
        "/$schema",
        "2020-12",
    );
}

#[test]
fn checks_endpoints() {
    let endpoint = || {
        json!({"description": "Send.", "method": "POST", "host": "api.weixin.qq.com",
               "platforms": ["official_account"], "path": "/cgi-bin/x", "token": "access_token", "body": {"json": {"$ref": "#/$defs/Payload"}},
               "response": {"json": {"$ref": "#/$defs/Payload"}}})
    };
    let mut doc = valid();
    doc["x-endpoints"] = json!({"send": endpoint()});
    assert_eq!(errors(&doc), Vec::new());
    rejects(
        |d| d["x-endpoints"] = json!({"send": {"method": "GET", "body": {}}}),
        "/x-endpoints/send",
        "`description` is required",
    );
    rejects(
        |d| {
            let mut e = endpoint();
            e["method"] = json!("GET");
            d["x-endpoints"] = json!({"send": e});
        },
        "/x-endpoints/send/body",
        "a GET endpoint has no body",
    );
    rejects(
        |d| {
            let mut e = endpoint();
            e["path"] = json!("/cgi-bin/x?access_token=1");
            d["x-endpoints"] = json!({"send": e});
        },
        "/x-endpoints/send/path",
        "hold no query",
    );
    rejects(
        |d| {
            let mut e = endpoint();
            e["response"] = json!({"json": {"$ref": "#/$defs/Kind"}});
            d["$defs"]["Kind"] = json!({"type": "string", "description": "K.", "oneOf": [{"const": "a", "description": "A."}]});
            d["x-endpoints"] = json!({"send": e});
        },
        "/x-endpoints/send/response/json/$ref",
        "must point at an object definition or a tagged union",
    );
}

#[test]
fn endpoints_name_the_platforms_that_call_them() {
    let with_platforms = |host: &'static str, platforms: serde_json::Value| {
        move |d: &mut serde_json::Value| {
            d["x-endpoints"] = json!({"send": {"description": "Send.", "method": "POST", "host": host,
                "platforms": platforms, "path": "/cgi-bin/x", "token": "access_token",
                "response": {"json": {"$ref": "#/$defs/Payload"}}}});
        }
    };
    let mut shared = valid();
    with_platforms(
        "api.weixin.qq.com",
        json!(["mini_program", "official_account"]),
    )(&mut shared);
    assert_eq!(errors(&shared), Vec::new());
    let mut work = valid();
    with_platforms("qyapi.weixin.qq.com", json!(["work"]))(&mut work);
    assert_eq!(errors(&work), Vec::new());

    rejects(
        |d| {
            d["x-endpoints"] = json!({"send": {"description": "Send.", "method": "POST", "host": "api.weixin.qq.com",
                "path": "/cgi-bin/x", "token": "access_token", "response": {"json": {"$ref": "#/$defs/Payload"}}}});
        },
        "/x-endpoints/send/platforms",
        "must list the surfaces",
    );
    rejects(
        with_platforms("api.weixin.qq.com", json!(["official_account", "wechat"])),
        "/x-endpoints/send/platforms/1",
        "a platform is",
    );
    rejects(
        with_platforms(
            "api.weixin.qq.com",
            json!(["official_account", "official_account"]),
        ),
        "/x-endpoints/send/platforms/1",
        "listed twice",
    );
    rejects(
        with_platforms("api.weixin.qq.com", json!(["official_account", "work"])),
        "/x-endpoints/send/platforms",
        "one surface",
    );
    rejects(
        with_platforms("api.weixin.qq.com", json!(["work"])),
        "/x-endpoints/send/platforms",
        "qyapi.weixin.qq.com",
    );
    rejects(
        with_platforms("qyapi.weixin.qq.com", json!(["official_account"])),
        "/x-endpoints/send/platforms",
        "qyapi.weixin.qq.com",
    );
}

#[test]
fn whatever_wechat_sends_must_keep_unknown_values() {
    rejects(
        |d| {
            d["$defs"]["Payload"]["properties"]["kind"] =
                json!({"description": "Kind.", "$ref": "#/$defs/Kind"});
            d["$defs"]["Kind"] = json!({"type": "string", "description": "K.", "oneOf": [{"const": "a", "description": "A."}]});
            d["x-endpoints"] = json!({"get": {"description": "Get.", "method": "GET", "host": "api.weixin.qq.com",
                "platforms": ["official_account"], "path": "/x", "token": "access_token", "response": {"json": {"$ref": "#/$defs/Payload"}}}});
        },
        "/$defs/Kind",
        "x-rust-unknown",
    );
}

#[test]
fn reports_every_problem_at_once() {
    let mut doc = valid();
    doc["$defs"]["Payload"]["additionalProperties"] = json!(false);
    doc["$defs"]["Payload"]["properties"]["content"]["nullable"] = json!(true);
    doc["x-extra"] = json!(true);
    assert_eq!(errors(&doc).len(), 3, "{:#?}", errors(&doc));
}

#[test]
fn duplicate_keys_and_bad_json_are_reported_with_a_position() {
    let sources = [Source {
        path: FILE.to_owned(),
        text: "{\"description\": \"a\",\n\"description\": \"b\"}".to_owned(),
    }];
    let errors = build_catalog(&sources).unwrap_err();
    assert!(
        errors[0].message.contains("duplicate key `description`")
            && errors[0].message.contains("line 2"),
        "{errors:?}"
    );
}
