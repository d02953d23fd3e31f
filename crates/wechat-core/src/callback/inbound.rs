//! Which typed messages each surface pushes, and in which formats.

use serde::de::DeserializeOwned;
use wechat_types::{miniprogram, mp, work};

use super::{CallbackError, PayloadFormat};
use crate::{MiniProgram, OfficialAccount, Platform, Work};

/// A surface that pushes messages to a callback URL: what it pushes and how.
///
/// Implemented for [`OfficialAccount`] (XML pushes of [`mp::InboundMessage`]), [`MiniProgram`]
/// (XML or JSON pushes of [`miniprogram::InboundMessage`]) and [`Work`] (encrypted XML of
/// [`work::InboundMessage`]).
pub trait InboundPlatform: Platform {
    /// The typed pushed message.
    type Inbound: DeserializeOwned + std::fmt::Debug + Send + 'static;
    /// Whether the surface may push JSON (the Mini Program's setting); the others push XML.
    const JSON: bool;
    /// Whether every push is encrypted and URL verification decrypts `echostr` (WeChat
    /// Work); otherwise plain, compatible and safe modes exist and `echostr` is echoed as is.
    const ALWAYS_ENCRYPTED: bool;
}

impl InboundPlatform for OfficialAccount {
    type Inbound = mp::InboundMessage;
    const JSON: bool = false;
    const ALWAYS_ENCRYPTED: bool = false;
}

impl InboundPlatform for MiniProgram {
    type Inbound = miniprogram::InboundMessage;
    const JSON: bool = true;
    const ALWAYS_ENCRYPTED: bool = false;
}

impl InboundPlatform for Work {
    type Inbound = work::InboundMessage;
    const JSON: bool = false;
    const ALWAYS_ENCRYPTED: bool = true;
}

/// The format of a document, by its first significant character.
pub(crate) fn sniff<P: InboundPlatform>(
    document: &[u8],
    what: &'static str,
) -> Result<PayloadFormat, CallbackError> {
    let first = document.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        Some(b'<') => Ok(PayloadFormat::Xml),
        Some(b'{') if P::JSON => Ok(PayloadFormat::Json),
        _ => Err(CallbackError::Parse {
            what,
            format: PayloadFormat::Xml,
            reason: if P::JSON {
                "neither an XML nor a JSON document".to_owned()
            } else {
                "not an XML document".to_owned()
            },
        }),
    }
}

/// Decodes a document of the given format into `T`.
pub(crate) fn decode<T: DeserializeOwned>(
    document: &str,
    format: PayloadFormat,
    what: &'static str,
) -> Result<T, CallbackError> {
    let parse = |reason: String| CallbackError::Parse {
        what,
        format,
        reason,
    };
    match format {
        PayloadFormat::Xml => {
            wechat_types::xml::from_str(document).map_err(|e| parse(e.to_string()))
        }
        PayloadFormat::Json => serde_json::from_str(document).map_err(|e| parse(e.to_string())),
    }
}
