//! Endpoint declarations as data (`x-endpoints` in the schemas).
//!
//! An [`EndpointSpec`] says where and how a call goes; it does no IO. The clients of
//! `wechat-core` execute endpoints, and the sandbox routes by the same constants, so a path is
//! written once, in a schema.

/// How to call one WeChat endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct EndpointSpec {
    /// Snake-case id, unique within its module (`send_custom_message`).
    pub id: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Host serving it.
    pub host: Host,
    /// URL path (`/cgi-bin/message/custom/send`).
    pub path: &'static str,
    /// Whether the `access_token` query parameter is required.
    pub access_token: bool,
    /// Schema pointer of the other query parameters (`common/media.schema.json#/$defs/MediaGetQuery`).
    pub query: Option<&'static str>,
    /// What the request carries.
    pub body: BodySpec,
    /// What the reply carries.
    pub response: ResponseSpec,
}

/// HTTP methods WeChat uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
}

impl Method {
    /// The method name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// WeChat API hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Host {
    /// `api.weixin.qq.com`: the Official Account and the Mini Program.
    Api,
    /// `qyapi.weixin.qq.com`: WeChat Work.
    Qyapi,
}

impl Host {
    /// The host name.
    pub fn as_str(self) -> &'static str {
        match self {
            Host::Api => "api.weixin.qq.com",
            Host::Qyapi => "qyapi.weixin.qq.com",
        }
    }
}

/// Request body of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodySpec {
    /// No body.
    None,
    /// JSON of the type at this schema pointer.
    Json(&'static str),
    /// A `multipart/form-data` upload with the file in `field`.
    Multipart {
        /// Form field carrying the file (`media`).
        field: &'static str,
    },
}

/// Response body of an endpoint (after the `errcode` check).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseSpec {
    /// JSON of the type at this schema pointer.
    Json(&'static str),
    /// The media bytes, or JSON of the type at this pointer for some media, or an errcode JSON.
    Media(&'static str),
}
