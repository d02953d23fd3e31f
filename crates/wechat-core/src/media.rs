//! Files going up (temporary media, avatars) and coming down (media downloads).

use std::fmt;
use std::path::Path;

use bytes::Bytes;

use crate::http::HttpResponse;

/// A file to upload: its name, content type and bytes.
///
/// WeChat reads the file from the multipart form field `media`; the name is what recipients
/// see for file messages. Cloning is cheap (the bytes are shared).
#[derive(Clone, PartialEq, Eq)]
pub struct Upload {
    filename: String,
    content_type: String,
    data: Bytes,
}

impl Upload {
    /// A file with an explicit content type (`image/jpeg`).
    pub fn new(
        filename: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> Self {
        Upload {
            filename: filename.into(),
            content_type: content_type.into(),
            data: data.into(),
        }
    }

    /// A file whose content type is guessed from the extension of `filename`
    /// (`application/octet-stream` when unknown).
    pub fn from_bytes(filename: impl Into<String>, data: impl Into<Bytes>) -> Self {
        let filename = filename.into();
        let content_type = guess_content_type(&filename);
        Upload::new(filename, content_type, data)
    }

    /// Reads the file at `path`; the name is its last component, the content type is guessed
    /// from its extension. This reads synchronously: in async code, prefer reading the file
    /// with your runtime and calling [`from_bytes`](Upload::from_bytes).
    pub fn from_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let data = std::fs::read(path)?;
        let filename = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(Upload::from_bytes(filename, data))
    }

    /// The file name.
    pub fn filename(&self) -> &str {
        &self.filename
    }

    /// The content type.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The bytes.
    pub fn data(&self) -> &Bytes {
        &self.data
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upload")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("data", &format_args!("<{} bytes>", self.data.len()))
            .finish()
    }
}

fn guess_content_type(filename: &str) -> String {
    let extension = Path::new(filename)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    // AMR, WeChat's voice format, is missing from mime_guess's table.
    if extension.as_deref() == Some("amr") {
        return "audio/amr".to_owned();
    }
    mime_guess::from_path(filename)
        .first_raw()
        .unwrap_or("application/octet-stream")
        .to_owned()
}

/// A downloaded temporary media.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Media {
    /// The file itself (images, voice, thumbnails; any file on WeChat Work).
    File(MediaFile),
    /// Where to download a video from: WeChat answers a video download with a URL instead of
    /// the bytes.
    VideoUrl(String),
}

impl Media {
    pub(crate) fn file_from(response: HttpResponse) -> Media {
        let content_type = response.header("content-type").map(str::to_owned);
        let filename = response
            .header("content-disposition")
            .and_then(disposition_filename)
            .map(str::to_owned);
        Media::File(MediaFile {
            content_type,
            filename,
            data: response.into_body(),
        })
    }
}

/// A downloaded file.
#[derive(Clone, PartialEq, Eq)]
pub struct MediaFile {
    content_type: Option<String>,
    filename: Option<String>,
    data: Bytes,
}

impl MediaFile {
    /// The `Content-Type` WeChat sent.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The file name from `Content-Disposition` (`MEDIA_ID.jpg`).
    pub fn filename(&self) -> Option<&str> {
        self.filename.as_deref()
    }

    /// The bytes.
    pub fn data(&self) -> &Bytes {
        &self.data
    }

    /// Takes the bytes.
    pub fn into_data(self) -> Bytes {
        self.data
    }
}

impl fmt::Debug for MediaFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MediaFile")
            .field("content_type", &self.content_type)
            .field("filename", &self.filename)
            .field("data", &format_args!("<{} bytes>", self.data.len()))
            .finish()
    }
}

/// `filename` of `attachment; filename="MEDIA_ID.jpg"` (quoted or not).
fn disposition_filename(header: &str) -> Option<&str> {
    header.split(';').find_map(|part| {
        let (name, value) = part.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("filename") {
            return None;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        (!value.is_empty()).then_some(value)
    })
}

pub(crate) mod multipart {
    //! `multipart/form-data` with one file part, built byte for byte here so that every backend
    //! sends the same bytes.

    use bytes::{BufMut, Bytes, BytesMut};

    use super::Upload;

    /// The boundary, made longer until it does not occur in the file.
    const BOUNDARY: &str = "wechat-sdk-form-boundary-7MA4YWxkTrZu0gW";

    /// `(content-type header value, body)` for `file` in form field `field`.
    pub(crate) fn encode(field: &str, file: &Upload) -> (String, Bytes) {
        let mut boundary = String::from(BOUNDARY);
        while memchr::memmem::find(file.data(), boundary.as_bytes()).is_some() {
            boundary.push('x');
        }
        let head = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
            quote(field),
            quote(file.filename()),
            single_line(file.content_type()),
        );
        let tail = format!("\r\n--{boundary}--\r\n");
        let mut body = BytesMut::with_capacity(head.len() + file.data().len() + tail.len());
        body.put_slice(head.as_bytes());
        body.put_slice(file.data());
        body.put_slice(tail.as_bytes());
        (
            format!("multipart/form-data; boundary={boundary}"),
            body.freeze(),
        )
    }

    /// A value for a quoted header parameter, escaped as browsers do (WHATWG HTML): `"`, CR
    /// and LF percent-encoded; other characters, Chinese file names included, as UTF-8.
    fn quote(value: &str) -> String {
        value
            .replace('"', "%22")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    }

    /// A header value cannot span lines.
    fn single_line(value: &str) -> String {
        value.replace(['\r', '\n'], " ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_bytes_are_exact() {
        let file = Upload::new("a\"b.txt", "text/plain", &b"hello"[..]);
        let (content_type, body) = multipart::encode("media", &file);
        assert_eq!(
            content_type,
            "multipart/form-data; boundary=wechat-sdk-form-boundary-7MA4YWxkTrZu0gW"
        );
        assert_eq!(
            std::str::from_utf8(&body).unwrap(),
            "--wechat-sdk-form-boundary-7MA4YWxkTrZu0gW\r\n\
             Content-Disposition: form-data; name=\"media\"; filename=\"a%22b.txt\"\r\n\
             Content-Type: text/plain\r\n\r\nhello\r\n\
             --wechat-sdk-form-boundary-7MA4YWxkTrZu0gW--\r\n"
        );
    }

    #[test]
    fn the_boundary_never_occurs_in_the_file() {
        let data = "x--wechat-sdk-form-boundary-7MA4YWxkTrZu0gW\r\n".to_owned();
        let (content_type, _) = multipart::encode("media", &Upload::new("f", "text/plain", data));
        assert!(content_type.ends_with("7MA4YWxkTrZu0gWx"), "{content_type}");
    }

    #[test]
    fn content_types_are_guessed_from_the_name() {
        assert_eq!(
            Upload::from_bytes("a.JPG", &b"x"[..]).content_type(),
            "image/jpeg"
        );
        assert_eq!(
            Upload::from_bytes("v.mp4", &b"x"[..]).content_type(),
            "video/mp4"
        );
        assert_eq!(
            Upload::from_bytes("noext", &b"x"[..]).content_type(),
            "application/octet-stream"
        );
        assert_eq!(
            format!("{:?}", Upload::from_bytes("a.png", vec![0; 3])),
            r#"Upload { filename: "a.png", content_type: "image/png", data: <3 bytes> }"#
        );
    }

    #[test]
    fn reads_files_from_disk() {
        let path =
            std::env::temp_dir().join(format!("wechat-core-upload-{}.amr", std::process::id()));
        std::fs::write(&path, b"#!AMR").unwrap();
        let upload = Upload::from_path(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            upload.filename(),
            path.file_name().unwrap().to_str().unwrap()
        );
        assert_eq!(upload.content_type(), "audio/amr");
        assert!(Upload::from_path("/definitely/not/here.png").is_err());
    }

    #[test]
    fn disposition_filenames() {
        assert_eq!(
            disposition_filename(r#"attachment; filename="a.jpg""#),
            Some("a.jpg")
        );
        assert_eq!(
            disposition_filename("attachment; FILENAME=b.png"),
            Some("b.png")
        );
        assert_eq!(disposition_filename("attachment"), None);
    }
}
