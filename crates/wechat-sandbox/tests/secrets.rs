//! No secret reaches a log, a `Debug` form, an error or a control answer: not the AppSecret,
//! not an access_token the sandbox issued, not the callback's Token or EncodingAESKey.
//!
//! One test per binary: it installs the process-wide subscriber that captures what the
//! sandbox's own threads log.

mod support;

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use wechat_core::callback::Receiver;
use wechat_core::endpoints::mp::SendCustomMessage;
use wechat_core::types::mp::{CustomMessage, Text};
use wechat_sandbox::{
    AppConfig, CallbackConfig, Fault, FaultPlan, Sandbox, SandboxConfig, UserMessage,
};

use support::bot::{Answer, Bot};
use support::{BACKENDS, Caller};

const SECRET: &str = "SECRET-APP-5b1e9c";
const TOKEN: &str = "SECRET-TOKEN-77a0";
const AES_KEY: &str = "SECRETAESKEYabcdefghijklmnopqrstuvwxyz01234";

/// Everything logged, by any thread.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl io::Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn http_get(url: &str) -> String {
    ureq::get(url)
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap()
}

#[test]
fn no_secret_is_logged_shown_or_answered() {
    let logs = Logs::default();
    let writer = logs.clone();
    tracing::subscriber::set_global_default(
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish(),
    )
    .expect("the only subscriber of this binary");

    let config = || {
        let mut config = SandboxConfig::default();
        config.apps = vec![AppConfig::new("wx_secrets", SECRET)];
        config
    };
    let mut texts = Vec::new();
    let mut tokens = Vec::new();
    for backend in BACKENDS {
        let sandbox = Sandbox::start_with(config()).unwrap();
        let app = sandbox.app();
        let bot = Bot::start(
            Receiver::official_account(TOKEN)
                .with_encoding_aes_key(AES_KEY, "wx_secrets")
                .unwrap(),
            |_| Answer::Raw("<xml>not a reply</xml>".into()),
        );
        app.set_callback(Some(CallbackConfig::safe(bot.url(), TOKEN, AES_KEY)))
            .unwrap();
        let openid = app.create_user("Ann").unwrap();
        let report = app
            .writes_blocking(&openid, UserMessage::text("hi"))
            .unwrap();
        let caller = Caller::new(&sandbox, backend);
        let send = SendCustomMessage::new(CustomMessage::new(&openid, Text::new("hello")));
        caller.call(&send).unwrap();
        tokens.push(current_token(&caller));
        sandbox.inject(FaultPlan::on_any(Fault::http_status(502)));
        let gateway = caller.call(&send).unwrap_err();
        app.expire_tokens();
        caller.call(&send).unwrap();
        tokens.push(current_token(&caller));
        let refused = app.set_callback(Some(CallbackConfig::safe(bot.url(), TOKEN, "short")));

        texts.push(format!("{:?}", config()));
        texts.push(format!(
            "{sandbox:?} {app:?} {report:?} {gateway} {gateway:?}"
        ));
        texts.push(format!(
            "{:?}",
            CallbackConfig::safe(bot.url(), TOKEN, AES_KEY)
        ));
        texts.push(format!("{refused:?}"));
        texts.push(format!("{:?}", sandbox.calls()));
        texts.push(http_get(&format!("{}/sandbox", sandbox.url())));
        texts.push(http_get(&format!("{}/sandbox/calls", sandbox.url())));
        texts.push(http_get(&format!(
            "{}/sandbox/apps/wx_secrets/users",
            sandbox.url()
        )));
    }
    texts.push(String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned());
    assert!(
        texts.last().unwrap().contains("wechat-sandbox"),
        "the sandbox logged something"
    );
    for text in &texts {
        for secret in [SECRET, TOKEN, AES_KEY]
            .iter()
            .copied()
            .chain(tokens.iter().map(String::as_str))
        {
            assert!(!text.contains(secret), "{secret} leaked in {text}");
        }
    }
}

/// The access_token the client holds now.
fn current_token(caller: &Caller) -> String {
    let token = match caller {
        Caller::Async(client) => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(client.access_token()),
        Caller::Blocking(client) => client.access_token(),
    };
    token.unwrap().secret().expose().to_owned()
}
