//! `Deserialize` for unions with an `Unknown` variant.
//!
//! serde's own fallback (`#[serde(untagged)]` on the last variant) would also swallow a payload
//! whose tag is known but whose body is malformed; WeChat data must never be misfiled that way.
//! So: unknown tag -> `Unknown(raw)`, known tag -> that variant or an error naming it.
//!
//! The generated code only names the variants (`wechat_types::tagged::Tagged`); the dispatch
//! lives in `wechat_types::tagged`: it asks the deserializer for the tag first (with the tags of
//! the unions nested in the variants after it, the `HINT`), streams the rest of the object into
//! the variant when the tag does come first, and buffers the object otherwise.

use proc_macro2::TokenStream;
use quote::quote;

use super::{EmitCx, ident};
use crate::codegen::model::{Def, DefKind, Module, Union, VariantShape};

impl EmitCx<'_> {
    pub(super) fn open_union_deserialize(
        &self,
        module: &Module,
        def: &Def,
        u: &Union,
    ) -> TokenStream {
        let name = ident(&def.name);
        let type_name = &def.name;
        let tag = &u.tag;
        let hint = self.union_hint(u);
        let arms = u.variants.iter().map(|v| {
            let value = &v.value;
            let rust = ident(&v.rust);
            match &v.shape {
                VariantShape::Newtype(target) => {
                    let ty = self.path(&module.name, target);
                    quote! {
                        #value => Self::#rust(<#ty as serde::Deserialize>::deserialize(body)?),
                    }
                }
                VariantShape::Fields(fields) if fields.is_empty() => quote! {
                    #value => {
                        <serde::de::IgnoredAny as serde::Deserialize>::deserialize(body)?;
                        Self::#rust
                    }
                },
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
                            let fields = <Fields as serde::Deserialize>::deserialize(body)?;
                            Self::#rust { #(#moves),* }
                        }
                    }
                }
            }
        });
        quote! {
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    crate::tagged::deserialize(deserializer)
                }
            }
            impl crate::tagged::Tagged for #name {
                const NAME: &'static str = #type_name;
                const TAG: &'static str = #tag;
                const HINT: &'static [&'static str] = &[#(#hint),*];
                fn variant<'de, D: serde::Deserializer<'de>>(
                    tag: &str,
                    body: D,
                ) -> Result<Result<Self, D>, D::Error> {
                    let value = match tag {
                        #(#arms)*
                        _ => return Ok(Err(body)),
                    };
                    Ok(Ok(value))
                }
                fn unknown(raw: serde_json::Map<String, serde_json::Value>) -> Self {
                    Self::Unknown(raw)
                }
            }
        }
    }

    /// The union's tag, then the tags of the unions its variants hold (depth first, each once):
    /// `["MsgType", "Event"]` for a push.
    fn union_hint(&self, u: &Union) -> Vec<String> {
        let mut hint = vec![u.tag.clone()];
        let mut pending: Vec<&Union> = vec![u];
        while let Some(union) = pending.pop() {
            for variant in union.variants.iter().rev() {
                if let VariantShape::Newtype(target) = &variant.shape
                    && let DefKind::Union(inner) = &self.def(target).kind
                {
                    if !hint.contains(&inner.tag) {
                        hint.push(inner.tag.clone());
                    }
                    pending.push(inner);
                }
            }
        }
        hint
    }
}
