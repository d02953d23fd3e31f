//! Model -> Rust source. Every output is built as tokens and printed by `prettyplease`, so the
//! text depends only on the model and the locked `prettyplease` version, never on the machine.

mod core_endpoints;
mod endpoints;
mod errcodes;
mod flat_struct;
mod open_union;
mod registry;
mod types;
mod validate;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use super::model::{Catalog, Def, DefKind, File, Member, Module, Ty, TypeRef, VariantShape};

/// Directory of the generated library sources, relative to the repository root.
pub const LIB_DIR: &str = "crates/wechat-types/src/generated";
/// Directory of the generated test support, relative to the repository root.
pub const TESTS_DIR: &str = "crates/wechat-types/tests/generated";
/// Directory of the generated endpoint values of `wechat-core`, relative to the repository root.
pub const CORE_ENDPOINTS_DIR: &str = "crates/wechat-core/src/endpoints";
/// Every directory the generator owns completely.
pub const GENERATED_DIRS: &[&str] = &[LIB_DIR, TESTS_DIR, CORE_ENDPOINTS_DIR];

/// Renders every generated file: path relative to the repository root -> contents.
pub fn emit(catalog: &Catalog) -> Result<BTreeMap<String, String>, String> {
    let cx = EmitCx::new(catalog);
    let mut out = BTreeMap::new();

    let module_decls = catalog.modules.iter().map(|m| {
        let name = ident(&m.name);
        quote! { pub(crate) mod #name; }
    });
    let secrets = secret_members(catalog);
    out.insert(
        format!("{LIB_DIR}/mod.rs"),
        render(
            "every schema module",
            quote! {
                #(#module_decls)*
                #[doc = " Wire names of every member the schemas mark `x-secret`, sorted: the credentials that"]
                #[doc = " must be masked wherever a URL query or a JSON body is logged."]
                pub const SECRET_MEMBERS: &[&str] = &[#(#secrets),*];
            },
        )?,
    );
    out.insert(
        format!("{CORE_ENDPOINTS_DIR}/mod.rs"),
        render("every schema module", core_endpoints::modules(catalog))?,
    );

    for module in &catalog.modules {
        out.insert(
            format!("{LIB_DIR}/{}/mod.rs", module.name),
            render(&format!("schemas/{}/", module.name), module_mod(module))?,
        );
        for file in &module.files {
            let tokens = cx.file(module, file);
            out.insert(
                format!("{LIB_DIR}/{}/{}.rs", module.name, file.stem),
                render(&format!("schemas/{}", file.path), tokens)?,
            );
        }
        if let Some(tokens) = core_endpoints::module(module) {
            out.insert(
                format!("{CORE_ENDPOINTS_DIR}/{}.rs", module.name),
                render(&format!("schemas/{}/", module.name), tokens)?,
            );
        }
        if let Some(catalogue) = &module.errcodes {
            out.insert(
                format!("{LIB_DIR}/{}/errcodes.rs", module.name),
                render(
                    &format!("schemas/{}", catalogue.path),
                    errcodes::catalogue(catalogue),
                )?,
            );
        }
    }
    out.insert(
        format!("{TESTS_DIR}/registry.rs"),
        render("every schema file", registry::registry(catalog))?,
    );
    Ok(out)
}

/// The wire names of every `x-secret` member, sorted and unique.
fn secret_members(catalog: &Catalog) -> Vec<String> {
    let mut names: Vec<String> = catalog
        .modules
        .iter()
        .flat_map(|m| &m.files)
        .flat_map(|f| &f.defs)
        .flat_map(|def| match &def.kind {
            DefKind::Struct(s) => s
                .members
                .iter()
                .filter_map(|member| match member {
                    Member::Field(field) => Some(field),
                    Member::Flatten { .. } => None,
                })
                .collect::<Vec<_>>(),
            DefKind::Union(u) => u
                .variants
                .iter()
                .flat_map(|v| match &v.shape {
                    VariantShape::Fields(fields) => fields.iter().collect(),
                    VariantShape::Newtype(_) => Vec::new(),
                })
                .collect(),
            DefKind::StringEnum(_) | DefKind::Newtype(_) => Vec::new(),
        })
        .filter(|field| field.secret)
        .map(|field| field.wire.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The `mod.rs` of one schema module: file modules, flat re-exports, the endpoint list.
fn module_mod(module: &Module) -> TokenStream {
    let mut items = Vec::new();
    for file in &module.files {
        let stem = ident(&file.stem);
        items.push(quote! { mod #stem; pub use #stem::*; });
    }
    if module.errcodes.is_some() {
        items.push(quote! { mod errcodes; pub use errcodes::*; });
    }
    let endpoints = module.files.iter().flat_map(|f| &f.endpoints).map(|e| {
        let name = ident(&e.id.to_uppercase());
        quote! { &#name }
    });
    let doc = format!(" Every endpoint of `{}`, in schema order.", module.name);
    quote! {
        #(#items)*
        #[doc = #doc]
        pub const ENDPOINTS: &[&crate::EndpointSpec] = &[#(#endpoints),*];
    }
}

/// Prints tokens as a Rust file with the generated-file preamble.
fn render(source: &str, tokens: TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("generated code for {source} does not parse: {e}"))?;
    Ok(format!(
        "// @generated by `cargo xtask codegen` from {source}.\n\
         // Do not edit: change the schema (or xtask/src/codegen) and run `cargo xtask codegen`.\n\n{}",
        prettyplease::unparse(&file)
    ))
}

/// A per-definition answer, computed once.
type Memo = RefCell<HashMap<usize, bool>>;

/// What every emitter needs to know about definitions other than the one at hand.
pub(crate) struct EmitCx<'a> {
    catalog: &'a Catalog,
    eq_memo: Memo,
    validate_memo: Memo,
}

impl<'a> EmitCx<'a> {
    fn new(catalog: &'a Catalog) -> Self {
        EmitCx {
            catalog,
            eq_memo: RefCell::default(),
            validate_memo: RefCell::default(),
        }
    }

    /// The definition a reference points at (the dialect check guarantees it exists).
    pub(crate) fn def(&self, target: &TypeRef) -> &'a Def {
        self.catalog.def(target).unwrap_or_else(|| {
            panic!(
                "dialect check let through a dangling reference to {}",
                target.pointer()
            )
        })
    }

    /// One schema file: its types, then its endpoints.
    fn file(&self, module: &Module, file: &File) -> TokenStream {
        let defs = file.defs.iter().map(|def| self.def_items(module, def));
        let endpoints = file
            .endpoints
            .iter()
            .map(|e| endpoints::endpoint(module, e));
        quote! { #(#defs)* #(#endpoints)* }
    }

    /// The path of a referenced type, seen from a file of `from_module`.
    pub(crate) fn path(&self, from_module: &str, target: &TypeRef) -> TokenStream {
        let name = ident(&target.name);
        if target.module == from_module {
            quote! { super::#name }
        } else {
            let module = ident(&target.module);
            quote! { crate::#module::#name }
        }
    }

    /// Whether a type can derive `Eq` (no `f64` anywhere inside).
    pub(crate) fn is_eq(&self, def: &Def) -> bool {
        self.memo(&self.eq_memo, def, true, |cx| match &def.kind {
            DefKind::Struct(s) => s.members.iter().all(|m| match m {
                Member::Field(f) => cx.ty_is_eq(&f.ty),
                Member::Flatten { target, .. } => cx.is_eq(cx.def(target)),
            }),
            DefKind::Union(u) => u.variants.iter().all(|v| match &v.shape {
                VariantShape::Newtype(target) => cx.is_eq(cx.def(target)),
                VariantShape::Fields(fields) => fields.iter().all(|f| cx.ty_is_eq(&f.ty)),
            }),
            DefKind::StringEnum(_) | DefKind::Newtype(_) => true,
        })
    }

    fn ty_is_eq(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Number { .. } => false,
            Ty::Ref(target) => self.is_eq(self.def(target)),
            Ty::Array { items, .. } => self.ty_is_eq(items),
            Ty::String { .. } | Ty::Integer { .. } | Ty::Bool => true,
        }
    }

    /// Whether `validate()` of a type has anything to check.
    pub(crate) fn needs_validation(&self, def: &Def) -> bool {
        self.memo(&self.validate_memo, def, false, |cx| match &def.kind {
            DefKind::Struct(s) => {
                s.check.is_some()
                    || s.members.iter().any(|m| match m {
                        Member::Field(f) => cx.ty_needs_validation(&f.ty),
                        Member::Flatten { target, .. } => cx.needs_validation(cx.def(target)),
                    })
            }
            DefKind::Union(u) => u.variants.iter().any(|v| match &v.shape {
                VariantShape::Newtype(target) => cx.needs_validation(cx.def(target)),
                VariantShape::Fields(fields) => {
                    fields.iter().any(|f| cx.ty_needs_validation(&f.ty))
                }
            }),
            DefKind::StringEnum(_) => false,
            DefKind::Newtype(_) => true,
        })
    }

    pub(crate) fn ty_needs_validation(&self, ty: &Ty) -> bool {
        match ty {
            Ty::String { limits, .. } => limits.any(),
            Ty::Integer { bounds, .. } | Ty::Number { bounds, .. } => {
                bounds.minimum.is_some() || bounds.maximum.is_some()
            }
            Ty::Bool => false,
            Ty::Ref(target) => self.needs_validation(self.def(target)),
            Ty::Array {
                items,
                min_items,
                max_items,
            } => min_items.is_some() || max_items.is_some() || self.ty_needs_validation(items),
        }
    }

    /// Memoised recursion over the type graph; `cycle` is assumed while a type is being computed.
    fn memo(
        &self,
        memo: &Memo,
        def: &Def,
        cycle: bool,
        compute: impl FnOnce(&Self) -> bool,
    ) -> bool {
        // Definitions live as long as the catalog, so their address identifies them.
        let key = std::ptr::from_ref(def) as usize;
        if let Some(known) = memo.borrow().get(&key) {
            return *known;
        }
        memo.borrow_mut().insert(key, cycle);
        let value = compute(self);
        memo.borrow_mut().insert(key, value);
        value
    }
}

/// An identifier.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Doc attributes, one per line (printed as `///` comments).
pub(crate) fn doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}

/// A JSON number as an unsuffixed literal.
pub(crate) fn number(n: &serde_json::Number) -> Literal {
    if let Some(i) = n.as_i64() {
        Literal::i64_unsuffixed(i)
    } else if let Some(u) = n.as_u64() {
        Literal::u64_unsuffixed(u)
    } else {
        Literal::f64_unsuffixed(n.as_f64().unwrap_or_default())
    }
}
