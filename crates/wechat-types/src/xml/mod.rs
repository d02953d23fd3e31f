//! WeChat's XML: pushed messages in, passive replies out (feature `xml`).
//!
//! WeChat's XML is a flat record under a root element (`<xml>`): each child element is one member,
//! text or CDATA, with nested elements for nested records (`<TransInfo><KfAccount>`) and repeated
//! `<item>` children for arrays. That is exactly the JSON object the Mini Program pushes with the
//! same keys, so one generated type serves both: [`from_str`] reads the XML into that object (every
//! value a string; the generated types accept numbers as strings) and decodes it.
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

use std::fmt;

use quick_xml::events::Event;
use quick_xml::reader::Reader;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Deepest element nesting accepted; WeChat's documents are two or three levels deep, and a bound
/// keeps hostile input from costing more than its size.
pub const MAX_DEPTH: usize = 16;

/// Reads a WeChat XML document and decodes it into `T`.
pub fn from_str<T: DeserializeOwned>(xml: &str) -> Result<T, XmlError> {
    T::deserialize(Value::Object(to_map(xml)?)).map_err(XmlError::Decode)
}

/// Reads a WeChat XML document into the JSON object it stands for: element names become keys,
/// text and CDATA become strings, nested elements become objects, repeated elements or `<item>`
/// children become arrays.
pub fn to_map(xml: &str) -> Result<Map<String, Value>, XmlError> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Map<String, Value>> = None;
    loop {
        let event = reader.read_event().map_err(|e| XmlError::Syntax {
            position: reader.error_position(),
            message: e.to_string(),
        })?;
        match event {
            Event::Start(start) => {
                if root.is_some() {
                    return Err(XmlError::TrailingContent);
                }
                if stack.len() == MAX_DEPTH {
                    return Err(XmlError::TooDeep);
                }
                stack.push(Frame::new(start.name().as_ref().to_owned()));
            }
            Event::Empty(empty) => {
                let element = empty.name().as_ref().to_owned();
                match stack.last_mut() {
                    Some(parent) => parent.add_child(element, Value::String(String::new())),
                    None if root.is_some() => return Err(XmlError::TrailingContent),
                    None => return Err(XmlError::NoRecord),
                }
            }
            Event::Text(text) => {
                let content = text.xml10_content();
                match stack.last_mut() {
                    Some(frame) => frame.text(&content, false),
                    None if content.trim().is_empty() => {}
                    None => return Err(XmlError::TrailingContent),
                }
            }
            Event::CData(cdata) => match stack.last_mut() {
                Some(frame) => frame.text(&cdata.xml10_content(), true),
                None => return Err(XmlError::TrailingContent),
            },
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => predefined_entity(&reference.xml10_content()).ok_or_else(|| {
                        XmlError::UnknownEntity(reference.xml10_content().into_owned())
                    })?,
                    Err(e) => {
                        return Err(XmlError::Syntax {
                            position: reader.buffer_position(),
                            message: e.to_string(),
                        });
                    }
                };
                // A reference is part of the surrounding text, not a CDATA-like literal.
                match stack.last_mut() {
                    Some(frame) => frame.text(resolved.encode_utf8(&mut [0; 4]), false),
                    None => return Err(XmlError::TrailingContent),
                }
            }
            Event::End(_) => {
                let Some(frame) = stack.pop() else {
                    return Err(XmlError::TrailingContent);
                };
                let (element, value) = frame.finish()?;
                match stack.last_mut() {
                    Some(parent) => parent.add_child(element, value),
                    None => match value {
                        Value::Object(map) => root = Some(map),
                        _ => return Err(XmlError::NoRecord),
                    },
                }
            }
            Event::DocType(_) => return Err(XmlError::Doctype),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => {
                return match (root, stack.is_empty()) {
                    (Some(map), true) => Ok(map),
                    (None, true) => Err(XmlError::NoRecord),
                    (_, false) => Err(XmlError::Truncated),
                };
            }
        }
    }
}

/// Writes `value` as a WeChat XML document under `<xml>` on one line ([`Layout::Compact`]):
/// members become elements in field order, strings are CDATA (as in every official example),
/// numbers plain text.
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
    Ok(out)
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

/// An element being read.
struct Frame {
    name: String,
    /// Child elements in document order (repeated names are grouped into arrays at the end).
    children: Vec<(String, Value)>,
    text: String,
    /// Whether `text` holds CDATA, which counts even when blank.
    literal: bool,
}

impl Frame {
    fn new(name: String) -> Self {
        Frame {
            name,
            children: Vec::new(),
            text: String::new(),
            literal: false,
        }
    }

    /// Adds text. Indentation around CDATA is dropped: once a literal part arrives, blank plain
    /// text before it is discarded, and blank plain text after it is ignored.
    fn text(&mut self, content: &str, literal: bool) {
        if literal {
            if !self.literal && self.text.trim().is_empty() {
                self.text.clear();
            }
            self.literal = true;
            self.text.push_str(content);
        } else if !(self.literal && content.trim().is_empty()) {
            self.text.push_str(content);
        }
    }

    fn add_child(&mut self, name: String, value: Value) {
        self.children.push((name, value));
    }

    fn finish(self) -> Result<(String, Value), XmlError> {
        if self.children.is_empty() {
            return Ok((self.name, Value::String(self.text)));
        }
        if self.literal || !self.text.trim().is_empty() {
            return Err(XmlError::MixedContent { element: self.name });
        }
        // `<Articles><item>..</item><item>..</item></Articles>` is an array.
        if self.children.iter().all(|(name, _)| name == "item") {
            let items = self.children.into_iter().map(|(_, value)| value).collect();
            return Ok((self.name, Value::Array(items)));
        }
        // A name that occurs more than once is an array of its occurrences.
        let mut occurrences: Map<String, Value> = Map::new();
        let mut repeated = std::collections::BTreeSet::new();
        for (name, _) in &self.children {
            if occurrences.insert(name.clone(), Value::Null).is_some() {
                repeated.insert(name.clone());
            }
        }
        let mut members = Map::new();
        for (name, value) in self.children {
            if !repeated.contains(&name) {
                members.insert(name, value);
            } else if let Value::Array(items) = members
                .entry(name)
                .or_insert_with(|| Value::Array(Vec::new()))
            {
                items.push(value);
            }
        }
        Ok((self.name, Value::Object(members)))
    }
}

fn predefined_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}
