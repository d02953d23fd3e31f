//! Temporary media over real HTTP, with both backends: an upload reaches the server as the
//! same multipart bytes from either backend, and a download tells a file, a video URL and an
//! errcode apart.

mod support;

#[cfg(feature = "reqwest")]
mod reqwest_client {
    //! The async `Client` on `ReqwestBackend`.

    use wechat_core::endpoints::common::{GetTempMedia, UploadTempMedia};
    use wechat_types::common::{MediaGetQuery, MediaType, MediaUploadQuery};

    use crate::checks;
    use crate::support::clients::async_client;
    use crate::support::{
        Fault, IMAGE_MEDIA_ID, LARGE_MEDIA_ID, MEDIA_GET, VIDEO_MEDIA_ID, WeChatServer,
    };

    #[tokio::test]
    async fn an_upload_sends_the_multipart_body_built_by_the_sdk() {
        let server = WeChatServer::start();
        let client = async_client(server.url());
        let upload = UploadTempMedia::new(MediaUploadQuery::new(MediaType::Image), checks::file());

        let uploaded = client.execute(&upload).await.unwrap();

        checks::uploaded(&server, &uploaded);
    }

    #[tokio::test]
    async fn an_image_download_is_a_file_with_its_name_and_content_type() {
        let server = WeChatServer::start();
        let client = async_client(server.url());
        let get = GetTempMedia::new(MediaGetQuery::new(IMAGE_MEDIA_ID));

        let media = client.execute(&get).await.unwrap();

        checks::image(&server, &media);
    }

    #[tokio::test]
    async fn a_large_download_arrives_whole() {
        let server = WeChatServer::start();
        let client = async_client(server.url());
        let get = GetTempMedia::new(MediaGetQuery::new(LARGE_MEDIA_ID));

        let media = client.execute(&get).await.unwrap();

        checks::large(&media);
    }

    #[tokio::test]
    async fn a_large_download_in_chunks_without_a_length_arrives_whole() {
        let server = WeChatServer::start();
        server.fail_next(MEDIA_GET, 1, Fault::Chunked);
        let client = async_client(server.url());
        let get = GetTempMedia::new(MediaGetQuery::new(LARGE_MEDIA_ID));

        let media = client.execute(&get).await.unwrap();

        checks::large(&media);
    }

    #[tokio::test]
    async fn a_video_download_is_the_video_url() {
        let server = WeChatServer::start();
        let client = async_client(server.url());
        let get = GetTempMedia::new(MediaGetQuery::new(VIDEO_MEDIA_ID));

        let media = client.execute(&get).await.unwrap();

        checks::video(&media);
    }

    #[tokio::test]
    async fn a_download_answered_40007_as_text_plain_is_an_api_error() {
        let server = WeChatServer::start();
        let client = async_client(server.url());
        let get = GetTempMedia::new(MediaGetQuery::new("EXPIRED_MEDIA_ID"));

        let error = client.execute(&get).await.unwrap_err();

        checks::invalid_media_id(&error);
    }
}

#[cfg(feature = "ureq")]
mod ureq_client {
    //! The `BlockingClient` on `UreqBackend`.

    use wechat_core::endpoints::common::{GetTempMedia, UploadTempMedia};
    use wechat_types::common::{MediaGetQuery, MediaType, MediaUploadQuery};

    use crate::checks;
    use crate::support::clients::blocking_client;
    use crate::support::{
        Fault, IMAGE_MEDIA_ID, LARGE_MEDIA_ID, MEDIA_GET, VIDEO_MEDIA_ID, WeChatServer,
    };

    #[test]
    fn an_upload_sends_the_multipart_body_built_by_the_sdk() {
        let server = WeChatServer::start();
        let client = blocking_client(server.url());
        let upload = UploadTempMedia::new(MediaUploadQuery::new(MediaType::Image), checks::file());

        let uploaded = client.execute(&upload).unwrap();

        checks::uploaded(&server, &uploaded);
    }

    #[test]
    fn an_image_download_is_a_file_with_its_name_and_content_type() {
        let server = WeChatServer::start();
        let client = blocking_client(server.url());
        let get = GetTempMedia::new(MediaGetQuery::new(IMAGE_MEDIA_ID));

        let media = client.execute(&get).unwrap();

        checks::image(&server, &media);
    }

    #[test]
    fn a_large_download_arrives_whole() {
        let server = WeChatServer::start();
        let client = blocking_client(server.url());
        let get = GetTempMedia::new(MediaGetQuery::new(LARGE_MEDIA_ID));

        let media = client.execute(&get).unwrap();

        checks::large(&media);
    }

    #[test]
    fn a_large_download_in_chunks_without_a_length_arrives_whole() {
        let server = WeChatServer::start();
        server.fail_next(MEDIA_GET, 1, Fault::Chunked);
        let client = blocking_client(server.url());
        let get = GetTempMedia::new(MediaGetQuery::new(LARGE_MEDIA_ID));

        let media = client.execute(&get).unwrap();

        checks::large(&media);
    }

    #[test]
    fn a_video_download_is_the_video_url() {
        let server = WeChatServer::start();
        let client = blocking_client(server.url());
        let get = GetTempMedia::new(MediaGetQuery::new(VIDEO_MEDIA_ID));

        let media = client.execute(&get).unwrap();

        checks::video(&media);
    }

    #[test]
    fn a_download_answered_40007_as_text_plain_is_an_api_error() {
        let server = WeChatServer::start();
        let client = blocking_client(server.url());
        let get = GetTempMedia::new(MediaGetQuery::new("EXPIRED_MEDIA_ID"));

        let error = client.execute(&get).unwrap_err();

        checks::invalid_media_id(&error);
    }
}

#[cfg(all(feature = "reqwest", feature = "ureq"))]
#[tokio::test]
async fn both_backends_send_byte_identical_uploads() {
    use wechat_core::endpoints::common::UploadTempMedia;
    use wechat_types::common::{MediaType, MediaUploadQuery};

    use support::clients::{async_client, blocking_client};
    use support::{UPLOAD, WeChatServer};

    let server = WeChatServer::start();
    let upload = UploadTempMedia::new(MediaUploadQuery::new(MediaType::Image), checks::file());
    async_client(server.url()).execute(&upload).await.unwrap();
    let blocking = blocking_client(server.url());
    tokio::task::spawn_blocking(move || blocking.execute(&upload))
        .await
        .unwrap()
        .unwrap();

    let [from_reqwest, from_ureq] = &server.requests_to(UPLOAD)[..] else {
        panic!("expected two uploads")
    };
    assert_eq!(from_reqwest.body, from_ureq.body);
    for header in ["content-type", "content-length", "user-agent"] {
        assert_eq!(
            from_reqwest.header(header),
            from_ureq.header(header),
            "{header}"
        );
    }
    assert_eq!(from_reqwest.query, from_ureq.query);
}

#[cfg(any(feature = "reqwest", feature = "ureq"))]
mod checks {
    //! The file the tests upload and the expectations both backends' tests share.

    use wechat_core::{Error, Media, Upload};
    use wechat_types::common::{MediaType, MediaUploadResponse};

    use crate::support::expect::{errcode, names_endpoint_without_credentials};
    use crate::support::{
        IMAGE_BYTES, IMAGE_MEDIA_ID, MEDIA_GET, Received, UPLOAD, UPLOADED_MEDIA_ID, VIDEO_URL,
        WeChatServer, large_file,
    };

    /// A small "GIF" with a Chinese name: the name must reach WeChat as UTF-8, unescaped. Its
    /// bytes are printable so that the snapshot reads as text.
    pub(crate) fn file() -> Upload {
        Upload::from_bytes("客服头像.gif", &b"GIF89a, a fake one-pixel image"[..])
    }

    /// The upload was answered, and the server received the SDK's multipart body exactly as
    /// the snapshot shows it (the same snapshot for both backends).
    pub(crate) fn uploaded(server: &WeChatServer, uploaded: &MediaUploadResponse) {
        assert_eq!(uploaded.media_id, UPLOADED_MEDIA_ID);
        assert_eq!(uploaded.media_type, Some(MediaType::Image));
        assert_eq!(uploaded.created_at, Some(1_700_000_000));
        let [request] = &server.requests_to(UPLOAD)[..] else {
            panic!("expected one upload")
        };
        assert_eq!(request.access_token(), server.current_token());
        insta::assert_snapshot!("upload_request", render(request));
    }

    /// The upload as text: request line (without the token), the headers that describe the
    /// body, and the body with each CRLF shown.
    fn render(request: &Received) -> String {
        let body = std::str::from_utf8(&request.body)
            .expect("the test file is UTF-8")
            .replace("\r\n", "\\r\\n\n");
        format!(
            "{} {}?type={}\ncontent-type: {}\ncontent-length: {}\n\n{body}",
            request.method,
            request.path,
            request.query_param("type").unwrap_or_default(),
            request.header("content-type").unwrap_or_default(),
            request.header("content-length").unwrap_or_default(),
        )
    }

    /// The image came back as a file with the name and type WeChat's headers gave.
    pub(crate) fn image(server: &WeChatServer, media: &Media) {
        let Media::File(file) = media else {
            panic!("expected a file, got {media:?}")
        };
        assert_eq!(file.content_type(), Some("image/jpeg"));
        assert_eq!(file.filename(), Some("IMAGE_MEDIA_ID.jpg"));
        assert_eq!(&file.data()[..], IMAGE_BYTES);
        let [request] = &server.requests_to(MEDIA_GET)[..] else {
            panic!("expected one download")
        };
        assert_eq!(request.method, "GET");
        assert_eq!(
            request.query_param("media_id").as_deref(),
            Some(IMAGE_MEDIA_ID)
        );
        assert_eq!(request.access_token(), server.current_token());
    }

    /// The 4 MiB file, which reaches the client in many reads, came back byte for byte.
    pub(crate) fn large(media: &Media) {
        let Media::File(file) = media else {
            panic!("expected a file, got {media:?}")
        };
        assert_eq!(file.filename(), Some("LARGE_MEDIA_ID.bin"));
        assert!(file.data()[..] == large_file()[..], "the bytes differ");
    }

    /// The video came back as its URL.
    pub(crate) fn video(media: &Media) {
        assert_eq!(*media, Media::VideoUrl(VIDEO_URL.to_owned()));
    }

    /// The errcode JSON, though labelled `text/plain`, is an API error and not a file.
    pub(crate) fn invalid_media_id(error: &Error) {
        assert!(matches!(error, Error::Api(_)), "{error:?}");
        assert_eq!(errcode(error), 40007);
        names_endpoint_without_credentials(error, MEDIA_GET);
    }
}
