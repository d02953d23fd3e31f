//! What the sandbox emulates: its apps (Official Accounts), their callback settings, the clock,
//! and the numbers behind every rule. Built in code or read from a JSON file (`--config`).
//!
//! Every field has a default that matches WeChat's documented behaviour, so an empty file
//! (`{}`) is a valid configuration with one app.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Deserializer};
use wechat_core::Secret;

/// The AppID of the app a default configuration holds.
pub const DEFAULT_APPID: &str = "wx5a9d0c1e3b7f2a64";
/// The AppSecret of the default app. Not a real credential.
pub const DEFAULT_SECRET: &str = "sandbox-app-secret-0f3c9a71e2d84b56";
/// The original ID (`gh_...`) of the default app: the `ToUserName` of its pushes.
pub const DEFAULT_ORIGINAL_ID: &str = "gh_5a9d0c1e3b7f";
/// The WeChat ID (微信号) of the default app: the suffix of its kf accounts (`kf1@sandbox_oa`).
pub const DEFAULT_WECHAT_ID: &str = "sandbox_oa";

/// Everything the sandbox is started with.
///
/// ```
/// use wechat_sandbox::{AppConfig, SandboxConfig};
///
/// let mut config = SandboxConfig::default();
/// config.rules.token_lifetime_secs = 60;
/// config.apps.push(AppConfig::new("wx0000000000000002", "second-secret"));
/// assert_eq!(config.apps.len(), 2);
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct SandboxConfig {
    /// The Official Accounts the sandbox serves; the default holds one with
    /// [`DEFAULT_APPID`] and [`DEFAULT_SECRET`].
    pub apps: Vec<AppConfig>,
    /// Where the virtual clock starts and whether it runs.
    pub clock: ClockConfig,
    /// The numbers behind the emulated rules.
    pub rules: Rules,
    /// Refuse a request body member the schema does not know, with 47001 naming it (on by
    /// default). WeChat itself may ignore unknown members (UNCONFIRMED); refusing them
    /// catches a misspelt member that WeChat would silently drop.
    pub strict_json: bool,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            apps: vec![AppConfig::default()],
            clock: ClockConfig::default(),
            rules: Rules::default(),
            strict_json: true,
        }
    }
}

impl SandboxConfig {
    /// Reads a configuration from a JSON file; absent members take their defaults.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        Self::from_json(&text)
    }

    /// Reads a configuration from JSON text; absent members take their defaults.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let config: SandboxConfig =
            serde_json::from_str(text).map_err(|e| ConfigError::Json(e.to_string()))?;
        config.check()?;
        Ok(config)
    }

    /// Checks what serde cannot: at least one app, unique AppIDs, keys for encrypted callbacks.
    pub fn check(&self) -> Result<(), ConfigError> {
        if self.apps.is_empty() {
            return Err(ConfigError::Invalid("`apps` is empty".into()));
        }
        for (i, app) in self.apps.iter().enumerate() {
            if self.apps[..i].iter().any(|other| other.appid == app.appid) {
                return Err(ConfigError::Invalid(format!(
                    "appid {:?} appears twice",
                    app.appid
                )));
            }
            if let Some(callback) = &app.callback {
                callback.check(&app.appid)?;
            }
        }
        Ok(())
    }
}

/// One emulated Official Account.
#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct AppConfig {
    /// The AppID.
    pub appid: String,
    /// The AppSecret the token endpoints accept.
    #[serde(deserialize_with = "secret")]
    pub secret: Secret,
    /// The original ID (`gh_...`), `ToUserName` of every push.
    pub original_id: String,
    /// The account's WeChat ID, the only suffix its kf accounts may have (reference §4).
    pub wechat_id: String,
    /// Where the sandbox pushes the users' messages; none by default.
    pub callback: Option<CallbackConfig>,
    /// Whether the new customer-service feature is enabled; when off, every kf account and
    /// session endpoint answers 65400 (reference §10).
    pub kf_enabled: bool,
}

impl AppConfig {
    /// An app with these credentials and the default original ID and WeChat ID.
    pub fn new(appid: impl Into<String>, secret: impl Into<Secret>) -> Self {
        AppConfig {
            appid: appid.into(),
            secret: secret.into(),
            ..AppConfig::default()
        }
    }

    /// Sets the callback the users' messages are pushed to.
    #[must_use]
    pub fn with_callback(mut self, callback: CallbackConfig) -> Self {
        self.callback = Some(callback);
        self
    }
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            appid: DEFAULT_APPID.into(),
            secret: DEFAULT_SECRET.into(),
            original_id: DEFAULT_ORIGINAL_ID.into(),
            wechat_id: DEFAULT_WECHAT_ID.into(),
            callback: None,
            kf_enabled: true,
        }
    }
}

/// Shows the AppID, never the secret.
impl fmt::Debug for AppConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppConfig")
            .field("appid", &self.appid)
            .field("secret", &self.secret)
            .field("original_id", &self.original_id)
            .field("wechat_id", &self.wechat_id)
            .field("callback", &self.callback)
            .field("kf_enabled", &self.kf_enabled)
            .finish()
    }
}

/// The server URL settings of an app (开发-基本配置-服务器配置): URL, Token, EncodingAESKey and
/// the message encryption mode.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CallbackConfig {
    /// The URL pushes are POSTed to.
    pub url: String,
    /// The Token both sides sign with.
    #[serde(deserialize_with = "secret")]
    pub token: Secret,
    /// The 43-character EncodingAESKey; required in compatible and safe mode.
    #[serde(default, deserialize_with = "optional_secret")]
    pub encoding_aes_key: Option<Secret>,
    /// How pushes are protected.
    #[serde(default)]
    pub mode: CallbackMode,
}

impl CallbackConfig {
    /// Plain-mode pushes to `url`, signed with `token`.
    pub fn plain(url: impl Into<String>, token: impl Into<Secret>) -> Self {
        CallbackConfig {
            url: url.into(),
            token: token.into(),
            encoding_aes_key: None,
            mode: CallbackMode::Plain,
        }
    }

    /// Safe-mode (encrypted) pushes to `url`.
    pub fn safe(
        url: impl Into<String>,
        token: impl Into<Secret>,
        encoding_aes_key: impl Into<Secret>,
    ) -> Self {
        CallbackConfig {
            url: url.into(),
            token: token.into(),
            encoding_aes_key: Some(encoding_aes_key.into()),
            mode: CallbackMode::Safe,
        }
    }

    /// Sets the mode (compatible mode needs an EncodingAESKey too).
    #[must_use]
    pub fn with_mode(mut self, mode: CallbackMode) -> Self {
        self.mode = mode;
        self
    }

    /// The EncodingAESKey must be present, and well-formed, when pushes are encrypted.
    pub(crate) fn check(&self, appid: &str) -> Result<(), ConfigError> {
        if self.mode == CallbackMode::Plain {
            return Ok(());
        }
        let key = self.encoding_aes_key.as_ref().ok_or_else(|| {
            ConfigError::Invalid(format!(
                "the {:?} callback of {appid} needs an encoding_aes_key",
                self.mode
            ))
        })?;
        wechat_core::callback::MsgCrypt::new(self.token.clone(), key.expose(), appid)
            .map(drop)
            .map_err(|e| ConfigError::Invalid(format!("callback of {appid}: {e}")))
    }
}

/// Shows the URL and the mode, never the token or the key.
impl fmt::Debug for CallbackConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackConfig")
            .field("url", &self.url)
            .field("token", &self.token)
            .field("encoding_aes_key", &self.encoding_aes_key)
            .field("mode", &self.mode)
            .finish()
    }
}

/// The message encryption mode of a callback (消息加解密方式).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CallbackMode {
    /// 明文模式: the XML as is, with a `signature` over token, timestamp and nonce.
    #[default]
    Plain,
    /// 兼容模式: the plain XML with an `<Encrypt>` member added, and `msg_signature`.
    Compatible,
    /// 安全模式: only `<ToUserName>` and `<Encrypt>`; replies must be encrypted too.
    Safe,
}

/// Where the virtual clock starts.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ClockConfig {
    /// The start, in Unix seconds; the operating system's time when absent.
    pub start: Option<u64>,
    /// Whether the clock stands still between advances (off: it runs at real speed).
    pub frozen: bool,
}

/// The numbers behind the rules, each from the reference section it names.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Rules {
    /// Lifetime of an access_token, `expires_in` (§1.1: 7200 s).
    pub token_lifetime_secs: u64,
    /// How long a `/cgi-bin/token` token stays valid after its successor is issued (§1.1: 5 min).
    pub token_overlap_secs: u64,
    /// `/cgi-bin/token` calls per app per day (§1.1: 2000), then 45009.
    pub token_daily_limit: u32,
    /// How long before expiry `/cgi-bin/stable_token` hands out the next token (§1.2: 5 min).
    pub stable_token_renewal_secs: u64,
    /// Minimum spacing of force refreshes; a closer one returns the current token (§1.2: 30 s).
    pub force_refresh_spacing_secs: u64,
    /// Force refreshes per app per day (§1.2: 20), then 45009.
    pub force_refresh_daily_limit: u32,
    /// How long a user's message keeps the window open (§2.1: 48 h).
    pub window_secs: u64,
    /// Messages allowed per window (§2.1: 5), then 45047.
    pub window_quota: u32,
    /// Typing needs a message exchanged within this many seconds (§3: 30 s), else 45080.
    pub typing_lead_secs: u64,
    /// How long the typing state lasts (§3: 15 s); `Typing` again meanwhile is 45081.
    pub typing_duration_secs: u64,
    /// Kf accounts per app (§4: 100), then 65405.
    pub kf_account_limit: usize,
    /// How long a bind invitation waits for the invitee (not documented; 7 days here).
    pub invitation_lifetime_secs: u64,
    /// A session whose last message is older than this no longer receives the user's messages,
    /// which are pushed to the callback again (§8.4: 30 min).
    pub session_forward_secs: u64,
    /// How long a temporary media_id lives (§7.1: 3 days), then 40007.
    pub media_lifetime_secs: u64,
    /// How long a push may take before WeChat gives up on it (§8: 5 s).
    pub push_timeout_ms: u64,
    /// Attempts per push (§8: 3 in all).
    pub push_attempts: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            token_lifetime_secs: 7200,
            token_overlap_secs: 300,
            token_daily_limit: 2000,
            stable_token_renewal_secs: 300,
            force_refresh_spacing_secs: 30,
            force_refresh_daily_limit: 20,
            window_secs: 48 * 3600,
            window_quota: 5,
            typing_lead_secs: 30,
            typing_duration_secs: 15,
            kf_account_limit: 100,
            invitation_lifetime_secs: 7 * 24 * 3600,
            session_forward_secs: 30 * 60,
            media_lifetime_secs: 3 * 24 * 3600,
            push_timeout_ms: 5000,
            push_attempts: 3,
        }
    }
}

/// A configuration that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read the configuration {path}: {reason}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The JSON is malformed or has a member of the wrong type or an unknown one.
    #[error("invalid configuration JSON: {0}")]
    Json(String),
    /// The JSON is well-formed but describes something the sandbox cannot run.
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

fn secret<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Secret, D::Error> {
    String::deserialize(deserializer).map(Secret::from)
}

fn optional_secret<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Secret>, D::Error> {
    Option::<String>::deserialize(deserializer).map(|value| value.map(Secret::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_is_the_default_app() {
        let config = SandboxConfig::from_json("{}").unwrap();
        assert_eq!(config.apps.len(), 1);
        assert_eq!(config.apps[0].appid, DEFAULT_APPID);
        assert_eq!(config.rules.window_quota, 5);
        assert!(config.strict_json);
    }

    #[test]
    fn a_file_sets_apps_rules_and_callbacks() {
        let config = SandboxConfig::from_json(
            r#"{"apps":[{"appid":"wx1","secret":"s1","callback":{"url":"http://127.0.0.1:9/cb","token":"t",
                "encoding_aes_key":"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG","mode":"safe"}}],
               "rules":{"token_lifetime_secs":60},"clock":{"start":1700000000,"frozen":true}}"#,
        )
        .unwrap();
        let app = &config.apps[0];
        assert_eq!(app.original_id, DEFAULT_ORIGINAL_ID);
        assert_eq!(app.callback.as_ref().unwrap().mode, CallbackMode::Safe);
        assert_eq!(config.rules.token_lifetime_secs, 60);
        assert_eq!(config.rules.window_secs, 48 * 3600);
        assert_eq!(config.clock.start, Some(1_700_000_000));
    }

    #[test]
    fn mistakes_are_named() {
        let unknown = SandboxConfig::from_json(r#"{"rulez":{}}"#).unwrap_err();
        assert!(unknown.to_string().contains("rulez"), "{unknown}");
        let keyless = SandboxConfig::from_json(
            r#"{"apps":[{"callback":{"url":"http://x","token":"t","mode":"safe"}}]}"#,
        )
        .unwrap_err();
        assert!(
            keyless.to_string().contains("encoding_aes_key"),
            "{keyless}"
        );
        let bad_key = SandboxConfig::from_json(
            r#"{"apps":[{"callback":{"url":"http://x","token":"t","encoding_aes_key":"short","mode":"compatible"}}]}"#,
        )
        .unwrap_err();
        assert!(matches!(bad_key, ConfigError::Invalid(_)), "{bad_key}");
        let twice = SandboxConfig::from_json(r#"{"apps":[{},{}]}"#).unwrap_err();
        assert!(twice.to_string().contains("twice"), "{twice}");
        assert!(SandboxConfig::from_json(r#"{"apps":[]}"#).is_err());
    }

    #[test]
    fn debug_shows_no_secret() {
        let app = AppConfig::new("wx1", "TOP-SECRET-1").with_callback(CallbackConfig::safe(
            "http://127.0.0.1:9/cb",
            "TOP-SECRET-2",
            "TOP-SECRET-3",
        ));
        let debug = format!(
            "{:?}",
            SandboxConfig {
                apps: vec![app],
                ..SandboxConfig::default()
            }
        );
        assert!(!debug.contains("TOP-SECRET"), "{debug}");
        assert!(debug.contains("wx1"), "{debug}");
    }
}
