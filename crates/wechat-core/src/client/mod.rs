//! The async [`Client`] and the [`BlockingClient`]: they execute any [`Endpoint`] value with an
//! access_token they manage.
//!
//! Everything that does no IO (building URLs, deciding whether to refresh the token or retry,
//! masking credentials in errors) lives here in [`Core`], once; the two clients differ only in
//! how they wait.
//!
//! [`Endpoint`]: crate::Endpoint

mod async_client;
mod blocking;
mod builder;
mod flow;

use std::time::Duration;

pub use async_client::Client;
pub use blocking::BlockingClient;
pub use builder::{BlockingClientBuilder, BuildError, ClientBuilder};

use crate::endpoint::{Reply, Request};
use crate::error::Error;
use crate::http::{HttpRequest, HttpResponse};
use crate::platform::PlatformKind;
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::token::AccessToken;
use crate::token::refresh::TokenState;

/// What both clients know once built.
pub(crate) struct Core {
    platform: PlatformKind,
    id: String,
    secret: Secret,
    base_url: String,
    tokens: TokenState,
    retry: RetryPolicy,
}

/// What to do after one attempt.
pub(crate) enum Step {
    /// Return the outcome.
    Done,
    /// The token was stale: obtain another and send again (once per call).
    RefreshToken,
    /// Wait, then send again.
    Retry(Duration),
}

/// What has been tried so far in one call.
#[derive(Default)]
pub(crate) struct Attempts {
    /// API requests sent (token requests not counted).
    pub(crate) sent: u32,
    /// Retries made under the retry policy.
    retried: u32,
    /// Whether the token has already been refreshed after a stale-token errcode.
    refreshed: bool,
}

impl Core {
    /// The full HTTP request for `request`, with `token` as the `access_token` parameter.
    pub(crate) fn http_request(
        &self,
        request: &Request,
        token: Option<&AccessToken>,
    ) -> HttpRequest {
        let mut url = String::with_capacity(
            self.base_url.len()
                + request.path().len()
                + 14
                + token.map_or(0, |t| t.secret().expose().len())
                + request.query().len()
                + 1,
        );
        url.push_str(&self.base_url);
        url.push_str(request.path());
        let mut separator = '?';
        if let Some(token) = token {
            url.push_str("?access_token=");
            // WeChat's tokens are URL-safe; encode only the odd one that is not.
            let value = token.secret().expose();
            if token.is_url_safe() {
                url.push_str(value);
            } else {
                url.extend(form_urlencoded::byte_serialize(value.as_bytes()));
            }
            separator = '&';
        }
        if !request.query().is_empty() {
            url.push(separator);
            url.push_str(request.query());
        }
        let mut http = HttpRequest::new(request.method(), url).with_body(request.body().clone());
        if let Some(content_type) = request.content_type_cow() {
            http = http.with_header("content-type", content_type);
        }
        http
    }

    /// `response` to `request` (sent with `token`), ready for the endpoint to parse.
    pub(crate) fn reply(
        &self,
        response: HttpResponse,
        request: &Request,
        token: Option<&AccessToken>,
    ) -> Reply {
        Reply::new(response, self.platform, request.path_cow())
            .masking([token.map(|t| t.secret().clone()), Some(self.secret.clone())])
    }

    /// Decides what follows an attempt that used `token` (or none).
    pub(crate) fn next_step<T>(
        &self,
        outcome: &Result<T, Error>,
        used_token: bool,
        attempts: &mut Attempts,
    ) -> Step {
        let Err(error) = outcome else {
            return Step::Done;
        };
        if used_token
            && !attempts.refreshed
            && error.errcode().is_some_and(|code| code.is_token_error())
        {
            attempts.refreshed = true;
            return Step::RefreshToken;
        }
        self.retry_step(error, attempts)
    }

    /// Decides what follows a failure that the retry policy alone governs (obtaining a token).
    pub(crate) fn retry_step(&self, error: &Error, attempts: &mut Attempts) -> Step {
        match self.retry.delay(error, attempts.retried) {
            Some(delay) => {
                attempts.retried += 1;
                Step::Retry(delay)
            }
            None => Step::Done,
        }
    }

    /// The outcome as handed to the caller: errors scrubbed of every credential this client
    /// holds, in case a server or backend echoed one.
    pub(crate) fn conclude<T>(
        &self,
        outcome: Result<T, Error>,
        token: Option<&AccessToken>,
    ) -> Result<T, Error> {
        outcome.map_err(|error| {
            let token = token.map_or("", |t| t.secret().expose());
            error.scrub(&[token, self.secret.expose()])
        })
    }

    pub(crate) fn tokens(&self) -> &TokenState {
        &self.tokens
    }

    pub(crate) fn platform(&self) -> PlatformKind {
        self.platform
    }
}

impl Core {
    /// The `Debug` of a client called `name`: platform, app id, base URL, token key; never a
    /// credential.
    pub(crate) fn debug(&self, name: &str, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct(name)
            .field("platform", &self.platform)
            .field("id", &self.id)
            .field("base_url", &self.base_url)
            .field("token_key", self.tokens.key())
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use crate::endpoints::mp::SendCustomMessage;
    use crate::{Client, OfficialAccount};

    /// `execute`'s future is `Send`, so it can be `tokio::spawn`ed.
    #[allow(dead_code)]
    fn execute_is_send(client: Client<OfficialAccount>, endpoint: SendCustomMessage) {
        fn send<T: Send>(_: T) {}
        send(async move { client.execute(&endpoint).await });
    }
}
