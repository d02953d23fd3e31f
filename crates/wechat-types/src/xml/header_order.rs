//! WeChat's element order for the documents it writes and documents: the header
//! (`ToUserName`, `FromUserName`, `CreateTime`) first, then `MsgType` (and `Event`), then the
//! rest. serde writes the tag of an internally tagged enum before the variant's members, so the
//! writer moves the tags it finds before the header to just after it.

/// The header's elements, in order.
const HEADER: [&str; 3] = ["ToUserName", "FromUserName", "CreateTime"];

/// `written` (a document the writer just produced) with the simple elements that precede the
/// header moved to just after it; unchanged unless the root starts with such elements followed
/// by the whole header.
pub(super) fn header_first(written: String) -> String {
    match split(&written) {
        Some((prefix, tags, header, rest)) => format!("{prefix}{header}{tags}{rest}"),
        None => written,
    }
}

/// The document as `(root start tag, the tags, the header, the rest)`.
fn split(written: &str) -> Option<(&str, &str, &str, &str)> {
    let body = written.strip_prefix("<xml>")?;
    let body_start = written.len() - body.len() + newline(body);
    let mut at = body_start;
    let mut header_start = None;
    let mut header_seen = 0;
    while header_seen < HEADER.len() {
        let (name, end) = simple_element(&written[at..])?;
        match header_start {
            None if name == HEADER[0] => {
                header_start = Some(at);
                header_seen = 1;
            }
            None => {}
            Some(_) if name == HEADER[header_seen] => header_seen += 1,
            Some(_) => return None,
        }
        at += end;
    }
    let header_start = header_start.filter(|&start| start > body_start)?;
    Some((
        &written[..body_start],
        &written[body_start..header_start],
        &written[header_start..at],
        &written[at..],
    ))
}

/// The name and length (with one line break after it) of the element `text` starts with, if it
/// holds text or CDATA only: `<Name>`, then plain text without `<` and CDATA sections (a text
/// holding `]]>` is written as two), then `</Name>`.
fn simple_element(text: &str) -> Option<(&str, usize)> {
    let rest = text.strip_prefix('<')?;
    let name_len = rest.find('>')?;
    let name = &rest[..name_len];
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    let mut content = &rest[name_len + 1..];
    loop {
        if let Some(cdata) = content.strip_prefix("<![CDATA[") {
            content = &cdata[cdata.find("]]>")? + 3..];
        } else if let Some(end) = content.strip_prefix("</") {
            let after = end.strip_prefix(name)?.strip_prefix('>')?;
            let len = text.len() - after.len();
            return Some((name, len + newline(after)));
        } else {
            let plain = content.find('<')?;
            if plain == 0 {
                return None;
            }
            content = &content[plain..];
        }
    }
}

/// 1 when `text` starts with the line break of [`Layout::Lines`](super::Layout::Lines).
fn newline(text: &str) -> usize {
    usize::from(text.starts_with('\n'))
}

#[cfg(test)]
mod tests {
    use super::header_first;

    #[test]
    fn the_tags_move_after_the_header() {
        let written = "<xml><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_close_session]]></Event>\
            <ToUserName><![CDATA[o]]></ToUserName><FromUserName><![CDATA[gh]]></FromUserName>\
            <CreateTime>1</CreateTime><KfAccount><![CDATA[k@t]]></KfAccount></xml>";
        assert_eq!(
            header_first(written.to_owned()),
            "<xml><ToUserName><![CDATA[o]]></ToUserName><FromUserName><![CDATA[gh]]></FromUserName>\
             <CreateTime>1</CreateTime><MsgType><![CDATA[event]]></MsgType>\
             <Event><![CDATA[kf_close_session]]></Event><KfAccount><![CDATA[k@t]]></KfAccount></xml>"
        );
    }

    #[test]
    fn one_element_per_line_keeps_its_line_breaks() {
        let written = "<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<ToUserName><![CDATA[o]]></ToUserName>\n\
            <FromUserName><![CDATA[gh]]></FromUserName>\n<CreateTime>1</CreateTime>\n\
            <Content><![CDATA[hi]]></Content>\n</xml>";
        assert_eq!(
            header_first(written.to_owned()),
            "<xml>\n<ToUserName><![CDATA[o]]></ToUserName>\n<FromUserName><![CDATA[gh]]></FromUserName>\n\
             <CreateTime>1</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n\
             <Content><![CDATA[hi]]></Content>\n</xml>"
        );
    }

    #[test]
    fn markup_inside_cdata_is_not_mistaken_for_an_element() {
        let written = "<xml><MsgType><![CDATA[text]]></MsgType>\
            <ToUserName><![CDATA[</ToUserName><CreateTime>]]]]><![CDATA[>]]></ToUserName>\
            <FromUserName><![CDATA[gh]]></FromUserName><CreateTime>1</CreateTime></xml>";
        assert_eq!(
            header_first(written.to_owned()),
            "<xml><ToUserName><![CDATA[</ToUserName><CreateTime>]]]]><![CDATA[>]]></ToUserName>\
             <FromUserName><![CDATA[gh]]></FromUserName><CreateTime>1</CreateTime>\
             <MsgType><![CDATA[text]]></MsgType></xml>"
        );
    }

    #[test]
    fn documents_without_tags_first_or_without_the_whole_header_are_unchanged() {
        for written in [
            "<xml><ToUserName><![CDATA[o]]></ToUserName><FromUserName><![CDATA[gh]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType></xml>",
            "<xml><Encrypt><![CDATA[x]]></Encrypt><MsgSignature><![CDATA[s]]></MsgSignature></xml>",
            "<xml><MsgType><![CDATA[text]]></MsgType><ToUserName><![CDATA[o]]></ToUserName><CreateTime>1</CreateTime></xml>",
            "<xml><MsgType><![CDATA[news]]></MsgType><Articles><item><Title>t</Title></item></Articles><ToUserName>o</ToUserName></xml>",
            "<xml><MsgType><![CDATA[text]]></MsgType><ToUserName><![CDATA[o]]></ToUserName>",
            "<xml/>",
            "",
        ] {
            assert_eq!(header_first(written.to_owned()), written);
        }
    }
}
