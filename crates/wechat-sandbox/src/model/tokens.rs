//! Access tokens (reference §1): the two ways to obtain one, their lifetimes and hand-over
//! rules, their quotas, and what a business endpoint says about the token it is given.
//!
//! * `/cgi-bin/token`: every call issues a new token; the previous one stays valid for the
//!   overlap (5 minutes) and then answers 40001. 2000 calls per day.
//! * `/cgi-bin/stable_token`: the same token while it is valid; a new one only within the last
//!   5 minutes of its life (the old one still lives out its time). `force_refresh` replaces it
//!   at once, at most 20 times a day, and not within 30 s of the previous force refresh (such a
//!   call returns the current token unchanged, as documented: "否则不会刷新").
//! * The two kinds are isolated: obtaining one never affects the other.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use wechat_types::common::Errcode;

use crate::config::Rules;
use crate::wire::Refusal;

/// Which endpoint issued a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// `GET /cgi-bin/token`.
    Classic,
    /// `POST /cgi-bin/stable_token`.
    Stable,
}

/// One issued token.
#[derive(Debug, Clone)]
struct Issued {
    /// The app it belongs to.
    app: usize,
    kind: TokenKind,
    expires_at: SystemTime,
    /// When it stops being accepted because a successor replaced it.
    replaced_at: Option<SystemTime>,
}

/// The per-app counters and the current token of each kind.
#[derive(Debug, Default, Clone)]
struct AppTokens {
    classic: Option<String>,
    stable: Option<String>,
    /// Day number (Beijing time) and `/cgi-bin/token` calls that day.
    classic_calls: (u64, u32),
    /// Day number and force refreshes that day.
    force_refreshes: (u64, u32),
    last_force_refresh: Option<SystemTime>,
}

/// A token handed out, and how long it lives from now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Grant {
    /// The token.
    pub(crate) token: String,
    /// Seconds it has left.
    pub(crate) expires_in: u64,
}

/// Every token of every app.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    issued: HashMap<String, Issued>,
    apps: HashMap<usize, AppTokens>,
    serial: u64,
}

/// WeChat's quotas reset at midnight Beijing time (UTC+8).
fn beijing_day(now: SystemTime) -> u64 {
    (crate::clock::unix_seconds(now) + 8 * 3600) / 86_400
}

fn seconds_left(expires_at: SystemTime, now: SystemTime) -> u64 {
    expires_at
        .duration_since(now)
        .map_or(0, |left| left.as_secs())
}

impl Tokens {
    /// `GET /cgi-bin/token`: a new token; the previous one is replaced after the overlap.
    pub(crate) fn classic(
        &mut self,
        app: usize,
        now: SystemTime,
        rules: &Rules,
    ) -> Result<Grant, Refusal> {
        let state = self.apps.entry(app).or_default();
        let today = beijing_day(now);
        if state.classic_calls.0 != today {
            state.classic_calls = (today, 0);
        }
        if state.classic_calls.1 >= rules.token_daily_limit {
            return Err(Refusal::hint(
                Errcode::API_DAILY_QUOTA_REACHED,
                format!("{} token calls today", rules.token_daily_limit),
            ));
        }
        state.classic_calls.1 += 1;
        let previous = state.classic.take();
        if let Some(old) = previous.and_then(|old| self.issued.get_mut(&old)) {
            old.replaced_at = Some(now + Duration::from_secs(rules.token_overlap_secs));
        }
        Ok(self.issue(app, TokenKind::Classic, now, rules))
    }

    /// `POST /cgi-bin/stable_token`.
    pub(crate) fn stable(
        &mut self,
        app: usize,
        force_refresh: bool,
        now: SystemTime,
        rules: &Rules,
    ) -> Result<Grant, Refusal> {
        let state = self.apps.entry(app).or_default();
        let current = state
            .stable
            .as_ref()
            .and_then(|token| self.issued.get(token).map(|issued| (token.clone(), issued)))
            .filter(|(_, issued)| issued.replaced_at.is_none() && issued.expires_at > now);
        let renewal = Duration::from_secs(rules.stable_token_renewal_secs);
        if force_refresh {
            let spacing = Duration::from_secs(rules.force_refresh_spacing_secs);
            let too_soon = state
                .last_force_refresh
                .is_some_and(|last| now < last + spacing);
            if let (true, Some((token, issued))) = (too_soon, &current) {
                return Ok(Grant {
                    token: token.clone(),
                    expires_in: seconds_left(issued.expires_at, now),
                });
            }
            let today = beijing_day(now);
            if state.force_refreshes.0 != today {
                state.force_refreshes = (today, 0);
            }
            if state.force_refreshes.1 >= rules.force_refresh_daily_limit {
                return Err(Refusal::hint(
                    Errcode::API_DAILY_QUOTA_REACHED,
                    format!("{} force refreshes today", rules.force_refresh_daily_limit),
                ));
            }
            state.force_refreshes.1 += 1;
            state.last_force_refresh = Some(now);
            // Every stable token still alive goes: the current one, and its predecessor when
            // a renewal left it living out its time (§1.2: force refresh invalidates what
            // was issued before).
            drop(current);
            for issued in self.issued.values_mut() {
                let alive = issued.replaced_at.is_none() && issued.expires_at > now;
                if issued.app == app && issued.kind == TokenKind::Stable && alive {
                    issued.replaced_at = Some(now);
                }
            }
            return Ok(self.issue(app, TokenKind::Stable, now, rules));
        }
        match current {
            Some((token, issued)) if now + renewal < issued.expires_at => Ok(Grant {
                token,
                expires_in: seconds_left(issued.expires_at, now),
            }),
            // Within the last minutes of its life the next token is handed out; the old one
            // is not replaced and lives out its time.
            _ => Ok(self.issue(app, TokenKind::Stable, now, rules)),
        }
    }

    fn issue(&mut self, app: usize, kind: TokenKind, now: SystemTime, rules: &Rules) -> Grant {
        self.serial += 1;
        let token = new_token(self.serial);
        let lifetime = Duration::from_secs(rules.token_lifetime_secs);
        self.issued.insert(
            token.clone(),
            Issued {
                app,
                kind,
                expires_at: now + lifetime,
                replaced_at: None,
            },
        );
        let state = self.apps.entry(app).or_default();
        match kind {
            TokenKind::Classic => state.classic = Some(token.clone()),
            TokenKind::Stable => state.stable = Some(token.clone()),
        }
        Grant {
            token,
            expires_in: rules.token_lifetime_secs,
        }
    }

    /// The app a business call's `access_token` belongs to, or WeChat's refusal: 41001 when
    /// missing, 40014 when it was never issued, 40001 when replaced, 42001 when expired.
    pub(crate) fn check(&self, token: Option<&str>, now: SystemTime) -> Result<usize, Refusal> {
        let token = match token {
            None | Some("") => return Err(Refusal::new(Errcode::ACCESS_TOKEN_MISSING)),
            Some(token) => token,
        };
        let issued = self
            .issued
            .get(token)
            .ok_or_else(|| Refusal::new(Errcode::INVALID_ACCESS_TOKEN))?;
        if issued.replaced_at.is_some_and(|at| at <= now) {
            return Err(Refusal::new(Errcode::INVALID_CREDENTIAL));
        }
        if issued.expires_at <= now {
            return Err(Refusal::new(Errcode::ACCESS_TOKEN_EXPIRED));
        }
        Ok(issued.app)
    }

    /// Ends the life of every token of `app` now (control API): the next call with one of
    /// them answers 42001.
    pub(crate) fn expire_all(&mut self, app: usize, now: SystemTime) -> usize {
        let mut expired = 0;
        for issued in self.issued.values_mut().filter(|issued| issued.app == app) {
            if issued.expires_at > now {
                issued.expires_at = now;
                expired += 1;
            }
        }
        expired
    }
}

/// A token shaped like WeChat's (about 157 characters of `[0-9A-Za-z_-]`, starting with a
/// serial), so that storage and logging code meets realistic values.
fn new_token(serial: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    let mut token = format!("{serial}_");
    while token.len() < 157 {
        token.push(ALPHABET[fastrand::usize(..ALPHABET.len())] as char);
    }
    token
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    const HOUR: Duration = Duration::from_secs(3600);
    const MINUTE: Duration = Duration::from_secs(60);

    fn start() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }

    #[test]
    fn a_classic_token_survives_its_successor_by_the_overlap() {
        let (mut tokens, rules, t0) = (Tokens::default(), Rules::default(), start());
        let first = tokens.classic(0, t0, &rules).unwrap();
        assert_eq!(first.expires_in, 7200);
        assert_eq!(first.token.len(), 157);
        let second = tokens.classic(0, t0 + MINUTE, &rules).unwrap();
        assert_ne!(first.token, second.token);
        assert_eq!(tokens.check(Some(&first.token), t0 + 5 * MINUTE), Ok(0));
        let stale = tokens
            .check(Some(&first.token), t0 + 6 * MINUTE)
            .unwrap_err();
        assert_eq!(stale.code, Errcode::INVALID_CREDENTIAL);
        assert_eq!(tokens.check(Some(&second.token), t0 + 6 * MINUTE), Ok(0));
        let expired = tokens
            .check(Some(&second.token), t0 + MINUTE + 2 * HOUR)
            .unwrap_err();
        assert_eq!(expired.code, Errcode::ACCESS_TOKEN_EXPIRED);
    }

    #[test]
    fn missing_and_unknown_tokens() {
        let tokens = Tokens::default();
        assert_eq!(
            tokens.check(None, start()).unwrap_err().code,
            Errcode::ACCESS_TOKEN_MISSING
        );
        assert_eq!(
            tokens.check(Some(""), start()).unwrap_err().code,
            Errcode::ACCESS_TOKEN_MISSING
        );
        assert_eq!(
            tokens.check(Some("forged"), start()).unwrap_err().code,
            Errcode::INVALID_ACCESS_TOKEN
        );
    }

    #[test]
    fn the_classic_daily_quota_resets_at_beijing_midnight() {
        let mut tokens = Tokens::default();
        let rules = Rules {
            token_daily_limit: 2,
            ..Rules::default()
        };
        // 1_700_000_000 is 2023-11-15 06:13:20 in Beijing.
        let t0 = start();
        tokens.classic(0, t0, &rules).unwrap();
        tokens.classic(0, t0, &rules).unwrap();
        let refused = tokens.classic(0, t0, &rules).unwrap_err();
        assert_eq!(refused.code, Errcode::API_DAILY_QUOTA_REACHED);
        assert!(tokens.classic(1, t0, &rules).is_ok(), "quotas are per app");
        assert!(
            tokens.classic(0, t0 + 17 * HOUR, &rules).unwrap_err().code
                == Errcode::API_DAILY_QUOTA_REACHED
        );
        assert!(tokens.classic(0, t0 + 18 * HOUR, &rules).is_ok());
    }

    #[test]
    fn a_stable_token_is_the_same_until_its_last_minutes() {
        let (mut tokens, rules, t0) = (Tokens::default(), Rules::default(), start());
        let first = tokens.stable(0, false, t0, &rules).unwrap();
        let again = tokens.stable(0, false, t0 + HOUR, &rules).unwrap();
        assert_eq!(again.token, first.token);
        assert_eq!(again.expires_in, 3600, "the remaining lifetime");
        let renewed = tokens.stable(0, false, t0 + 116 * MINUTE, &rules).unwrap();
        assert_ne!(renewed.token, first.token);
        assert_eq!(renewed.expires_in, 7200);
        assert_eq!(
            tokens.check(Some(&first.token), t0 + 119 * MINUTE),
            Ok(0),
            "lives out its time"
        );
        assert_eq!(
            tokens
                .check(Some(&first.token), t0 + 120 * MINUTE)
                .unwrap_err()
                .code,
            Errcode::ACCESS_TOKEN_EXPIRED
        );
    }

    #[test]
    fn force_refresh_replaces_at_once_but_not_twice_in_30_seconds() {
        let (mut tokens, rules, t0) = (Tokens::default(), Rules::default(), start());
        let first = tokens.stable(0, false, t0, &rules).unwrap();
        let forced = tokens.stable(0, true, t0 + MINUTE, &rules).unwrap();
        assert_ne!(forced.token, first.token);
        assert_eq!(
            tokens
                .check(Some(&first.token), t0 + MINUTE)
                .unwrap_err()
                .code,
            Errcode::INVALID_CREDENTIAL
        );
        let soon = tokens
            .stable(0, true, t0 + MINUTE + Duration::from_secs(29), &rules)
            .unwrap();
        assert_eq!(soon.token, forced.token, "not refreshed within 30 s");
        let later = tokens
            .stable(0, true, t0 + MINUTE + Duration::from_secs(30), &rules)
            .unwrap();
        assert_ne!(later.token, forced.token);
    }

    #[test]
    fn force_refresh_also_ends_a_renewed_tokens_predecessor() {
        let (mut tokens, rules, t0) = (Tokens::default(), Rules::default(), start());
        let first = tokens.stable(0, false, t0, &rules).unwrap();
        let renewed = tokens.stable(0, false, t0 + 116 * MINUTE, &rules).unwrap();
        let forced = tokens.stable(0, true, t0 + 117 * MINUTE, &rules).unwrap();
        for old in [&first, &renewed] {
            let refused = tokens
                .check(Some(&old.token), t0 + 117 * MINUTE)
                .unwrap_err();
            assert_eq!(refused.code, Errcode::INVALID_CREDENTIAL);
        }
        assert_eq!(tokens.check(Some(&forced.token), t0 + 117 * MINUTE), Ok(0));
    }

    #[test]
    fn force_refresh_has_a_daily_limit() {
        let (mut tokens, t0) = (Tokens::default(), start());
        let rules = Rules {
            force_refresh_daily_limit: 2,
            ..Rules::default()
        };
        for i in 0..2 {
            tokens.stable(0, true, t0 + i * MINUTE, &rules).unwrap();
        }
        let refused = tokens.stable(0, true, t0 + 2 * MINUTE, &rules).unwrap_err();
        assert_eq!(refused.code, Errcode::API_DAILY_QUOTA_REACHED);
        assert!(
            tokens.stable(0, false, t0 + 2 * MINUTE, &rules).is_ok(),
            "normal mode still works"
        );
    }

    #[test]
    fn the_two_kinds_are_isolated() {
        let (mut tokens, rules, t0) = (Tokens::default(), Rules::default(), start());
        let stable = tokens.stable(0, false, t0, &rules).unwrap();
        let classic = tokens.classic(0, t0, &rules).unwrap();
        tokens.classic(0, t0, &rules).unwrap();
        assert_eq!(tokens.check(Some(&stable.token), t0 + HOUR), Ok(0));
        tokens.stable(0, true, t0, &rules).unwrap();
        assert_eq!(tokens.check(Some(&classic.token), t0 + MINUTE), Ok(0));
    }

    #[test]
    fn expiring_all_tokens_of_an_app() {
        let (mut tokens, rules, t0) = (Tokens::default(), Rules::default(), start());
        let mine = tokens.stable(0, false, t0, &rules).unwrap();
        let theirs = tokens.stable(1, false, t0, &rules).unwrap();
        assert_eq!(tokens.expire_all(0, t0), 1);
        assert_eq!(
            tokens.check(Some(&mine.token), t0).unwrap_err().code,
            Errcode::ACCESS_TOKEN_EXPIRED
        );
        assert_eq!(tokens.check(Some(&theirs.token), t0), Ok(1));
        let next = tokens.stable(0, false, t0, &rules).unwrap();
        assert_ne!(next.token, mine.token);
    }
}
