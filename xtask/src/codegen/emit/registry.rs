//! The test registry: every generated type next to the schema definition it comes from, so that
//! tests can validate fixtures against the schema and round-trip them through the right type.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::codegen::model::Catalog;

pub(super) fn registry(catalog: &Catalog) -> TokenStream {
    let entries = catalog.modules.iter().flat_map(|module| {
        module.files.iter().flat_map(move |file| {
            let module_ident = ident(&module.name);
            file.defs.iter().map(move |def| {
                let path = &file.path;
                let name = &def.name;
                let ty = ident(&def.name);
                quote! { entry!(#path, #name, wechat_types::#module_ident::#ty), }
            })
        })
    });
    quote! {
        /// Every generated type: (schema file, definition name, Rust type).
        pub const TYPES: &[super::Entry] = &[#(#entries)*];
    }
}
