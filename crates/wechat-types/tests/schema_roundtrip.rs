//! Layer 3 of DESIGN's testing layers: the schema schemars derives from each generated type equals
//! the source schema it was generated from, after normalisation.
//!
//! Normalisation removes only differences of *form*, never of meaning. Each rule says why:
//! * `$ref`s are inlined (the two sides name and place definitions differently);
//! * `allOf` entries are merged into their object (schemars flattens `#[serde(flatten)]` that way);
//! * `anyOf` of const-tagged branches becomes `oneOf` (schemars says `anyOf` when an enum has a
//!   skipped `Unknown` variant; the branches are disjoint either way);
//! * `Option`'s `null` is dropped (schemars adds it; our types never write `null`, see the
//!   `skip_serializing_if` on every optional member);
//! * defaults the dialect implies are written out (`int64`, `double`, `minimum: 0` of unsigned
//!   formats, `type: string` of a string `const`, `type: object` of a union of objects);
//! * annotations that do not shape the wire are dropped (`title`, `examples`, `$comment`, and the
//!   Rust-only `x-rust-*` hints).
#![cfg(feature = "schemars")]

mod support;

use serde_json::{Map, Value, json};
use support::schemas;

/// Where `$ref`s of a schema point: a source file, or the `$defs` of a derived root schema.
#[derive(Clone, Copy)]
enum Scope<'a> {
    Source { file: &'a str },
    Derived { defs: &'a Map<String, Value> },
}

impl<'a> Scope<'a> {
    /// The schema a `$ref` names, and the scope to read it in.
    fn resolve(self, reference: &str) -> (&'a Value, Scope<'a>) {
        let (file_part, name) = reference
            .split_once("#/$defs/")
            .unwrap_or_else(|| panic!("unexpected $ref {reference}"));
        match self {
            Scope::Derived { defs } => (&defs[name], self),
            Scope::Source { file } => {
                let file = resolve_file(file, file_part);
                let file: &'a str = schemas::files()
                    .keys()
                    .find(|k| **k == file)
                    .unwrap_or_else(|| panic!("{file}"));
                (schemas::def(file, name), Scope::Source { file })
            }
        }
    }
}

fn resolve_file(from: &str, relative: &str) -> String {
    if relative.is_empty() {
        return from.to_owned();
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in relative.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "." => {}
            name => parts.push(name),
        }
    }
    parts.join("/")
}

fn normalize(schema: &Value, scope: Scope<'_>, depth: usize) -> Value {
    assert!(depth < 64, "reference cycle");
    let Value::Object(object) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    let mut flattened = Vec::new();
    for (key, value) in object {
        match key.as_str() {
            "title" | "examples" | "$comment" | "$schema" | "$id" | "$defs" | "$ref" => {}
            k if k.starts_with("x-rust-") => {}
            "properties" => {
                let properties = value
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), normalize(v, scope, depth + 1)));
                out.insert(key.clone(), Value::Object(properties.collect()));
            }
            "items" => {
                out.insert(key.clone(), normalize(value, scope, depth + 1));
            }
            "oneOf" | "anyOf" => {
                let all: Vec<Value> = value
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|b| normalize(b, scope, depth + 1))
                    .collect();
                let had_null = all.len() > 1 && all.contains(&json!({"type": "null"}));
                let branches: Vec<Value> = all
                    .into_iter()
                    .filter(|b| *b != json!({"type": "null"}))
                    .collect();
                if key == "anyOf" && had_null && branches.len() == 1 {
                    // `Option<T>`: `{"anyOf": [T, null]}` is T. (A one-branch union with a
                    // skipped `Unknown` is also a one-element `anyOf`, but without `null`.)
                    flattened.push(branches.into_iter().next().unwrap());
                } else {
                    out.insert("oneOf".to_owned(), Value::Array(branches));
                }
            }
            "allOf" => flattened.extend(
                value
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| normalize(e, scope, depth + 1)),
            ),
            "type" => {
                let ty = match value {
                    Value::Array(types) => {
                        let types: Vec<Value> =
                            types.iter().filter(|t| *t != "null").cloned().collect();
                        if types.len() == 1 {
                            types[0].clone()
                        } else {
                            Value::Array(types)
                        }
                    }
                    other => other.clone(),
                };
                out.insert(key.clone(), ty);
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        let (target, target_scope) = scope.resolve(reference);
        let target = normalize(target, target_scope, depth + 1);
        out = merge(target.as_object().unwrap().clone(), out);
    }
    for entry in flattened {
        out = merge(entry.as_object().unwrap().clone(), out);
    }
    fill_defaults(&mut out);
    Value::Object(out)
}

/// `over` wins, except that `properties` and `required` are unions.
fn merge(mut base: Map<String, Value>, over: Map<String, Value>) -> Map<String, Value> {
    for (key, value) in over {
        match (key.as_str(), base.get_mut(&key), value) {
            ("properties", Some(Value::Object(existing)), Value::Object(more)) => {
                existing.extend(more)
            }
            ("required", Some(Value::Array(existing)), Value::Array(more)) => existing.extend(more),
            (_, _, value) => {
                base.insert(key, value);
            }
        }
    }
    fill_defaults(&mut base);
    base
}

fn fill_defaults(out: &mut Map<String, Value>) {
    if let Some(Value::Array(required)) = out.get_mut("required") {
        required.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        required.dedup();
    }
    match out.get("type").and_then(Value::as_str) {
        Some("integer") => {
            let format = out
                .entry("format")
                .or_insert_with(|| json!("int64"))
                .clone();
            if format == "uint32" || format == "uint64" {
                out.entry("minimum").or_insert(json!(0));
            }
        }
        Some("number") => {
            out.entry("format").or_insert_with(|| json!("double"));
        }
        _ => {}
    }
    if out.get("const").is_some_and(Value::is_string) {
        out.entry("type").or_insert_with(|| json!("string"));
    }
    // A union of objects is an object (schemars says so on branches that refer to a union).
    if let Some(Value::Array(branches)) = out.get("oneOf")
        && !branches.is_empty()
        && branches
            .iter()
            .all(|b| b.get("type") == Some(&json!("object")))
    {
        out.entry("type").or_insert_with(|| json!("object"));
    }
    // A string enum: `type: string` on the enum, not on each value.
    if let Some(Value::Array(branches)) = out.get_mut("oneOf") {
        let all_string_consts = branches
            .iter()
            .all(|b| b.get("const").is_some_and(Value::is_string) && b.get("properties").is_none());
        if all_string_consts {
            for branch in branches.iter_mut() {
                branch.as_object_mut().unwrap().remove("type");
            }
            out.insert("type".to_owned(), json!("string"));
        }
    }
}

/// The first place two values differ, as a JSON pointer with both sides.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter().find_map(|k| match (x.get(k), y.get(k)) {
                (Some(p), Some(q)) => first_difference(p, q, &format!("{path}/{k}")),
                (p, q) => Some(format!("{path}/{k}: source {p:?}, derived {q:?}")),
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, &format!("{path}/{i}"))),
        _ if a == b => None,
        _ => Some(format!("{path}: source {a}, derived {b}")),
    }
}

/// The normalised derived schema of a registry entry.
fn derived(entry: &support::Entry) -> Value {
    let root = (entry.derived_schema)();
    let empty = Map::new();
    let defs = root
        .get("$defs")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    normalize(&root, Scope::Derived { defs }, 0)
}

/// The normalised source schema of a registry entry, after `edit`.
fn source_edited(entry: &support::Entry, edit: impl FnOnce(&mut Value)) -> Value {
    let mut source = schemas::def(entry.file, entry.def).clone();
    edit(&mut source);
    normalize(&source, Scope::Source { file: entry.file }, 0)
}

#[test]
fn derived_schema_of_every_generated_type_equals_its_source() {
    let failures: Vec<String> = support::TYPES
        .iter()
        .filter_map(|entry| {
            let source = source_edited(entry, |_| {});
            first_difference(&source, &derived(entry), "")
                .map(|d| format!("{}: {d}", entry.pointer()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} type(s) differ from their schema:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        support::TYPES.len() >= 50,
        "only {} generated types",
        support::TYPES.len()
    );
}

#[test]
fn normalisation_still_sees_real_differences() {
    let news = support::entry("mp/custom_message.schema.json", "News");
    let changed_limit = source_edited(news, |s| s["properties"]["articles"]["maxItems"] = json!(8));
    assert!(
        first_difference(&changed_limit, &derived(news), "")
            .unwrap()
            .contains("maxItems")
    );

    let typing = support::entry("mp/typing.schema.json", "TypingRequest");
    let changed_required = source_edited(typing, |s| s["required"] = json!(["touser"]));
    assert!(
        first_difference(&changed_required, &derived(typing), "")
            .unwrap()
            .contains("required")
    );

    let content = support::entry("mp/custom_message.schema.json", "CustomMessageContent");
    let fewer_variants = source_edited(content, |s| {
        s["oneOf"].as_array_mut().unwrap().pop();
    });
    assert!(first_difference(&fewer_variants, &derived(content), "").is_some());

    let text = support::entry("mp/custom_message.schema.json", "Text");
    let renamed = source_edited(text, |s| {
        let content = s["properties"]
            .as_object_mut()
            .unwrap()
            .remove("content")
            .unwrap();
        s["properties"]["body"] = content;
        s["required"] = json!(["body"]);
    });
    assert!(first_difference(&renamed, &derived(text), "").is_some());
}
