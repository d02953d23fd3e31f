//! [`Reply`]: an HTTP response together with what is needed to judge it.

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use wechat_types::common::ErrcodeEnvelope;

use crate::error::{ApiError, DecodeError, Error, ErrorCode, HttpStatusError};
use crate::http::HttpResponse;
use crate::media::Media;
use crate::platform::PlatformKind;
use crate::secret::Secret;

/// The answer to one request, with the platform and endpoint it came from, so that the helpers
/// below produce complete errors.
///
/// Every helper checks, in order: the HTTP status is 2xx ([`Error::HttpStatus`] otherwise),
/// the `errcode` is absent or 0 ([`Error::Api`] otherwise), and the body decodes
/// ([`Error::Decode`] otherwise, with a short masked excerpt).
#[derive(Debug)]
pub struct Reply {
    response: HttpResponse,
    platform: PlatformKind,
    endpoint: Cow<'static, str>,
    /// The access_token and secret the client used, masked in the body excerpts of errors.
    credentials: [Option<Secret>; 2],
}

impl Reply {
    /// The answer `response` to a call of `endpoint` on `platform`.
    pub fn new(
        response: HttpResponse,
        platform: PlatformKind,
        endpoint: impl Into<Cow<'static, str>>,
    ) -> Self {
        Reply {
            response,
            platform,
            endpoint: endpoint.into(),
            credentials: [None, None],
        }
    }

    /// Masks these credential values in the body excerpts of this reply's errors.
    pub(crate) fn masking(mut self, credentials: [Option<Secret>; 2]) -> Self {
        self.credentials = credentials;
        self
    }

    fn secrets(&self) -> [&str; 2] {
        self.credentials
            .each_ref()
            .map(|secret| secret.as_ref().map_or("", Secret::expose))
    }

    /// The HTTP response.
    pub fn response(&self) -> &HttpResponse {
        &self.response
    }

    /// Takes the HTTP response, for parsing it by hand.
    pub fn into_response(self) -> HttpResponse {
        self.response
    }

    /// The platform that answered.
    pub fn platform(&self) -> PlatformKind {
        self.platform
    }

    /// The URL path of the endpoint.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Checks status and errcode; for endpoints whose success carries no data. The body must
    /// still be JSON: an HTML page with status 200 is not a success.
    pub fn unit(self) -> Result<(), Error> {
        self.check_status()?;
        // What WeChat answers to nearly every successful call, recognised without decoding.
        if self.response.body().as_ref() == br#"{"errcode":0,"errmsg":"ok"}"# {
            return Ok(());
        }
        let envelope: ErrcodeEnvelope = self.decode()?;
        self.check(envelope)
    }

    /// Checks status and errcode, then decodes the body as `T`.
    pub fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        self.check_status()?;
        // Most successful replies with data carry no errcode at all: skip the extra pass.
        if memchr::memmem::find(self.response.body(), b"\"errcode\"").is_some() {
            let envelope: ErrcodeEnvelope = self.decode()?;
            self.check(envelope)?;
        }
        self.decode()
    }

    /// Reads a media download: the file, or a video's download URL.
    ///
    /// WeChat sends the file's bytes, or for a video a JSON `{"video_url": ...}`, or an errcode
    /// JSON on failure, and its `Content-Type` is not reliable enough to tell them apart (a text
    /// file is `text/plain` too). So a body that is a JSON object with a non-zero `errcode` is
    /// an error and one with a `video_url` is a URL, whatever the content type; anything else is
    /// the file.
    pub fn media(self) -> Result<Media, Error> {
        self.check_status()?;
        if let Some(probe) = self.json_object::<MediaProbe>() {
            if probe.errcode != 0 {
                return Err(self.api_error(probe.errcode, probe.errmsg).into());
            }
            if let Some(url) = probe.video_url {
                return Ok(Media::VideoUrl(url));
            }
        }
        Ok(Media::file_from(self.response))
    }

    /// A [`Error::Decode`] for this reply, quoting the start of its body.
    pub fn decode_error(&self, message: impl std::fmt::Display) -> Error {
        DecodeError::masking(
            self.endpoint.clone(),
            message.to_string(),
            self.response.body(),
            &self.secrets(),
        )
        .into()
    }

    fn check_status(&self) -> Result<(), Error> {
        if self.response.is_success() {
            Ok(())
        } else {
            Err(HttpStatusError::new(
                self.response.status(),
                self.endpoint.clone(),
                self.response.body(),
                &self.secrets(),
            )
            .into())
        }
    }

    fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(self.response.body()).map_err(|e| self.decode_error(e))
    }

    /// An absent or zero `errcode` is a success.
    fn check(&self, envelope: ErrcodeEnvelope) -> Result<(), Error> {
        if envelope.errcode == 0 {
            Ok(())
        } else {
            Err(self.api_error(envelope.errcode, envelope.errmsg).into())
        }
    }

    fn api_error(&self, code: i64, message: Option<String>) -> ApiError {
        ApiError::new(
            ErrorCode::new(code, self.platform),
            message.unwrap_or_default(),
            self.endpoint.clone(),
        )
    }

    /// The body as `T` when it is a JSON object that decodes as one.
    fn json_object<T: DeserializeOwned>(&self) -> Option<T> {
        let body = self.response.body();
        let first = body.iter().find(|b| !b.is_ascii_whitespace())?;
        if *first != b'{' {
            return None;
        }
        serde_json::from_slice(body).ok()
    }
}

/// What a media download's JSON answer may carry.
#[derive(serde::Deserialize)]
struct MediaProbe {
    #[serde(default)]
    errcode: i64,
    #[serde(default)]
    errmsg: Option<String>,
    #[serde(default)]
    video_url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use wechat_types::common::AccessTokenResponse;

    fn reply(status: u16, body: &'static str) -> Reply {
        Reply::new(
            HttpResponse::new(status, body),
            PlatformKind::OfficialAccount,
            "/cgi-bin/x",
        )
    }

    #[test]
    fn errcode_zero_or_absent_is_success() {
        assert!(reply(200, r#"{"errcode":0,"errmsg":"ok"}"#).unit().is_ok());
        assert!(reply(200, r#"{}"#).unit().is_ok());
        let token: AccessTokenResponse = reply(200, r#"{"access_token":"T","expires_in":"7200"}"#)
            .json()
            .unwrap();
        assert_eq!(token.expires_in, 7200);
    }

    #[test]
    fn a_non_zero_errcode_is_an_api_error_even_as_a_string() {
        for body in [
            r#"{"errcode":40001,"errmsg":"invalid credential rid: 1"}"#,
            r#"{"errmsg":"invalid credential rid: 1","errcode":"40001"}"#,
        ] {
            let Err(Error::Api(error)) = reply(200, body).unit() else {
                panic!("{body}")
            };
            assert_eq!(error.code().value(), 40001);
            assert_eq!(error.message(), "invalid credential rid: 1");
            assert_eq!(error.endpoint(), "/cgi-bin/x");
        }
    }

    #[test]
    fn status_html_truncation_and_wrong_types_are_typed() {
        let status = reply(502, "<html>Bad Gateway</html>").unit().unwrap_err();
        assert!(
            matches!(&status, Error::HttpStatus(e) if e.status() == 502 && e.excerpt() == "<html>Bad Gateway</html>")
        );
        assert!(matches!(
            reply(200, "<html>maintenance</html>").unit(),
            Err(Error::Decode(_))
        ));
        assert!(matches!(
            reply(200, r#"{"errcode":0,"err"#).unit(),
            Err(Error::Decode(_))
        ));
        assert!(matches!(reply(200, "").unit(), Err(Error::Decode(_))));
        let wrong = reply(200, r#"{"access_token":"SECRET_TOKEN","expires_in":[]}"#)
            .json::<AccessTokenResponse>()
            .unwrap_err();
        let Error::Decode(decode) = &wrong else {
            panic!("{wrong:?}")
        };
        assert!(
            decode.message().contains("expires_in") || decode.message().contains("invalid type"),
            "{decode}"
        );
        assert!(!wrong.to_string().contains("SECRET_TOKEN"), "{wrong}");
    }

    #[test]
    fn media_tells_files_urls_and_errors_apart() {
        let file = Reply::new(
            HttpResponse::new(200, &b"\xff\xd8jpeg"[..])
                .with_header("Content-Type", "image/jpeg")
                .with_header(
                    "Content-disposition",
                    r#"attachment; filename="MEDIA_ID.jpg""#,
                ),
            PlatformKind::OfficialAccount,
            "/cgi-bin/media/get",
        )
        .media()
        .unwrap();
        let Media::File(file) = file else { panic!() };
        assert_eq!(file.content_type(), Some("image/jpeg"));
        assert_eq!(file.filename(), Some("MEDIA_ID.jpg"));
        assert_eq!(&file.data()[..], b"\xff\xd8jpeg");

        let url = reply(200, r#"{"video_url":"http://v/1.mp4"}"#)
            .media()
            .unwrap();
        assert_eq!(url, Media::VideoUrl("http://v/1.mp4".into()));

        let error = reply(200, r#"{"errcode":40007,"errmsg":"invalid media_id"}"#)
            .media()
            .unwrap_err();
        assert_eq!(error.errcode().map(ErrorCode::value), Some(40007));

        let text_file = reply(200, "{ not json, just a text file").media().unwrap();
        assert!(matches!(text_file, Media::File(_)));
    }
}
