//! The two sequences both clients run, written once.
//!
//! The async and the blocking client differ only in how they wait: one `.await`s, the other
//! blocks. So each sequence is a macro that both expand, passing `[.await]` or `[]` as the
//! suffix of every call that may wait, and the way to sleep. Everything the sequences decide
//! (refresh or retry, what to return) is in plain functions of [`Core`](super::Core) and
//! [`TokenState`](crate::token::refresh::TokenState), shared the usual way.

/// One call: obtain a token, send, parse; refresh the token once if WeChat calls it stale;
/// retry as the policy allows. Evaluates to the call's outcome, errors scrubbed.
macro_rules! call_loop {
    ($client:ident, $endpoint:ident, $request:ident, $trace:ident, $attempts:ident, $sleep:path, [$($wait:tt)*]) => {{
        let core = &$client.inner.core;
        let mut failed: Option<$crate::token::AccessToken> = None;
        loop {
            let token = if $request.needs_access_token() {
                match $client.token(failed.as_ref()) $($wait)* {
                    Ok(token) => Some(token),
                    Err(error) => match core.retry_step(&error, &mut $attempts) {
                        $crate::client::Step::Retry(delay) => {
                            $sleep(delay) $($wait)*;
                            continue;
                        }
                        _ => break core.conclude(Err(error), None),
                    },
                }
            } else {
                None
            };
            $attempts.sent += 1;
            let http = core.http_request(&$request, token.as_ref());
            let outcome = match $client.inner.backend.send(http) $($wait)* {
                Ok(response) => {
                    $trace.status(response.status());
                    $endpoint.parse(core.reply(response, &$request, token.as_ref()))
                }
                Err(error) => Err(error.at($request.path_cow()).into()),
            };
            match core.next_step(&outcome, token.is_some(), &mut $attempts) {
                $crate::client::Step::Done => break core.conclude(outcome, token.as_ref()),
                $crate::client::Step::RefreshToken => failed = token,
                $crate::client::Step::Retry(delay) => $sleep(delay) $($wait)*,
            }
        }
    }};
}

/// A usable token; `$failed` is one WeChat just called stale. The steps are explained in
/// [`token::refresh`](crate::token::refresh).
macro_rules! obtain_token {
    ($client:ident, $failed:ident, [$($wait:tt)*]) => {{
        let state = $client.inner.core.tokens();
        let store = &$client.inner.store;
        if let Some(token) = state.usable(store.get(state.key()) $($wait)* ?, $failed) {
            return Ok(token);
        }
        let mark = state.mark();
        let _lock = store.lock(state.key()) $($wait)* ?;
        if let Some(token) = state.usable(store.get(state.key()) $($wait)* ?, $failed) {
            return Ok(token);
        }
        if let Some(error) = state.failure_since(mark) {
            return Err(error);
        }
        if let Some(failed) = $failed {
            store.remove_if(state.key(), failed) $($wait)* ?;
        }
        let core = &$client.inner.core;
        let request = state.request();
        let outcome = match $client.inner.backend.send(core.http_request(request, None)) $($wait)* {
            Ok(response) => state.parse(core.reply(response, request, None)),
            Err(error) => Err(error.at(request.path_cow()).into()),
        };
        state.record(&outcome);
        let token = outcome?;
        store.put(state.key(), token.clone()) $($wait)* ?;
        $crate::trace::token_refreshed(state.key());
        Ok(token)
    }};
}

pub(crate) use {call_loop, obtain_token};
