//! WeChat's XML: pushed messages in, passive replies out (feature `xml`).
//!
//! WeChat's XML is a flat record under a root element (`<xml>`): each child element is one member,
//! text or CDATA, with nested elements for nested records (`<TransInfo><KfAccount>`) and repeated
//! `<item>` children for arrays. That is exactly the JSON object the Mini Program pushes with the
//! same keys, so one generated type serves both: [`from_str`] decodes the XML as that object
//! (every value a string; the generated types accept numbers as strings), and [`to_map`] returns
//! the object itself.
//!
//! How it reads (in submodules): a fast reader for the subset of XML WeChat writes (`scan`),
//! quick-xml for everything else and for every error (`read`); both build the same tree of
//! slices borrowed from the document (`tree`), which a serde deserializer walks in place (`de`).
//! A text push decodes in about a third of a microsecond (`benches/xml.rs`).
//!
//! ```
//! use wechat_types::mp::InboundMessage;
//!
//! let push = "<xml><ToUserName><![CDATA[gh_123]]></ToUserName><FromUserName><![CDATA[OPENID]]></FromUserName>\
//!             <CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType>\
//!             <Content><![CDATA[hello]]></Content><MsgId>1234567890123456</MsgId></xml>";
//! let InboundMessage::Text(text) = wechat_types::xml::from_str(push)? else { panic!("a text message") };
//! assert_eq!(text.content, "hello");
//! assert_eq!(text.header.create_time, 1348831860);
//! # Ok::<(), wechat_types::xml::XmlError>(())
//! ```

mod de;
mod header_order;
mod read;
mod scan;
mod tree;

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use self::tree::Node;

/// Deepest element nesting accepted; WeChat's documents are two or three levels deep, and a bound
/// keeps hostile input from costing more than its size.
pub const MAX_DEPTH: usize = 16;

/// Reads a WeChat XML document and decodes it into `T`.
///
/// The document is decoded as the JSON object [`to_map`] returns would be, errors included, but
/// without building that object: names and texts are borrowed from `xml` (so `T` may borrow
/// them too), and the generated unions dispatch on their tag without buffering.
pub fn from_str<'a, T: Deserialize<'a>>(xml: &'a str) -> Result<T, XmlError> {
    T::deserialize(de::NodeDeserializer(Node::Record(read(xml)?))).map_err(XmlError::Decode)
}

/// Reads a WeChat XML document into the JSON object it stands for: element names become keys,
/// text and CDATA become strings, nested elements become objects, repeated elements or `<item>`
/// children become arrays.
pub fn to_map(xml: &str) -> Result<Map<String, Value>, XmlError> {
    read(xml).map(tree::into_map)
}

/// [`to_map`] through quick-xml alone, without the fast reader that serves the documents WeChat
/// actually sends. Both must always agree; this is the reference the `inbound_xml` fuzz target
/// and the tests hold the fast reader to. Slower; use [`to_map`].
pub fn to_map_reference(xml: &str) -> Result<Map<String, Value>, XmlError> {
    read::document(xml).map(tree::into_map)
}

/// The members of the root record: the fast reader for WeChat's kind of document, the reference
/// reader for everything else (and for every error).
fn read(xml: &str) -> Result<Vec<(Cow<'_, str>, Node<'_>)>, XmlError> {
    match scan::document(xml) {
        Some(members) => Ok(members),
        None => read::document(xml),
    }
}

/// Writes `value` as a WeChat XML document under `<xml>` on one line ([`Layout::Compact`]):
/// members become elements in field order, strings are CDATA (as in every official example),
/// numbers plain text. A message's header (`ToUserName`, `FromUserName`, `CreateTime`) comes
/// first and its `MsgType` (and `Event`) right after it, as in WeChat's documents.
///
/// ```
/// use wechat_types::mp::{MessageHeader, PassiveReply, TextReply};
///
/// let reply = PassiveReply::from(TextReply::new(MessageHeader::new("OPENID", "gh_account", 1348831860), "你好"));
/// assert_eq!(
///     wechat_types::xml::to_string(&reply)?,
///     "<xml><ToUserName><![CDATA[OPENID]]></ToUserName><FromUserName><![CDATA[gh_account]]></FromUserName>\
///      <CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>"
/// );
/// # Ok::<(), wechat_types::xml::XmlError>(())
/// ```
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, XmlError> {
    to_string_with(value, Layout::Compact)
}

/// How [`to_string_with`] lays out the elements of a document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Layout {
    /// Everything on one line: `<xml><A>1</A><B>2</B></xml>`.
    #[default]
    Compact,
    /// Every element on a line of its own, without indentation, the way the official
    /// WXBizMsgCrypt samples write an encrypted reply:
    /// `<xml>\n<Encrypt><![CDATA[...]]></Encrypt>\n...\n</xml>` (no newline after `</xml>`).
    Lines,
}

/// Writes `value` as a WeChat XML document under `<xml>` in the given [`Layout`]; otherwise
/// exactly as [`to_string`].
///
/// Text containing `]]>` is split over two CDATA sections (`]]]]><![CDATA[>`), so the document
/// stays well-formed and [`from_str`] reads the text back unchanged.
///
/// ```
/// use wechat_types::common::EncryptedReply;
/// use wechat_types::xml::{self, Layout};
///
/// let reply = EncryptedReply::new("ENCRYPT", "407518b7649e86ef23978113f92d27afa9296533", 1411525903, "461056294");
/// assert_eq!(
///     xml::to_string_with(&reply, Layout::Lines)?,
///     "<xml>\n<Encrypt><![CDATA[ENCRYPT]]></Encrypt>\n\
///      <MsgSignature><![CDATA[407518b7649e86ef23978113f92d27afa9296533]]></MsgSignature>\n\
///      <TimeStamp>1411525903</TimeStamp>\n<Nonce><![CDATA[461056294]]></Nonce>\n</xml>"
/// );
/// # Ok::<(), wechat_types::xml::XmlError>(())
/// ```
pub fn to_string_with<T: Serialize + ?Sized>(
    value: &T,
    layout: Layout,
) -> Result<String, XmlError> {
    let mut out = String::new();
    let mut serializer = quick_xml::se::Serializer::with_root(&mut out, Some("xml"))
        .map_err(|e| XmlError::Encode(e.to_string()))?;
    serializer.text_format(quick_xml::se::TextFormat::CData);
    match layout {
        Layout::Compact => {}
        // A zero-width indent: a line break before every element and before each end tag of a
        // record, nothing else.
        Layout::Lines => {
            serializer.indent(' ', 0);
        }
    }
    value
        .serialize(serializer)
        .map_err(|e| XmlError::Encode(e.to_string()))?;
    Ok(header_order::header_first(out))
}

/// Why an XML document could not be read or written.
#[derive(Debug)]
#[non_exhaustive]
pub enum XmlError {
    /// Not well-formed XML.
    Syntax {
        /// Byte offset where reading stopped.
        position: u64,
        /// What the XML reader reported.
        message: String,
    },
    /// The document ended inside an element.
    Truncated,
    /// No root element with child elements (WeChat's documents are records).
    NoRecord,
    /// Content after the root element.
    TrailingContent,
    /// A `<!DOCTYPE>`: WeChat never sends one, and refusing it rules out entity tricks.
    Doctype,
    /// An entity other than the five XML predefines.
    UnknownEntity(String),
    /// An element holds both text and child elements.
    MixedContent {
        /// The element's name.
        element: String,
    },
    /// Elements nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// Well-formed, but not the expected type (a member missing or of the wrong kind).
    Decode(serde_json::Error),
    /// The value cannot be written as XML.
    Encode(String),
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XmlError::Syntax { position, message } => {
                write!(f, "malformed XML at byte {position}: {message}")
            }
            XmlError::Truncated => f.write_str("XML document ends inside an element"),
            XmlError::NoRecord => {
                f.write_str("XML document has no root element with child elements")
            }
            XmlError::TrailingContent => f.write_str("content after the XML root element"),
            XmlError::Doctype => f.write_str("XML document type declarations are not accepted"),
            XmlError::UnknownEntity(name) => write!(f, "unknown XML entity `&{name};`"),
            XmlError::MixedContent { element } => {
                write!(f, "XML element <{element}> mixes text and child elements")
            }
            XmlError::TooDeep => write!(f, "XML elements nested deeper than {MAX_DEPTH} levels"),
            XmlError::Decode(e) => write!(f, "XML document does not match the expected type: {e}"),
            XmlError::Encode(e) => write!(f, "cannot write XML: {e}"),
        }
    }
}

impl std::error::Error for XmlError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            XmlError::Decode(e) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    //! The fast reader against the reference reader: same tree whenever the fast one answers.

    use std::path::Path;

    use super::{read, scan};

    /// Every XML fixture under `schemas/`.
    fn fixtures() -> Vec<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
        let mut out = Vec::new();
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "xml") {
                    out.push(std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        assert!(out.len() >= 20, "only {} XML fixtures", out.len());
        out
    }

    /// Checks one document; returns whether the fast reader answered.
    fn agree(xml: &str) -> bool {
        let fast = scan::document(xml);
        let reference = read::document(xml);
        match (&fast, &reference) {
            (None, _) => false,
            (Some(fast), Ok(reference)) => {
                assert_eq!(fast, reference, "{xml:?}");
                true
            }
            (Some(fast), Err(e)) => panic!("{xml:?}: fast reader gave {fast:?}, reference {e}"),
        }
    }

    #[test]
    fn the_fast_reader_reads_every_fixture_as_the_reference_does() {
        for xml in fixtures() {
            assert!(agree(&xml), "the fast reader gave up on {xml:?}");
        }
    }

    #[test]
    fn the_fast_reader_gives_up_rather_than_disagree() {
        let odd = [
            "<?xml version=\"1.0\"?><xml><a>1</a></xml>",
            "\u{feff}<xml><a>1</a></xml>",
            "<xml><a>1 &amp; 2</a></xml>",
            "<xml><a>1</a ></xml>",
            "<xml><a b=\"c\">1</a></xml>",
            "<xml><a>\r\n1</a></xml>",
            "<xml><a><![CDATA[\r\n]]></a></xml>",
            "<xml><a>x]]>y</a></xml>",
            "<xml><!-- c --><a>1</a></xml>",
            "<xml><a>1</a></xml><!-- c -->",
            "<xml><a:b>1</a:b></xml>",
            "<xml><a>1</b></xml>",
            "<xml><a>1</a>",
            "<xml><a>text<b>1</b></a></xml>",
            "<xml/>",
            "<xml>text</xml>",
            "<xml><item>1</item></xml>",
            "x<xml><a>1</a></xml>",
        ];
        for xml in odd {
            assert!(!agree(xml), "{xml:?} should go to the reference reader");
        }
        let fine = [
            "<xml><a>1</a><a>2</a><b/><c><d>x</d></c><e><item>1</item></e></xml>",
            " \n<xml>\n  <a>\n <![CDATA[x]]> \n</a>\n</xml>\n",
            "<xml><a><![CDATA[x]]><![CDATA[y]]></a><b></b><c><![CDATA[]]></c></xml>",
        ];
        for xml in fine {
            assert!(agree(xml), "{xml:?} should be read fast");
        }
    }

    #[test]
    fn broken_variants_of_the_fixtures_never_make_the_readers_disagree() {
        const NOISE: &[&str] = &[
            "<",
            ">",
            "/",
            "!",
            "?",
            "&",
            "]",
            "]]>",
            "<![CDATA[",
            "</",
            "/>",
            " ",
            "\r",
            "\n",
            "\0",
            "a",
            "é",
            "<a>",
            "</a>",
            "<xml>",
            "&amp;",
            "<!--",
            "-->",
        ];
        let mut rng = fastrand::Rng::with_seed(0x9e37_79b9_7f4a_7c15);
        let mut fast = 0;
        let mut total = 0;
        for xml in fixtures() {
            let cuts: Vec<usize> = (0..=xml.len())
                .filter(|&i| xml.is_char_boundary(i))
                .collect();
            for &cut in &cuts {
                total += 1;
                fast += usize::from(agree(&xml[..cut]));
            }
            for _ in 0..300 {
                let at = cuts[rng.usize(..cuts.len())];
                let noise = NOISE[rng.usize(..NOISE.len())];
                let mut broken = String::with_capacity(xml.len() + noise.len());
                broken.push_str(&xml[..at]);
                broken.push_str(noise);
                // Sometimes replace what follows instead of inserting.
                let skip = if rng.bool() { 0 } else { rng.usize(..4) };
                let rest = cuts
                    .iter()
                    .copied()
                    .find(|&c| c >= at + skip)
                    .unwrap_or(xml.len());
                broken.push_str(&xml[rest..]);
                total += 1;
                fast += usize::from(agree(&broken));
            }
        }
        // The reference reader must have been exercised by most of them, the fast one by some.
        assert!(fast > 0 && fast < total / 2, "{fast} of {total} read fast");
    }
}
