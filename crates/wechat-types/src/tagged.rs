//! Dispatch of tagged unions that keep unknown payloads (generated `Deserialize` impls call this).
//!
//! A union asks the deserializer for a struct whose fields are its tag and the tags of the
//! unions nested in its variants ([`Tagged::HINT`]). A deserializer that hands out the named
//! fields first (this crate's XML reader does) lets the union read the tag first and stream the
//! rest of the object straight into the variant, with no buffering. Otherwise (JSON, where WeChat
//! puts `MsgType` after the header) the object is decoded once into a map, the tag taken out of
//! it, and the map handed to the variant.
//!
//! Either way an unknown tag keeps the whole object (tag included), and a known tag with a body
//! that does not fit is an error that names the tag, never a silent `Unknown`.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize as _;
use serde::de::value::MapAccessDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

/// A generated union with an `Unknown` variant.
pub(crate) trait Tagged: Sized {
    /// The Rust type name.
    const NAME: &'static str;
    /// The wire name of the tag member.
    const TAG: &'static str;
    /// The tag, then the tags of the unions nested in the variants: the members a deserializer
    /// should hand out first.
    const HINT: &'static [&'static str];

    /// Decodes the variant `tag` from the rest of the object, or gives `body` back when the tag is
    /// unknown.
    fn variant<'de, D: Deserializer<'de>>(tag: &str, body: D) -> Result<Result<Self, D>, D::Error>;

    /// The `Unknown` variant.
    fn unknown(raw: Map<String, Value>) -> Self;
}

/// `Deserialize::deserialize` of a [`Tagged`] union.
pub(crate) fn deserialize<'de, T: Tagged, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::HINT, UnionVisitor(PhantomData))
}

struct UnionVisitor<T>(PhantomData<T>);

impl<'de, T: Tagged> Visitor<'de> for UnionVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let first = map.next_key_seed(KeySeed(T::TAG))?;
        let mut buffer = match first {
            None => return Err(de::Error::missing_field(T::TAG)),
            Some(Key::Tag) => {
                // The fast path: the tag came first, the rest streams into the variant.
                let tag = map.next_value_seed(TagSeed)?;
                return match T::variant(&tag, MapAccessDeserializer::new(map)) {
                    Ok(Ok(value)) => Ok(value),
                    Ok(Err(body)) => {
                        let raw = Map::deserialize(body)?;
                        Ok(T::unknown(restore(raw, T::TAG, tag.into_owned())))
                    }
                    Err(e) => Err(payload_error(T::TAG, &tag, e)),
                };
            }
            Some(Key::Other(key)) => {
                let mut buffer = Map::new();
                buffer.insert(key, map.next_value()?);
                buffer
            }
        };
        while let Some((key, value)) = map.next_entry()? {
            buffer.insert(key, value);
        }
        let tag = match buffer.remove(T::TAG) {
            Some(Value::String(tag)) => tag,
            Some(other) => {
                return Err(de::Error::invalid_type(unexpected(&other), &"a string tag"));
            }
            None => return Err(de::Error::missing_field(T::TAG)),
        };
        match T::variant(&tag, buffer) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(raw)) => Ok(T::unknown(restore(raw, T::TAG, tag))),
            Err(e) => Err(payload_error(T::TAG, &tag, e)),
        }
    }
}

/// "invalid `MsgType: text` payload: ..."
fn payload_error<E: de::Error>(tag: &str, value: &str, error: impl fmt::Display) -> E {
    E::custom(format_args!("invalid `{tag}: {value}` payload: {error}"))
}

/// Puts the tag back, for `Unknown`.
fn restore(mut map: Map<String, Value>, tag: &str, value: String) -> Map<String, Value> {
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

/// The first key of an object: the tag, or another key (kept for the buffer).
enum Key {
    Tag,
    Other(String),
}

struct KeySeed(&'static str);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(if key == self.0 {
            Key::Tag
        } else {
            Key::Other(key.to_owned())
        })
    }

    fn visit_string<E: de::Error>(self, key: String) -> Result<Key, E> {
        Ok(if key == self.0 {
            Key::Tag
        } else {
            Key::Other(key)
        })
    }
}

/// The tag's value: a string, borrowed when the deserializer can lend it.
struct TagSeed;

impl<'de> DeserializeSeed<'de> for TagSeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for TagSeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string tag")
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(value))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(value))
    }
}
