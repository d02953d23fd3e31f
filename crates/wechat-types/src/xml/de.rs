//! A serde `Deserializer` straight over the record tree.
//!
//! It decodes exactly as `serde_json::Value` did when [`super::from_str`] went through
//! [`super::to_map`] (same visitor calls, same errors, `serde_json::Error` as the error type), but
//! without building the JSON object: texts are handed to the visitor borrowed from the document
//! (`visit_borrowed_str`) or moved (`visit_string`), records are walked in place.
//!
//! One addition: `deserialize_struct` hands out the members named in `fields` first, in that
//! order, then the others in document order. Generated unions ask for their tag (and the tags
//! of the unions nested in them) that way, so they can dispatch on the first member without
//! buffering the record (`crate::tagged`).

use std::borrow::Cow;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use serde_json::Error;

use super::tree::Node;

/// Decodes one node.
pub(crate) struct NodeDeserializer<'a>(pub(crate) Node<'a>);

impl<'de> Deserializer<'de> for NodeDeserializer<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Node::Text(Cow::Borrowed(text)) => visitor.visit_borrowed_str(text),
            Node::Text(Cow::Owned(text)) => visitor.visit_string(text),
            Node::Record(members) => visit_record(members, &[], visitor),
            Node::List(items) => visit_list(items, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        // Only JSON's `null` is `None`, and XML has none.
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            // A unit variant, as in `<command>Typing</command>`.
            Node::Text(Cow::Borrowed(text)) => {
                visitor.visit_enum(BorrowedStrDeserializer::<Error>::new(text))
            }
            Node::Text(Cow::Owned(text)) => visitor.visit_enum(text.into_deserializer()),
            // Never in WeChat's documents: decode as the JSON value would, errors included.
            node => node.into_value().deserialize_enum(name, variants, visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Node::Record(members) => visit_record(members, fields, visitor),
            node => NodeDeserializer(node).deserialize_any(visitor),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    // `serde_json::Value` answers each of these for a string, an object or an array exactly as
    // its `deserialize_any` does (the visitor's own "invalid type" error for what it does not
    // take), so they are the same here.
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map identifier
    }
}

/// Visits a record's members: those named in `first` first, in that order, then the others.
fn visit_record<'de, V: Visitor<'de>>(
    mut members: Vec<(Cow<'de, str>, Node<'de>)>,
    first: &[&str],
    visitor: V,
) -> Result<V::Value, Error> {
    let mut front = 0;
    for name in first {
        let Some(rest) = members.get_mut(front..) else {
            break;
        };
        if let Some(at) = rest.iter().position(|(member, _)| member == name) {
            rest[..=at].rotate_right(1);
            front += 1;
        }
    }
    let len = members.len();
    let mut access = RecordAccess {
        members: members.into_iter(),
        value: None,
    };
    let value = visitor.visit_map(&mut access)?;
    if access.members.len() == 0 {
        Ok(value)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in map"))
    }
}

fn visit_list<'de, V: Visitor<'de>>(items: Vec<Node<'de>>, visitor: V) -> Result<V::Value, Error> {
    let len = items.len();
    let mut access = ListAccess {
        items: items.into_iter(),
    };
    let value = visitor.visit_seq(&mut access)?;
    if access.items.len() == 0 {
        Ok(value)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in array"))
    }
}

struct RecordAccess<'de> {
    members: std::vec::IntoIter<(Cow<'de, str>, Node<'de>)>,
    value: Option<Node<'de>>,
}

impl<'de> MapAccess<'de> for RecordAccess<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.members.next() {
            Some((name, node)) => {
                self.value = Some(node);
                seed.deserialize(NodeDeserializer(Node::Text(name)))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(node) => seed.deserialize(NodeDeserializer(node)),
            None => Err(de::Error::custom("value is missing")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}

struct ListAccess<'de> {
    items: std::vec::IntoIter<Node<'de>>,
}

impl<'de> SeqAccess<'de> for ListAccess<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.items
            .next()
            .map(|node| seed.deserialize(NodeDeserializer(node)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}
