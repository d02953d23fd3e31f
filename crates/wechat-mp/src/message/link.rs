//! Mini-program links inside text messages (reference §2.3, `text`).

use std::fmt;

/// A mini-program link inside a text message: `<a href data-miniprogram-appid
/// data-miniprogram-path>label</a>`. Its `Display` writes the element with its attributes
/// escaped, for use in [`text`](super::text).
///
/// The mini program must be associated with the account; clients that cannot open it follow
/// `href` instead, when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MiniProgramLink {
    appid: String,
    path: String,
    label: String,
    href: Option<String>,
}

impl MiniProgramLink {
    /// A link showing `label` that opens page `path` (as in `app.json`, query allowed) of the
    /// mini program `appid`.
    pub fn new(
        appid: impl Into<String>,
        path: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        MiniProgramLink {
            appid: appid.into(),
            path: path.into(),
            label: label.into(),
            href: None,
        }
    }

    /// The web page clients without mini-program support open instead.
    #[must_use]
    pub fn with_href(mut self, href: impl Into<String>) -> Self {
        self.href = Some(href.into());
        self
    }
}

impl fmt::Display for MiniProgramLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<a")?;
        if let Some(href) = &self.href {
            write!(f, " href=\"{}\"", Escaped(href))?;
        }
        write!(
            f,
            " data-miniprogram-appid=\"{}\" data-miniprogram-path=\"{}\">{}</a>",
            Escaped(&self.appid),
            Escaped(&self.path),
            Escaped(&self.label)
        )
    }
}

/// Text written as HTML attribute or element content: `&`, `<`, `>` and `"` as entities, so that
/// a label or path can never end the element early.
struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(['&', '<', '>', '"']) {
            f.write_str(&rest[..at])?;
            f.write_str(match rest.as_bytes()[at] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                _ => "&quot;",
            })?;
            rest = &rest[at + 1..];
        }
        f.write_str(rest)
    }
}
