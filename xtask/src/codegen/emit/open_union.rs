//! `Deserialize` for unions with an `Unknown` variant.
//!
//! serde's own fallback (`#[serde(untagged)]` on the last variant) would also swallow a payload
//! whose tag is known but whose body is malformed; WeChat data must never be misfiled that way.
//! So: unknown tag -> `Unknown(raw)`, known tag -> that variant or an error naming it.

use proc_macro2::TokenStream;
use quote::quote;

use super::{EmitCx, ident};
use crate::codegen::model::{Def, Module, Union, VariantShape};

impl EmitCx<'_> {
    pub(super) fn open_union_deserialize(
        &self,
        module: &Module,
        def: &Def,
        u: &Union,
    ) -> TokenStream {
        let name = ident(&def.name);
        let tag = &u.tag;
        let arms = u.variants.iter().map(|v| {
            let value = &v.value;
            let rust = ident(&v.rust);
            match &v.shape {
                VariantShape::Newtype(target) => {
                    let ty = self.path(&module.name, target);
                    quote! {
                        #value => crate::tagged::variant::<#ty, D::Error>(map, #tag, #value).map(Self::#rust),
                    }
                }
                VariantShape::Fields(fields) if fields.is_empty() => quote! { #value => Ok(Self::#rust), },
                VariantShape::Fields(fields) => {
                    let declarations = fields.iter().map(|field| {
                        let attrs = self.field_attrs(field);
                        let member = ident(&field.rust);
                        let ty = self.field_type(&module.name, field);
                        quote! { #attrs #member: #ty, }
                    });
                    let moves = fields.iter().map(|field| {
                        let member = ident(&field.rust);
                        quote! { #member: fields.#member }
                    });
                    quote! {
                        #value => {
                            #[derive(serde::Deserialize)]
                            struct Fields { #(#declarations)* }
                            crate::tagged::variant::<Fields, D::Error>(map, #tag, #value)
                                .map(|fields| Self::#rust { #(#moves),* })
                        }
                    }
                }
            }
        });
        quote! {
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    let (tag, map) = crate::tagged::split::<D>(deserializer, #tag)?;
                    match tag.as_str() {
                        #(#arms)*
                        _ => Ok(Self::Unknown(crate::tagged::restore(map, #tag, tag))),
                    }
                }
            }
        }
    }
}
