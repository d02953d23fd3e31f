//! The dialect check: turns parsed schema files into the [`model`](super::model), rejecting
//! everything outside the dialect of `schemas/README.md` with the file and JSON pointer at fault.
//!
//! Parsing never stops at the first problem: every error is collected so that one run of
//! `cargo xtask codegen` reports all of them.

mod defs;
mod endpoints;
mod types;

use std::collections::BTreeMap;
use std::fmt;

use super::json::Json;
use super::model::{Def, File, TypeRef};

/// The `$id` prefix of every schema file: `$id` is this followed by the path under `schemas/`.
pub const ID_BASE: &str = "https://wechat-sdk.invalid/schemas/";

/// The only accepted `$schema`.
pub const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// Where to find the dialect's description, for error messages.
const SEE_README: &str = "see schemas/README.md for what each position accepts";

/// A schema outside the dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialectError {
    /// File, relative to `schemas/`.
    pub file: String,
    /// JSON pointer of the offending value (empty for the whole document).
    pub pointer: String,
    /// What is wrong and, where possible, what to do instead.
    pub message: String,
}

impl fmt::Display for DialectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "schemas/{}#{}: {}",
            self.file, self.pointer, self.message
        )
    }
}

/// The coarse shape of every definition, known before any definition is parsed so that
/// references can be checked against what they point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    Struct,
    Union,
    /// A string enum, with its only value when it has exactly one.
    StringEnum {
        single_value: Option<String>,
    },
    Newtype,
}

/// Shapes of all definitions of all files, by file and name.
pub(crate) type ShapeIndex = BTreeMap<(String, String), Shape>;

/// Classifies a definition by its keywords; `None` when it fits no shape.
pub(crate) fn classify(def: &Json) -> Option<Shape> {
    let ty = def.get("type").and_then(Json::as_str);
    match (def.get("oneOf"), ty) {
        (Some(Json::Array(values)), Some("string")) => {
            let single_value = match values.as_slice() {
                [only] => only.get("const").and_then(Json::as_str).map(str::to_owned),
                _ => None,
            };
            Some(Shape::StringEnum { single_value })
        }
        (Some(_), None) => Some(Shape::Union),
        (None, Some("object")) => Some(Shape::Struct),
        (None, Some("string")) => Some(Shape::Newtype),
        _ => None,
    }
}

/// Builds the shape index of a set of parsed files (`path` relative to `schemas/`).
pub(crate) fn index_shapes(files: &[(String, Json)]) -> ShapeIndex {
    let mut index = ShapeIndex::new();
    for (path, doc) in files {
        let Some(defs) = doc.get("$defs").and_then(Json::as_object) else {
            continue;
        };
        for (name, def) in defs {
            if let Some(shape) = classify(def) {
                index.insert((path.clone(), name.clone()), shape);
            }
        }
    }
    index
}

/// Checks one schema file against the dialect and converts it.
pub(crate) fn parse_file(
    path: &str,
    doc: &Json,
    index: &ShapeIndex,
    errors: &mut Vec<DialectError>,
) -> Option<File> {
    let mut cx = Cx {
        file: path,
        index,
        errors,
    };
    cx.file(doc)
}

/// Parsing context of one file.
pub(crate) struct Cx<'a> {
    pub(crate) file: &'a str,
    pub(crate) index: &'a ShapeIndex,
    pub(crate) errors: &'a mut Vec<DialectError>,
}

impl Cx<'_> {
    fn file(&mut self, doc: &Json) -> Option<File> {
        let Some(root) = doc.as_object() else {
            return self.fail("", "a schema file must be a JSON object");
        };
        self.allow_keys(
            root,
            "",
            &[
                "$schema",
                "$id",
                "title",
                "description",
                "$defs",
                "x-endpoints",
                "$comment",
            ],
        );
        match doc.get("$schema").and_then(Json::as_str) {
            Some(DRAFT_2020_12) => {}
            _ => self.error("/$schema", format!("`$schema` must be \"{DRAFT_2020_12}\"")),
        }
        let expected_id = format!("{ID_BASE}{}", self.file);
        if doc.get("$id").and_then(Json::as_str) != Some(expected_id.as_str()) {
            self.error(
                "/$id",
                format!("`$id` must be \"{expected_id}\" (the file's path under schemas/)"),
            );
        }
        let description = self.description(doc, "");
        let stem = self
            .file
            .rsplit('/')
            .next()
            .unwrap_or(self.file)
            .trim_end_matches(".schema.json");
        if !is_snake_ident(stem) {
            self.error("", format!("file name `{stem}` must be a snake_case Rust identifier followed by `.schema.json`"));
        }

        let mut defs: Vec<Def> = Vec::new();
        match doc.get("$defs") {
            Some(Json::Object(members)) if !members.is_empty() => {
                for (name, def) in members {
                    if let Some(def) = self.def(name, def) {
                        defs.push(def);
                    }
                }
            }
            _ => self.error(
                "/$defs",
                "`$defs` must be a non-empty object of definitions".to_owned(),
            ),
        }
        let endpoints = match doc.get("x-endpoints") {
            None => Vec::new(),
            Some(Json::Object(members)) => members
                .iter()
                .filter_map(|(id, endpoint)| self.endpoint(id, endpoint))
                .collect(),
            Some(_) => {
                self.error(
                    "/x-endpoints",
                    "`x-endpoints` must be an object of endpoint declarations".to_owned(),
                );
                Vec::new()
            }
        };
        Some(File {
            path: self.file.to_owned(),
            stem: stem.to_owned(),
            description: description?,
            defs,
            endpoints,
        })
    }

    /// Records an error.
    pub(crate) fn error(&mut self, pointer: &str, message: String) {
        self.errors.push(DialectError {
            file: self.file.to_owned(),
            pointer: pointer.to_owned(),
            message,
        });
    }

    /// Records an error and yields `None`.
    pub(crate) fn fail<T>(&mut self, pointer: &str, message: &str) -> Option<T> {
        self.error(pointer, message.to_owned());
        None
    }

    /// Rejects every key of `object` that is not in `allowed`.
    pub(crate) fn allow_keys(
        &mut self,
        object: &[(String, Json)],
        pointer: &str,
        allowed: &[&str],
    ) {
        for (key, _) in object {
            if !allowed.contains(&key.as_str()) {
                let message = format!("`{key}` is not allowed here: {}", hint_for(key));
                self.error(&child(pointer, key), message);
            }
        }
    }

    /// The required, non-empty `description` of the object at `pointer`.
    pub(crate) fn description(&mut self, value: &Json, pointer: &str) -> Option<String> {
        match value.get("description") {
            Some(Json::String(text)) if !text.trim().is_empty() => Some(text.clone()),
            Some(_) => self.fail(
                &child(pointer, "description"),
                "`description` must be a non-empty string",
            ),
            None => self.fail(
                pointer,
                "`description` is required: it becomes the doc comment of the Rust item",
            ),
        }
    }

    /// An optional `x-rust-name`, checked to be an identifier of the given case.
    pub(crate) fn rust_name(
        &mut self,
        value: &Json,
        pointer: &str,
        case: Case,
    ) -> Option<Option<String>> {
        match value.get("x-rust-name") {
            None => Some(None),
            Some(Json::String(name)) if case.accepts(name) => Some(Some(name.clone())),
            Some(_) => self.fail(
                &child(pointer, "x-rust-name"),
                &format!(
                    "`x-rust-name` must be a {} Rust identifier",
                    case.describe()
                ),
            ),
        }
    }

    /// An optional `x-rust-check`: the name of a function in `wechat_types::checks`.
    pub(crate) fn check_name(&mut self, value: &Json, pointer: &str) -> Option<Option<String>> {
        match value.get("x-rust-check") {
            None => Some(None),
            Some(Json::String(name)) if is_snake_ident(name) => Some(Some(name.clone())),
            Some(_) => self.fail(
                &child(pointer, "x-rust-check"),
                "`x-rust-check` must name a snake_case function",
            ),
        }
    }

    /// An optional boolean extension that may only be `true`.
    pub(crate) fn flag(&mut self, value: &Json, pointer: &str, key: &str) -> bool {
        match value.get(key) {
            None => false,
            Some(Json::Bool(true)) => true,
            Some(_) => {
                self.error(
                    &child(pointer, key),
                    format!("`{key}` must be `true` (or absent)"),
                );
                false
            }
        }
    }

    /// Resolves a `$ref` found at `pointer`, checking its target exists and has an allowed shape.
    pub(crate) fn reference(
        &mut self,
        value: &Json,
        pointer: &str,
        allowed: &[ShapeKind],
    ) -> Option<TypeRef> {
        let pointer = child(pointer, "$ref");
        let Some(reference) = value.get("$ref").and_then(Json::as_str) else {
            return self.fail(&pointer, "`$ref` must be a string");
        };
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let Some(name) = fragment
            .strip_prefix("/$defs/")
            .filter(|n| !n.contains('/'))
        else {
            return self.fail(&pointer, "`$ref` must point at a definition: `#/$defs/Name` or `other.schema.json#/$defs/Name`");
        };
        let Some(file) = resolve_relative(self.file, file_part) else {
            return self.fail(
                &pointer,
                &format!("`{file_part}` does not name a schema file under schemas/"),
            );
        };
        let Some(shape) = self.index.get(&(file.clone(), name.to_owned())) else {
            return self.fail(&pointer, &format!("`{reference}` points at no definition"));
        };
        if !allowed.iter().any(|kind| kind.matches(shape)) {
            let wanted: Vec<_> = allowed.iter().map(|kind| kind.describe()).collect();
            return self.fail(
                &pointer,
                &format!("`{reference}` must point at {}", wanted.join(" or ")),
            );
        }
        let module = file.split('/').next().unwrap_or_default().to_owned();
        Some(TypeRef {
            module,
            file,
            name: name.to_owned(),
        })
    }

    /// The shape of a resolved reference.
    pub(crate) fn shape_of(&self, target: &TypeRef) -> Option<&Shape> {
        self.index.get(&(target.file.clone(), target.name.clone()))
    }
}

/// Which shapes a reference may point at.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ShapeKind {
    Struct,
    Union,
    StringEnum,
    Newtype,
}

impl ShapeKind {
    /// Any definition.
    pub(crate) const ANY: &'static [ShapeKind] = &[
        ShapeKind::Struct,
        ShapeKind::Union,
        ShapeKind::StringEnum,
        ShapeKind::Newtype,
    ];

    fn matches(self, shape: &Shape) -> bool {
        matches!(
            (self, shape),
            (ShapeKind::Struct, Shape::Struct)
                | (ShapeKind::Union, Shape::Union)
                | (ShapeKind::StringEnum, Shape::StringEnum { .. })
                | (ShapeKind::Newtype, Shape::Newtype)
        )
    }

    fn describe(self) -> &'static str {
        match self {
            ShapeKind::Struct => "an object definition",
            ShapeKind::Union => "a tagged union",
            ShapeKind::StringEnum => "a string enum",
            ShapeKind::Newtype => "a constrained string",
        }
    }
}

/// Identifier cases.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Case {
    /// `snake_case` (fields).
    Snake,
    /// `PascalCase` (types, variants).
    Pascal,
}

impl Case {
    pub(crate) fn accepts(self, name: &str) -> bool {
        match self {
            Case::Snake => is_snake_ident(name),
            Case::Pascal => is_pascal_ident(name),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Case::Snake => "snake_case",
            Case::Pascal => "PascalCase",
        }
    }
}

/// Whether `name` is a snake_case Rust identifier that is not a keyword.
pub(crate) fn is_snake_ident(name: &str) -> bool {
    use heck::ToSnakeCase;
    name.to_snake_case() == name && is_ident(name)
}

/// Whether `name` is a PascalCase Rust identifier that is not a keyword or a prelude type.
pub(crate) fn is_pascal_ident(name: &str) -> bool {
    use heck::ToUpperCamelCase;
    const PRELUDE: &[&str] = &[
        "Option", "Result", "String", "Vec", "Box", "Some", "None", "Ok", "Err", "Self",
    ];
    name.to_upper_camel_case() == name && is_ident(name) && !PRELUDE.contains(&name)
}

fn is_ident(name: &str) -> bool {
    syn::parse_str::<syn::Ident>(name).is_ok()
}

/// Appends a key to a JSON pointer, escaping it.
pub(crate) fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// Resolves a reference's file part against the referring file (`""` is the file itself).
fn resolve_relative(from: &str, reference: &str) -> Option<String> {
    if reference.is_empty() {
        return Some(from.to_owned());
    }
    if !reference.ends_with(".schema.json")
        || reference.starts_with('/')
        || reference.contains("://")
    {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for segment in reference.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            name => parts.push(name),
        }
    }
    Some(parts.join("/"))
}

/// A short explanation for keywords people reach for that the dialect leaves out.
fn hint_for(key: &str) -> &'static str {
    match key {
        "additionalProperties" | "unevaluatedProperties" | "patternProperties" => {
            "objects are open in the dialect (unknown members are ignored when decoding, because WeChat adds fields); remove it"
        }
        "anyOf" | "not" | "if" | "then" | "else" | "dependentSchemas" | "dependentRequired" => {
            "use a `oneOf` whose branches pin a tag with `const`, or an `x-rust-check` for rules across fields"
        }
        "enum" => {
            "name the enum in `$defs` as `\"type\": \"string\"` with a `oneOf` of `{\"const\", \"description\"}`"
        }
        "const" => "`const` only pins the tag of a tagged-union branch",
        "nullable" => {
            "leave the property out of `required` instead: absent members are never sent as null"
        }
        "$defs" | "definitions" => "definitions live only at the root of a file",
        "$id" | "$anchor" | "$dynamicRef" | "$dynamicAnchor" => "only the file root has an `$id`",
        _ => SEE_README,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_files() {
        assert_eq!(
            resolve_relative("mp/a.schema.json", "").as_deref(),
            Some("mp/a.schema.json")
        );
        assert_eq!(
            resolve_relative("mp/a.schema.json", "b.schema.json").as_deref(),
            Some("mp/b.schema.json")
        );
        assert_eq!(
            resolve_relative("mp/a.schema.json", "../common/c.schema.json").as_deref(),
            Some("common/c.schema.json")
        );
        assert_eq!(
            resolve_relative("mp/a.schema.json", "../../x.schema.json"),
            None
        );
        assert_eq!(
            resolve_relative("mp/a.schema.json", "https://x/y.schema.json"),
            None
        );
    }

    #[test]
    fn identifier_cases() {
        assert!(is_snake_ident("media_id_16k"));
        assert!(!is_snake_ident("type"));
        assert!(!is_snake_ident("MediaId"));
        assert!(is_pascal_ident("CustomMessage"));
        assert!(!is_pascal_ident("customMessage"));
        assert!(!is_pascal_ident("Option"));
    }
}
