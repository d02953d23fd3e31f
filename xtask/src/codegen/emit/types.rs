//! Rust types from definitions: declarations, serde and schemars attributes, constructors.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{EmitCx, doc, ident, number};
use crate::codegen::model::{
    Def, DefKind, Field, Member, Module, Presence, StrLimits, StringEnum, Struct, Ty, Union,
    VariantShape,
};

impl EmitCx<'_> {
    /// Every item generated for one definition.
    pub(super) fn def_items(&self, module: &Module, def: &Def) -> TokenStream {
        let items = match &def.kind {
            DefKind::Struct(s) => self.structure(module, def, s),
            DefKind::Union(u) => self.union(module, def, u),
            DefKind::StringEnum(e) => string_enum(def, e),
            DefKind::Newtype(limits) => newtype(def, limits),
        };
        let validate = self.validate_impl(def);
        quote! { #items #validate }
    }

    fn structure(&self, module: &Module, def: &Def, s: &Struct) -> TokenStream {
        let name = ident(&def.name);
        let docs = doc(&def.description);
        let has_secret = s
            .members
            .iter()
            .any(|m| matches!(m, Member::Field(f) if f.secret));
        let flat_deserialize = self.flat_struct_deserialize(module, def, s);
        let derives = self.derives(def, !has_secret, flat_deserialize.is_none());
        let fields = s.members.iter().map(|member| match member {
            Member::Field(field) => {
                let attrs = self.field_attrs(field);
                let rust = ident(&field.rust);
                let ty = self.field_type(&module.name, field);
                quote! { #attrs pub #rust: #ty, }
            }
            Member::Flatten { rust, target } => {
                let docs = doc(&self.def(target).description);
                let rust = ident(rust);
                let ty = self.path(&module.name, target);
                quote! { #docs #[serde(flatten)] pub #rust: #ty, }
            }
        });
        let constructor = self.constructor(module, def, s);
        let debug = has_secret.then(|| redacted_debug(def, s));
        quote! {
            #docs
            #derives
            #[non_exhaustive]
            pub struct #name { #(#fields)* }
            #flat_deserialize
            #constructor
            #debug
        }
    }

    /// `new` with the required members, `with_*` setters for the others, `Default` if `new()`.
    fn constructor(&self, module: &Module, def: &Def, s: &Struct) -> TokenStream {
        let name = ident(&def.name);
        let mut params = Vec::new();
        let mut inits = Vec::new();
        let mut setters = Vec::new();
        for member in &s.members {
            match member {
                Member::Flatten { rust, target } => {
                    let rust = ident(rust);
                    let ty = self.path(&module.name, target);
                    params.push(quote! { #rust: impl Into<#ty> });
                    inits.push(quote! { #rust: #rust.into() });
                }
                Member::Field(field) => {
                    let rust = ident(&field.rust);
                    let (param_ty, into) = self.param(&module.name, &field.ty);
                    let convert = if into {
                        quote! { #rust.into() }
                    } else {
                        quote! { #rust }
                    };
                    match field.presence {
                        Presence::Required => {
                            if let Some(fixed) = self.fixed_value(&module.name, &field.ty) {
                                inits.push(quote! { #rust: #fixed });
                            } else {
                                params.push(quote! { #rust: #param_ty });
                                // `field` alone when stored as is (clippy: redundant_field_names).
                                inits.push(if into {
                                    quote! { #rust: #convert }
                                } else {
                                    quote! { #rust }
                                });
                            }
                        }
                        Presence::Optional | Presence::Defaulted => {
                            let init = if field.presence == Presence::Optional {
                                quote! { None }
                            } else {
                                quote! { Default::default() }
                            };
                            inits.push(quote! { #rust: #init });
                            let setter = format_ident!("with_{}", field.rust);
                            let stored = if field.presence == Presence::Optional {
                                quote! { Some(#convert) }
                            } else {
                                convert.clone()
                            };
                            let setter_doc = format!(" Sets `{}`.", field.wire);
                            setters.push(quote! {
                                #[doc = #setter_doc]
                                #[must_use]
                                pub fn #setter(mut self, #rust: #param_ty) -> Self {
                                    self.#rust = #stored;
                                    self
                                }
                            });
                        }
                    }
                }
            }
        }
        let new_doc = if params.is_empty() {
            format!(
                " Creates an empty [`{}`]; set members with the `with_*` methods.",
                def.name
            )
        } else {
            format!(
                " Creates a [`{}`] from its required members; optional members start absent.",
                def.name
            )
        };
        let many = (params.len() > 7).then(|| quote! { #[allow(clippy::too_many_arguments)] });
        let default = params.is_empty().then(|| {
            quote! {
                impl Default for #name {
                    fn default() -> Self { Self::new() }
                }
            }
        });
        quote! {
            impl #name {
                #[doc = #new_doc]
                #many
                pub fn new(#(#params),*) -> Self {
                    Self { #(#inits),* }
                }
                #(#setters)*
            }
            #default
        }
    }

    /// A constructor parameter type, and whether the parameter needs `.into()` to be stored.
    fn param(&self, module: &str, ty: &Ty) -> (TokenStream, bool) {
        match ty {
            Ty::String { .. } => (quote! { impl Into<String> }, true),
            Ty::Ref(target) => {
                let path = self.path(module, target);
                (quote! { impl Into<#path> }, true)
            }
            other => (self.ty(module, other), false),
        }
    }

    /// The constant value of a required member whose type has exactly one value.
    fn fixed_value(&self, module: &str, ty: &Ty) -> Option<TokenStream> {
        let Ty::Ref(target) = ty else { return None };
        let DefKind::StringEnum(e) = &self.def(target).kind else {
            return None;
        };
        let [only] = e.values.as_slice() else {
            return None;
        };
        let path = self.path(module, target);
        let variant = ident(&only.rust);
        Some(quote! { #path::#variant })
    }

    fn union(&self, module: &Module, def: &Def, u: &Union) -> TokenStream {
        let name = ident(&def.name);
        let docs = doc(&def.description);
        let tag = &u.tag;
        let variants = u.variants.iter().map(|v| {
            let docs = doc(&v.description);
            let rust = ident(&v.rust);
            let value = &v.value;
            let body = match &v.shape {
                VariantShape::Newtype(target) => {
                    let ty = self.path(&module.name, target);
                    quote! { (#ty) }
                }
                VariantShape::Fields(fields) if fields.is_empty() => quote! {},
                VariantShape::Fields(fields) => {
                    let fields = fields.iter().map(|field| {
                        let attrs = self.field_attrs(field);
                        let rust = ident(&field.rust);
                        let ty = self.field_type(&module.name, field);
                        quote! { #attrs #rust: #ty, }
                    });
                    quote! { { #(#fields)* } }
                }
            };
            quote! { #docs #[serde(rename = #value)] #rust #body, }
        });
        let unknown = u.unknown.then(|| {
            let unknown_doc = doc(&format!(
                "A payload whose `{tag}` this version does not know, kept whole (every member, the tag included)."
            ));
            quote! {
                #unknown_doc
                #[serde(untagged)]
                #[cfg_attr(feature = "schemars", schemars(skip))]
                Unknown(serde_json::Map<String, serde_json::Value>),
            }
        });
        let eq = self.is_eq(def).then(|| quote! { Eq, });
        let derive_de = (!u.unknown).then(|| quote! { serde::Deserialize, });
        let manual_de = u
            .unknown
            .then(|| self.open_union_deserialize(module, def, u));
        let conversions = self.union_from_impls(module, def, u);
        quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, #eq serde::Serialize, #derive_de)]
            #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
            #[serde(tag = #tag)]
            #[non_exhaustive]
            // Variants are built once and moved; boxing the big ones would cost an allocation each.
            #[allow(clippy::large_enum_variant)]
            pub enum #name { #(#variants)* #unknown }
            #manual_de
            #conversions
        }
    }

    /// `From<Payload>` for every variant whose single payload type no other variant shares.
    fn union_from_impls(&self, module: &Module, def: &Def, u: &Union) -> TokenStream {
        let payloads: Vec<_> = u
            .variants
            .iter()
            .filter_map(|v| match &v.shape {
                VariantShape::Newtype(target) => Some((v, target, None)),
                VariantShape::Fields(fields) => match fields.as_slice() {
                    [field] => match &field.ty {
                        Ty::Ref(target) if field.presence == Presence::Required => {
                            Some((v, target, Some(field)))
                        }
                        _ => None,
                    },
                    _ => None,
                },
            })
            .collect();
        let name = ident(&def.name);
        let impls = payloads
            .iter()
            .filter(|(_, target, _)| payloads.iter().filter(|(_, t, _)| t == target).count() == 1)
            .map(|(variant, target, field)| {
                let ty = self.path(&module.name, target);
                let rust = ident(&variant.rust);
                let build = match field {
                    None => quote! { Self::#rust(value) },
                    Some(field) => {
                        let member = ident(&field.rust);
                        quote! { Self::#rust { #member: value } }
                    }
                };
                let from_doc = format!(" Wraps the payload as [`{}::{}`].", def.name, variant.rust);
                quote! {
                    impl From<#ty> for #name {
                        #[doc = #from_doc]
                        fn from(value: #ty) -> Self { #build }
                    }
                }
            });
        quote! { #(#impls)* }
    }

    /// `#[derive(...)]` of a struct; `debug` is false when `Debug` is written by hand,
    /// `deserialize` is false when `Deserialize` is generated by hand.
    fn derives(&self, def: &Def, debug: bool, deserialize: bool) -> TokenStream {
        let debug = debug.then(|| quote! { Debug, });
        let eq = self.is_eq(def).then(|| quote! { Eq, });
        let deserialize = deserialize.then(|| quote! { serde::Deserialize, });
        quote! {
            #[derive(#debug Clone, PartialEq, #eq serde::Serialize, #deserialize)]
            #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        }
    }

    /// The Rust type of a field, `Option` included.
    pub(super) fn field_type(&self, module: &str, field: &Field) -> TokenStream {
        let ty = self.ty(module, &field.ty);
        match field.presence {
            Presence::Optional => quote! { Option<#ty> },
            Presence::Required | Presence::Defaulted => ty,
        }
    }

    /// The Rust type of a schema type.
    pub(super) fn ty(&self, module: &str, ty: &Ty) -> TokenStream {
        match ty {
            Ty::String { .. } => quote! { String },
            Ty::Integer { format, .. } => {
                let rust = ident(format.rust());
                quote! { #rust }
            }
            Ty::Number { .. } => quote! { f64 },
            Ty::Bool => quote! { bool },
            Ty::Ref(target) => self.path(module, target),
            Ty::Array { items, .. } => {
                let items = self.ty(module, items);
                quote! { Vec<#items> }
            }
        }
    }

    /// Doc, serde and schemars attributes of a field.
    pub(super) fn field_attrs(&self, field: &Field) -> TokenStream {
        let docs = doc(&field.description);
        let rename = (field.wire != field.rust).then(|| {
            let wire = &field.wire;
            quote! { #[serde(rename = #wire)] }
        });
        let presence = match field.presence {
            Presence::Required => None,
            Presence::Optional => {
                Some(quote! { #[serde(default, skip_serializing_if = "Option::is_none")] })
            }
            Presence::Defaulted => Some(quote! { #[serde(default)] }),
        };
        let lenient = lenient_fn(&field.ty).map(|function| {
            let path = if field.presence == Presence::Optional {
                format!("crate::lenient::option_{function}")
            } else {
                format!("crate::lenient::{function}")
            };
            quote! { #[serde(deserialize_with = #path)] }
        });
        let schemars = schemars_attrs(field);
        quote! { #docs #rename #presence #lenient #schemars }
    }
}

/// The `crate::lenient` deserializer of a field's type, if it needs one.
pub(super) fn lenient_fn(ty: &Ty) -> Option<&'static str> {
    match ty {
        Ty::Integer { .. } | Ty::Number { .. } => Some("number"),
        Ty::String {
            also_integer: true, ..
        } => Some("string"),
        _ => None,
    }
}

/// `#[cfg_attr(feature = "schemars", schemars(...))]` reproducing the field's schema keywords.
fn schemars_attrs(field: &Field) -> Option<TokenStream> {
    let mut parts = Vec::new();
    let mut extend = Vec::new();
    if field.secret {
        extend.push(quote! { "x-secret" = true });
    }
    match &field.ty {
        Ty::String {
            also_integer: true, ..
        } => {
            parts.push(quote! { schema_with = "crate::lenient::schema::string_or_integer" });
        }
        Ty::Integer {
            also_string: true, ..
        } => {
            parts.push(quote! { schema_with = "crate::lenient::schema::integer_or_string" });
        }
        Ty::Number {
            also_string: true, ..
        } => {
            parts.push(quote! { schema_with = "crate::lenient::schema::number_or_string" });
        }
        Ty::String { limits, .. } => parts.extend(string_schemars(limits, &mut extend)),
        Ty::Integer { bounds, .. } | Ty::Number { bounds, .. } => {
            let min = bounds.minimum.as_ref().map(|n| {
                let n = number(n);
                quote! { min = #n }
            });
            let max = bounds.maximum.as_ref().map(|n| {
                let n = number(n);
                quote! { max = #n }
            });
            let range: Vec<_> = min.into_iter().chain(max).collect();
            if !range.is_empty() {
                parts.push(quote! { range(#(#range),*) });
            }
        }
        Ty::Array {
            min_items,
            max_items,
            ..
        } => {
            if let Some(length) = length(*min_items, *max_items) {
                parts.push(length);
            }
        }
        Ty::Bool | Ty::Ref(_) => {}
    }
    if !extend.is_empty() {
        parts.push(quote! { extend(#(#extend),*) });
    }
    (!parts.is_empty()).then(|| quote! { #[cfg_attr(feature = "schemars", schemars(#(#parts),*))] })
}

/// schemars keywords of string limits; byte limits go to `extend`.
fn string_schemars(limits: &StrLimits, extend: &mut Vec<TokenStream>) -> Vec<TokenStream> {
    let mut parts = Vec::new();
    if let Some(length) = length(limits.min_length, limits.max_length) {
        parts.push(length);
    }
    if let Some(pattern) = &limits.pattern {
        parts.push(quote! { regex(pattern = #pattern) });
    }
    if let Some(min) = limits.min_bytes {
        let min = Literal::u64_unsuffixed(min);
        extend.push(quote! { "x-min-bytes" = #min });
    }
    if let Some(max) = limits.max_bytes {
        let max = Literal::u64_unsuffixed(max);
        extend.push(quote! { "x-max-bytes" = #max });
    }
    parts
}

fn length(min: Option<u64>, max: Option<u64>) -> Option<TokenStream> {
    let min = min.map(|n| {
        let n = Literal::u64_unsuffixed(n);
        quote! { min = #n }
    });
    let max = max.map(|n| {
        let n = Literal::u64_unsuffixed(n);
        quote! { max = #n }
    });
    let both: Vec<_> = min.into_iter().chain(max).collect();
    (!both.is_empty()).then(|| quote! { length(#(#both),*) })
}

fn string_enum(def: &Def, e: &StringEnum) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc(&def.description);
    let variants = e.values.iter().map(|v| {
        let docs = doc(&v.description);
        let rust = ident(&v.rust);
        let value = &v.value;
        quote! { #docs #[serde(rename = #value)] #rust, }
    });
    let arms = e.values.iter().map(|v| {
        let rust = ident(&v.rust);
        let value = &v.value;
        quote! { Self::#rust => #value, }
    });
    let (copy, unknown, unknown_arm) = if e.unknown {
        (
            None,
            Some(quote! {
                /// A value this version does not know, kept as sent.
                #[serde(untagged)]
                #[cfg_attr(feature = "schemars", schemars(skip))]
                Unknown(String),
            }),
            Some(quote! { Self::Unknown(value) => value, }),
        )
    } else {
        (Some(quote! { Copy, }), None, None)
    };
    quote! {
        #docs
        #[derive(Debug, Clone, #copy PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        #[non_exhaustive]
        pub enum #name { #(#variants)* #unknown }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self { #(#arms)* #unknown_arm }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn newtype(def: &Def, limits: &StrLimits) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc(&def.description);
    let mut extend = Vec::new();
    let mut parts = string_schemars(limits, &mut extend);
    if !extend.is_empty() {
        parts.push(quote! { extend(#(#extend),*) });
    }
    let schemars = (!parts.is_empty())
        .then(|| quote! { #[cfg_attr(feature = "schemars", schemars(#(#parts),*))] });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        #[serde(transparent)]
        pub struct #name(#schemars String);

        impl #name {
            /// Wraps a value; [`Validate::validate`](crate::Validate::validate) checks it against the rules above.
            pub fn new(value: impl Into<String>) -> Self { Self(value.into()) }
            /// The value.
            pub fn as_str(&self) -> &str { &self.0 }
            /// The value, unwrapped.
            pub fn into_inner(self) -> String { self.0 }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self { Self(value) }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self { Self(value.to_owned()) }
        }

        // A `format!`ed account or id is a `String` the caller keeps using: take it by reference too.
        impl From<&String> for #name {
            fn from(value: &String) -> Self { Self(value.clone()) }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str { &self.0 }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(&self.0) }
        }
    }
}

/// `Debug` that prints `<redacted>` for secret fields.
fn redacted_debug(def: &Def, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let type_name = &def.name;
    let fields = s.members.iter().map(|member| match member {
        Member::Field(field) => {
            let rust = ident(&field.rust);
            let label = &field.rust;
            match (field.secret, field.presence) {
                (false, _) => quote! { .field(#label, &self.#rust) },
                (true, Presence::Optional) => {
                    quote! { .field(#label, &self.#rust.as_ref().map(|_| crate::Redacted)) }
                }
                (true, _) => quote! { .field(#label, &crate::Redacted) },
            }
        }
        Member::Flatten { rust, .. } => {
            let label = rust.as_str();
            let rust = ident(rust);
            quote! { .field(#label, &self.#rust) }
        }
    });
    quote! {
        // Written out so that credentials never reach logs: see `crate::Redacted`.
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#type_name) #(#fields)* .finish()
            }
        }
    }
}
