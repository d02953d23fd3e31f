//! The record tree both readers build: borrowed slices of the document wherever possible.
//!
//! [`Element`] holds the rules for what an element stands for (its text, or the record or list
//! of its children), so that the fast reader ([`super::scan`]) and the reference reader
//! ([`super::read`]) cannot disagree on them.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::XmlError;

/// What an element stands for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node<'a> {
    /// Text and CDATA: borrowed from the document unless it came in several parts (entity
    /// references, text around CDATA) or needed line-end normalisation.
    Text(Cow<'a, str>),
    /// Child elements by name, in document order; a repeated name is one member holding a
    /// [`Node::List`] of its occurrences, at the place of its first occurrence.
    Record(Vec<(Cow<'a, str>, Node<'a>)>),
    /// `<item>` children, or the occurrences of a repeated name.
    List(Vec<Node<'a>>),
}

impl Node<'_> {
    /// The JSON value the node stands for (what [`super::to_map`] returns).
    pub(crate) fn into_value(self) -> Value {
        match self {
            Node::Text(text) => Value::String(text.into_owned()),
            Node::Record(members) => Value::Object(into_map(members)),
            Node::List(items) => Value::Array(items.into_iter().map(Node::into_value).collect()),
        }
    }
}

/// The members of a record as a JSON object.
pub(crate) fn into_map(members: Vec<(Cow<'_, str>, Node<'_>)>) -> Map<String, Value> {
    members
        .into_iter()
        .map(|(name, node)| (name.into_owned(), node.into_value()))
        .collect()
}

/// An element being read.
pub(crate) struct Element<'a> {
    name: Cow<'a, str>,
    /// Child elements in document order (repeated names are grouped in [`Element::finish`]).
    children: Vec<(Cow<'a, str>, Node<'a>)>,
    /// The text so far, while the element has no child.
    text: Cow<'a, str>,
    /// Whether `text` holds CDATA, which counts even when blank.
    literal: bool,
    /// Once the element has children: whether any of its text is CDATA or not blank.
    mixed: bool,
}

impl<'a> Element<'a> {
    pub(crate) fn new(name: Cow<'a, str>) -> Self {
        Element {
            name,
            children: Vec::new(),
            text: Cow::Borrowed(""),
            literal: false,
            mixed: false,
        }
    }

    /// Adds text. Indentation around CDATA is dropped: once a literal part arrives, blank plain
    /// text before it is discarded, and blank plain text after it is ignored. An element with
    /// children only remembers whether its text makes it mixed content.
    #[inline]
    pub(crate) fn text(&mut self, part: Cow<'a, str>, literal: bool) {
        if !self.children.is_empty() {
            self.mixed |= literal || !is_blank(&part);
        } else if literal {
            if !self.literal && is_blank(&self.text) {
                self.text = Cow::Borrowed("");
            }
            self.literal = true;
            append(&mut self.text, part);
        } else if !(self.literal && is_blank(&part)) {
            append(&mut self.text, part);
        }
    }

    #[inline]
    pub(crate) fn add_child(&mut self, name: Cow<'a, str>, node: Node<'a>) {
        if self.children.is_empty() {
            self.first_child();
        }
        self.children.push((name, node));
    }

    fn first_child(&mut self) {
        // From now on only "is any text literal or not blank" matters.
        self.mixed = self.literal || !is_blank(&self.text);
        self.text = Cow::Borrowed("");
        // WeChat's records have a handful of members: one allocation for most of them.
        self.children.reserve(8);
    }

    /// The element's name and what it stands for.
    pub(crate) fn finish(self) -> Result<(Cow<'a, str>, Node<'a>), XmlError> {
        if self.children.is_empty() {
            return Ok((self.name, Node::Text(self.text)));
        }
        if self.mixed {
            return Err(XmlError::MixedContent {
                element: self.name.into_owned(),
            });
        }
        Ok((self.name, group(self.children)))
    }
}

/// `text.trim().is_empty()`, without `trim`'s Unicode tables for the usual ASCII indentation.
fn is_blank(text: &str) -> bool {
    text.bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        || text.trim().is_empty()
}

fn append<'a>(text: &mut Cow<'a, str>, part: Cow<'a, str>) {
    if text.is_empty() {
        *text = part;
    } else if !part.is_empty() {
        text.to_mut().push_str(&part);
    }
}

/// Child elements as a record, or as a list when they are all `<item>`s.
fn group<'a>(children: Vec<(Cow<'a, str>, Node<'a>)>) -> Node<'a> {
    // `<Articles><item>..</item><item>..</item></Articles>` is an array.
    if children.iter().all(|(name, _)| name == "item") {
        return Node::List(children.into_iter().map(|(_, node)| node).collect());
    }
    if !has_repeated_names(&children) {
        return Node::Record(children);
    }
    // A name that occurs more than once is an array of its occurrences, where it first occurs.
    let mut members: Vec<(Cow<'a, str>, Node<'a>)> = Vec::with_capacity(children.len());
    let mut first: std::collections::HashMap<Cow<'a, str>, usize> =
        std::collections::HashMap::new();
    let repeated: std::collections::HashSet<Cow<'a, str>> = {
        let mut seen = std::collections::HashSet::new();
        children
            .iter()
            .filter(|(name, _)| !seen.insert(name.clone()))
            .map(|(name, _)| name.clone())
            .collect()
    };
    for (name, node) in children {
        if !repeated.contains(&name) {
            members.push((name, node));
        } else if let Some(&at) = first.get(&name) {
            if let Node::List(items) = &mut members[at].1 {
                items.push(node);
            }
        } else {
            first.insert(name.clone(), members.len());
            members.push((name, Node::List(vec![node])));
        }
    }
    Node::Record(members)
}

/// Whether two children share a name: pairwise for the few members WeChat sends, by sorting
/// beyond that, so that a hostile document costs O(n log n).
fn has_repeated_names(children: &[(Cow<'_, str>, Node<'_>)]) -> bool {
    const PAIRWISE: usize = 16;
    if children.len() <= PAIRWISE {
        return children
            .iter()
            .enumerate()
            .any(|(i, (name, _))| children[..i].iter().any(|(other, _)| other == name));
    }
    let mut names: Vec<&str> = children.iter().map(|(name, _)| name.as_ref()).collect();
    names.sort_unstable();
    names.windows(2).any(|pair| pair[0] == pair[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Node<'_> {
        Node::Text(Cow::Borrowed(s))
    }

    #[test]
    fn text_parts_follow_the_cdata_rules() {
        let mut e = Element::new("a".into());
        e.text("\n  ".into(), false);
        e.text("x".into(), true);
        e.text("\n".into(), false);
        let (_, node) = e.finish().unwrap();
        assert!(matches!(node, Node::Text(Cow::Borrowed("x"))), "{node:?}");

        let mut e = Element::new("a".into());
        e.text("x".into(), false);
        e.text("&".into(), false);
        e.text(" y ".into(), false);
        assert_eq!(e.finish().unwrap().1, text("x& y "));
    }

    #[test]
    fn records_with_text_are_mixed_content() {
        for (before, after) in [("x", ""), ("", "x"), ("", " "), (" ", "")] {
            let mut e = Element::new("a".into());
            e.text(before.into(), false);
            e.add_child("b".into(), text("1"));
            e.text(after.into(), after == " ");
            let mixed = !before.trim().is_empty() || !after.is_empty();
            assert_eq!(
                e.finish().is_err(),
                mixed,
                "{before:?} {after:?} (a blank CDATA part counts)"
            );
        }
    }

    #[test]
    fn repeated_names_group_where_they_first_occur_also_beyond_the_pairwise_limit() {
        for filler in [0, 40] {
            let mut e = Element::new("xml".into());
            let names: Vec<String> = (0..filler).map(|i| format!("F{i}")).collect();
            e.add_child("A".into(), text("1"));
            for name in &names {
                e.add_child(Cow::Borrowed(name), text("f"));
            }
            e.add_child("B".into(), text("b"));
            e.add_child("A".into(), text("2"));
            let (_, Node::Record(members)) = e.finish().unwrap() else {
                panic!("a record")
            };
            assert_eq!(members.len(), filler + 2);
            assert_eq!(
                members[0],
                ("A".into(), Node::List(vec![text("1"), text("2")]))
            );
            assert_eq!(members[filler + 1], ("B".into(), text("b")));
        }
    }
}
