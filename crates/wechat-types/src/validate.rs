//! Client-side checks of the documented limits, run before a request leaves.

use std::fmt;

/// Checks a value against the limits its schema documents.
///
/// Implemented for every generated type. Errors name the failing member by its wire path
/// (`news.articles`, `msgmenu.list[1].content`), so they can be shown to a developer as is.
///
/// ```
/// use wechat_types::Validate;
/// use wechat_types::mp::{CustomMessage, Text};
///
/// let empty = CustomMessage::new("OPENID", Text::new(""));
/// let error = empty.validate().unwrap_err();
/// assert_eq!(error.path(), "text.content");
/// ```
pub trait Validate {
    /// Checks the whole value.
    fn validate(&self) -> Result<(), ValidationError> {
        self.validate_at(&FieldPath::Root)
    }

    /// Checks the value found at `at` inside a larger value.
    fn validate_at(&self, at: &FieldPath<'_>) -> Result<(), ValidationError>;
}

/// Where a value sits inside the value being validated; built on the stack while checking and
/// only rendered to a string when a check fails.
#[derive(Debug, Clone, Copy)]
pub enum FieldPath<'a> {
    /// The value `validate()` was called on.
    Root,
    /// A member of the value at the parent path.
    Key(&'a FieldPath<'a>, &'static str),
    /// An item of the array at the parent path.
    Index(&'a FieldPath<'a>, usize),
}

impl<'a> FieldPath<'a> {
    /// The path of member `key` of this value.
    pub fn key(&'a self, key: &'static str) -> FieldPath<'a> {
        FieldPath::Key(self, key)
    }

    /// The path of item `index` of this array.
    pub fn index(&'a self, index: usize) -> FieldPath<'a> {
        FieldPath::Index(self, index)
    }

    fn render(&self, out: &mut String) {
        match self {
            FieldPath::Root => {}
            FieldPath::Key(parent, key) => {
                parent.render(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            FieldPath::Index(parent, index) => {
                parent.render(out);
                out.push_str(&format!("[{index}]"));
            }
        }
    }
}

/// A value broke a documented limit.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    path: String,
    rule: Rule,
}

impl ValidationError {
    /// The error for `rule` broken at `at`.
    pub fn new(at: &FieldPath<'_>, rule: Rule) -> Self {
        let mut path = String::new();
        at.render(&mut path);
        ValidationError { path, rule }
    }

    /// The wire path of the failing member (`text.content`); empty for the value itself.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The broken rule.
    pub fn rule(&self) -> &Rule {
        &self.rule
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "invalid request: {}", self.rule)
        } else {
            write!(f, "invalid request: `{}` {}", self.path, self.rule)
        }
    }
}

impl std::error::Error for ValidationError {}

/// The limit a value broke.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Rule {
    /// Fewer characters (Unicode scalar values) than `min`.
    MinChars {
        /// The limit.
        min: usize,
        /// The value's length.
        actual: usize,
    },
    /// More characters than `max`.
    MaxChars {
        /// The limit.
        max: usize,
        /// The value's length.
        actual: usize,
    },
    /// Fewer UTF-8 bytes than `min`.
    MinBytes {
        /// The limit.
        min: usize,
        /// The value's length.
        actual: usize,
    },
    /// More UTF-8 bytes than `max`.
    MaxBytes {
        /// The limit.
        max: usize,
        /// The value's length.
        actual: usize,
    },
    /// Fewer items than `min`.
    MinItems {
        /// The limit.
        min: usize,
        /// The item count.
        actual: usize,
    },
    /// More items than `max`.
    MaxItems {
        /// The limit.
        max: usize,
        /// The item count.
        actual: usize,
    },
    /// A number below the inclusive minimum.
    Minimum {
        /// The limit.
        min: String,
        /// The value.
        actual: String,
    },
    /// A number above the inclusive maximum.
    Maximum {
        /// The limit.
        max: String,
        /// The value.
        actual: String,
    },
    /// A rule of a named check in [`checks`](crate::checks) (formats, rules across members).
    Check {
        /// The check's name.
        check: &'static str,
        /// What is wrong.
        message: String,
    },
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::MinChars { min, actual } => {
                write!(f, "must have at least {min} character(s), has {actual}")
            }
            Rule::MaxChars { max, actual } => {
                write!(f, "must have at most {max} characters, has {actual}")
            }
            Rule::MinBytes { min, actual } => {
                write!(f, "must be at least {min} bytes (UTF-8), is {actual}")
            }
            Rule::MaxBytes { max, actual } => {
                write!(f, "must be at most {max} bytes (UTF-8), is {actual}")
            }
            Rule::MinItems { min, actual } => {
                write!(f, "must have at least {min} item(s), has {actual}")
            }
            Rule::MaxItems { max, actual } => {
                write!(f, "must have at most {max} item(s), has {actual}")
            }
            Rule::Minimum { min, actual } => write!(f, "must be at least {min}, is {actual}"),
            Rule::Maximum { max, actual } => write!(f, "must be at most {max}, is {actual}"),
            Rule::Check { message, .. } => f.write_str(message),
        }
    }
}

/// String limits of one member (generated code fills it from the schema).
#[derive(Debug, Clone, Copy)]
pub(crate) struct StrRule {
    pub(crate) min_chars: Option<usize>,
    pub(crate) max_chars: Option<usize>,
    pub(crate) min_bytes: Option<usize>,
    pub(crate) max_bytes: Option<usize>,
}

pub(crate) fn string(
    value: &str,
    rule: &StrRule,
    at: &FieldPath<'_>,
) -> Result<(), ValidationError> {
    let bytes = value.len();
    if let Some(min) = rule.min_bytes.filter(|min| bytes < *min) {
        return Err(ValidationError::new(
            at,
            Rule::MinBytes { min, actual: bytes },
        ));
    }
    if let Some(max) = rule.max_bytes.filter(|max| bytes > *max) {
        return Err(ValidationError::new(
            at,
            Rule::MaxBytes { max, actual: bytes },
        ));
    }
    if rule.min_chars.is_some() || rule.max_chars.is_some() {
        let chars = value.chars().count();
        if let Some(min) = rule.min_chars.filter(|min| chars < *min) {
            return Err(ValidationError::new(
                at,
                Rule::MinChars { min, actual: chars },
            ));
        }
        if let Some(max) = rule.max_chars.filter(|max| chars > *max) {
            return Err(ValidationError::new(
                at,
                Rule::MaxChars { max, actual: chars },
            ));
        }
    }
    Ok(())
}

/// Inclusive bounds of an integer (as `i128`, wide enough for every width) or a number (`f64`;
/// NaN fails both bounds).
pub(crate) fn range<T: PartialOrd + fmt::Display + Copy>(
    value: T,
    min: Option<T>,
    max: Option<T>,
    at: &FieldPath<'_>,
) -> Result<(), ValidationError> {
    let below = |bound: &T| value.partial_cmp(bound).is_none_or(|o| o.is_lt());
    let above = |bound: &T| value.partial_cmp(bound).is_none_or(|o| o.is_gt());
    if let Some(min) = min.filter(below) {
        let rule = Rule::Minimum {
            min: min.to_string(),
            actual: value.to_string(),
        };
        return Err(ValidationError::new(at, rule));
    }
    if let Some(max) = max.filter(above) {
        let rule = Rule::Maximum {
            max: max.to_string(),
            actual: value.to_string(),
        };
        return Err(ValidationError::new(at, rule));
    }
    Ok(())
}

pub(crate) fn items(
    count: usize,
    min: Option<usize>,
    max: Option<usize>,
    at: &FieldPath<'_>,
) -> Result<(), ValidationError> {
    if let Some(min) = min.filter(|min| count < *min) {
        return Err(ValidationError::new(
            at,
            Rule::MinItems { min, actual: count },
        ));
    }
    if let Some(max) = max.filter(|max| count > *max) {
        return Err(ValidationError::new(
            at,
            Rule::MaxItems { max, actual: count },
        ));
    }
    Ok(())
}

/// Turns the result of a named check into a validation result.
pub(crate) fn check(
    result: Result<(), String>,
    check: &'static str,
    at: &FieldPath<'_>,
) -> Result<(), ValidationError> {
    result.map_err(|message| ValidationError::new(at, Rule::Check { check, message }))
}
