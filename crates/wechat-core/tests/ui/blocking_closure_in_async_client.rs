// A closure answering synchronously is a blocking backend, not an async one.
use wechat_core::{Client, HttpRequest, HttpResponse, TransportError};

fn main() {
    let _ = Client::official_account("wx1", "secret")
        .backend(|_: HttpRequest| Ok::<_, TransportError>(HttpResponse::new(200, "{}")));
}
