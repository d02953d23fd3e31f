//! Decoding numbers WeChat sends either as JSON numbers or as strings.
//!
//! XML pushes carry every number as text, and WeChat's JSON is inconsistent (`kf_id` is `"1001"`
//! in one reply and documented as a number in the next; reference §0). So every generated
//! integer or number field also accepts its decimal string form, and fields typed
//! `["string", "integer"]` accept a number. Serialization always writes the canonical form.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// Numbers that can be decoded leniently.
pub(crate) trait LenientNumber: Sized {
    const EXPECTING: &'static str;
    fn from_i64(v: i64) -> Option<Self>;
    fn from_u64(v: u64) -> Option<Self>;
    fn from_f64(v: f64) -> Option<Self>;
    fn parse(s: &str) -> Option<Self>;
}

macro_rules! integer {
    ($($ty:ty),*) => {$(
        impl LenientNumber for $ty {
            const EXPECTING: &'static str = concat!("an integer (", stringify!($ty), ") as a number or a string");
            fn from_i64(v: i64) -> Option<Self> { Self::try_from(v).ok() }
            fn from_u64(v: u64) -> Option<Self> { Self::try_from(v).ok() }
            fn from_f64(_: f64) -> Option<Self> { None }
            fn parse(s: &str) -> Option<Self> { s.trim().parse().ok() }
        }
    )*};
}

integer!(i32, i64, u32, u64);

impl LenientNumber for f64 {
    const EXPECTING: &'static str = "a number, as a number or a string";
    #[allow(clippy::cast_precision_loss)] // JSON numbers are f64 to begin with.
    fn from_i64(v: i64) -> Option<Self> {
        Some(v as f64)
    }
    #[allow(clippy::cast_precision_loss)]
    fn from_u64(v: u64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(v)
    }
    fn parse(s: &str) -> Option<Self> {
        s.trim().parse().ok().filter(|v: &f64| v.is_finite())
    }
}

struct NumberVisitor<T>(PhantomData<T>);

impl<T: LenientNumber> Visitor<'_> for NumberVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::from_i64(v).ok_or_else(|| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::from_u64(v).ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        T::from_f64(v).ok_or_else(|| E::invalid_value(de::Unexpected::Float(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        T::parse(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

/// A number in either form.
struct Number<T>(T);

impl<'de, T: LenientNumber> Deserialize<'de> for Number<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(NumberVisitor(PhantomData))
            .map(Number)
    }
}

/// `deserialize_with` for integer and number fields.
pub(crate) fn number<'de, D: Deserializer<'de>, T: LenientNumber>(
    deserializer: D,
) -> Result<T, D::Error> {
    Number::deserialize(deserializer).map(|n| n.0)
}

/// `deserialize_with` for optional integer and number fields.
pub(crate) fn option_number<'de, D: Deserializer<'de>, T: LenientNumber>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    Option::<Number<T>>::deserialize(deserializer).map(|n| n.map(|n| n.0))
}

struct StringVisitor;

impl Visitor<'_> for StringVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// A string that may have been sent as a number.
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StringVisitor).map(Text)
    }
}

/// `deserialize_with` for `["string", "integer"]` fields.
pub(crate) fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Text::deserialize(deserializer).map(|t| t.0)
}

/// `deserialize_with` for optional `["string", "integer"]` fields.
pub(crate) fn option_string<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Option::<Text>::deserialize(deserializer).map(|t| t.map(|t| t.0))
}

/// The schemas of type-union fields (`schema_with`), as written in `schemas/`.
#[cfg(feature = "schemars")]
pub(crate) mod schema {
    use schemars::{Schema, SchemaGenerator, json_schema};

    pub(crate) fn string_or_integer(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": ["string", "integer"] })
    }

    pub(crate) fn integer_or_string(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": ["integer", "string"] })
    }

    #[allow(dead_code)] // for `["number", "string"]` members; no schema has one yet
    pub(crate) fn number_or_string(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": ["number", "string"] })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Sample {
        #[serde(deserialize_with = "number")]
        n: u32,
        #[serde(default, deserialize_with = "option_number")]
        f: Option<f64>,
        #[serde(deserialize_with = "string")]
        s: String,
    }

    #[test]
    fn accepts_both_forms() {
        let a: Sample = serde_json::from_value(json!({"n": 7, "f": 1.5, "s": "1001"})).unwrap();
        let b: Sample = serde_json::from_value(json!({"n": "7", "f": "1.5", "s": 1001})).unwrap();
        assert_eq!(a, b);
        let absent: Sample = serde_json::from_value(json!({"n": " 7 ", "s": "x"})).unwrap();
        assert_eq!(absent.f, None);
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        for bad in [
            json!({"n": "seven", "s": ""}),
            json!({"n": -1, "s": ""}),
            json!({"n": 1.5, "s": ""}),
            json!({"n": true, "s": ""}),
        ] {
            let error = serde_json::from_value::<Sample>(bad)
                .unwrap_err()
                .to_string();
            assert!(
                error.contains("an integer (u32) as a number or a string"),
                "{error}"
            );
        }
        assert!(serde_json::from_value::<Sample>(json!({"n": 1, "f": "NaN", "s": ""})).is_err());
    }
}
