//! The HTTP messages a backend sends and receives: this crate's own types, so that no HTTP
//! library appears in the public API and any HTTP stack can be plugged in.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;

pub use wechat_types::Method;

use crate::redact;

/// A complete HTTP request, ready for a backend to send as is.
///
/// The URL carries the `access_token` query parameter, so `Debug` and `Display` mask it (and
/// every other credential, in the URL and in a JSON body); [`url`](HttpRequest::url) gives the
/// real one to the backend.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    method: Method,
    url: String,
    headers: Vec<(Cow<'static, str>, Cow<'static, str>)>,
    body: Bytes,
}

impl HttpRequest {
    /// A request without headers or body.
    pub fn new(method: Method, url: impl Into<String>) -> Self {
        HttpRequest {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// Adds a header; `name` should be lowercase.
    #[must_use]
    pub fn with_header(
        mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<Cow<'static, str>>,
    ) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body.
    #[must_use]
    pub fn with_body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The full URL, credentials included: for sending, never for logging.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The URL path (`/cgi-bin/message/custom/send`), without scheme, host or query.
    pub fn path(&self) -> &str {
        let after_scheme = self
            .url
            .split_once("://")
            .map_or(&*self.url, |(_, rest)| rest);
        let path_and_query = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
        path_and_query.split(['?', '#']).next().unwrap_or_default()
    }

    /// The value of query parameter `name`, percent-decoded.
    pub fn query_param(&self, name: &str) -> Option<String> {
        let query = self.url.split_once('?')?.1;
        form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }

    /// The headers, in the order they were added.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.iter().map(|(name, value)| (&**name, &**value))
    }

    /// The value of the first header called `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    }

    /// The body (cheap to clone).
    pub fn body(&self) -> &Bytes {
        &self.body
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &redact::url(&self.url))
            .field("headers", &self.headers)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// The request as an HTTP message (request line, headers, blank line, body), with credentials
/// masked: the form snapshots of captured requests use. A body that is not UTF-8 is written
/// with `\xNN` escapes.
impl fmt::Display for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} {}", self.method.as_str(), redact::url(&self.url))?;
        for (name, value) in &self.headers {
            writeln!(f, "{name}: {value}")?;
        }
        if !self.body.is_empty() {
            writeln!(f)?;
            match std::str::from_utf8(&self.body) {
                Ok(text) => f.write_str(&redact::json(text))?,
                Err(_) => write!(f, "{}", self.body.escape_ascii())?,
            }
        }
        Ok(())
    }
}

/// An HTTP response as a backend received it: status, headers and the whole body.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    status: u16,
    /// `name:value` lines, names lowercase: one allocation however many headers there are
    /// (a header name has no `:`, a header value no line break).
    headers: String,
    body: Bytes,
}

impl HttpResponse {
    /// A response without headers.
    pub fn new(status: u16, body: impl Into<Bytes>) -> Self {
        HttpResponse {
            status,
            headers: String::new(),
            body: body.into(),
        }
    }

    /// A response whose headers are already in this type's `name:value` line form.
    #[cfg(any(feature = "reqwest", feature = "ureq"))]
    pub(crate) fn from_parts(status: u16, headers: String, body: Bytes) -> Self {
        HttpResponse {
            status,
            headers,
            body,
        }
    }

    /// Adds a header; the name is stored lowercase, line breaks in the value as spaces.
    #[must_use]
    pub fn with_header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        push_header(&mut self.headers, name.as_ref(), value.as_ref());
        self
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The value of the first header called `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    }

    /// The headers, names lowercase, in the order received.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers.lines().filter_map(|line| line.split_once(':'))
    }

    /// The body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Takes the body.
    pub fn into_body(self) -> Bytes {
        self.body
    }
}

/// Appends one header to the `name:value` line form of [`HttpResponse`].
pub(crate) fn push_header(lines: &mut String, name: &str, value: &str) {
    lines.extend(name.chars().map(|c| c.to_ascii_lowercase()));
    lines.push(':');
    lines.extend(
        value
            .chars()
            .map(|c| if c == '\r' || c == '\n' { ' ' } else { c }),
    );
    lines.push('\n');
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers().collect::<Vec<_>>())
            .field("body", &redact::excerpt(&self.body, 256, &[]))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send() -> HttpRequest {
        HttpRequest::new(
            Method::Post,
            "https://api.weixin.qq.com/cgi-bin/message/custom/send?access_token=T0KEN_VALUE&x=%40y",
        )
        .with_header("content-type", "application/json")
        .with_body(r#"{"touser":"OPENID"}"#)
    }

    #[test]
    fn exposes_path_and_query_parameters() {
        let request = send();
        assert_eq!(request.path(), "/cgi-bin/message/custom/send");
        assert_eq!(
            request.query_param("access_token").as_deref(),
            Some("T0KEN_VALUE")
        );
        assert_eq!(request.query_param("x").as_deref(), Some("@y"));
        assert_eq!(request.query_param("missing"), None);
        assert_eq!(request.header("Content-Type"), Some("application/json"));
        assert_eq!(
            HttpRequest::new(Method::Get, "http://127.0.0.1:9").path(),
            ""
        );
    }

    #[test]
    fn debug_and_display_mask_the_token() {
        let request = send();
        let debug = format!("{request:?}");
        let display = request.to_string();
        for text in [&debug, &display] {
            assert!(!text.contains("T0KEN_VALUE"), "{text}");
            assert!(text.contains("access_token=<redacted>"), "{text}");
        }
        assert_eq!(
            display,
            "POST https://api.weixin.qq.com/cgi-bin/message/custom/send?access_token=<redacted>&x=%40y\n\
             content-type: application/json\n\n{\"touser\":\"OPENID\"}"
        );
    }

    #[test]
    fn display_escapes_binary_bodies() {
        let request =
            HttpRequest::new(Method::Post, "http://h/u").with_body(vec![b'a', 0xff, b'\n']);
        assert_eq!(request.to_string(), "POST http://h/u\n\na\\xff\\n");
    }

    #[test]
    fn response_headers_keep_order_colons_and_no_line_breaks() {
        let response = HttpResponse::new(200, "")
            .with_header("Date", "Sun, 22 Nov 2026 18:00:00 GMT")
            .with_header("X-Odd", "a\r\nb");
        assert_eq!(
            response.headers().collect::<Vec<_>>(),
            [("date", "Sun, 22 Nov 2026 18:00:00 GMT"), ("x-odd", "a  b")]
        );
        assert_eq!(
            response.header("DATE"),
            Some("Sun, 22 Nov 2026 18:00:00 GMT")
        );
        assert_eq!(response.header("missing"), None);
    }

    #[test]
    fn response_headers_are_case_insensitive() {
        let response = HttpResponse::new(200, "{}").with_header("Content-Type", "application/json");
        assert_eq!(response.header("content-type"), Some("application/json"));
        assert!(response.is_success());
        assert!(!HttpResponse::new(502, "").is_success());
    }
}
