//! The query string WeChat puts on every callback request.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;

use super::CallbackError;

/// The parameters of a callback request's query string.
///
/// | parameter | sent by |
/// |---|---|
/// | `signature` | Official Account / Mini Program: SHA-1 over token, timestamp, nonce |
/// | `msg_signature` | WeChat Work always; the others in safe mode: SHA-1 with the ciphertext too |
/// | `timestamp`, `nonce` | every request |
/// | `echostr` | URL verification (a `GET`) |
/// | `encrypt_type` | `aes` in the Official Account's and Mini Program's safe mode |
/// | `openid` | Official Account / Mini Program pushes: the sender |
///
/// [`parse`](CallbackQuery::parse) reads the raw query with percent-decoding only: `echostr`
/// is base64, and a form decoder that turns `+` into a space would corrupt it (reference
/// §16.1). Values decoded by a framework can be set one by one instead.
///
/// ```
/// use wechat_core::callback::CallbackQuery;
///
/// let query = CallbackQuery::parse("signature=f464b24f&timestamp=1714036504&nonce=1514711492&echostr=a%2Bb+c")?;
/// assert_eq!(query.timestamp(), Some("1714036504"));
/// assert_eq!(query.echostr(), Some("a+b+c"));
/// # Ok::<(), wechat_core::callback::CallbackError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallbackQuery<'a> {
    signature: Option<Cow<'a, str>>,
    msg_signature: Option<Cow<'a, str>>,
    timestamp: Option<Cow<'a, str>>,
    nonce: Option<Cow<'a, str>>,
    echostr: Option<Cow<'a, str>>,
    encrypt_type: Option<Cow<'a, str>>,
    openid: Option<Cow<'a, str>>,
}

impl<'a> CallbackQuery<'a> {
    /// An empty query, to fill with the `with_*` methods.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads a raw query string (the part after `?`, without it). Unknown parameters are
    /// ignored; a known one given twice, or percent-encoding that is not UTF-8, is an error.
    /// Values without escapes are borrowed from `raw`.
    pub fn parse(raw: &'a str) -> Result<Self, CallbackError> {
        let mut query = CallbackQuery::default();
        for pair in raw.split('&').filter(|pair| !pair.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let Some(slot) = query.slot(name) else {
                continue;
            };
            if slot.is_some() {
                return Err(CallbackError::MalformedQuery {
                    reason: format!("`{name}` is given more than once"),
                });
            }
            let value = percent_decode_str(value).decode_utf8().map_err(|_| {
                CallbackError::MalformedQuery {
                    reason: format!("`{name}` is not UTF-8 once percent-decoded"),
                }
            })?;
            *slot = Some(value);
        }
        Ok(query)
    }

    fn slot(&mut self, name: &str) -> Option<&mut Option<Cow<'a, str>>> {
        Some(match name {
            "signature" => &mut self.signature,
            "msg_signature" => &mut self.msg_signature,
            "timestamp" => &mut self.timestamp,
            "nonce" => &mut self.nonce,
            "echostr" => &mut self.echostr,
            "encrypt_type" => &mut self.encrypt_type,
            "openid" => &mut self.openid,
            _ => return None,
        })
    }

    /// Sets `signature`.
    pub fn with_signature(mut self, value: impl Into<Cow<'a, str>>) -> Self {
        self.signature = Some(value.into());
        self
    }

    /// Sets `msg_signature`.
    pub fn with_msg_signature(mut self, value: impl Into<Cow<'a, str>>) -> Self {
        self.msg_signature = Some(value.into());
        self
    }

    /// Sets `timestamp`.
    pub fn with_timestamp(mut self, value: impl Into<Cow<'a, str>>) -> Self {
        self.timestamp = Some(value.into());
        self
    }

    /// Sets `nonce`.
    pub fn with_nonce(mut self, value: impl Into<Cow<'a, str>>) -> Self {
        self.nonce = Some(value.into());
        self
    }

    /// Sets `echostr`.
    pub fn with_echostr(mut self, value: impl Into<Cow<'a, str>>) -> Self {
        self.echostr = Some(value.into());
        self
    }

    /// Sets `encrypt_type`.
    pub fn with_encrypt_type(mut self, value: impl Into<Cow<'a, str>>) -> Self {
        self.encrypt_type = Some(value.into());
        self
    }

    /// Sets `openid`.
    pub fn with_openid(mut self, value: impl Into<Cow<'a, str>>) -> Self {
        self.openid = Some(value.into());
        self
    }

    /// `signature`, if present.
    pub fn signature(&self) -> Option<&str> {
        self.signature.as_deref()
    }

    /// `msg_signature`, if present.
    pub fn msg_signature(&self) -> Option<&str> {
        self.msg_signature.as_deref()
    }

    /// `timestamp`, if present.
    pub fn timestamp(&self) -> Option<&str> {
        self.timestamp.as_deref()
    }

    /// `nonce`, if present.
    pub fn nonce(&self) -> Option<&str> {
        self.nonce.as_deref()
    }

    /// `echostr`, if present.
    pub fn echostr(&self) -> Option<&str> {
        self.echostr.as_deref()
    }

    /// `encrypt_type`, if present.
    pub fn encrypt_type(&self) -> Option<&str> {
        self.encrypt_type.as_deref()
    }

    /// `openid`, if present.
    pub fn openid(&self) -> Option<&str> {
        self.openid.as_deref()
    }

    /// The same query, owning its values (to keep it past the raw query string).
    pub fn into_owned(self) -> CallbackQuery<'static> {
        let own = |value: Option<Cow<'a, str>>| value.map(|v| Cow::Owned(v.into_owned()));
        CallbackQuery {
            signature: own(self.signature),
            msg_signature: own(self.msg_signature),
            timestamp: own(self.timestamp),
            nonce: own(self.nonce),
            echostr: own(self.echostr),
            encrypt_type: own(self.encrypt_type),
            openid: own(self.openid),
        }
    }

    /// Whether the request is in safe mode (`encrypt_type=aes`).
    pub fn is_encrypted(&self) -> bool {
        self.encrypt_type.as_deref() == Some("aes")
    }

    /// A parameter the check needs.
    pub(crate) fn require<'q>(
        value: &'q Option<Cow<'a, str>>,
        name: &'static str,
    ) -> Result<&'q str, CallbackError> {
        value
            .as_deref()
            .ok_or(CallbackError::MissingParameter { name })
    }

    pub(crate) fn required_timestamp(&self) -> Result<&str, CallbackError> {
        Self::require(&self.timestamp, "timestamp")
    }

    pub(crate) fn required_nonce(&self) -> Result<&str, CallbackError> {
        Self::require(&self.nonce, "nonce")
    }

    pub(crate) fn required_signature(&self) -> Result<&str, CallbackError> {
        Self::require(&self.signature, "signature")
    }

    pub(crate) fn required_msg_signature(&self) -> Result<&str, CallbackError> {
        Self::require(&self.msg_signature, "msg_signature")
    }

    /// `echostr` as sent. A framework that form-decoded it turned its `+` into spaces; base64
    /// has no spaces, so they are turned back before the signature check.
    pub(crate) fn required_echostr(&self) -> Result<Cow<'_, str>, CallbackError> {
        let echostr = Self::require(&self.echostr, "echostr")?;
        Ok(if echostr.contains(' ') {
            Cow::Owned(echostr.replace(' ', "+"))
        } else {
            Cow::Borrowed(echostr)
        })
    }
}
