//! The fast reader: the documents WeChat sends, straight into the record tree.
//!
//! WeChat's documents use a small part of XML: elements without attributes, text, CDATA, one
//! root. This reader handles exactly that part, borrowing every name and text from the document,
//! and gives up (`None`) on anything else: declarations, comments, attributes, entity
//! references, carriage returns, a `]` or `>` in plain text, control characters, errors of any
//! kind. The caller then reads the document again with [`super::read`], which decides what it
//! means or why it is wrong, so both readers always agree (tests compare them on every fixture
//! and on many broken variants of them).
//!
//! It works on bytes: every delimiter it looks for is ASCII, so every slice it takes of the
//! document starts and ends on a character boundary (and is taken with `get`, never panicking).

use std::borrow::Cow;

use super::MAX_DEPTH;
use super::tree::{Element, Node};

/// The members of the root record, or `None` when the reference reader has to decide.
pub(crate) fn document(xml: &str) -> Option<Vec<(Cow<'_, str>, Node<'_>)>> {
    let mut scanner = Scanner {
        xml,
        bytes: xml.as_bytes(),
        pos: 0,
    };
    scanner.skip_blank();
    if scanner.byte(0)? != b'<' {
        return None;
    }
    scanner.pos += 1;
    let Open::Start(name) = scanner.open()? else {
        return None;
    };
    let (_, root) = scanner.element(name, 1)?;
    scanner.skip_blank();
    match root {
        Node::Record(members) if scanner.pos == xml.len() => Some(members),
        _ => None,
    }
}

struct Scanner<'a> {
    xml: &'a str,
    bytes: &'a [u8],
    /// Offset of the next byte to read.
    pos: usize,
}

/// A tag that opens an element.
enum Open<'a> {
    /// `<name>`.
    Start(&'a str),
    /// `<name/>`.
    Empty(&'a str),
}

const CDATA_OPEN: [u8; 9] = *b"<![CDATA[";

impl<'a> Scanner<'a> {
    /// The byte `ahead` bytes after the position.
    fn byte(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn str(&self, start: usize, end: usize) -> Option<&'a str> {
        self.xml.get(start..end)
    }

    /// Skips the whitespace allowed around the root element.
    fn skip_blank(&mut self) {
        while let Some(b' ' | b'\t' | b'\n') = self.byte(0) {
            self.pos += 1;
        }
    }

    /// The rest of an opening tag, after its `<`: a plain name, then `>` or `/>`.
    fn open(&mut self) -> Option<Open<'a>> {
        let start = self.pos;
        if !matches!(self.byte(0)?, b'A'..=b'Z' | b'a'..=b'z' | b'_') {
            return None;
        }
        let mut end = start + 1;
        while let Some(b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.') =
            self.bytes.get(end)
        {
            end += 1;
        }
        let name = self.str(start, end)?;
        self.pos = end;
        match (self.byte(0)?, self.byte(1)) {
            (b'>', _) => {
                self.pos += 1;
                Some(Open::Start(name))
            }
            (b'/', Some(b'>')) => {
                self.pos += 2;
                Some(Open::Empty(name))
            }
            _ => None,
        }
    }

    /// The content and end tag of the element `name`, opened at `depth` (the root is 1).
    fn element(&mut self, name: &'a str, depth: usize) -> Option<(Cow<'a, str>, Node<'a>)> {
        let mut element = Element::new(Cow::Borrowed(name));
        loop {
            let text = self.text()?;
            if !text.is_empty() {
                element.text(Cow::Borrowed(text), false);
            }
            // At a `<`.
            match self.byte(1)? {
                b'/' => {
                    self.end_tag(name)?;
                    return element.finish().ok();
                }
                b'!' => {
                    let cdata = self.cdata()?;
                    element.text(Cow::Borrowed(cdata), true);
                }
                _ => {
                    self.pos += 1;
                    match self.open()? {
                        Open::Empty(child) => {
                            element.add_child(Cow::Borrowed(child), Node::Text(Cow::Borrowed("")));
                        }
                        Open::Start(child) => {
                            // Most children are leaves: read them here, without the rules for
                            // mixed content or a recursive call.
                            if let Some(text) = self.leaf(child) {
                                element.add_child(
                                    Cow::Borrowed(child),
                                    Node::Text(Cow::Borrowed(text)),
                                );
                                continue;
                            }
                            if depth == MAX_DEPTH {
                                return None;
                            }
                            let (child, node) = self.element(child, depth + 1)?;
                            element.add_child(child, node);
                        }
                    }
                }
            }
        }
    }

    /// The two leaf shapes WeChat writes, `<![CDATA[text]]></name>` and `text</name>` (text
    /// possibly empty), read without the general rules (which give the same: the text itself).
    /// The position only moves when the element is one of them.
    fn leaf(&mut self, name: &'a str) -> Option<&'a str> {
        let start = self.pos;
        let text = if self.byte(0)? == b'<' && self.byte(1)? == b'!' {
            self.cdata()
        } else {
            self.text()
        };
        if let Some(text) = text
            && self.byte(0) == Some(b'<')
            && self.byte(1) == Some(b'/')
            && self.end_tag(name).is_some()
        {
            return Some(text);
        }
        self.pos = start;
        None
    }

    /// Plain text up to the next `<` (where it leaves the position), if it is text the reference
    /// reader hands over unchanged, as one part: no entity reference, no carriage return, no
    /// `]` or `>` (which only appear in odd documents), no control character.
    fn text(&mut self) -> Option<&'a str> {
        let start = self.pos;
        let mut at = start;
        loop {
            match *self.bytes.get(at)? {
                b'<' => break,
                b'&' | b']' | b'>' | b'\r' => return None,
                b if b < 0x20 && b != b'\t' && b != b'\n' => return None,
                _ => at += 1,
            }
        }
        self.pos = at;
        self.str(start, at)
    }

    /// `</name>` at the position.
    fn end_tag(&mut self, name: &str) -> Option<()> {
        let start = self.pos + 2;
        let end = start + name.len();
        if !same(self.bytes.get(start..end)?, name.as_bytes()) || self.bytes.get(end) != Some(&b'>')
        {
            return None;
        }
        self.pos = end + 1;
        Some(())
    }

    /// `<![CDATA[...]]>` at the position: the content. Line ends inside CDATA are normalised by
    /// the reference reader, so a carriage return sends the document there.
    fn cdata(&mut self) -> Option<&'a str> {
        let start = self.pos + CDATA_OPEN.len();
        if self.bytes.get(self.pos..start)? != CDATA_OPEN {
            return None;
        }
        let mut at = start;
        loop {
            // The base64 of an encrypted push is several hundred bytes of CDATA: memchr's SIMD search.
            at += memchr::memchr2(b']', b'\r', self.bytes.get(at..)?)?;
            match self.bytes.get(at..at + 3)? {
                [b']', b']', b'>'] => {
                    let content = self.str(start, at)?;
                    self.pos = at + 3;
                    return Some(content);
                }
                [b'\r', ..] => return None,
                _ => at += 1,
            }
        }
    }
}

/// Byte equality without a call to `memcmp`, which costs more than the names it would compare.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}
