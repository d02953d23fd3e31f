//! Endpoints as values (sans-IO): what to send, and how to read the answer.
//!
//! An [`Endpoint<P>`] builds a [`Request`] (method, path, query, body, whether it needs the
//! access_token) and parses a [`Reply`]. It does no IO, so the async [`Client`](crate::Client)
//! and the [`BlockingClient`](crate::BlockingClient) execute the very same values, and a test
//! can check a request without any network. The endpoints of every WeChat API are generated
//! from the schemas into [`endpoints`](crate::endpoints); implement the trait yourself for
//! anything they do not cover.

mod reply;
mod request;

pub use reply::Reply;
pub use request::Request;

use crate::error::Error;
use crate::platform::Platform;

/// One WeChat API call on platform `P`.
///
/// `P` is a type, so a client of one surface cannot execute another surface's endpoints: a
/// `Client<Work>` given an Official Account endpoint does not compile. Endpoints shared by the
/// Official Account and the Mini Program implement `Endpoint<P>` for every
/// [`AppPlatform`](crate::AppPlatform).
///
/// ```
/// use wechat_core::{Endpoint, Error, OfficialAccount, Reply, Request};
///
/// /// `GET /cgi-bin/get_api_domain_ip`, which the generated endpoints do not cover.
/// struct ApiDomainIps;
///
/// #[derive(serde::Deserialize)]
/// struct Ips {
///     ip_list: Vec<String>,
/// }
///
/// impl Endpoint<OfficialAccount> for ApiDomainIps {
///     type Output = Vec<String>;
///
///     fn request(&self) -> Result<Request, Error> {
///         Ok(Request::get("/cgi-bin/get_api_domain_ip"))
///     }
///
///     fn parse(&self, reply: Reply) -> Result<Self::Output, Error> {
///         Ok(reply.json::<Ips>()?.ip_list)
///     }
/// }
/// ```
pub trait Endpoint<P: Platform> {
    /// What a successful call returns.
    type Output;

    /// The request to send, without host or access_token (the client adds both). Checks the
    /// documented limits: a broken one is an [`Error::InvalidRequest`] and nothing is sent.
    fn request(&self) -> Result<Request, Error>;

    /// Reads the answer. A non-2xx status, a non-zero `errcode` and a body that does not decode
    /// are errors; [`Reply`] has the helpers that check all three.
    fn parse(&self, reply: Reply) -> Result<Self::Output, Error>;
}
