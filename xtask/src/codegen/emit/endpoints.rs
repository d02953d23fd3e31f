//! `EndpointSpec` constants from `x-endpoints`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident};
use crate::codegen::model::{Body, Endpoint, Host, Method, Module, Response, TypeRef};

pub(super) fn endpoint(module: &Module, e: &Endpoint) -> TokenStream {
    let name = ident(&e.id.to_uppercase());
    let method = match e.method {
        Method::Get => quote! { crate::Method::Get },
        Method::Post => quote! { crate::Method::Post },
    };
    let host = match e.host {
        Host::Api => quote! { crate::Host::Api },
        Host::Qyapi => quote! { crate::Host::Qyapi },
    };
    let (method_text, host_text) = (e.method.as_str(), e.host.as_str());
    let mut text = format!(
        "{}\n\n`{method_text} https://{host_text}{}`\n",
        e.description, e.path
    );
    if let Some(query) = &e.query {
        text.push_str(&format!("\n- query: {}", link(module, query)));
    }
    match &e.body {
        Body::None => {}
        Body::Json(target) => text.push_str(&format!("\n- body: JSON {}", link(module, target))),
        Body::Multipart(field) => {
            text.push_str(&format!("\n- body: multipart form, the file in `{field}`"))
        }
    }
    match &e.response {
        Response::Json(target) => {
            text.push_str(&format!("\n- response: JSON {}", link(module, target)))
        }
        Response::Media(target) => {
            text.push_str(&format!(
                "\n- response: the media bytes, or JSON {} for some media",
                link(module, target)
            ));
        }
    }
    if e.access_token {
        text.push_str("\n- `access_token` in the query");
    }
    let docs = doc(&text);
    let id = &e.id;
    let path = &e.path;
    let access_token = e.access_token;
    let query = match &e.query {
        Some(target) => {
            let pointer = target.pointer();
            quote! { Some(#pointer) }
        }
        None => quote! { None },
    };
    let body = match &e.body {
        Body::None => quote! { crate::BodySpec::None },
        Body::Json(target) => {
            let pointer = target.pointer();
            quote! { crate::BodySpec::Json(#pointer) }
        }
        Body::Multipart(field) => quote! { crate::BodySpec::Multipart { field: #field } },
    };
    let response = match &e.response {
        Response::Json(target) => {
            let pointer = target.pointer();
            quote! { crate::ResponseSpec::Json(#pointer) }
        }
        Response::Media(target) => {
            let pointer = target.pointer();
            quote! { crate::ResponseSpec::Media(#pointer) }
        }
    };
    quote! {
        #docs
        pub const #name: crate::EndpointSpec = crate::EndpointSpec {
            id: #id,
            method: #method,
            host: #host,
            path: #path,
            access_token: #access_token,
            query: #query,
            body: #body,
            response: #response,
        };
    }
}

/// A rustdoc link to a generated type.
fn link(module: &Module, target: &TypeRef) -> String {
    if target.module == module.name {
        format!("[`{}`]", target.name)
    } else {
        format!("[`{0}`](crate::{1}::{0})", target.name, target.module)
    }
}
