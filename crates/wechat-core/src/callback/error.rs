//! Why a callback request was refused, in the classes of the official WXBizMsgCrypt samples.

use std::fmt;

/// Why a pushed request or a URL verification was refused, or a reply could not be sealed.
///
/// Each variant belongs to one class of the official WXBizMsgCrypt libraries (reference §17),
/// which [`code`](CallbackError::code) returns (`-40001` ... `-40011`). Nothing here ever holds
/// the token, the EncodingAESKey or decrypted content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// The signature does not match the token, timestamp, nonce (and ciphertext): the request
    /// did not come from WeChat, or was altered. (−40001)
    #[error("callback signature does not match")]
    SignatureMismatch,
    /// The signature is not 40 hexadecimal digits. (−40001)
    #[error("callback signature is not 40 hexadecimal digits")]
    MalformedSignature,
    /// A query parameter the check needs is missing. (−40001)
    #[error("callback query lacks `{name}`")]
    MissingParameter {
        /// The parameter's name (`signature`, `msg_signature`, `timestamp`, `nonce`, `echostr`).
        name: &'static str,
    },
    /// The query string is not valid (bad percent-encoding, or a parameter given twice).
    /// (−40001)
    #[error("callback query is malformed: {reason}")]
    MalformedQuery {
        /// What is wrong.
        reason: String,
    },
    /// A timestamp tolerance is configured and the request's `timestamp` is outside it (a
    /// replayed or badly delayed request), or is not a number. (−40001)
    #[error(
        "callback timestamp `{timestamp}` is outside the accepted window of {tolerance_secs} s"
    )]
    StaleTimestamp {
        /// The request's timestamp, as sent.
        timestamp: String,
        /// The configured tolerance, in seconds.
        tolerance_secs: u64,
    },
    /// The request is in plain mode but this receiver accepts encrypted requests only.
    /// (−40001)
    #[error("callback request is not encrypted, and this receiver requires encryption")]
    EncryptionRequired,
    /// The body (or the decrypted message) is not the expected XML or JSON. (−40002)
    #[error("callback {what} is not valid {format}: {reason}")]
    Parse {
        /// Which document: `"envelope"` (the body) or `"message"` (the pushed message).
        what: &'static str,
        /// The format it was read as.
        format: PayloadFormat,
        /// What the reader reported (never the content itself).
        reason: String,
    },
    /// The EncodingAESKey is not 43 base64 characters decoding to 32 bytes, or an encrypted
    /// request reached a receiver configured without one. (−40004)
    #[error("EncodingAESKey is invalid: {reason}")]
    InvalidAesKey {
        /// What is wrong with it (never the key).
        reason: &'static str,
    },
    /// The message was encrypted for another app or corp: its receive id is not ours. (−40005)
    #[error("callback message is for receive id `{found}`, expected `{expected}`")]
    ReceiveIdMismatch {
        /// The receive id this receiver was configured with.
        expected: String,
        /// The receive id inside the message (cut to 64 bytes).
        found: String,
    },
    /// The ciphertext is empty or not a whole number of AES blocks. (−40007)
    #[error("callback ciphertext of {len} bytes is not a whole number of AES blocks")]
    Decrypt {
        /// The decoded ciphertext's length.
        len: usize,
    },
    /// The decrypted buffer is not a valid WXBizMsgCrypt plaintext. (−40008)
    #[error("decrypted callback buffer is invalid: {0}")]
    InvalidBuffer(BufferError),
    /// The ciphertext (`Encrypt` or `echostr`) is not standard padded base64. (−40010)
    #[error("callback ciphertext is not valid base64")]
    Base64,
    /// The message to encrypt is longer than the 4-byte length field can describe. (−40006)
    #[error("reply of {len} bytes is too long to encrypt")]
    Encrypt {
        /// The message's length.
        len: usize,
    },
    /// The operating system gave no random bytes (for a reply's random prefix or nonce).
    /// (−40006)
    #[error("no random bytes available to encrypt the reply")]
    RandomSource,
    /// The reply or its envelope cannot be written: the nonce is not 1 to 64 letters, digits,
    /// `-` or `_`, or a typed reply does not serialize. (−40011)
    #[error("reply cannot be written: {reason}")]
    ReplyEnvelope {
        /// What is wrong.
        reason: String,
    },
}

impl CallbackError {
    /// The error code of the official WXBizMsgCrypt libraries this failure belongs to.
    ///
    /// ```
    /// use wechat_core::callback::CallbackError;
    /// assert_eq!(CallbackError::SignatureMismatch.code(), -40001);
    /// assert_eq!(CallbackError::Base64.code(), -40010);
    /// ```
    pub fn code(&self) -> i32 {
        match self {
            CallbackError::SignatureMismatch
            | CallbackError::MalformedSignature
            | CallbackError::MissingParameter { .. }
            | CallbackError::MalformedQuery { .. }
            | CallbackError::StaleTimestamp { .. }
            | CallbackError::EncryptionRequired => -40001,
            CallbackError::Parse { .. } => -40002,
            CallbackError::InvalidAesKey { .. } => -40004,
            CallbackError::ReceiveIdMismatch { .. } => -40005,
            CallbackError::Encrypt { .. } | CallbackError::RandomSource => -40006,
            CallbackError::Decrypt { .. } => -40007,
            CallbackError::InvalidBuffer(_) => -40008,
            CallbackError::Base64 => -40010,
            CallbackError::ReplyEnvelope { .. } => -40011,
        }
    }
}

/// How a decrypted buffer breaks the WXBizMsgCrypt plaintext layout
/// (`random(16) ‖ length(4, big-endian) ‖ message ‖ receive id`, padded to 32 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BufferError {
    /// The last byte is not a padding length of 1 to 32, or the padding bytes differ from it.
    Padding,
    /// Fewer than the 20 bytes of random prefix and length field remain.
    TooShort {
        /// The unpadded length.
        len: usize,
    },
    /// The length field announces more message bytes than there are.
    LengthOverflow {
        /// The announced message length.
        declared: u32,
        /// The bytes available after the 20-byte prefix.
        available: usize,
    },
    /// The message or the receive id is not UTF-8.
    NotUtf8,
}

impl fmt::Display for BufferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BufferError::Padding => f.write_str("padding is not 1 to 32 equal bytes"),
            BufferError::TooShort { len } => {
                write!(f, "{len} bytes, fewer than the 20-byte prefix")
            }
            BufferError::LengthOverflow {
                declared,
                available,
            } => write!(
                f,
                "length field says {declared} bytes, only {available} follow"
            ),
            BufferError::NotUtf8 => f.write_str("message or receive id is not UTF-8"),
        }
    }
}

/// The format of a callback body or message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PayloadFormat {
    /// WeChat's `<xml>` records.
    Xml,
    /// The Mini Program's JSON pushes.
    Json,
}

impl fmt::Display for PayloadFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PayloadFormat::Xml => "XML",
            PayloadFormat::Json => "JSON",
        })
    }
}
