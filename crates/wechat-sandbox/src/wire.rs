//! What the emulated API puts on the wire: WeChat's `errcode` answers (with the errmsg of the
//! catalogue and a ` rid: ...` trace suffix, as real answers carry), JSON data answers and
//! media files; and the reading of request bodies the way WeChat refuses them.

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wechat_types::Validate;
use wechat_types::common::Errcode;

/// A refusal: HTTP 200 with a non-zero errcode, as every WeChat business error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// The code.
    pub(crate) code: Errcode,
    /// What exactly was wrong, appended to the errmsg as WeChat's `hint: [...]`.
    pub(crate) hint: Option<String>,
}

impl Refusal {
    /// A refusal with the catalogue's errmsg.
    pub(crate) fn new(code: Errcode) -> Self {
        Refusal { code, hint: None }
    }

    /// A refusal whose errmsg names the problem.
    pub(crate) fn hint(code: Errcode, hint: impl Into<String>) -> Self {
        Refusal {
            code,
            hint: Some(hint.into()),
        }
    }

    /// The errmsg: the catalogue's text (or the constant's name in words, for the codes whose
    /// English text WeChat never documented), the hint, and a trace id.
    pub(crate) fn errmsg(&self) -> String {
        let base = match self.code.info() {
            Some(info) => match info.errmsg {
                Some(errmsg) => errmsg.to_owned(),
                None => info.name.to_ascii_lowercase().replace('_', " "),
            },
            None => "scripted error".to_owned(),
        };
        let rid = rid();
        match &self.hint {
            Some(hint) => format!("{base} hint: [{hint}] rid: {rid}"),
            None => format!("{base} rid: {rid}"),
        }
    }
}

/// A trace id like the ones WeChat appends (`rid: 64a774ce-020c072d-6c820ec0`).
fn rid() -> String {
    format!(
        "{:08x}-{:08x}-{:08x}",
        fastrand::u32(..),
        fastrand::u32(..),
        fastrand::u32(..)
    )
}

/// An answer of the emulated API.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Answer {
    /// `{"errcode":0,"errmsg":"ok"}`.
    Ok,
    /// A JSON data answer (WeChat omits `errcode` from most of them).
    Json(Value),
    /// A refusal.
    Refused(Refusal),
    /// A file (media/get): its bytes, type and name.
    File {
        /// `Content-Type`.
        content_type: String,
        /// The name in `Content-disposition`.
        filename: String,
        /// The bytes.
        data: Bytes,
    },
    /// An HTTP status other than 200 with a text body (no such endpoint, a scripted 5xx).
    Status {
        /// The status code.
        status: u16,
        /// The body.
        body: String,
    },
}

impl Answer {
    /// A JSON data answer of a serializable value.
    pub(crate) fn json(value: &impl Serialize) -> Self {
        match serde_json::to_value(value) {
            Ok(value) => Answer::Json(value),
            Err(e) => Answer::Status {
                status: 500,
                body: format!("sandbox: cannot encode the answer: {e}"),
            },
        }
    }

    /// The errcode the answer carries (0 for data and files), for the call log.
    pub(crate) fn errcode(&self) -> i64 {
        match self {
            Answer::Refused(refusal) => refusal.code.0,
            _ => 0,
        }
    }

    /// The HTTP status.
    pub(crate) fn status(&self) -> u16 {
        match self {
            Answer::Status { status, .. } => *status,
            _ => 200,
        }
    }
}

impl From<Refusal> for Answer {
    fn from(refusal: Refusal) -> Self {
        Answer::Refused(refusal)
    }
}

/// The HTTP response of an answer.
pub(crate) fn response(answer: Answer) -> axum::response::Response {
    use axum::http::{HeaderValue, StatusCode, header};
    use axum::response::IntoResponse;

    let json = |body: String| {
        (
            [(header::CONTENT_TYPE, "application/json; encoding=utf-8")],
            body,
        )
            .into_response()
    };
    match answer {
        Answer::Ok => json(r#"{"errcode":0,"errmsg":"ok"}"#.to_owned()),
        Answer::Json(value) => json(value.to_string()),
        Answer::Refused(refusal) => json(
            serde_json::json!({"errcode": refusal.code.0, "errmsg": refusal.errmsg()}).to_string(),
        ),
        Answer::File {
            content_type,
            filename,
            data,
        } => {
            let mut response = data.into_response();
            let headers = response.headers_mut();
            if let Ok(value) = HeaderValue::from_str(&content_type) {
                headers.insert(header::CONTENT_TYPE, value);
            }
            if let Ok(value) =
                HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
            {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Answer::Status { status, body } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, [(header::CONTENT_TYPE, "text/html")], body).into_response()
        }
    }
}

/// Reads a JSON request body as `T` the way WeChat refuses bad ones: no body is 44002,
/// malformed JSON or a member of the wrong type 47001, a member the schema does not know
/// 47001 as well when `strict` (naming it in the hint), and a broken documented limit the code
/// `limit` chooses for it.
pub(crate) fn read_json<T>(
    body: &[u8],
    strict: bool,
    limit: impl Fn(&wechat_types::ValidationError) -> Refusal,
) -> Result<T, Refusal>
where
    T: DeserializeOwned + Serialize + Validate,
{
    let typed: T = read_unvalidated(body, strict)?;
    typed.validate().map_err(|e| limit(&e))?;
    Ok(typed)
}

/// [`read_json`] without the documented limits, for an endpoint whose handler checks them
/// itself with WeChat's own codes.
pub(crate) fn read_unvalidated<T>(body: &[u8], strict: bool) -> Result<T, Refusal>
where
    T: DeserializeOwned + Serialize,
{
    let value = parse_value(body)?;
    let typed: T = serde_json::from_value(value.clone())
        .map_err(|e| Refusal::hint(Errcode::DATA_FORMAT_ERROR, e.to_string()))?;
    if strict {
        let known = serde_json::to_value(&typed)
            .map_err(|e| Refusal::hint(Errcode::DATA_FORMAT_ERROR, e.to_string()))?;
        if let Some(path) = unknown_member(&value, &known, "") {
            return Err(Refusal::hint(
                Errcode::DATA_FORMAT_ERROR,
                format!("unknown member `{path}`"),
            ));
        }
    }
    Ok(typed)
}

/// The body as a JSON value: 44002 when empty, 47001 when it is not JSON.
pub(crate) fn parse_value(body: &[u8]) -> Result<Value, Refusal> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Refusal::new(Errcode::EMPTY_POST_DATA));
    }
    serde_json::from_slice(body)
        .map_err(|e| Refusal::hint(Errcode::DATA_FORMAT_ERROR, e.to_string()))
}

/// The path of the first member of `sent` that `known` (the same value read by the schema's
/// type and written back) lacks: a member the schema does not know. Written-back values keep
/// every member the type knows, so a difference in keys is exactly an unknown member.
fn unknown_member(sent: &Value, known: &Value, at: &str) -> Option<String> {
    let join = |key: &str| {
        if at.is_empty() {
            key.to_owned()
        } else {
            format!("{at}.{key}")
        }
    };
    match (sent, known) {
        (Value::Object(sent), Value::Object(known)) => sent.iter().find_map(|(key, value)| {
            match known.get(key) {
                // `null` stands for an absent optional member, which is written back absent.
                None if value.is_null() => None,
                None => Some(join(key)),
                Some(known) => unknown_member(value, known, &join(key)),
            }
        }),
        (Value::Array(sent), Value::Array(known)) => sent
            .iter()
            .zip(known)
            .enumerate()
            .find_map(|(i, (sent, known))| unknown_member(sent, known, &format!("{at}[{i}]"))),
        _ => None,
    }
}

/// The default refusal of a broken limit: 47001 naming the member and the rule.
pub(crate) fn format_error(error: &wechat_types::ValidationError) -> Refusal {
    Refusal::hint(Errcode::DATA_FORMAT_ERROR, error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wechat_types::mp::CustomMessage;

    fn read(body: &str) -> Result<CustomMessage, Refusal> {
        read_json(body.as_bytes(), true, format_error)
    }

    #[test]
    fn empty_and_malformed_bodies() {
        assert_eq!(read("").unwrap_err().code, Errcode::EMPTY_POST_DATA);
        assert_eq!(read(" \n").unwrap_err().code, Errcode::EMPTY_POST_DATA);
        let malformed = read(r#"{"touser":"#).unwrap_err();
        assert_eq!(malformed.code, Errcode::DATA_FORMAT_ERROR);
        assert!(malformed.hint.is_some());
    }

    #[test]
    fn a_wrong_type_is_a_format_error() {
        let error = read(r#"{"touser":1,"msgtype":"text","text":{"content":"x"}}"#).unwrap_err();
        assert_eq!(error.code, Errcode::DATA_FORMAT_ERROR);
    }

    #[test]
    fn unknown_members_are_named_at_any_depth() {
        let top = read(r#"{"touser":"o","msgtype":"text","text":{"content":"x"},"kf":1}"#);
        assert_eq!(
            top.unwrap_err().hint.as_deref(),
            Some("unknown member `kf`")
        );
        let nested =
            read(r#"{"touser":"o","msgtype":"text","text":{"content":"x","contnet":"y"}}"#);
        assert_eq!(
            nested.unwrap_err().hint.as_deref(),
            Some("unknown member `text.contnet`")
        );
        let in_array = read(
            r#"{"touser":"o","msgtype":"news","news":{"articles":[{"title":"t","description":"d","url":"u","picurl":"p","pic":"q"}]}}"#,
        );
        assert_eq!(
            in_array.unwrap_err().hint.as_deref(),
            Some("unknown member `news.articles[0].pic`")
        );
        // Another message kind's payload is unknown too: it would never be delivered.
        let stray = read(
            r#"{"touser":"o","msgtype":"text","text":{"content":"x"},"image":{"media_id":"m"}}"#,
        );
        assert_eq!(
            stray.unwrap_err().hint.as_deref(),
            Some("unknown member `image`")
        );
    }

    #[test]
    fn lenient_forms_and_nulls_are_not_unknown() {
        assert!(
            read(r#"{"touser":"o","msgtype":"text","text":{"content":"x"},"businessid":null}"#)
                .is_ok()
        );
        let lax: Result<CustomMessage, _> = read_json(
            br#"{"touser":"o","msgtype":"text","text":{"content":"x"},"kf":1}"#,
            false,
            format_error,
        );
        assert!(lax.is_ok());
    }

    #[test]
    fn errmsg_carries_the_catalogue_text_the_hint_and_a_rid() {
        let errmsg = Refusal::hint(Errcode::DATA_FORMAT_ERROR, "unknown member `x`").errmsg();
        assert!(
            errmsg.starts_with("data format error hint: [unknown member `x`] rid: "),
            "{errmsg}"
        );
        let undocumented = Refusal::new(Errcode::ARTICLE_SIZE_OUT_OF_LIMIT).errmsg();
        assert!(
            undocumented.starts_with("article size out of limit rid: "),
            "{undocumented}"
        );
    }
}
