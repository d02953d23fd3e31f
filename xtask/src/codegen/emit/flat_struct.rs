//! `Deserialize` for structs that flatten other structs in (`allOf`), without `#[serde(flatten)]`.
//!
//! serde decodes a struct with a flattened member by buffering every member it does not know
//! itself and decoding the flattened struct from that buffer: for a pushed message, whose header
//! is flattened in, that is a second pass over every push. When every flattened member is a
//! struct (recursively) and no wire name repeats, the generator knows the whole member list, so it
//! derives `Deserialize` for a private struct with every member on one level and moves its fields
//! into the nested public structs. A flattened union keeps `#[serde(flatten)]`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{EmitCx, ident};
use crate::codegen::model::{Def, DefKind, Field, Member, Module, Presence, Struct};

/// One level of a struct with its flattened structs inlined.
enum Flat<'m> {
    Field(&'m Field),
    Struct {
        /// Rust field name of the flattened member.
        rust: &'m str,
        /// Path of its type.
        ty: TokenStream,
        members: Vec<Flat<'m>>,
    },
}

impl<'m> EmitCx<'m> {
    /// The hand-rolled `Deserialize` of a struct that flattens only structs, or `None` when it
    /// flattens nothing or a union (then serde's derive with `#[serde(flatten)]` is used).
    pub(super) fn flat_struct_deserialize(
        &self,
        module: &Module,
        def: &Def,
        s: &'m Struct,
    ) -> Option<TokenStream> {
        if !s
            .members
            .iter()
            .any(|m| matches!(m, Member::Flatten { .. }))
        {
            return None;
        }
        let members = self.flat_members(module, s, 0)?;
        let mut fields = Vec::new();
        collect_fields(&members, &mut fields);
        let mut wires: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
        wires.sort_unstable();
        if wires.windows(2).any(|pair| pair[0] == pair[1]) {
            return None;
        }
        let declarations = fields.iter().enumerate().map(|(i, field)| {
            let attrs = wire_attrs(field);
            let member = format_ident!("m{i}");
            let ty = self.field_type(&module.name, field);
            quote! { #attrs #member: #ty, }
        });
        let mut next = 0;
        let build = build(quote! { Self }, &members, &mut next);
        let name = ident(&def.name);
        let type_name = &def.name;
        Some(quote! {
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    // Every member on one level: read in one pass, where `#[serde(flatten)]` would
                    // buffer the object (see xtask/src/codegen/emit/flat_struct.rs).
                    #[derive(serde::Deserialize)]
                    #[serde(rename = #type_name)]
                    struct Wire { #(#declarations)* }
                    let wire = <Wire as serde::Deserialize>::deserialize(deserializer)?;
                    Ok(#build)
                }
            }
        })
    }

    fn flat_members(&self, module: &Module, s: &'m Struct, depth: usize) -> Option<Vec<Flat<'m>>> {
        // The dialect rejects cycles; the bound only keeps a generator bug from recursing forever.
        if depth > 16 {
            return None;
        }
        s.members
            .iter()
            .map(|member| match member {
                Member::Field(field) => Some(Flat::Field(field)),
                Member::Flatten { rust, target } => {
                    let def: &'m Def = self.def(target);
                    let DefKind::Struct(inner) = &def.kind else {
                        return None;
                    };
                    Some(Flat::Struct {
                        rust,
                        ty: self.path(&module.name, target),
                        members: self.flat_members(module, inner, depth + 1)?,
                    })
                }
            })
            .collect()
    }
}

fn collect_fields<'m>(members: &[Flat<'m>], out: &mut Vec<&'m Field>) {
    for member in members {
        match member {
            Flat::Field(field) => out.push(field),
            Flat::Struct { members, .. } => collect_fields(members, out),
        }
    }
}

/// The struct literal moving the `Wire` fields (`m0`, `m1`, ... in [`collect_fields`] order).
fn build(path: TokenStream, members: &[Flat<'_>], next: &mut usize) -> TokenStream {
    let inits: Vec<TokenStream> = members
        .iter()
        .map(|member| match member {
            Flat::Field(field) => {
                let rust = ident(&field.rust);
                let wire = format_ident!("m{}", *next);
                *next += 1;
                quote! { #rust: wire.#wire }
            }
            Flat::Struct { rust, ty, members } => {
                let rust = ident(rust);
                let value = build(ty.clone(), members, next);
                quote! { #rust: #value }
            }
        })
        .collect();
    quote! { #path { #(#inits),* } }
}

/// The serde attributes that decode a field as its struct does: wire name, absence, lenience.
fn wire_attrs(field: &Field) -> TokenStream {
    let wire = &field.wire;
    let default = (field.presence != Presence::Required).then(|| quote! { #[serde(default)] });
    let lenient = super::types::lenient_fn(&field.ty).map(|function| {
        let path = if field.presence == Presence::Optional {
            format!("crate::lenient::option_{function}")
        } else {
            format!("crate::lenient::{function}")
        };
        quote! { #[serde(deserialize_with = #path)] }
    });
    quote! { #[serde(rename = #wire)] #default #lenient }
}
