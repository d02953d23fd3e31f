//! Rules the generated `validate()` cannot derive from JSON Schema keywords alone: formats
//! (the Rust side of a `pattern`, since this crate has no regex engine) and rules spanning
//! several members. Schemas name them with `x-rust-check`; each returns what is wrong.

/// A kf account: `prefix@wechat_id`, the prefix 1 to 10 ASCII letters, digits or underscores,
/// the suffix 1 to 30 ASCII letters, digits, underscores or hyphens (reference §4).
///
/// Enforces the `pattern` of `KfAccount` in `schemas/mp/kf_account.schema.json`; a test runs
/// both over the same samples.
pub fn kf_account(value: &str) -> Result<(), String> {
    let Some((prefix, suffix)) = value.split_once('@') else {
        return Err(format!(
            "must be `prefix@wechat_id`, got `{value}` (no `@`)"
        ));
    };
    let prefix_ok = (1..=10).contains(&prefix.len())
        && prefix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !prefix_ok {
        return Err(format!(
            "the part before `@` must be 1 to 10 letters, digits or underscores, got `{prefix}`"
        ));
    }
    let suffix_ok = (1..=30).contains(&suffix.len())
        && suffix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !suffix_ok {
        return Err(format!(
            "the part after `@` must be the account's WeChat ID (1 to 30 letters, digits, `_` or `-`), got `{suffix}`"
        ));
    }
    Ok(())
}

/// The time range of a chat-record query: `endtime` after `starttime`, at most 24 hours apart
/// (reference §6; WeChat answers 65417 otherwise).
pub fn msgrecord_time_span(request: &crate::mp::GetMsgListRequest) -> Result<(), String> {
    const DAY: i64 = 24 * 60 * 60;
    let span = request.endtime.saturating_sub(request.starttime);
    if span <= 0 {
        return Err(format!(
            "`endtime` ({}) must be after `starttime` ({})",
            request.endtime, request.starttime
        ));
    }
    if span > DAY {
        return Err(format!(
            "the range spans {span} s; WeChat allows at most 24 hours ({DAY} s) per query"
        ));
    }
    Ok(())
}
