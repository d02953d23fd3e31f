//! The reference reader: quick-xml's events into the record tree.
//!
//! It accepts every document quick-xml does and reports every error [`super::XmlError`] names,
//! so it defines what a document means. [`super::scan`] is only a faster way to the same tree for
//! the documents WeChat actually sends; whatever it is not sure about comes here.

use std::borrow::Cow;

use quick_xml::events::Event;
use quick_xml::reader::Reader;

use super::tree::{Element, Node};
use super::{MAX_DEPTH, XmlError};

/// Reads a document into the members of its root record.
pub(crate) fn document(xml: &str) -> Result<Vec<(Cow<'_, str>, Node<'_>)>, XmlError> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element<'_>> = Vec::new();
    let mut root = None;
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
                stack.push(Element::new(borrow(xml, start.name().as_ref())));
            }
            Event::Empty(empty) => {
                let name = borrow(xml, empty.name().as_ref());
                match stack.last_mut() {
                    Some(parent) => parent.add_child(name, Node::Text(Cow::Borrowed(""))),
                    None if root.is_some() => return Err(XmlError::TrailingContent),
                    None => return Err(XmlError::NoRecord),
                }
            }
            Event::Text(text) => {
                let content = text.xml10_content();
                match stack.last_mut() {
                    Some(element) => element.text(content, false),
                    None if content.trim().is_empty() => {}
                    None => return Err(XmlError::TrailingContent),
                }
            }
            Event::CData(cdata) => match stack.last_mut() {
                Some(element) => element.text(cdata.xml10_content(), true),
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
                    Some(element) => element.text(Cow::Owned(resolved.to_string()), false),
                    None => return Err(XmlError::TrailingContent),
                }
            }
            Event::End(_) => {
                let Some(element) = stack.pop() else {
                    return Err(XmlError::TrailingContent);
                };
                let (name, node) = element.finish()?;
                match stack.last_mut() {
                    Some(parent) => parent.add_child(name, node),
                    None => match node {
                        Node::Record(members) => root = Some(members),
                        Node::Text(_) | Node::List(_) => return Err(XmlError::NoRecord),
                    },
                }
            }
            Event::DocType(_) => return Err(XmlError::Doctype),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => {
                return match (root, stack.is_empty()) {
                    (Some(members), true) => Ok(members),
                    (None, true) => Err(XmlError::NoRecord),
                    (_, false) => Err(XmlError::Truncated),
                };
            }
        }
    }
}

/// An element name as a slice of the document (quick-xml hands it out with a shorter lifetime,
/// but it points into `xml`), or a copy should it ever not.
fn borrow<'a>(xml: &'a str, name: &str) -> Cow<'a, str> {
    let offset = (name.as_ptr() as usize).wrapping_sub(xml.as_ptr() as usize);
    match xml.get(offset..offset.saturating_add(name.len())) {
        Some(slice) if slice.as_ptr() == name.as_ptr() => Cow::Borrowed(slice),
        _ => Cow::Owned(name.to_owned()),
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
