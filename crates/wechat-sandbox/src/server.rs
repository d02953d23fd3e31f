//! The HTTP server: the router (control API under `/sandbox`, the emulated API everywhere
//! else) and an accept loop of our own over hyper, so that a fault can close a connection
//! without answering — something a handler cannot do through axum's own server.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower_service::Service;

use crate::http_api::{self, DropConnection};
use crate::shared::Shared;

/// The largest request body read (uploads: 10 MB media, 5 MB avatars, with room to spare so
/// that an oversized file meets WeChat's errcode, not a cut connection).
const MAX_BODY: usize = 64 * 1024 * 1024;

/// Every route of the sandbox.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    crate::control::routes::router()
        .fallback(http_api::serve)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(shared)
}

/// Accepts connections until the runtime stops, serving each on its own task.
pub(crate) async fn accept(listener: TcpListener, router: Router) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(error) => {
                // Out of file descriptors, for example: try again shortly.
                tracing::warn!(%error, "wechat-sandbox: accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(connection(stream, router.clone()));
    }
}

/// Serves the requests of one connection until the client closes it, or a fault drops it.
async fn connection(stream: tokio::net::TcpStream, router: Router) {
    let dropped = Arc::new(Notify::new());
    let signal = DropConnection(Arc::clone(&dropped));
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(signal.clone());
        let mut router = router.clone();
        async move { router.call(request).await }
    });
    let serving = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        result = serving => {
            if let Err(error) = result {
                tracing::debug!(%error, "wechat-sandbox: connection ended with an error");
            }
        }
        // Dropping the connection closes the socket before any answer is written.
        () = dropped.notified() => {}
    }
}
