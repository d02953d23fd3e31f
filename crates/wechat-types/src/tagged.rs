//! Dispatch of tagged unions that keep unknown payloads (generated `Deserialize` impls call this).
//!
//! A union with an `Unknown` variant decodes the object once into a map, reads the tag, and
//! hands the map to the variant the tag names. An unknown tag keeps the whole map; a known tag
//! with a body that does not fit is an error that names the tag, never a silent `Unknown`.

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer};
use serde_json::{Map, Value};

/// Decodes an object and takes its tag member out; the tag must be a string.
pub(crate) fn split<'de, D: Deserializer<'de>>(
    deserializer: D,
    tag: &'static str,
) -> Result<(String, Map<String, Value>), D::Error> {
    let mut map = Map::deserialize(deserializer)?;
    match map.remove(tag) {
        Some(Value::String(value)) => Ok((value, map)),
        Some(other) => Err(de::Error::invalid_type(unexpected(&other), &"a string tag")),
        None => Err(de::Error::missing_field(tag)),
    }
}

/// Decodes the variant `value` of a union tagged by `tag` from the rest of the object.
pub(crate) fn variant<T: DeserializeOwned, E: de::Error>(
    map: Map<String, Value>,
    tag: &str,
    value: &str,
) -> Result<T, E> {
    T::deserialize(Value::Object(map))
        .map_err(|e| E::custom(format_args!("invalid `{tag}: {value}` payload: {e}")))
}

/// Puts the tag back, for `Unknown`.
pub(crate) fn restore(mut map: Map<String, Value>, tag: &str, value: String) -> Map<String, Value> {
    map.insert(tag.to_owned(), Value::String(value));
    map
}

fn unexpected(value: &Value) -> de::Unexpected<'_> {
    match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("a number"),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}
