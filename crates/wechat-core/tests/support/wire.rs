//! Just enough HTTP/1.1 to talk to the SDK's two backends, written by hand on a raw
//! [`TcpStream`](tokio::net::TcpStream).
//!
//! A framework server (axum, hyper) always answers with well-formed HTTP; the tests also need
//! the answers no framework will write: a body shorter than its `Content-Length`, a connection
//! closed or reset right after the request. Owning the bytes makes those one line each, and it
//! records the request exactly as it arrived.
//!
//! What the backends send is all this reads: a request line, headers, and a body sized by
//! `Content-Length` (neither backend sends chunked request bodies for in-memory payloads).

use std::io;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// One request as the server read it off the wire, kept for the tests' assertions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// `GET`, `POST`.
    pub method: String,
    /// The URL path, without the query.
    pub path: String,
    /// The raw query string after `?` (still percent-encoded); empty when there is none.
    pub query: String,
    /// The headers in the order they came, names lowercased.
    pub headers: Vec<(String, String)>,
    /// The body, byte for byte.
    pub body: Vec<u8>,
    /// Which connection it came on (numbered from 1 in accept order): shows connection reuse.
    pub connection: usize,
}

impl Received {
    /// The value of query parameter `name`, percent-decoded: what WeChat would read.
    pub fn query_param(&self, name: &str) -> Option<String> {
        form_urlencoded::parse(self.query.as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }

    /// The value of the first header called `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The `access_token` query parameter: which token the client used for this call.
    pub fn access_token(&self) -> Option<String> {
        self.query_param("access_token")
    }
}

/// Reads the next request of kept-alive connection number `connection`; `None` once the
/// client has closed it.
pub(super) async fn read_request(
    reader: &mut BufReader<TcpStream>,
    connection: usize,
) -> io::Result<Option<Received>> {
    let mut line = String::new();
    if reader.read_line(&mut line).await? == 0 {
        return Ok(None);
    }
    let mut parts = line.trim_end().split(' ');
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Err(invalid(format!("bad request line {line:?}")));
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut received = Received {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        headers: Vec::new(),
        body: Vec::new(),
        connection,
    };
    loop {
        line.clear();
        if reader.read_line(&mut line).await? == 0 {
            return Err(invalid("the connection closed inside the headers".into()));
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header
            .split_once(':')
            .ok_or_else(|| invalid(format!("bad header {header:?}")))?;
        received
            .headers
            .push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    if received.header("transfer-encoding").is_some() {
        // A backend that starts streaming bodies must fail loudly here, not be misread.
        return Err(invalid("chunked request bodies are not supported".into()));
    }
    let length = match received.header("content-length") {
        Some(value) => value
            .parse::<usize>()
            .map_err(|_| invalid(format!("bad content-length {value:?}")))?,
        None => 0,
    };
    received.body = vec![0; length];
    reader.read_exact(&mut received.body).await?;
    Ok(Some(received))
}

/// A request this server cannot read: the connection is dropped and the reason printed.
fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// A complete answer: status, headers and body (`Content-Length` is added when written).
#[derive(Debug, Clone)]
pub(super) struct Response {
    /// The status code.
    pub(super) status: u16,
    /// The headers, as written (WeChat capitalises them its own way).
    pub(super) headers: Vec<(&'static str, String)>,
    /// The body.
    pub(super) body: Vec<u8>,
}

impl Response {
    /// `status` with a body of type `content_type`.
    pub(super) fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_owned())],
            body: body.into(),
        }
    }

    /// 200 with a JSON body, as WeChat sends it.
    pub(super) fn json(body: impl Into<String>) -> Self {
        Response::new(200, "application/json; encoding=utf-8", body.into())
    }

    /// Adds a header.
    pub(super) fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The status line and headers, declaring `content_length` body bytes.
    fn head(&self, content_length: usize) -> Vec<u8> {
        self.head_with(&format!("Content-Length: {content_length}"))
    }

    /// The status line and headers, then `framing` (the header that says where the body ends).
    fn head_with(&self, framing: &str) -> Vec<u8> {
        let reason = match self.status {
            200 => "OK",
            302 => "Found",
            404 => "Not Found",
            502 => "Bad Gateway",
            _ => "Unknown",
        };
        let mut head = format!("HTTP/1.1 {} {reason}\r\n", self.status);
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("{framing}\r\n\r\n"));
        head.into_bytes()
    }
}

/// Writes `response` whole; the connection stays open for the next request.
pub(super) async fn write_response(stream: &mut TcpStream, response: &Response) -> io::Result<()> {
    let mut bytes = response.head(response.body.len());
    bytes.extend_from_slice(&response.body);
    stream.write_all(&bytes).await?;
    stream.flush().await
}

/// Writes `response` declaring a `Content-Length` twice its body's, so the client is left
/// waiting for bytes that never come until the caller closes the connection.
pub(super) async fn write_short_body(
    stream: &mut TcpStream,
    response: &Response,
) -> io::Result<()> {
    let mut bytes = response.head(response.body.len() * 2 + 1);
    bytes.extend_from_slice(&response.body);
    stream.write_all(&bytes).await?;
    stream.flush().await
}

/// Writes `response` with `Transfer-Encoding: chunked`, its body cut into three chunks; the
/// connection stays open for the next request.
pub(super) async fn write_chunked(stream: &mut TcpStream, response: &Response) -> io::Result<()> {
    let mut bytes = response.head_with("Transfer-Encoding: chunked");
    let third = response.body.len().div_ceil(3).max(1);
    for chunk in response.body.chunks(third) {
        bytes.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        bytes.extend_from_slice(chunk);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(b"0\r\n\r\n");
    stream.write_all(&bytes).await?;
    stream.flush().await
}
