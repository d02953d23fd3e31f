//! The raw escape hatch of `custom/send`: any JSON body.

use wechat_core::{Endpoint, Error, OfficialAccount, Reply, Request};

/// Any JSON body for `POST /cgi-bin/message/custom/send`, sent as given: the escape hatch for
/// a message type or member this version does not model.
///
/// Only the shape WeChat needs is checked before sending: a JSON object with a non-empty
/// string `touser` and a non-empty string `msgtype`. Everything else is WeChat's to judge.
///
/// ```
/// use serde_json::json;
/// use wechat_mp::message::SendRaw;
///
/// let raw = SendRaw::new(json!({
///     "touser": "OPENID",
///     "msgtype": "text",
///     "text": {"content": "Hello"},
///     "some_new_member": {"flag": 1}
/// }));
/// # let _ = raw;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SendRaw {
    body: serde_json::Value,
}

impl SendRaw {
    /// The body, sent exactly as given.
    pub fn new(body: serde_json::Value) -> Self {
        SendRaw { body }
    }

    /// The body.
    pub fn body(&self) -> &serde_json::Value {
        &self.body
    }
}

impl Endpoint<OfficialAccount> for SendRaw {
    type Output = ();

    fn request(&self) -> Result<Request, Error> {
        let request = Request::from_spec(&wechat_core::types::mp::SEND_CUSTOM_MESSAGE);
        let invalid = |field: &str, problem: &str| {
            Error::from(wechat_core::InvalidRequest::new(
                request.path().to_owned(),
                field,
                problem,
            ))
        };
        let object = match &self.body {
            serde_json::Value::Object(object) => object,
            _ => return Err(invalid("", "the body must be a JSON object")),
        };
        for member in ["touser", "msgtype"] {
            match object.get(member) {
                Some(serde_json::Value::String(value)) if !value.is_empty() => {}
                _ => return Err(invalid(member, "must be a non-empty string")),
            }
        }
        request.with_unchecked_json(&self.body)
    }

    fn parse(&self, reply: Reply) -> Result<(), Error> {
        reply.unit()
    }
}
