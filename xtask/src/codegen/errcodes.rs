//! The errcode catalogues (`schemas/<module>/errcodes.json`): data, not a type schema.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::dialect::DialectError;
use super::model::{ErrcodeCatalogue, ErrcodeEntry};

/// What callers may be told to do; mirrors `wechat_types::Handling` and `meta/errcodes.schema.json`.
pub const HANDLINGS: &[&str] = &[
    "retry",
    "refresh_token",
    "retry_later",
    "stop",
    "fix_config",
    "fix_request",
    "rejected",
    "ignore",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    #[serde(rename = "$schema")]
    _schema: String,
    description: String,
    codes: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    code: i64,
    name: String,
    errmsg: Option<String>,
    meaning: String,
    handling: String,
    note: Option<String>,
}

/// Reads and checks one catalogue; `path` is relative to `schemas/`.
pub fn parse(path: &str, text: &str, errors: &mut Vec<DialectError>) -> Option<ErrcodeCatalogue> {
    let mut error = |pointer: String, message: String| {
        errors.push(DialectError {
            file: path.to_owned(),
            pointer,
            message,
        });
    };
    let raw: RawCatalogue = match serde_json::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            error(String::new(), format!("not a valid errcode catalogue: {e}"));
            return None;
        }
    };
    let mut names = BTreeSet::new();
    let mut previous: Option<i64> = None;
    let mut codes = Vec::with_capacity(raw.codes.len());
    for (i, entry) in raw.codes.into_iter().enumerate() {
        let pointer = format!("/codes/{i}");
        let valid_name = entry
            .name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase())
            && entry
                .name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if !valid_name {
            error(
                format!("{pointer}/name"),
                format!("`{}` must be SCREAMING_SNAKE_CASE", entry.name),
            );
        }
        if !names.insert(entry.name.clone()) {
            error(
                format!("{pointer}/name"),
                format!("`{}` is used twice", entry.name),
            );
        }
        if entry.code == 0 {
            error(
                format!("{pointer}/code"),
                "0 is success, not an error code".to_owned(),
            );
        }
        if previous.is_some_and(|p| p >= entry.code) {
            error(
                format!("{pointer}/code"),
                format!(
                    "codes must be sorted and unique ({} after {})",
                    entry.code,
                    previous.unwrap_or_default()
                ),
            );
        }
        previous = Some(entry.code);
        if !HANDLINGS.contains(&entry.handling.as_str()) {
            error(
                format!("{pointer}/handling"),
                format!(
                    "`{}` is not one of {}",
                    entry.handling,
                    HANDLINGS.join(", ")
                ),
            );
        }
        codes.push(ErrcodeEntry {
            code: entry.code,
            name: entry.name,
            errmsg: entry.errmsg,
            meaning: entry.meaning,
            handling: entry.handling,
            note: entry.note,
        });
    }
    Some(ErrcodeCatalogue {
        path: path.to_owned(),
        description: raw.description,
        codes,
    })
}
