//! The four shapes of definition.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

use super::types::STRING_LIMIT_KEYS;
use super::{Case, Cx, Shape, ShapeKind, child, classify};
use crate::codegen::json::Json;
use crate::codegen::model::{
    Def, DefKind, EnumValue, Field, Member, StringEnum, Struct, Union, Variant, VariantShape,
};

/// Annotation keys every definition may carry.
const ANNOTATIONS: &[&str] = &["description", "title", "examples", "$comment"];

impl Cx<'_> {
    /// One `$defs` entry.
    pub(super) fn def(&mut self, name: &str, def: &Json) -> Option<Def> {
        let pointer = child("/$defs", name);
        if !super::is_pascal_ident(name) {
            self.error(
                &pointer,
                format!("definition name `{name}` must be a PascalCase Rust type name"),
            );
        }
        if def.as_object().is_none() {
            return self.fail(&pointer, "a definition must be a schema object");
        }
        let description = self.description(def, &pointer);
        let kind = match classify(def) {
            Some(Shape::Struct) => DefKind::Struct(self.structure(def, &pointer)?),
            Some(Shape::Union) => DefKind::Union(self.union(def, &pointer)?),
            Some(Shape::StringEnum { .. }) => DefKind::StringEnum(self.string_enum(def, &pointer)?),
            Some(Shape::Newtype) => {
                let object = def.as_object()?;
                self.allow_keys(
                    object,
                    &pointer,
                    &[ANNOTATIONS, &["type"], STRING_LIMIT_KEYS].concat(),
                );
                let limits = self.string_limits(def, &pointer)?;
                if !limits.any() {
                    return self.fail(
                        &pointer,
                        "a string definition without limits adds nothing: use `\"type\": \"string\"` in the property",
                    );
                }
                DefKind::Newtype(limits)
            }
            None => {
                return self.fail(
                    &pointer,
                    "a definition is an object (`\"type\": \"object\"`), a tagged union (`oneOf` of objects), a string enum (`\"type\": \"string\"` with `oneOf` of consts) or a constrained string",
                );
            }
        };
        Some(Def {
            name: name.to_owned(),
            description: description?,
            kind,
        })
    }

    /// An object definition.
    fn structure(&mut self, def: &Json, pointer: &str) -> Option<Struct> {
        let object = def.as_object()?;
        self.allow_keys(
            object,
            pointer,
            &[
                ANNOTATIONS,
                &["type", "properties", "required", "allOf", "x-rust-check"],
            ]
            .concat(),
        );
        let fields = self.fields(def, pointer, None)?;
        let check = self.check_name(def, pointer)?;

        // Flattened members: first, or right after the property named by `x-rust-after`.
        let mut leading = Vec::new();
        let mut after: Vec<(String, Member)> = Vec::new();
        let mut flattened_unions = 0;
        if let Some(all_of) = def.get("allOf") {
            let all_of_pointer = child(pointer, "allOf");
            let Json::Array(entries) = all_of else {
                return self.fail(
                    &all_of_pointer,
                    "`allOf` must be an array of `{\"$ref\": ...}` entries",
                );
            };
            for (i, entry) in entries.iter().enumerate() {
                let entry_pointer = child(&all_of_pointer, &i.to_string());
                let Some(entry_object) = entry.as_object() else {
                    return self.fail(&entry_pointer, "an `allOf` entry must be `{\"$ref\": ...}`");
                };
                self.allow_keys(
                    entry_object,
                    &entry_pointer,
                    &["$ref", "x-rust-after", "x-rust-name", "$comment"],
                );
                let target = self.reference(
                    entry,
                    &entry_pointer,
                    &[ShapeKind::Struct, ShapeKind::Union],
                )?;
                if self.shape_of(&target) == Some(&Shape::Union) {
                    flattened_unions += 1;
                }
                let rust = self
                    .rust_name(entry, &entry_pointer, Case::Snake)?
                    .unwrap_or_else(|| target.name.to_snake_case());
                let member = Member::Flatten { rust, target };
                match entry.get("x-rust-after") {
                    None => leading.push(member),
                    Some(Json::String(property)) if fields.iter().any(|f| f.wire == *property) => {
                        after.push((property.clone(), member));
                    }
                    Some(_) => {
                        return self.fail(
                            &child(&entry_pointer, "x-rust-after"),
                            "`x-rust-after` must name a property of this object",
                        );
                    }
                }
            }
        }
        if flattened_unions > 1 {
            return self.fail(
                pointer,
                "at most one tagged union can be flattened into an object",
            );
        }
        if fields.is_empty() && leading.is_empty() && after.is_empty() {
            return self.fail(pointer, "an object needs `properties` or `allOf`");
        }

        let mut members = leading;
        for field in fields {
            let wire = field.wire.clone();
            members.push(Member::Field(field));
            let (here, later): (Vec<_>, Vec<_>) = after
                .into_iter()
                .partition(|(property, _)| *property == wire);
            members.extend(here.into_iter().map(|(_, member)| member));
            after = later;
        }
        self.unique_rust_names(
            pointer,
            members.iter().map(|m| match m {
                Member::Field(f) => f.rust.as_str(),
                Member::Flatten { rust, .. } => rust.as_str(),
            }),
        );
        Some(Struct { members, check })
    }

    /// `properties` + `required` of an object or an inline union branch (minus its `tag`), in
    /// document order.
    fn fields(&mut self, def: &Json, pointer: &str, tag: Option<&str>) -> Option<Vec<Field>> {
        let properties_pointer = child(pointer, "properties");
        let properties = match def.get("properties") {
            None => &[][..],
            Some(Json::Object(members)) => members.as_slice(),
            Some(_) => return self.fail(&properties_pointer, "`properties` must be an object"),
        };
        let required = self.required(def, pointer, properties)?;
        let mut fields = Vec::new();
        for (wire, schema) in properties
            .iter()
            .filter(|(wire, _)| Some(wire.as_str()) != tag)
        {
            if let Some(field) = self.property(
                wire,
                schema,
                required.contains(wire.as_str()),
                &child(&properties_pointer, wire),
            ) {
                fields.push(field);
            }
        }
        Some(fields)
    }

    /// The `required` list, checked against `properties`.
    fn required<'p>(
        &mut self,
        def: &Json,
        pointer: &str,
        properties: &'p [(String, Json)],
    ) -> Option<BTreeSet<&'p str>> {
        let required_pointer = child(pointer, "required");
        let mut set = BTreeSet::new();
        match def.get("required") {
            None => {}
            Some(Json::Array(names)) => {
                for (i, name) in names.iter().enumerate() {
                    let Some(name) = name.as_str() else {
                        return self.fail(
                            &child(&required_pointer, &i.to_string()),
                            "`required` lists property names",
                        );
                    };
                    let Some((declared, _)) = properties.iter().find(|(k, _)| k == name) else {
                        return self.fail(
                            &child(&required_pointer, &i.to_string()),
                            &format!("`{name}` is required but not declared in `properties`"),
                        );
                    };
                    if !set.insert(declared.as_str()) {
                        return self.fail(
                            &child(&required_pointer, &i.to_string()),
                            &format!("`{name}` is listed twice"),
                        );
                    }
                }
            }
            Some(_) => {
                return self.fail(
                    &required_pointer,
                    "`required` must be an array of property names",
                );
            }
        }
        Some(set)
    }

    /// A tagged union.
    fn union(&mut self, def: &Json, pointer: &str) -> Option<Union> {
        let object = def.as_object()?;
        self.allow_keys(
            object,
            pointer,
            &[ANNOTATIONS, &["oneOf", "x-rust-unknown"]].concat(),
        );
        let unknown = self.flag(def, pointer, "x-rust-unknown");
        let branches_pointer = child(pointer, "oneOf");
        let Some(Json::Array(branches)) = def
            .get("oneOf")
            .filter(|b| matches!(b, Json::Array(a) if !a.is_empty()))
        else {
            return self.fail(
                &branches_pointer,
                "`oneOf` must be a non-empty array of branches",
            );
        };
        let mut tag: Option<String> = None;
        let mut variants = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            let branch_pointer = child(&branches_pointer, &i.to_string());
            let Some((branch_tag, variant)) = self.branch(branch, &branch_pointer) else {
                continue;
            };
            match &tag {
                None => tag = Some(branch_tag),
                Some(first) if *first == branch_tag => {}
                Some(first) => {
                    self.error(
                        &branch_pointer,
                        format!("every branch must pin the same tag: this one pins `{branch_tag}`, the first pins `{first}`"),
                    );
                    continue;
                }
            }
            if variants.iter().any(|v: &Variant| v.value == variant.value) {
                self.error(
                    &branch_pointer,
                    format!("tag value `{}` appears twice", variant.value),
                );
                continue;
            }
            variants.push(variant);
        }
        if unknown && variants.iter().any(|v| v.rust == "Unknown") {
            return self.fail(
                pointer,
                "the variant name `Unknown` is taken by `x-rust-unknown`",
            );
        }
        self.unique_rust_names(pointer, variants.iter().map(|v| v.rust.as_str()));
        Some(Union {
            tag: tag?,
            variants,
            unknown,
        })
    }

    /// One union branch: its tag name and the variant.
    fn branch(&mut self, branch: &Json, pointer: &str) -> Option<(String, Variant)> {
        let Some(object) = branch.as_object() else {
            return self.fail(pointer, "a union branch must be a schema object");
        };
        self.allow_keys(
            object,
            pointer,
            &[
                "type",
                "description",
                "$ref",
                "properties",
                "required",
                "x-rust-name",
                "title",
                "$comment",
            ],
        );
        if branch
            .get("type")
            .is_some_and(|t| t.as_str() != Some("object"))
        {
            return self.fail(
                &child(pointer, "type"),
                "a union branch is an object: `\"type\": \"object\"` or nothing",
            );
        }
        let description = self.description(branch, pointer);
        let properties_pointer = child(pointer, "properties");
        let properties = branch
            .get("properties")
            .and_then(Json::as_object)
            .unwrap_or_default();
        let tags: Vec<_> = properties
            .iter()
            .filter(|(_, schema)| schema.get("const").is_some())
            .collect();
        let [(tag, tag_schema)] = tags.as_slice() else {
            return self.fail(
                pointer,
                "a union branch pins exactly one property (its tag) with `const`",
            );
        };
        let tag_pointer = child(&properties_pointer, tag);
        self.allow_keys(
            tag_schema.as_object()?,
            &tag_pointer,
            &["const", "$comment"],
        );
        let Some(value) = tag_schema.get("const").and_then(Json::as_str) else {
            return self.fail(
                &child(&tag_pointer, "const"),
                "a tag's `const` must be a string",
            );
        };
        let required = branch.get("required").and_then(|r| match r {
            Json::Array(names) => Some(names.iter().filter_map(Json::as_str).collect::<Vec<_>>()),
            _ => None,
        });
        if !required
            .as_ref()
            .is_some_and(|names| names.contains(&tag.as_str()))
        {
            return self.fail(
                pointer,
                &format!("the tag `{tag}` must be listed in `required`"),
            );
        }
        let rust = match self.rust_name(branch, pointer, Case::Pascal)? {
            Some(name) => name,
            None => {
                let derived = value.to_upper_camel_case();
                if !super::is_pascal_ident(&derived) {
                    return self.fail(
                        pointer,
                        &format!(
                            "tag value `{value}` does not make a variant name; set `x-rust-name`"
                        ),
                    );
                }
                derived
            }
        };

        let shape = if branch.get("$ref").is_some() {
            if properties.len() != 1 || required.is_some_and(|r| r.len() != 1) {
                return self.fail(
                    pointer,
                    "a `$ref` branch declares only its tag; the referenced definition holds the other members",
                );
            }
            VariantShape::Newtype(self.reference(
                branch,
                pointer,
                &[ShapeKind::Struct, ShapeKind::Union],
            )?)
        } else {
            let fields = self.fields(branch, pointer, Some(tag.as_str()))?;
            if let Some(secret) = fields.iter().find(|f| f.secret) {
                return self.fail(
                    &child(&properties_pointer, &secret.wire),
                    "`x-secret` is not supported in an inline branch: move the member into a `$ref`'d object",
                );
            }
            self.unique_rust_names(pointer, fields.iter().map(|f| f.rust.as_str()));
            VariantShape::Fields(fields)
        };
        Some((
            (*tag).clone(),
            Variant {
                value: value.to_owned(),
                rust,
                description: description?,
                shape,
            },
        ))
    }

    /// A string enum.
    fn string_enum(&mut self, def: &Json, pointer: &str) -> Option<StringEnum> {
        let object = def.as_object()?;
        self.allow_keys(
            object,
            pointer,
            &[ANNOTATIONS, &["type", "oneOf", "x-rust-unknown"]].concat(),
        );
        let unknown = self.flag(def, pointer, "x-rust-unknown");
        let values_pointer = child(pointer, "oneOf");
        let Some(Json::Array(entries)) = def
            .get("oneOf")
            .filter(|v| matches!(v, Json::Array(a) if !a.is_empty()))
        else {
            return self.fail(
                &values_pointer,
                "`oneOf` must be a non-empty array of `{\"const\", \"description\"}`",
            );
        };
        let mut values: Vec<EnumValue> = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            let entry_pointer = child(&values_pointer, &i.to_string());
            let Some(entry_object) = entry.as_object() else {
                self.error(
                    &entry_pointer,
                    "an enum value must be `{\"const\": ..., \"description\": ...}`".to_owned(),
                );
                continue;
            };
            self.allow_keys(
                entry_object,
                &entry_pointer,
                &["const", "description", "x-rust-name", "$comment"],
            );
            let description = self.description(entry, &entry_pointer);
            let Some(value) = entry.get("const").and_then(Json::as_str) else {
                self.error(
                    &entry_pointer,
                    "an enum value needs a string `const`".to_owned(),
                );
                continue;
            };
            let Some(name) = self.rust_name(entry, &entry_pointer, Case::Pascal) else {
                continue;
            };
            let rust = name.unwrap_or_else(|| value.to_upper_camel_case());
            if !super::is_pascal_ident(&rust) {
                self.error(
                    &entry_pointer,
                    format!("value `{value}` does not make a variant name; set `x-rust-name`"),
                );
                continue;
            }
            if values.iter().any(|v| v.value == value) {
                self.error(&entry_pointer, format!("value `{value}` appears twice"));
                continue;
            }
            let Some(description) = description else {
                continue;
            };
            values.push(EnumValue {
                value: value.to_owned(),
                rust,
                description,
            });
        }
        if unknown && values.iter().any(|v| v.rust == "Unknown") {
            return self.fail(
                pointer,
                "the variant name `Unknown` is taken by `x-rust-unknown`",
            );
        }
        self.unique_rust_names(pointer, values.iter().map(|v| v.rust.as_str()));
        Some(StringEnum { values, unknown })
    }

    /// Reports Rust names that occur twice.
    fn unique_rust_names<'n>(&mut self, pointer: &str, names: impl Iterator<Item = &'n str>) {
        let mut seen = BTreeSet::new();
        for name in names {
            if !seen.insert(name) {
                self.error(
                    pointer,
                    format!("two members map to the Rust name `{name}`; set `x-rust-name` on one"),
                );
            }
        }
    }
}
