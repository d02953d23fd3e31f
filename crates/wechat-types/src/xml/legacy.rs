//! The reader as it was before the record tree, kept verbatim to check that the new readers
//! behave exactly as it did (see the tests in `super`).

use quick_xml::events::Event;
use quick_xml::reader::Reader;
use serde_json::{Map, Value};

use super::{MAX_DEPTH, XmlError};

/// Reads a WeChat XML document into the JSON object it stands for: element names become keys,
/// text and CDATA become strings, nested elements become objects, repeated elements or `<item>`
/// children become arrays.
pub(super) fn to_map(xml: &str) -> Result<Map<String, Value>, XmlError> {
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
