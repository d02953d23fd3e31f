//! Masking credentials in text that may reach a log, an error or a snapshot.
//!
//! Which members are credentials is not decided here: the schemas mark them `x-secret`, and the
//! generator lists their wire names in [`wechat_types::SECRET_MEMBERS`] (`access_token`,
//! `secret`, `corpsecret`). Those are masked wherever they appear as a URL query parameter or a
//! JSON string member; on top of that, the credential values a client holds are scrubbed from
//! free text (transport error messages, `errmsg`).

use std::borrow::Cow;

/// What a masked value is replaced with.
pub(crate) const MASK: &str = "<redacted>";

/// The URL with the value of every credential query parameter replaced by `<redacted>`.
pub(crate) fn url(url: &str) -> Cow<'_, str> {
    let Some((base, query)) = url.split_once('?') else {
        return Cow::Borrowed(url);
    };
    let is_secret = |pair: &str| {
        let name = pair.split_once('=').map_or(pair, |(name, _)| name);
        wechat_types::SECRET_MEMBERS.contains(&name)
    };
    if !query.split('&').any(is_secret) {
        return Cow::Borrowed(url);
    }
    let mut out = String::with_capacity(url.len());
    out.push_str(base);
    out.push('?');
    for (i, pair) in query.split('&').enumerate() {
        if i > 0 {
            out.push('&');
        }
        match pair.split_once('=') {
            Some((name, _)) if is_secret(pair) => {
                out.push_str(name);
                out.push('=');
                out.push_str(MASK);
            }
            _ => out.push_str(pair),
        }
    }
    Cow::Owned(out)
}

/// JSON text (possibly truncated or malformed) with the string value of every credential member
/// replaced by `<redacted>`: `{"access_token":"abc"}` becomes `{"access_token":"<redacted>"}`.
pub(crate) fn json(text: &str) -> Cow<'_, str> {
    let mut values: Vec<(usize, usize)> = Vec::new();
    for name in wechat_types::SECRET_MEMBERS {
        let quoted = format!("\"{name}\"");
        let mut from = 0;
        while let Some(found) = text[from..].find(&quoted) {
            from += found + quoted.len();
            if let Some(start) = string_value_start(text, from) {
                let end = string_value_end(text, start);
                values.push((start, end));
                from = end;
            }
        }
    }
    if values.is_empty() {
        return Cow::Borrowed(text);
    }
    values.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (start, end) in values {
        if start < copied {
            continue;
        }
        out.push_str(&text[copied..start]);
        out.push_str(MASK);
        copied = end;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// After a member name: skips `\s*:\s*"` and returns where the string value starts.
fn string_value_start(text: &str, mut at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let skip_ws = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    at = skip_ws(at);
    if bytes.get(at) != Some(&b':') {
        return None;
    }
    at = skip_ws(at + 1);
    (bytes.get(at) == Some(&b'"')).then_some(at + 1)
}

/// Where the JSON string starting at `start` ends (its closing quote, or the end of a
/// truncated text), honouring backslash escapes.
fn string_value_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Free text with every occurrence of the given credential values replaced by `<redacted>`.
/// Values shorter than 4 characters are left alone: masking them would garble the text without
/// protecting anything.
pub(crate) fn values<'t>(text: &'t str, secrets: &[&str]) -> Cow<'t, str> {
    let mut out = Cow::Borrowed(text);
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        if out.contains(secret) {
            out = Cow::Owned(out.replace(secret, MASK));
        }
    }
    out
}

/// A short excerpt of a reply body for an error message: at most `limit` bytes of text (cut at a
/// character boundary), invalid UTF-8 replaced, credential members and the given credential
/// values masked **before** cutting (a long token cut in half would no longer be recognised),
/// and the body's full size when anything was left out.
pub(crate) fn excerpt(body: &[u8], limit: usize, secrets: &[&str]) -> String {
    // Any secret that starts within the limit ends within the window.
    let longest = secrets.iter().map(|s| s.len()).max().unwrap_or(0);
    let window = body.len().min(limit.saturating_add(longest));
    let text = String::from_utf8_lossy(&body[..window]);
    let masked = json(&text);
    let masked = values(&masked, secrets);
    let mut cut = masked.len().min(limit);
    while !masked.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut out = masked[..cut].to_owned();
    if cut < masked.len() || window < body.len() {
        out.push_str(&format!("… ({} bytes in all)", body.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_credential_query_parameters_only() {
        assert_eq!(
            url("https://h/cgi-bin/x?access_token=AbC&type=image"),
            "https://h/cgi-bin/x?access_token=<redacted>&type=image"
        );
        assert_eq!(
            url("https://h/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=S3"),
            "https://h/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=<redacted>"
        );
        assert_eq!(
            url("https://h/gettoken?corpid=ww&corpsecret=S"),
            "https://h/gettoken?corpid=ww&corpsecret=<redacted>"
        );
        assert!(matches!(url("https://h/x?media_id=1"), Cow::Borrowed(_)));
        assert!(matches!(url("https://h/x"), Cow::Borrowed(_)));
    }

    #[test]
    fn masks_credential_json_members_even_when_truncated() {
        assert_eq!(
            json(r#"{"access_token":"tok\"en","expires_in":7200}"#),
            r#"{"access_token":"<redacted>","expires_in":7200}"#
        );
        assert_eq!(
            json(r#"{"appid":"wx","secret" : "s3cr3t","force_refresh":true}"#),
            r#"{"appid":"wx","secret" : "<redacted>","force_refresh":true}"#
        );
        assert_eq!(
            json(r#"{"access_token":"trunc"#),
            r#"{"access_token":"<redacted>"#
        );
        assert_eq!(json(r#"{"secret":1}"#), r#"{"secret":1}"#);
        assert_eq!(
            json(r#"{"secret":"a1","access_token":"b2","corpsecret":"c3"}"#),
            r#"{"secret":"<redacted>","access_token":"<redacted>","corpsecret":"<redacted>"}"#
        );
        assert!(matches!(json(r#"{"errcode":0}"#), Cow::Borrowed(_)));
    }

    #[test]
    fn scrubs_known_values_from_free_text() {
        assert_eq!(
            values(
                "error for url (https://h/?access_token=TOKEN123)",
                &["TOKEN123", "ab"]
            ),
            "error for url (https://h/?access_token=<redacted>)"
        );
    }

    #[test]
    fn excerpts_are_short_valid_and_masked() {
        let body = "<html>".repeat(100);
        let short = excerpt(body.as_bytes(), 12, &[]);
        assert_eq!(short, "<html><html>… (600 bytes in all)");
        assert_eq!(excerpt("你好".as_bytes(), 4, &[]), "你… (6 bytes in all)");
        assert_eq!(
            excerpt(br#"{"access_token":"x1","expires_in":"#, 200, &[]),
            r#"{"access_token":"<redacted>","expires_in":"#
        );
        assert_eq!(excerpt(&[0xff, b'a'], 10, &[]), "\u{fffd}a");
    }

    #[test]
    fn a_credential_cut_by_the_limit_is_masked_whole() {
        let token = "T".repeat(300);
        let body = format!("<p>bad request to ?access_token={token} (trace)</p>");
        let short = excerpt(body.as_bytes(), 60, &[&token]);
        assert!(!short.contains("TTTT"), "{short}");
        assert!(
            short.starts_with("<p>bad request to ?access_token=<redacted>"),
            "{short}"
        );
    }
}
