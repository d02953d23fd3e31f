//! Properties and the types they may have.

use heck::ToSnakeCase;

use super::{Case, Cx, ShapeKind, child};
use crate::codegen::json::Json;
use crate::codegen::model::{Bounds, Field, IntFormat, Presence, StrLimits, Ty};

/// Keys every property may carry besides its type keywords.
const PROPERTY_KEYS: &[&str] = &[
    "description",
    "x-rust-name",
    "default",
    "x-secret",
    "title",
    "examples",
    "$comment",
];

/// Keys an array's `items` may carry besides its type keywords.
const ITEM_KEYS: &[&str] = &["description", "title", "$comment"];

/// String limit keywords.
pub(super) const STRING_LIMIT_KEYS: &[&str] = &[
    "minLength",
    "maxLength",
    "x-min-bytes",
    "x-max-bytes",
    "pattern",
    "x-rust-check",
];

impl Cx<'_> {
    /// One member of `properties`.
    pub(super) fn property(
        &mut self,
        wire: &str,
        schema: &Json,
        required: bool,
        pointer: &str,
    ) -> Option<Field> {
        if schema.as_object().is_none() {
            return self.fail(pointer, "a property must be a schema object");
        }
        let description = self.description(schema, pointer);
        let rust = match self.rust_name(schema, pointer, Case::Snake)? {
            Some(name) => name,
            None => {
                let derived = wire.to_snake_case();
                if !super::is_snake_ident(&derived) {
                    return self.fail(
                        pointer,
                        &format!("`{wire}` does not make a Rust field name (`{derived}`); set `x-rust-name`"),
                    );
                }
                derived
            }
        };
        let ty = self.ty(schema, pointer, PROPERTY_KEYS)?;
        let secret = self.flag(schema, pointer, "x-secret");
        if secret && !matches!(ty, Ty::String { .. }) {
            self.error(
                &child(pointer, "x-secret"),
                "`x-secret` applies to string properties only".to_owned(),
            );
        }
        let presence = match (schema.get("default"), required) {
            (None, true) => Presence::Required,
            (None, false) => Presence::Optional,
            (Some(_), true) => {
                return self.fail(
                    &child(pointer, "default"),
                    "a required property cannot have a `default`",
                );
            }
            (Some(default), false) => {
                if !is_natural_default(&ty, default) {
                    return self.fail(
                        &child(pointer, "default"),
                        "`default` must be the type's natural default (0, false, \"\" or [])",
                    );
                }
                Presence::Defaulted
            }
        };
        Some(Field {
            wire: wire.to_owned(),
            rust,
            description: description?,
            ty,
            presence,
            secret,
        })
    }

    /// The type of a property or of array items; `extra` lists the non-type keys allowed here.
    fn ty(&mut self, schema: &Json, pointer: &str, extra: &[&str]) -> Option<Ty> {
        let object = schema.as_object()?;
        if schema.get("$ref").is_some() {
            self.allow(object, pointer, extra, &["$ref"]);
            return self.reference(schema, pointer, ShapeKind::ANY).map(Ty::Ref);
        }
        match schema.get("type") {
            Some(Json::String(ty)) => match ty.as_str() {
                "string" => {
                    self.allow(object, pointer, extra, &[&["type"], STRING_LIMIT_KEYS].concat());
                    let limits = self.string_limits(schema, pointer)?;
                    Some(Ty::String { limits, also_integer: false })
                }
                "integer" => {
                    self.allow(object, pointer, extra, &["type", "format", "minimum", "maximum"]);
                    let format = self.int_format(schema, pointer)?;
                    let bounds = self.bounds(schema, pointer, true)?;
                    if matches!(format, IntFormat::U32 | IntFormat::U64)
                        && bounds.minimum.as_ref().is_some_and(|m| m.as_i64().is_some_and(|m| m < 0))
                    {
                        return self.fail(&child(pointer, "minimum"), "an unsigned integer cannot have a negative `minimum`");
                    }
                    Some(Ty::Integer { format, bounds, also_string: false })
                }
                "number" => {
                    self.allow(object, pointer, extra, &["type", "format", "minimum", "maximum"]);
                    if schema.get("format").is_some_and(|f| f.as_str() != Some("double")) {
                        return self.fail(&child(pointer, "format"), "a number's `format` can only be \"double\"");
                    }
                    let bounds = self.bounds(schema, pointer, false)?;
                    Some(Ty::Number { bounds, also_string: false })
                }
                "boolean" => {
                    self.allow(object, pointer, extra, &["type"]);
                    Some(Ty::Bool)
                }
                "array" => {
                    self.allow(object, pointer, extra, &["type", "items", "minItems", "maxItems"]);
                    let items_pointer = child(pointer, "items");
                    let Some(items) = schema.get("items").filter(|items| items.as_object().is_some()) else {
                        return self.fail(pointer, "an array needs an `items` schema");
                    };
                    let items = self.ty(items, &items_pointer, ITEM_KEYS)?;
                    let min_items = self.count(schema, pointer, "minItems")?;
                    let max_items = self.count(schema, pointer, "maxItems")?;
                    Some(Ty::Array { items: Box::new(items), min_items, max_items })
                }
                "object" => self.fail(
                    pointer,
                    "inline objects are not in the dialect: define the object in `$defs` and `$ref` it",
                ),
                other => self.fail(&child(pointer, "type"), &format!("type `{other}` is not in the dialect")),
            },
            Some(Json::Array(types)) => {
                self.allow(object, pointer, extra, &["type"]);
                let names: Vec<_> = types.iter().filter_map(Json::as_str).collect();
                match names.as_slice() {
                    ["string", "integer"] => Some(Ty::String { limits: StrLimits::default(), also_integer: true }),
                    ["integer", "string"] => {
                        Some(Ty::Integer { format: IntFormat::I64, bounds: Bounds::default(), also_string: true })
                    }
                    ["number", "string"] => Some(Ty::Number { bounds: Bounds::default(), also_string: true }),
                    _ => self.fail(
                        &child(pointer, "type"),
                        "a type array must be [\"string\", \"integer\"], [\"integer\", \"string\"] or [\"number\", \"string\"] (the first is the Rust type)",
                    ),
                }
            }
            Some(_) => self.fail(&child(pointer, "type"), "`type` must be a string or a type array"),
            None => {
                let problem = if schema.get("const").is_some() {
                    "`const` only pins the tag of a tagged-union branch"
                } else if schema.get("enum").is_some() || schema.get("oneOf").is_some() {
                    "inline enums and unions are not in the dialect: name them in `$defs` and `$ref` them"
                } else {
                    "a property needs a `type` or a `$ref`"
                };
                self.fail(pointer, problem)
            }
        }
    }

    /// Rejects keys outside `extra` + `own`.
    fn allow(&mut self, object: &[(String, Json)], pointer: &str, extra: &[&str], own: &[&str]) {
        let allowed: Vec<&str> = extra.iter().chain(own).copied().collect();
        self.allow_keys(object, pointer, &allowed);
    }

    /// `minLength` and friends of a string schema.
    pub(super) fn string_limits(&mut self, schema: &Json, pointer: &str) -> Option<StrLimits> {
        let limits = StrLimits {
            min_length: self.count(schema, pointer, "minLength")?,
            max_length: self.count(schema, pointer, "maxLength")?,
            min_bytes: self.count(schema, pointer, "x-min-bytes")?,
            max_bytes: self.count(schema, pointer, "x-max-bytes")?,
            pattern: match schema.get("pattern") {
                None => None,
                Some(Json::String(pattern)) => Some(pattern.clone()),
                Some(_) => {
                    return self.fail(&child(pointer, "pattern"), "`pattern` must be a string");
                }
            },
            check: self.check_name(schema, pointer)?,
        };
        if limits.pattern.is_some() && limits.check.is_none() {
            return self.fail(
                &child(pointer, "pattern"),
                "`pattern` needs an `x-rust-check` naming the function in wechat_types::checks that enforces it (wechat-types has no regex engine)",
            );
        }
        Some(limits)
    }

    /// A non-negative integer keyword such as `maxLength`.
    fn count(&mut self, schema: &Json, pointer: &str, key: &str) -> Option<Option<u64>> {
        match schema.get(key) {
            None => Some(None),
            Some(Json::Number(n)) if n.as_u64().is_some() => Some(n.as_u64()),
            Some(_) => self.fail(
                &child(pointer, key),
                &format!("`{key}` must be a non-negative integer"),
            ),
        }
    }

    fn int_format(&mut self, schema: &Json, pointer: &str) -> Option<IntFormat> {
        match schema.get("format").map(|f| f.as_str()) {
            None | Some(Some("int64")) => Some(IntFormat::I64),
            Some(Some("int32")) => Some(IntFormat::I32),
            Some(Some("uint32")) => Some(IntFormat::U32),
            Some(Some("uint64")) => Some(IntFormat::U64),
            Some(_) => self.fail(
                &child(pointer, "format"),
                "an integer's `format` must be int32, int64, uint32 or uint64",
            ),
        }
    }

    fn bounds(&mut self, schema: &Json, pointer: &str, integer: bool) -> Option<Bounds> {
        let mut bound = |key: &str| match schema.get(key) {
            None => Some(None),
            Some(Json::Number(n)) if !integer || n.as_i64().is_some() || n.as_u64().is_some() => {
                Some(Some(n.clone()))
            }
            Some(_) => {
                let what = if integer { "an integer" } else { "a number" };
                self.fail(&child(pointer, key), &format!("`{key}` must be {what}"))
            }
        };
        let minimum = bound("minimum")?;
        let maximum = bound("maximum")?;
        Some(Bounds { minimum, maximum })
    }
}

/// Whether `default` is the natural default of `ty` (what `Default::default()` gives).
fn is_natural_default(ty: &Ty, default: &Json) -> bool {
    match (ty, default) {
        (Ty::String { .. }, Json::String(s)) => s.is_empty(),
        (Ty::Integer { .. } | Ty::Number { .. }, Json::Number(n)) => n.as_f64() == Some(0.0),
        (Ty::Bool, Json::Bool(b)) => !b,
        (Ty::Array { .. }, Json::Array(items)) => items.is_empty(),
        _ => false,
    }
}
