//! `impl Validate`: the schema's limits, checked before a request leaves.
//!
//! Every check runs under a `let at = at.key("wire_name")` so the error names the wire path;
//! the path is only turned into a string when a check fails.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{EmitCx, ident, number};
use crate::codegen::model::{Def, DefKind, Field, Member, Presence, StrLimits, Ty, VariantShape};

impl EmitCx<'_> {
    pub(super) fn validate_impl(&self, def: &Def) -> TokenStream {
        let name = ident(&def.name);
        if !self.needs_validation(def) {
            return quote! {
                impl crate::Validate for #name {
                    fn validate_at(&self, _at: &crate::FieldPath<'_>) -> Result<(), crate::ValidationError> {
                        Ok(())
                    }
                }
            };
        }
        let body = match &def.kind {
            DefKind::Struct(s) => {
                let members = s.members.iter().map(|member| match member {
                    Member::Field(field) => {
                        let rust = ident(&field.rust);
                        self.field_checks(field, Val::place(quote! { self.#rust }))
                    }
                    Member::Flatten { rust, target } => {
                        let rust = ident(rust);
                        if self.needs_validation(self.def(target)) {
                            quote! { self.#rust.validate_at(at)?; }
                        } else {
                            quote! {}
                        }
                    }
                });
                let check = s.check.as_ref().map(|check| {
                    let function = ident(check);
                    quote! { crate::validate::check(crate::checks::#function(self), #check, at)?; }
                });
                quote! { #(#members)* #check }
            }
            DefKind::Union(u) => {
                let arms = u.variants.iter().map(|v| {
                    let rust = ident(&v.rust);
                    match &v.shape {
                        VariantShape::Newtype(_) => {
                            quote! { Self::#rust(inner) => inner.validate_at(at)?, }
                        }
                        VariantShape::Fields(fields) if fields.is_empty() => {
                            quote! { Self::#rust => {} }
                        }
                        VariantShape::Fields(fields) => {
                            // Bind only what is checked, so that no binding goes unused.
                            let checked: Vec<_> = fields
                                .iter()
                                .filter(|f| self.ty_needs_validation(&f.ty))
                                .collect();
                            let names = checked.iter().map(|f| ident(&f.rust));
                            let checks = checked.iter().map(|field| {
                                let rust = ident(&field.rust);
                                self.field_checks(field, Val::borrowed(quote! { #rust }))
                            });
                            quote! { Self::#rust { #(#names,)* .. } => { #(#checks)* } }
                        }
                    }
                });
                let unknown = u.unknown.then(|| quote! { Self::Unknown(_) => {} });
                quote! { match self { #(#arms)* #unknown } }
            }
            DefKind::Newtype(limits) => {
                let checks = string_checks(limits, &Val::place(quote! { self.0 }));
                quote! { let at = *at; #checks }
            }
            DefKind::StringEnum(_) => quote! {},
        };
        quote! {
            impl crate::Validate for #name {
                fn validate_at(&self, at: &crate::FieldPath<'_>) -> Result<(), crate::ValidationError> {
                    #body
                    Ok(())
                }
            }
        }
    }

    /// The checks of one field.
    fn field_checks(&self, field: &Field, value: Val) -> TokenStream {
        if !self.ty_needs_validation(&field.ty) {
            return quote! {};
        }
        let wire = &field.wire;
        match field.presence {
            Presence::Optional => {
                let checks = self.ty_checks(&field.ty, &Val::borrowed(quote! { value }));
                let option = value.by_ref();
                quote! {
                    if let Some(value) = #option {
                        let at = at.key(#wire);
                        #checks
                    }
                }
            }
            Presence::Required | Presence::Defaulted => {
                let checks = self.ty_checks(&field.ty, &value);
                quote! { { let at = at.key(#wire); #checks } }
            }
        }
    }

    /// Checks of a value of type `ty` at path `at`.
    fn ty_checks(&self, ty: &Ty, value: &Val) -> TokenStream {
        let (copied, receiver) = (value.copied(), &value.tokens);
        match ty {
            Ty::String { limits, .. } => string_checks(limits, value),
            Ty::Integer { bounds, .. } => {
                let min = bound(bounds.minimum.as_ref(), number);
                let max = bound(bounds.maximum.as_ref(), number);
                quote! { crate::validate::range(i128::from(#copied), #min, #max, &at)?; }
            }
            Ty::Number { bounds, .. } => {
                // `f64` bounds need float literals even when the schema writes `-90`.
                let float = |n: &serde_json::Number| {
                    Literal::f64_unsuffixed(n.as_f64().unwrap_or_default())
                };
                let min = bound(bounds.minimum.as_ref(), float);
                let max = bound(bounds.maximum.as_ref(), float);
                quote! { crate::validate::range(#copied, #min, #max, &at)?; }
            }
            Ty::Bool => quote! {},
            Ty::Ref(_) => quote! { #receiver.validate_at(&at)?; },
            Ty::Array {
                items,
                min_items,
                max_items,
            } => {
                let count = (min_items.is_some() || max_items.is_some()).then(|| {
                    let min = count(*min_items);
                    let max = count(*max_items);
                    quote! { crate::validate::items(#receiver.len(), #min, #max, &at)?; }
                });
                let each = self.ty_needs_validation(items).then(|| {
                    let checks = self.ty_checks(items, &Val::borrowed(quote! { item }));
                    quote! {
                        for (index, item) in #receiver.iter().enumerate() {
                            let at = at.index(index);
                            #checks
                        }
                    }
                });
                quote! { #count #each }
            }
        }
    }
}

/// Checks of a string value.
fn string_checks(limits: &StrLimits, value: &Val) -> TokenStream {
    let value = value.by_ref();
    let rule = (limits.min_length.is_some()
        || limits.max_length.is_some()
        || limits.min_bytes.is_some()
        || limits.max_bytes.is_some())
    .then(|| {
        let min_chars = count(limits.min_length);
        let max_chars = count(limits.max_length);
        let min_bytes = count(limits.min_bytes);
        let max_bytes = count(limits.max_bytes);
        quote! {
            crate::validate::string(#value, &crate::validate::StrRule {
                min_chars: #min_chars, max_chars: #max_chars, min_bytes: #min_bytes, max_bytes: #max_bytes,
            }, &at)?;
        }
    });
    let check = limits.check.as_ref().map(|check| {
        let function = ident(check);
        quote! { crate::validate::check(crate::checks::#function(#value), #check, &at)?; }
    });
    quote! { #rule #check }
}

/// A value being checked: a place (`self.field`) or a reference to it (`value`, `item`).
struct Val {
    tokens: TokenStream,
    is_reference: bool,
}

impl Val {
    fn place(tokens: TokenStream) -> Self {
        Val {
            tokens,
            is_reference: false,
        }
    }

    fn borrowed(tokens: TokenStream) -> Self {
        Val {
            tokens,
            is_reference: true,
        }
    }

    /// An expression of type `&T`.
    fn by_ref(&self) -> TokenStream {
        let tokens = &self.tokens;
        if self.is_reference {
            quote! { #tokens }
        } else {
            quote! { &#tokens }
        }
    }

    /// An expression of type `T` (for `Copy` values).
    fn copied(&self) -> TokenStream {
        let tokens = &self.tokens;
        if self.is_reference {
            quote! { *#tokens }
        } else {
            quote! { #tokens }
        }
    }
}

/// `Some(literal)` or `None`.
fn bound(
    n: Option<&serde_json::Number>,
    literal: impl Fn(&serde_json::Number) -> Literal,
) -> TokenStream {
    match n {
        Some(n) => {
            let n = literal(n);
            quote! { Some(#n) }
        }
        None => quote! { None },
    }
}

fn count(n: Option<u64>) -> TokenStream {
    match n {
        Some(n) => {
            let n =
                proc_macro2::Literal::usize_unsuffixed(usize::try_from(n).unwrap_or(usize::MAX));
            quote! { Some(#n) }
        }
        None => quote! { None },
    }
}
