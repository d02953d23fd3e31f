//! The `Errcode` type of a module with an errcode catalogue.

use heck::ToUpperCamelCase;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{doc, ident};
use crate::codegen::model::ErrcodeCatalogue;

pub(super) fn catalogue(catalogue: &ErrcodeCatalogue) -> TokenStream {
    let docs = doc(&catalogue.description);
    let constants = catalogue.codes.iter().map(|entry| {
        let name = ident(&entry.name);
        let code = Literal::i64_unsuffixed(entry.code);
        let mut text = format!("`{}`", entry.code);
        if let Some(errmsg) = &entry.errmsg {
            text.push_str(&format!(" `{errmsg}`"));
        }
        text.push_str(&format!(": {}", entry.meaning));
        if let Some(note) = &entry.note {
            text.push_str(&format!("\n\n{note}"));
        }
        let docs = doc(&text);
        quote! { #docs pub const #name: Errcode = Errcode(#code); }
    });
    let infos = catalogue.codes.iter().map(|entry| {
        let code = Literal::i64_unsuffixed(entry.code);
        let name = &entry.name;
        let errmsg = match &entry.errmsg {
            Some(errmsg) => quote! { Some(#errmsg) },
            None => quote! { None },
        };
        let meaning = &entry.meaning;
        let handling = ident(&entry.handling.to_upper_camel_case());
        quote! {
            crate::ErrcodeInfo { code: #code, name: #name, errmsg: #errmsg, meaning: #meaning, handling: crate::Handling::#handling },
        }
    });
    quote! {
        #docs
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct Errcode(pub i64);

        impl Errcode {
            #(#constants)*

            /// Every known code, sorted by code.
            pub const KNOWN: &'static [crate::ErrcodeInfo] = &[#(#infos)*];

            /// What the catalogue knows of this code; `None` for codes it does not list (and for 0).
            pub fn info(self) -> Option<&'static crate::ErrcodeInfo> {
                crate::ErrcodeInfo::find(Self::KNOWN, self.0)
            }

            /// Whether a caller may retry (see [`Handling::is_retryable`](crate::Handling::is_retryable));
            /// false for unknown codes.
            pub fn is_retryable(self) -> bool {
                self.info().is_some_and(|info| info.handling.is_retryable())
            }
        }

        impl From<i64> for Errcode {
            fn from(code: i64) -> Self { Errcode(code) }
        }

        impl std::fmt::Debug for Errcode {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                crate::ErrcodeInfo::debug(self.0, self.info(), f)
            }
        }

        impl std::fmt::Display for Errcode {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                crate::ErrcodeInfo::display(self.0, self.info(), f)
            }
        }
    }
}
