//! `x-endpoints` declarations.

use super::{Cx, ShapeKind, child, is_snake_ident};
use crate::codegen::json::Json;
use crate::codegen::model::{Body, Endpoint, Host, Method, Platform, Response};

impl Cx<'_> {
    /// One `x-endpoints` entry.
    pub(super) fn endpoint(&mut self, id: &str, endpoint: &Json) -> Option<Endpoint> {
        let pointer = child("/x-endpoints", id);
        if !is_snake_ident(id) {
            self.error(&pointer, format!("endpoint id `{id}` must be snake_case"));
        }
        let Some(object) = endpoint.as_object() else {
            return self.fail(&pointer, "an endpoint declaration must be an object");
        };
        self.allow_keys(
            object,
            &pointer,
            &[
                "description",
                "method",
                "host",
                "platforms",
                "path",
                "token",
                "query",
                "body",
                "response",
                "$comment",
            ],
        );
        let description = self.description(endpoint, &pointer);
        let method = match endpoint.get("method").and_then(Json::as_str) {
            Some("GET") => Method::Get,
            Some("POST") => Method::Post,
            _ => {
                return self.fail(
                    &child(&pointer, "method"),
                    "`method` must be \"GET\" or \"POST\"",
                );
            }
        };
        let host = match endpoint.get("host").and_then(Json::as_str) {
            Some("api.weixin.qq.com") => Host::Api,
            Some("qyapi.weixin.qq.com") => Host::Qyapi,
            _ => {
                return self.fail(
                    &child(&pointer, "host"),
                    "`host` must be \"api.weixin.qq.com\" or \"qyapi.weixin.qq.com\"",
                );
            }
        };
        let platforms = self.platforms(
            endpoint.get("platforms"),
            &child(&pointer, "platforms"),
            host,
        )?;
        let path = match endpoint.get("path").and_then(Json::as_str) {
            Some(path) if path.starts_with('/') && !path.contains(['?', '#']) => path.to_owned(),
            _ => {
                return self.fail(
                    &child(&pointer, "path"),
                    "`path` must start with `/` and hold no query",
                );
            }
        };
        let access_token = match endpoint.get("token").and_then(Json::as_str) {
            Some("access_token") => true,
            Some("none") => false,
            _ => {
                return self.fail(
                    &child(&pointer, "token"),
                    "`token` must be \"access_token\" or \"none\"",
                );
            }
        };
        let query = match endpoint.get("query") {
            None => None,
            Some(query) => {
                let query_pointer = child(&pointer, "query");
                self.allow_keys(
                    query.as_object().unwrap_or_default(),
                    &query_pointer,
                    &["$ref"],
                );
                Some(self.reference(query, &query_pointer, &[ShapeKind::Struct])?)
            }
        };
        let body = match endpoint.get("body") {
            None => Body::None,
            Some(body) => self.body(body, &child(&pointer, "body"))?,
        };
        if matches!(method, Method::Get) && !matches!(body, Body::None) {
            return self.fail(&child(&pointer, "body"), "a GET endpoint has no body");
        }
        let response = self.response(endpoint.get("response"), &child(&pointer, "response"))?;
        Some(Endpoint {
            id: id.to_owned(),
            description: description?,
            method,
            host,
            platforms,
            path,
            access_token,
            query,
            body,
            response,
        })
    }

    /// `platforms`: one surface, or the Official Account and the Mini Program together (the
    /// `api.weixin.qq.com` surfaces), matching the host.
    fn platforms(
        &mut self,
        platforms: Option<&Json>,
        pointer: &str,
        host: Host,
    ) -> Option<Vec<Platform>> {
        let Some(Json::Array(items)) = platforms else {
            return self.fail(pointer, "`platforms` must list the surfaces that may call the endpoint: \"official_account\", \"mini_program\", \"work\"");
        };
        let mut parsed = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let platform = match item.as_str() {
                Some("official_account") => Platform::OfficialAccount,
                Some("mini_program") => Platform::MiniProgram,
                Some("work") => Platform::Work,
                _ => {
                    return self.fail(
                        &child(pointer, &i.to_string()),
                        "a platform is \"official_account\", \"mini_program\" or \"work\"",
                    );
                }
            };
            if parsed.contains(&platform) {
                return self.fail(
                    &child(pointer, &i.to_string()),
                    "a platform is listed twice",
                );
            }
            parsed.push(platform);
        }
        let mut sorted = parsed.clone();
        sorted.sort();
        let supported = matches!(
            sorted.as_slice(),
            [_] | [Platform::OfficialAccount, Platform::MiniProgram]
        );
        if !supported {
            return self.fail(
                pointer,
                "`platforms` is one surface, or \"official_account\" and \"mini_program\" together",
            );
        }
        let on_qyapi = sorted == [Platform::Work];
        if on_qyapi != matches!(host, Host::Qyapi) {
            return self.fail(
                pointer,
                "WeChat Work (\"work\") is served by qyapi.weixin.qq.com, the other surfaces by api.weixin.qq.com",
            );
        }
        Some(parsed)
    }

    fn body(&mut self, body: &Json, pointer: &str) -> Option<Body> {
        let object = body.as_object().unwrap_or_default();
        match object {
            [(kind, inner)] if kind == "json" => {
                let inner_pointer = child(pointer, "json");
                self.allow_keys(inner.as_object().unwrap_or_default(), &inner_pointer, &["$ref"]);
                let target = self.reference(inner, &inner_pointer, &[ShapeKind::Struct, ShapeKind::Union])?;
                Some(Body::Json(target))
            }
            [(kind, inner)] if kind == "multipart" => {
                let inner_pointer = child(pointer, "multipart");
                self.allow_keys(inner.as_object().unwrap_or_default(), &inner_pointer, &["field"]);
                match inner.get("field").and_then(Json::as_str) {
                    Some(field) if !field.is_empty() => Some(Body::Multipart(field.to_owned())),
                    _ => self.fail(&inner_pointer, "`multipart` needs the form `field` that carries the file"),
                }
            }
            _ => self.fail(pointer, "`body` must be `{\"json\": {\"$ref\": ...}}` or `{\"multipart\": {\"field\": ...}}`"),
        }
    }

    fn response(&mut self, response: Option<&Json>, pointer: &str) -> Option<Response> {
        let object = response.and_then(Json::as_object).unwrap_or_default();
        match object {
            [(kind, inner)] if kind == "json" || kind == "media" => {
                let inner_pointer = child(pointer, kind);
                self.allow_keys(inner.as_object().unwrap_or_default(), &inner_pointer, &["$ref"]);
                let target = self.reference(inner, &inner_pointer, &[ShapeKind::Struct, ShapeKind::Union])?;
                Some(if kind == "json" { Response::Json(target) } else { Response::Media(target) })
            }
            _ => self.fail(pointer, "`response` must be `{\"json\": {\"$ref\": ...}}` or `{\"media\": {\"$ref\": ...}}`"),
        }
    }
}
