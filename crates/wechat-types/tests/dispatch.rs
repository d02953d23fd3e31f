//! Generated unions read their tag first when it comes first (the XML reader hands it out first;
//! JSON we write ourselves has it first) and stream the rest into the variant; otherwise (WeChat's
//! JSON puts `MsgType` after the header) they buffer the object. Both paths give the same value
//! for every fixture, and no input, however broken, makes decoding panic.

mod support;

use serde_json::{Map, Value};
use support::schemas::{self, Fixture};

/// The tag of a union definition, then the tags of the unions its branches hold; empty for
/// anything else.
fn tags(file: &str, def: &str) -> Vec<String> {
    let schema = schemas::def(file, def);
    let Some(branches) = schema.get("oneOf").and_then(Value::as_array) else {
        return Vec::new();
    };
    let Some(tag) = branches[0]
        .get("properties")
        .and_then(Value::as_object)
        .and_then(|p| p.iter().find(|(_, s)| s.get("const").is_some()))
        .map(|(name, _)| name.clone())
    else {
        return Vec::new();
    };
    let mut out = vec![tag];
    for branch in branches {
        if let Some(reference) = branch.get("$ref").and_then(Value::as_str) {
            let (target_file, name) = reference.split_once("#/$defs/").unwrap();
            for tag in tags(&resolve(file, target_file), name) {
                if !out.contains(&tag) {
                    out.push(tag);
                }
            }
        }
    }
    out
}

/// The schema file a relative reference in `from` names.
fn resolve(from: &str, relative: &str) -> String {
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
            name => parts.push(name),
        }
    }
    parts.join("/")
}

/// The object as JSON text with the members named in `tags` first (in that order) or last (in
/// the reverse order, so that the outer tag is the very last member).
fn reordered(object: &Map<String, Value>, tags: &[String], first: bool) -> String {
    let rest = object.iter().filter(|(k, _)| !tags.contains(k));
    let tagged: Vec<_> = tags
        .iter()
        .filter_map(|t| object.get_key_value(t.as_str()))
        .collect();
    let members: Vec<(&String, &Value)> = if first {
        tagged.into_iter().chain(rest).collect()
    } else {
        rest.chain(tagged.into_iter().rev()).collect()
    };
    let members: Vec<String> = members
        .into_iter()
        .map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), v))
        .collect();
    format!("{{{}}}", members.join(","))
}

/// The fixture as a JSON object, whatever its format.
fn object_of(fixture: &Fixture) -> Map<String, Value> {
    #[cfg(feature = "xml")]
    if fixture.extension == "xml" {
        return wechat_types::xml::to_map(&fixture.text).unwrap();
    }
    serde_json::from_str(&fixture.text).unwrap()
}

#[test]
fn streaming_and_buffering_give_the_same_value_for_every_fixture() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for fixture in schemas::fixtures() {
        if cfg!(not(feature = "xml")) && fixture.extension == "xml" {
            continue;
        }
        let file = schemas::file_of(&fixture.module, &fixture.def);
        let tags = tags(&file, &fixture.def);
        if tags.is_empty() {
            continue;
        }
        let entry = support::entry(&file, &fixture.def);
        let object = object_of(&fixture);
        assert!(object.contains_key(&tags[0]), "{}", fixture.path);
        let decode = |text: &str| -> Value {
            let json = (entry.json_roundtrip)(text)
                .unwrap_or_else(|e| panic!("{}: {e}\n{text}", fixture.path));
            serde_json::from_str(&json).unwrap()
        };
        let streamed = decode(&reordered(&object, &tags, true));
        let buffered = decode(&reordered(&object, &tags, false));
        if streamed != buffered {
            failures.push(format!("{}: {streamed} != {buffered}", fixture.path));
        }
        #[cfg(feature = "xml")]
        if fixture.extension == "xml" {
            let from_xml: Value =
                serde_json::from_str(&(entry.xml_to_json)(&fixture.text).unwrap()).unwrap();
            if from_xml != buffered {
                failures.push(format!("{} (XML): {from_xml} != {buffered}", fixture.path));
            }
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let expected = if cfg!(feature = "xml") { 30 } else { 10 };
    assert!(checked >= expected, "only {checked} union fixtures");
}

#[test]
fn the_buffering_path_is_taken_and_keeps_its_errors() {
    use wechat_types::mp::InboundMessage;
    // The tag after the header: buffered. A known tag with a bad body names the tag either way.
    let late = r#"{"ToUserName":"a","FromUserName":"b","CreateTime":1,"MsgType":"text","MsgId":1}"#;
    let early =
        r#"{"MsgType":"text","ToUserName":"a","FromUserName":"b","CreateTime":1,"MsgId":1}"#;
    for text in [late, early] {
        let error = serde_json::from_str::<InboundMessage>(text)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("invalid `MsgType: text` payload") && error.contains("`Content`"),
            "{error}"
        );
    }
    let number_tag = r#"{"MsgType":3}"#;
    let error = serde_json::from_str::<InboundMessage>(number_tag).unwrap_err();
    assert!(error.to_string().contains("a string tag"), "{error}");
    for text in ["{}", r#"{"ToUserName":"a"}"#] {
        let error = serde_json::from_str::<InboundMessage>(text).unwrap_err();
        assert!(
            error.to_string().contains("missing field `MsgType`"),
            "{error}"
        );
    }
}

/// Broken variants of a text: every prefix, and bytes replaced by others that matter to the
/// formats.
fn broken_variants(text: &str) -> Vec<String> {
    const NOISE: &[&str] = &[
        "<",
        ">",
        "/",
        "&",
        "]]>",
        "<![CDATA[",
        "\"",
        "{",
        "}",
        "[",
        ":",
        ",",
        "\\",
        "1",
        "-",
        "null",
        "é",
        "\0",
        "\r",
    ];
    let cuts: Vec<usize> = (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    let mut out: Vec<String> = cuts.iter().map(|&c| text[..c].to_owned()).collect();
    for (i, &cut) in cuts.iter().enumerate() {
        let noise = NOISE[i % NOISE.len()];
        let next = cuts.get(i + 1).copied().unwrap_or(text.len());
        out.push(format!("{}{noise}{}", &text[..cut], &text[next..]));
        out.push(format!("{}{noise}{}", &text[..cut], &text[cut..]));
    }
    out
}

#[test]
fn broken_fixtures_are_errors_never_panics() {
    let mut decoded = 0;
    let mut total = 0;
    for fixture in schemas::fixtures() {
        let file = schemas::file_of(&fixture.module, &fixture.def);
        let entry = support::entry(&file, &fixture.def);
        let mut texts = broken_variants(&fixture.text);
        if fixture.extension == "json" {
            // The tag-first form too, so that both union paths meet broken input.
            let object: Map<String, Value> = serde_json::from_str(&fixture.text).unwrap();
            let tags = tags(&file, &fixture.def);
            texts.extend(broken_variants(&reordered(&object, &tags, true)));
        }
        for text in &texts {
            total += 1;
            let result = if fixture.extension == "json" {
                (entry.json_roundtrip)(text)
            } else {
                #[cfg(feature = "xml")]
                {
                    (entry.xml_to_json)(text)
                }
                #[cfg(not(feature = "xml"))]
                continue;
            };
            decoded += usize::from(result.is_ok());
        }
    }
    assert!(decoded < total, "{decoded} of {total}");
}

/// `xml::from_str` reads the tree with its own deserializer; before, it decoded the JSON object
/// `xml::to_map` returns. Same values, same errors, word for word, on every fixture and every
/// broken variant of it (every prefix, bytes replaced or inserted).
#[cfg(feature = "xml")]
#[test]
fn reading_the_tree_directly_decodes_as_the_json_object_did() {
    let mut failures = Vec::new();
    let mut errors = 0;
    let mut total = 0;
    for fixture in schemas::fixtures().iter().filter(|f| f.extension == "xml") {
        let file = schemas::file_of(&fixture.module, &fixture.def);
        let entry = support::entry(&file, &fixture.def);
        for text in broken_variants(&fixture.text) {
            let direct = (entry.xml_direct)(&text);
            let via_map = (entry.xml_via_map)(&text);
            total += 1;
            errors += usize::from(direct.is_err());
            let same = match (&direct, &via_map) {
                // Unknown payloads keep a map: compare values, not member order.
                (Ok(a), Ok(b)) => {
                    serde_json::from_str::<Value>(a).unwrap()
                        == serde_json::from_str::<Value>(b).unwrap()
                }
                (a, b) => a == b,
            };
            if !same {
                failures.push(format!(
                    "{} {text:?}:\n  {direct:?}\n  {via_map:?}",
                    fixture.path
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} differ:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
    assert!(errors > total / 2, "{errors} errors of {total}");
}
