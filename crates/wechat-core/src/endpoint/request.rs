//! [`Request`]: what an endpoint asks the client to send.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use serde::Serialize;
use wechat_types::{EndpointSpec, Method, Validate};

use crate::error::{Error, InvalidRequest};
use crate::media::{Upload, multipart};

/// A request without host and access_token: method, path, query, body.
///
/// Built by [`Endpoint::request`](crate::Endpoint::request). The `with_*` methods that take a
/// typed value run its [`Validate`] checks first, so a request that breaks a documented limit
/// never leaves.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    method: Method,
    path: Cow<'static, str>,
    query: String,
    access_token: bool,
    content_type: Option<Cow<'static, str>>,
    body: Bytes,
}

impl Request {
    /// A request that sends the access_token, with an empty query and no body.
    pub fn new(method: Method, path: impl Into<Cow<'static, str>>) -> Self {
        Request {
            method,
            path: path.into(),
            query: String::new(),
            access_token: true,
            content_type: None,
            body: Bytes::new(),
        }
    }

    /// `GET path`, with the access_token.
    pub fn get(path: impl Into<Cow<'static, str>>) -> Self {
        Request::new(Method::Get, path)
    }

    /// `POST path`, with the access_token.
    pub fn post(path: impl Into<Cow<'static, str>>) -> Self {
        Request::new(Method::Post, path)
    }

    /// The method, path and access_token use of a generated endpoint declaration.
    pub fn from_spec(spec: &'static EndpointSpec) -> Self {
        let mut request = Request::new(spec.method, spec.path);
        request.access_token = spec.access_token;
        request
    }

    /// Sends no access_token (the token endpoints themselves).
    #[must_use]
    pub fn without_access_token(mut self) -> Self {
        self.access_token = false;
        self
    }

    /// Checks `query` and adds its members as query parameters (URL-encoded).
    pub fn with_query<Q: Serialize + Validate>(self, query: &Q) -> Result<Self, Error> {
        self.validate(query)?;
        self.with_unchecked_query(query)
    }

    /// Adds the members of `query` as query parameters without checking any limit.
    pub fn with_unchecked_query<Q: Serialize>(mut self, query: &Q) -> Result<Self, Error> {
        let encoded = serde_urlencoded::to_string(query).map_err(|e| self.invalid("", e))?;
        if !encoded.is_empty() {
            if !self.query.is_empty() {
                self.query.push('&');
            }
            self.query.push_str(&encoded);
        }
        Ok(self)
    }

    /// Checks `body` and sets it as the JSON body.
    pub fn with_json<B: Serialize + Validate>(self, body: &B) -> Result<Self, Error> {
        self.validate(body)?;
        self.with_unchecked_json(body)
    }

    /// Sets `body` as the JSON body without checking any limit: the escape hatch for payloads
    /// the schemas do not describe (a `serde_json::Value`).
    pub fn with_unchecked_json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| self.invalid("", e))?;
        self.content_type = Some(Cow::Borrowed("application/json"));
        self.body = Bytes::from(bytes);
        Ok(self)
    }

    /// Sets a `multipart/form-data` body carrying `file` in the form field `field`. The bytes
    /// are built here, so every backend sends exactly the same ones.
    pub fn with_multipart(mut self, field: &str, file: &Upload) -> Result<Self, Error> {
        if file.filename().is_empty() {
            return Err(self.invalid(field, "the file needs a name").into());
        }
        if file.data().is_empty() {
            return Err(self.invalid(field, "the file is empty").into());
        }
        let (content_type, body) = multipart::encode(field, file);
        self.content_type = Some(Cow::Owned(content_type));
        self.body = body;
        Ok(self)
    }

    fn validate(&self, value: &impl Validate) -> Result<(), InvalidRequest> {
        value
            .validate()
            .map_err(|error| InvalidRequest::from_validation(self.path.clone(), error))
    }

    fn invalid(&self, field: &str, problem: impl fmt::Display) -> InvalidRequest {
        InvalidRequest::new(self.path.clone(), field, problem.to_string())
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The URL path.
    pub fn path(&self) -> &str {
        &self.path
    }

    pub(crate) fn path_cow(&self) -> Cow<'static, str> {
        self.path.clone()
    }

    /// The URL-encoded query, without the access_token (empty when there is none).
    pub fn query(&self) -> &str {
        &self.query
    }

    /// Whether the client must add the `access_token` query parameter.
    pub fn needs_access_token(&self) -> bool {
        self.access_token
    }

    /// The `content-type` of the body, if there is one.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    pub(crate) fn content_type_cow(&self) -> Option<Cow<'static, str>> {
        self.content_type.clone()
    }

    /// The body (empty for none).
    pub fn body(&self) -> &Bytes {
        &self.body
    }
}

/// Prints the method, path and query; the body as a length (it may be a large file).
impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &crate::redact::url(&format!("?{}", self.query)))
            .field("access_token", &self.access_token)
            .field("content_type", &self.content_type)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wechat_types::common::{MediaType, MediaUploadQuery, StableTokenRequest};
    use wechat_types::mp::{CustomMessage, Text};

    #[test]
    fn a_spec_gives_method_path_and_token_use() {
        let send = Request::from_spec(&wechat_types::mp::SEND_CUSTOM_MESSAGE);
        assert_eq!(send.method(), Method::Post);
        assert_eq!(send.path(), "/cgi-bin/message/custom/send");
        assert!(send.needs_access_token());
        assert!(
            !Request::from_spec(&wechat_types::common::GET_STABLE_ACCESS_TOKEN)
                .needs_access_token()
        );
    }

    #[test]
    fn json_bodies_are_validated_before_they_are_built() {
        let request = Request::post("/cgi-bin/message/custom/send");
        let error = request
            .clone()
            .with_json(&CustomMessage::new("OPENID", Text::new("")))
            .unwrap_err();
        let Error::InvalidRequest(invalid) = error else {
            panic!("{error:?}")
        };
        assert_eq!(invalid.field(), "text.content");
        assert_eq!(invalid.endpoint(), "/cgi-bin/message/custom/send");

        let ok = request
            .with_json(&CustomMessage::new("OPENID", Text::new("hi")))
            .unwrap();
        assert_eq!(ok.content_type(), Some("application/json"));
        assert_eq!(
            &ok.body()[..],
            br#"{"touser":"OPENID","msgtype":"text","text":{"content":"hi"}}"#
        );
    }

    #[test]
    fn queries_are_url_encoded_and_appended() {
        let request = Request::post("/cgi-bin/media/upload")
            .with_query(&MediaUploadQuery::new(MediaType::Image))
            .unwrap()
            .with_unchecked_query(&[("kf_account", "a@b c")])
            .unwrap();
        assert_eq!(request.query(), "type=image&kf_account=a%40b+c");
    }

    #[test]
    fn debug_hides_the_body() {
        let request = Request::post("/cgi-bin/stable_token")
            .with_json(&StableTokenRequest::new("wx1", "APPSECRET_VALUE"))
            .unwrap();
        let debug = format!("{request:?}");
        assert!(!debug.contains("APPSECRET_VALUE"), "{debug}");
        assert!(debug.contains("bytes>"), "{debug}");
    }

    #[test]
    fn uploads_need_a_name_and_content() {
        let request = Request::post("/cgi-bin/media/upload");
        let unnamed = request
            .clone()
            .with_multipart("media", &Upload::new("", "image/png", &b"png"[..]));
        assert!(matches!(unnamed, Err(Error::InvalidRequest(ref e)) if e.field() == "media"));
        let empty =
            request.with_multipart("media", &Upload::new("a.png", "image/png", Bytes::new()));
        assert!(empty.unwrap_err().to_string().contains("the file is empty"));
    }
}
