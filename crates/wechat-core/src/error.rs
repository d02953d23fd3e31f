//! One error type for everything a call can run into, with a typed errcode for WeChat's own
//! refusals. Errors never carry a credential: messages, URLs and body excerpts are masked.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use wechat_types::{ErrcodeInfo, Handling, Rule, ValidationError};

use crate::platform::PlatformKind;
use crate::redact;

/// Anything that can go wrong executing an endpoint.
///
/// Every variant names the endpoint (its URL path) it came from. `Error` is `Clone`, so one
/// failed token refresh can be handed to every caller that waited for it.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// WeChat refused the call: HTTP 200 with a non-zero `errcode`.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The server answered with a status other than 2xx (a proxy's 502, an HTML error page).
    #[error(transparent)]
    HttpStatus(#[from] HttpStatusError),
    /// The request did not get a complete answer: connection refused or reset, timeout, TLS.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The answer was not what the endpoint promises (HTML, truncated JSON, a wrong type).
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The request broke a documented limit and was not sent.
    #[error(transparent)]
    InvalidRequest(#[from] InvalidRequest),
    /// The token store failed (an external store such as Redis being unreachable).
    #[error(transparent)]
    TokenStore(#[from] StoreError),
}

impl Error {
    /// The errcode, when WeChat refused the call.
    pub fn errcode(&self) -> Option<ErrorCode> {
        match self {
            Error::Api(e) => Some(e.code()),
            _ => None,
        }
    }

    /// The URL path of the endpoint the error came from, when known.
    pub fn endpoint(&self) -> Option<&str> {
        match self {
            Error::Api(e) => Some(e.endpoint()),
            Error::HttpStatus(e) => Some(e.endpoint()),
            Error::Transport(e) => e.endpoint(),
            Error::Decode(e) => Some(e.endpoint()),
            Error::InvalidRequest(e) => Some(e.endpoint()),
            Error::TokenStore(_) => None,
        }
    }

    /// Replaces every occurrence of the given credential values in the error's free text.
    /// The clients apply it to every error with the token and secret they hold, so even a
    /// server or backend that echoes a credential cannot leak it through an error.
    pub(crate) fn scrub(self, secrets: &[&str]) -> Self {
        let clean = |text: String| match redact::values(&text, secrets) {
            Cow::Borrowed(_) => text,
            Cow::Owned(masked) => masked,
        };
        match self {
            Error::Api(mut e) => {
                e.message = clean(e.message);
                Error::Api(e)
            }
            Error::HttpStatus(mut e) => {
                e.excerpt = clean(e.excerpt);
                Error::HttpStatus(e)
            }
            Error::Transport(mut e) => {
                e.message = clean(e.message);
                e.source = e.source.map(|source| masked_source(source, secrets));
                Error::Transport(e)
            }
            Error::Decode(mut e) => {
                e.excerpt = clean(e.excerpt);
                e.message = clean(e.message);
                Error::Decode(e)
            }
            Error::TokenStore(mut e) => {
                e.message = clean(e.message);
                e.source = e.source.map(|source| masked_source(source, secrets));
                Error::TokenStore(e)
            }
            other @ Error::InvalidRequest(_) => other,
        }
    }
}

/// A source error shared by the error types.
type Source = Arc<dyn std::error::Error + Send + Sync>;

/// `source` itself, unless its chain would show one of `secrets` in `Display` or `Debug` (a
/// backend's error quoting the request URL): then the same chain as text, masked.
fn masked_source(source: Source, secrets: &[&str]) -> Source {
    let leaks = |text: &str| secrets.iter().any(|s| s.len() >= 4 && text.contains(s));
    let mut level: Option<&(dyn std::error::Error + 'static)> = Some(&*source);
    let mut leaking = false;
    while let Some(error) = level {
        leaking |= leaks(&error.to_string()) || leaks(&format!("{error:?}"));
        level = error.source();
    }
    if leaking {
        Arc::new(MaskedError::of(&*source, secrets))
    } else {
        source
    }
}

/// An error chain rendered to text with credentials masked.
struct MaskedError {
    display: String,
    debug: String,
    source: Option<Box<MaskedError>>,
}

impl MaskedError {
    fn of(error: &(dyn std::error::Error + 'static), secrets: &[&str]) -> Self {
        MaskedError {
            display: redact::values(&error.to_string(), secrets).into_owned(),
            debug: redact::values(&format!("{error:?}"), secrets).into_owned(),
            source: error
                .source()
                .map(|source| Box::new(MaskedError::of(source, secrets))),
        }
    }
}

impl fmt::Display for MaskedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

impl fmt::Debug for MaskedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.debug)
    }
}

impl std::error::Error for MaskedError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// An errcode, read with the catalogue of the surface that returned it.
///
/// The same number means different things on different surfaces (40001 is a stale token for
/// the Official Account and a wrong secret for WeChat Work), so the code keeps its
/// [`PlatformKind`]. It compares equal to the generated constants of the matching catalogue:
///
/// ```
/// # use wechat_core::{ErrorCode, PlatformKind};
/// use wechat_types::common::Errcode;
///
/// let code = ErrorCode::new(45015, PlatformKind::OfficialAccount);
/// assert!(code == Errcode::RESPONSE_OUT_OF_TIME_LIMIT);
/// assert_eq!(code.name(), Some("RESPONSE_OUT_OF_TIME_LIMIT"));
/// assert!(!code.is_retryable());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorCode {
    value: i64,
    platform: PlatformKind,
}

impl ErrorCode {
    /// The code `value` as returned by `platform`.
    pub fn new(value: i64, platform: PlatformKind) -> Self {
        ErrorCode { value, platform }
    }

    /// The number.
    pub fn value(self) -> i64 {
        self.value
    }

    /// The surface that returned it.
    pub fn platform(self) -> PlatformKind {
        self.platform
    }

    /// What the surface's catalogue says about it; `None` for a code it does not list.
    pub fn info(self) -> Option<&'static ErrcodeInfo> {
        self.platform.errcode_info(self.value)
    }

    /// The catalogue name (`INVALID_CREDENTIAL`), for known codes.
    pub fn name(self) -> Option<&'static str> {
        self.info().map(|info| info.name)
    }

    /// What a caller should do, for known codes.
    pub fn handling(self) -> Option<Handling> {
        self.info().map(|info| info.handling)
    }

    /// Whether the same request may succeed later (false for unknown codes).
    pub fn is_retryable(self) -> bool {
        self.handling().is_some_and(Handling::is_retryable)
    }

    /// Whether the access_token was stale or invalid (refresh it and retry once).
    pub fn is_token_error(self) -> bool {
        self.handling() == Some(Handling::RefreshToken)
    }
}

impl PartialEq<wechat_types::common::Errcode> for ErrorCode {
    fn eq(&self, other: &wechat_types::common::Errcode) -> bool {
        self.platform != PlatformKind::Work && self.value == other.0
    }
}

impl PartialEq<wechat_types::work::Errcode> for ErrorCode {
    fn eq(&self, other: &wechat_types::work::Errcode) -> bool {
        self.platform == PlatformKind::Work && self.value == other.0
    }
}

impl fmt::Debug for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{} {name}", self.value),
            None => write!(f, "{}", self.value),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.info() {
            Some(info) => write!(f, "{} ({})", self.value, info.meaning),
            None => write!(f, "{}", self.value),
        }
    }
}

/// WeChat refused the call with a non-zero `errcode`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    code: ErrorCode,
    message: String,
    endpoint: Cow<'static, str>,
}

impl ApiError {
    /// The error WeChat returned for `endpoint`.
    pub fn new(
        code: ErrorCode,
        message: impl Into<String>,
        endpoint: impl Into<Cow<'static, str>>,
    ) -> Self {
        ApiError {
            code,
            message: message.into(),
            endpoint: endpoint.into(),
        }
    }

    /// The errcode.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// WeChat's `errmsg`, as sent (it carries a trace suffix such as ` rid: ...`: informational
    /// only, match on [`code`](ApiError::code)).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The URL path of the endpoint.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WeChat refused {}: errcode {}", self.endpoint, self.code)?;
        if !self.message.is_empty() {
            write!(f, ", errmsg {:?}", self.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// The server answered with a non-2xx status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpStatusError {
    status: u16,
    endpoint: Cow<'static, str>,
    excerpt: String,
}

impl HttpStatusError {
    /// A `status` answer from `endpoint`, with a short excerpt of its body in which `secrets`
    /// are masked.
    pub(crate) fn new(
        status: u16,
        endpoint: Cow<'static, str>,
        body: &[u8],
        secrets: &[&str],
    ) -> Self {
        HttpStatusError {
            status,
            endpoint,
            excerpt: redact::excerpt(body, EXCERPT_LIMIT, secrets),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The URL path of the endpoint.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The start of the body, credentials masked.
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }
}

impl fmt::Display for HttpStatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} answered HTTP {}", self.endpoint, self.status)?;
        if !self.excerpt.is_empty() {
            write!(f, ": {:?}", self.excerpt)?;
        }
        Ok(())
    }
}

impl std::error::Error for HttpStatusError {}

/// How many bytes of a body an error message quotes.
pub(crate) const EXCERPT_LIMIT: usize = 160;

/// What kind of transport failure happened; decides whether a retry can be safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (refused, unreachable, DNS): nothing was sent, so even a
    /// message send may be retried.
    Connect,
    /// No complete answer within the configured timeout: the request may have been processed.
    Timeout,
    /// The connection broke mid-exchange (reset, closed early, malformed HTTP): the request
    /// may have been processed.
    Connection,
    /// TLS failed (certificate, handshake).
    Tls,
    /// The backend could not build or send the request at all (invalid URL, body too large).
    Request,
    /// Anything else a backend reports.
    Other,
}

impl TransportErrorKind {
    fn describe(self) -> &'static str {
        match self {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Connection => "connection failed",
            TransportErrorKind::Tls => "TLS failed",
            TransportErrorKind::Request => "could not send the request",
            TransportErrorKind::Other => "transport failed",
        }
    }
}

/// A request did not get a complete answer.
///
/// Backends build it with [`TransportError::new`]; the client adds the endpoint.
#[derive(Debug, Clone)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    endpoint: Option<Cow<'static, str>>,
    source: Option<Source>,
}

impl TransportError {
    /// A failure of `kind`. `message` must not contain the request URL (it carries the
    /// access_token); the client masks known credentials in it anyway.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
            endpoint: None,
            source: None,
        }
    }

    /// Attaches the underlying error. Its `Display` must not contain the request URL either.
    #[must_use]
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }

    pub(crate) fn at(mut self, endpoint: Cow<'static, str>) -> Self {
        self.endpoint = Some(endpoint);
        self
    }

    /// What kind of failure it was.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The backend's description.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The URL path of the endpoint, once the client has attached it.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.describe())?;
        if let Some(endpoint) = &self.endpoint {
            write!(f, " calling {endpoint}")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The reply could not be read as what the endpoint promises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    endpoint: Cow<'static, str>,
    message: String,
    excerpt: String,
}

impl DecodeError {
    /// `body` from `endpoint` failed to decode because of `message`. Credential members in the
    /// quoted excerpt are masked; prefer [`Reply::decode_error`](crate::Reply::decode_error),
    /// which also masks the credential values the client used.
    pub fn new(
        endpoint: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
        body: &[u8],
    ) -> Self {
        Self::masking(endpoint, message, body, &[])
    }

    /// [`new`](DecodeError::new), with the given credential values masked too.
    pub(crate) fn masking(
        endpoint: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
        body: &[u8],
        secrets: &[&str],
    ) -> Self {
        DecodeError {
            endpoint: endpoint.into(),
            message: message.into(),
            excerpt: redact::excerpt(body, EXCERPT_LIMIT, secrets),
        }
    }

    /// The URL path of the endpoint.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// What was wrong (serde's description, with line and column).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The start of the body, credentials masked.
    pub fn excerpt(&self) -> &str {
        &self.excerpt
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unexpected reply from {}: {}; body: {:?}",
            self.endpoint, self.message, self.excerpt
        )
    }
}

impl std::error::Error for DecodeError {}

/// A request that was not sent because it is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidRequest {
    endpoint: Cow<'static, str>,
    field: String,
    problem: Problem,
}

#[derive(Debug, Clone, PartialEq)]
enum Problem {
    Rule(Rule),
    Message(String),
}

impl InvalidRequest {
    /// A documented limit, checked by [`Validate`](wechat_types::Validate), failed.
    pub fn from_validation(endpoint: impl Into<Cow<'static, str>>, error: ValidationError) -> Self {
        InvalidRequest {
            endpoint: endpoint.into(),
            field: error.path().to_owned(),
            problem: Problem::Rule(error.rule().clone()),
        }
    }

    /// `field` (a wire path, or a name such as `media` for a file) is wrong because of `message`.
    pub fn new(
        endpoint: impl Into<Cow<'static, str>>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        InvalidRequest {
            endpoint: endpoint.into(),
            field: field.into(),
            problem: Problem::Message(message.into()),
        }
    }

    /// The URL path of the endpoint.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The wire path of the failing member (`text.content`); empty for the request as a whole.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The broken rule, when a schema limit failed.
    pub fn rule(&self) -> Option<&Rule> {
        match &self.problem {
            Problem::Rule(rule) => Some(rule),
            Problem::Message(_) => None,
        }
    }
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid request to {}: ", self.endpoint)?;
        if !self.field.is_empty() {
            write!(f, "`{}` ", self.field)?;
        }
        match &self.problem {
            Problem::Rule(rule) => write!(f, "{rule}"),
            Problem::Message(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for InvalidRequest {}

/// A token store failed.
#[derive(Debug, Clone)]
pub struct StoreError {
    message: String,
    source: Option<Source>,
}

impl StoreError {
    /// A failure described by `message`.
    pub fn new(message: impl Into<String>) -> Self {
        StoreError {
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying error.
    #[must_use]
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Arc::new(source));
        self
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "token store failed: {}", self.message)
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wechat_types::common::Errcode;

    #[test]
    fn error_codes_read_with_their_own_catalogue() {
        let mp = ErrorCode::new(40001, PlatformKind::OfficialAccount);
        assert!(mp == Errcode::INVALID_CREDENTIAL);
        assert!(mp.is_token_error());
        assert_eq!(format!("{mp:?}"), "40001 INVALID_CREDENTIAL");

        let unknown = ErrorCode::new(99_999_999, PlatformKind::MiniProgram);
        assert_eq!(unknown.info(), None);
        assert_eq!(format!("{unknown:?} {unknown}"), "99999999 99999999");
        assert!(!unknown.is_retryable());

        let work = ErrorCode::new(40001, PlatformKind::Work);
        assert!(
            work != Errcode::INVALID_CREDENTIAL,
            "a Work code is not an mp code"
        );
        assert!(work == wechat_types::work::Errcode(40001));
    }

    #[test]
    fn messages_name_the_endpoint_and_the_code() {
        let error = Error::from(ApiError::new(
            ErrorCode::new(45015, PlatformKind::OfficialAccount),
            "response out of time limit or subscription is canceled rid: 1-2-3",
            "/cgi-bin/message/custom/send",
        ));
        let text = error.to_string();
        assert!(
            text.starts_with("WeChat refused /cgi-bin/message/custom/send: errcode 45015 ("),
            "{text}"
        );
        assert!(text.ends_with("rid: 1-2-3\""), "{text}");
        assert_eq!(error.errcode().map(ErrorCode::value), Some(45015));
        assert_eq!(error.endpoint(), Some("/cgi-bin/message/custom/send"));
    }

    #[test]
    fn scrub_replaces_a_source_chain_that_would_show_a_credential() {
        #[derive(Debug)]
        struct Inner(String);
        impl fmt::Display for Inner {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "failed for {}", self.0)
            }
        }
        impl std::error::Error for Inner {}
        let leaky = TransportError::new(TransportErrorKind::Other, "x")
            .with_source(Inner("?access_token=TOKEN42".into()));
        let Error::Transport(clean) = Error::from(leaky).scrub(&["TOKEN42"]) else {
            unreachable!()
        };
        let source = std::error::Error::source(&clean).unwrap();
        assert_eq!(source.to_string(), "failed for ?access_token=<redacted>");
        assert!(!format!("{clean:?}").contains("TOKEN42"));

        let io = TransportError::new(TransportErrorKind::Connection, "reset")
            .with_source(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
        let Error::Transport(kept) = Error::from(io).scrub(&["TOKEN42"]) else {
            unreachable!()
        };
        let source = std::error::Error::source(&kept).unwrap();
        assert!(
            source.downcast_ref::<std::io::Error>().is_some(),
            "a clean source is kept as is"
        );
    }

    #[test]
    fn scrub_masks_credentials_in_every_free_text() {
        let transport = Error::from(
            TransportError::new(
                TransportErrorKind::Connect,
                "refused for ?access_token=TOKEN42",
            )
            .at("/x".into()),
        );
        assert_eq!(
            transport.scrub(&["TOKEN42"]).to_string(),
            "could not connect calling /x: refused for ?access_token=<redacted>"
        );
        let api = Error::from(ApiError::new(
            ErrorCode::new(-1, PlatformKind::Work),
            "echo TOKEN42",
            "/y",
        ));
        assert!(!api.scrub(&["TOKEN42"]).to_string().contains("TOKEN42"));
    }
}
