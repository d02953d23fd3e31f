//! An axum app served on 127.0.0.1 from a runtime of its own, for the tests' callback servers
//! (the tests themselves are synchronous).

use axum::Router;

/// A running server; dropping it stops it.
pub struct Served {
    url: String,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Served {
    /// Serves `app` on a free port; [`url`](Self::url) is `http://127.0.0.1:PORT{path}`.
    pub fn start(app: Router, path: &str) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for the server");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}{path}", listener.local_addr().unwrap());
        {
            let _context = runtime.enter();
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            runtime.spawn(async move { axum::serve(listener, app).await });
        }
        Served {
            url,
            runtime: Some(runtime),
        }
    }

    /// Where the app is served.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
