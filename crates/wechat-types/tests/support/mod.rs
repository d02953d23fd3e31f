//! Shared by the integration tests: the generated registry of types, the schema files, fixtures.
#![allow(dead_code, unreachable_pub)] // Each test binary uses its own part of this module.

pub mod schemas;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// One generated type with the schema definition it comes from (see `generated/registry.rs`).
pub struct Entry {
    /// Schema file, relative to `schemas/`.
    pub file: &'static str,
    /// Definition name (and Rust type name).
    pub def: &'static str,
    /// JSON text -> the type -> compact JSON text.
    pub json_roundtrip: fn(&str) -> Result<String, String>,
    /// XML text -> the type -> XML -> the type again (must be equal) -> compact JSON text.
    #[cfg(feature = "xml")]
    pub xml_to_json: fn(&str) -> Result<String, String>,
    /// XML text -> the type (read directly) -> compact JSON text, or the error's text.
    #[cfg(feature = "xml")]
    pub xml_direct: fn(&str) -> Result<String, String>,
    /// XML text -> `xml::to_map` -> `serde_json::Value` -> the type -> compact JSON text, or the
    /// error's text: what `xml::from_str` did before it read the tree directly.
    #[cfg(feature = "xml")]
    pub xml_via_map: fn(&str) -> Result<String, String>,
    /// The schema schemars derives for the type (root schema with `$defs`).
    #[cfg(feature = "schemars")]
    pub derived_schema: fn() -> serde_json::Value,
}

impl Entry {
    /// `file#/$defs/def`.
    pub fn pointer(&self) -> String {
        format!("{}#/$defs/{}", self.file, self.def)
    }
}

/// Builds an [`Entry`]; the generated registry calls it once per type.
macro_rules! entry {
    ($file:literal, $def:literal, $ty:ty) => {
        $crate::support::Entry {
            file: $file,
            def: $def,
            json_roundtrip: $crate::support::json_roundtrip::<$ty>,
            #[cfg(feature = "xml")]
            xml_to_json: $crate::support::xml_to_json::<$ty>,
            #[cfg(feature = "xml")]
            xml_direct: $crate::support::xml_direct::<$ty>,
            #[cfg(feature = "xml")]
            xml_via_map: $crate::support::xml_via_map::<$ty>,
            #[cfg(feature = "schemars")]
            derived_schema: $crate::support::derived_schema::<$ty>,
        }
    };
}

#[rustfmt::skip]
#[path = "../generated/registry.rs"]
mod registry;

pub use registry::TYPES;

/// The registry entry of a definition.
pub fn entry(file: &str, def: &str) -> &'static Entry {
    TYPES
        .iter()
        .find(|e| e.file == file && e.def == def)
        .unwrap_or_else(|| panic!("no generated type for {file}#/$defs/{def}"))
}

pub fn json_roundtrip<T: Serialize + DeserializeOwned>(text: &str) -> Result<String, String> {
    let value: T = serde_json::from_str(text).map_err(|e| e.to_string())?;
    serde_json::to_string(&value).map_err(|e| e.to_string())
}

#[cfg(feature = "xml")]
pub fn xml_to_json<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    text: &str,
) -> Result<String, String> {
    let value: T = wechat_types::xml::from_str(text).map_err(|e| e.to_string())?;
    let written = wechat_types::xml::to_string(&value).map_err(|e| e.to_string())?;
    let again: T =
        wechat_types::xml::from_str(&written).map_err(|e| format!("re-reading {written}: {e}"))?;
    if again != value {
        return Err(format!(
            "XML round trip changed the value:\n{value:?}\n{again:?}\nvia {written}"
        ));
    }
    serde_json::to_string(&value).map_err(|e| e.to_string())
}

#[cfg(feature = "xml")]
pub fn xml_direct<T: Serialize + DeserializeOwned>(text: &str) -> Result<String, String> {
    let value: T = wechat_types::xml::from_str(text).map_err(|e| e.to_string())?;
    serde_json::to_string(&value).map_err(|e| e.to_string())
}

#[cfg(feature = "xml")]
pub fn xml_via_map<T: Serialize + DeserializeOwned>(text: &str) -> Result<String, String> {
    let map = wechat_types::xml::to_map(text).map_err(|e| e.to_string())?;
    let value = T::deserialize(serde_json::Value::Object(map))
        .map_err(|e| wechat_types::xml::XmlError::Decode(e).to_string())?;
    serde_json::to_string(&value).map_err(|e| e.to_string())
}

#[cfg(feature = "schemars")]
pub fn derived_schema<T: schemars::JsonSchema>() -> serde_json::Value {
    schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}
