//! Temporary media against the sandbox, with both backends: uploads of every type answered with
//! a media_id, downloads of the same bytes (a video as its `video_url`), the format, size and
//! type refusals, the 3-day lifetime, and the media users send (reference §7, §10).

mod support;

use std::time::Duration;

use bytes::Bytes;
use serde_json::json;
use wechat_core::callback::Receiver;
use wechat_core::endpoints::common::{GetTempMedia, UploadTempMedia};
use wechat_core::types::common::{
    Errcode, MediaGetQuery, MediaType, MediaUploadQuery, MediaUploadResponse,
};
use wechat_core::types::mp::InboundMessage;
use wechat_core::{
    Endpoint, Error, HttpRequest, Media, MediaFile, Method, OfficialAccount, Reply, Request, Upload,
};
use wechat_sandbox::{
    AppConfig, CallbackConfig, DEFAULT_APPID, DEFAULT_SECRET, Sandbox, UserMessage, samples,
};

use support::bot::{Answer, Bot};
use support::{
    Backend, Caller, RawJson, T0, each_backend_with, each_frozen_backend, frozen, http_get,
    send_raw,
};

const UPLOAD: &str = "/cgi-bin/media/upload";
const GET: &str = "/cgi-bin/media/get";

const KB: usize = 1024;
const MB: usize = 1024 * 1024;
const THREE_DAYS: Duration = Duration::from_secs(3 * 24 * 3600);

fn upload(
    caller: &Caller,
    media_type: MediaType,
    name: &str,
    data: impl Into<Bytes>,
) -> Result<MediaUploadResponse, Error> {
    caller.call(&UploadTempMedia::new(
        MediaUploadQuery::new(media_type),
        Upload::from_bytes(name, data),
    ))
}

fn upload_errcode(
    caller: &Caller,
    media_type: MediaType,
    name: &str,
    data: impl Into<Bytes>,
) -> Errcode {
    support::errcode(&upload(caller, media_type, name, data).unwrap_err())
}

fn get(caller: &Caller, media_id: &str) -> Result<Media, Error> {
    caller.call(&GetTempMedia::new(MediaGetQuery::new(media_id)))
}

/// The file behind `media_id`; fails the test for a video URL or an error.
fn download(caller: &Caller, media_id: &str) -> MediaFile {
    match get(caller, media_id).unwrap() {
        Media::File(file) => file,
        other => panic!("expected a file for {media_id}, got {other:?}"),
    }
}

/// The `video_url` behind `media_id`; fails the test for a file or an error.
fn video_url(caller: &Caller, media_id: &str) -> String {
    match get(caller, media_id).unwrap() {
        Media::VideoUrl(url) => url,
        other => panic!("expected a video URL for {media_id}, got {other:?}"),
    }
}

fn get_errcode(caller: &Caller, media_id: &str) -> Errcode {
    support::errcode(&get(caller, media_id).unwrap_err())
}

/// `magic` followed by zeros, `len` bytes in all: a file of that type and size.
fn padded(magic: &[u8], len: usize) -> Bytes {
    let mut data = magic.to_vec();
    data.resize(len, 0);
    Bytes::from(data)
}

fn is_wechat_media_id(media_id: &str) -> bool {
    media_id.len() == 64
        && media_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// An upload whose query and form field the test chooses: what the typed API never builds
/// (no `type`, the file in another field).
struct RawUpload {
    query: Vec<(&'static str, &'static str)>,
    field: &'static str,
    file: Upload,
}

impl Endpoint<OfficialAccount> for RawUpload {
    type Output = MediaUploadResponse;

    fn request(&self) -> Result<Request, Error> {
        Request::post(UPLOAD)
            .with_unchecked_query(&self.query)?
            .with_multipart(self.field, &self.file)
    }

    fn parse(&self, reply: Reply) -> Result<Self::Output, Error> {
        reply.json()
    }
}

#[test]
fn each_type_uploads_and_answers_a_media_id_its_type_and_the_time() {
    each_frozen_backend(|sandbox, caller| {
        let cases = [
            (MediaType::Image, "a.png", samples::PNG),
            (MediaType::Image, "a.jpg", samples::JPEG),
            (MediaType::Voice, "a.amr", samples::AMR),
            (MediaType::Video, "a.mp4", samples::MP4),
            (MediaType::Thumb, "t.jpg", samples::JPEG),
        ];
        let mut ids = Vec::new();
        for (i, (media_type, name, data)) in cases.into_iter().enumerate() {
            let answer = upload(caller, media_type.clone(), name, data).unwrap();
            assert!(is_wechat_media_id(&answer.media_id), "{answer:?}");
            assert_eq!(answer.media_type, Some(media_type), "{name}");
            assert_eq!(answer.created_at, Some((T0 + 10 * i as u64) as i64));
            assert_eq!(answer.created_at, Some(sandbox.clock().unix() as i64));
            ids.push(answer.media_id);
            sandbox.advance(Duration::from_secs(10));
        }
        // The same file twice is two media.
        let again = upload(caller, MediaType::Image, "a.png", samples::PNG).unwrap();
        ids.push(again.media_id);
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
    });
}

#[test]
fn a_download_is_the_uploaded_file_with_its_type() {
    each_frozen_backend(|_sandbox, caller| {
        for (media_type, name, data, content_type, extension) in [
            (MediaType::Image, "a.png", samples::PNG, "image/png", "png"),
            (
                MediaType::Image,
                "photo.jpg",
                samples::JPEG,
                "image/jpeg",
                "jpg",
            ),
            (
                MediaType::Voice,
                "hello.amr",
                samples::AMR,
                "audio/amr",
                "amr",
            ),
            (
                MediaType::Thumb,
                "cover.jpg",
                samples::JPEG,
                "image/jpeg",
                "jpg",
            ),
        ] {
            let media_id = upload(caller, media_type, name, data).unwrap().media_id;
            let file = download(caller, &media_id);
            assert_eq!(file.data().as_ref(), data, "{name}");
            assert_eq!(file.content_type(), Some(content_type), "{name}");
            // As WeChat names downloads (§7.2): `MEDIA_ID.jpg`, whatever the upload was called.
            let filename = format!("{media_id}.{extension}");
            assert_eq!(file.filename(), Some(filename.as_str()));
        }
    });
}

#[test]
fn the_content_type_is_the_files_not_the_declared_one() {
    each_frozen_backend(|_sandbox, caller| {
        // A PNG sent as `image/jpeg` under a `.jpg` name is still a PNG.
        let media_id = caller
            .call(&UploadTempMedia::new(
                MediaUploadQuery::new(MediaType::Image),
                Upload::new("mislabelled.jpg", "image/jpeg", samples::PNG),
            ))
            .unwrap()
            .media_id;
        let file = download(caller, &media_id);
        assert_eq!(file.content_type(), Some("image/png"));
        assert_eq!(file.data().as_ref(), samples::PNG);
    });
}

#[test]
fn a_video_downloads_as_its_video_url() {
    each_frozen_backend(|sandbox, caller| {
        let media_id = upload(caller, MediaType::Video, "clip.mp4", samples::MP4)
            .unwrap()
            .media_id;
        let url = video_url(caller, &media_id);
        assert!(url.starts_with(sandbox.url()), "{url}");
        assert!(url.contains(&media_id), "{url}");
        let (status, content_type, data) = http_get(&url);
        assert_eq!(status, 200);
        assert_eq!(content_type, "video/mp4");
        assert_eq!(data, samples::MP4);

        // The URL lives as long as the media_id.
        sandbox.advance(THREE_DAYS);
        assert_eq!(get_errcode(caller, &media_id), Errcode::INVALID_MEDIA_ID);
        let (status, _, data) = http_get(&url);
        assert_eq!(status, 404);
        assert_ne!(data, samples::MP4);
    });
}

#[test]
fn a_file_that_is_not_of_the_types_formats_is_40005() {
    each_frozen_backend(|_sandbox, caller| {
        for (media_type, name, data) in [
            (MediaType::Image, "a.png", samples::AMR),
            (MediaType::Image, "a.png", &b"just some text"[..]),
            (MediaType::Voice, "a.amr", samples::PNG),
            (MediaType::Voice, "a.amr", samples::MP4),
            (MediaType::Video, "a.mp4", samples::JPEG),
            (MediaType::Video, "a.mp4", samples::AMR),
            // A thumb is JPG only.
            (MediaType::Thumb, "t.png", samples::PNG),
            (MediaType::Thumb, "t.jpg", samples::AMR),
        ] {
            assert_eq!(
                upload_errcode(caller, media_type.clone(), name, data),
                Errcode::INVALID_FILE_TYPE,
                "{media_type:?} {name}"
            );
        }
    });
}

#[test]
fn each_type_has_its_size_limit() {
    // Built once: the closure runs per backend and clones share the bytes.
    let image = padded(samples::PNG, 10 * MB + 1);
    let video = padded(samples::MP4, 10 * MB + 1);
    let voice_limit = padded(samples::AMR, 2 * MB);
    let voice = padded(samples::AMR, 2 * MB + 1);
    let thumb_limit = padded(samples::JPEG, 64 * KB);
    let thumb = padded(samples::JPEG, 64 * KB + 1);
    each_frozen_backend(|_sandbox, caller| {
        assert_eq!(
            upload_errcode(caller, MediaType::Thumb, "t.jpg", thumb.clone()),
            Errcode::INVALID_THUMB_SIZE
        );
        assert_eq!(
            upload_errcode(caller, MediaType::Voice, "v.amr", voice.clone()),
            Errcode::INVALID_VOICE_SIZE
        );
        assert_eq!(
            upload_errcode(caller, MediaType::Image, "i.png", image.clone()),
            Errcode::INVALID_IMAGE_SIZE
        );
        assert_eq!(
            upload_errcode(caller, MediaType::Video, "v.mp4", video.clone()),
            Errcode::INVALID_VIDEO_SIZE
        );
        // Exactly the limit is accepted, and comes back whole.
        let thumb_id = upload(caller, MediaType::Thumb, "t.jpg", thumb_limit.clone())
            .unwrap()
            .media_id;
        assert_eq!(download(caller, &thumb_id).data(), &thumb_limit);
        let voice_id = upload(caller, MediaType::Voice, "v.amr", voice_limit.clone())
            .unwrap()
            .media_id;
        assert_eq!(download(caller, &voice_id).data(), &voice_limit);
        // A thumb-sized limit is not an image's: 64 KB + 1 is a fine image.
        upload(caller, MediaType::Image, "i.jpg", thumb.clone()).unwrap();
    });
}

#[test]
fn an_unknown_or_missing_type_is_40004() {
    each_frozen_backend(|_sandbox, caller| {
        for unknown in ["file", "IMAGE", "news", ""] {
            assert_eq!(
                upload_errcode(
                    caller,
                    MediaType::Unknown(unknown.into()),
                    "a.png",
                    samples::PNG
                ),
                Errcode::INVALID_MEDIA_TYPE,
                "{unknown:?}"
            );
        }
        let untyped = RawUpload {
            query: Vec::new(),
            field: "media",
            file: Upload::from_bytes("a.png", samples::PNG),
        };
        assert_eq!(caller.errcode(&untyped), Errcode::INVALID_MEDIA_TYPE);
        let mistyped = RawUpload {
            query: vec![("type", "picture")],
            ..untyped
        };
        assert_eq!(caller.errcode(&mistyped), Errcode::INVALID_MEDIA_TYPE);
    });
}

#[test]
fn without_a_file_in_the_media_field_it_is_41005() {
    each_frozen_backend(|_sandbox, caller| {
        let elsewhere = RawUpload {
            query: vec![("type", "image")],
            field: "file",
            file: Upload::from_bytes("a.png", samples::PNG),
        };
        assert_eq!(caller.errcode(&elsewhere), Errcode::MEDIA_DATA_MISSING);
        // A JSON body is no form at all.
        let json_body = RawJson {
            query: vec![("type", "image".to_owned())],
            ..RawJson::post(UPLOAD, json!({"media": "a.png"}))
        };
        assert_eq!(caller.errcode(&json_body), Errcode::MEDIA_DATA_MISSING);
        // And the right field is accepted by the same endpoint.
        let right = RawUpload {
            field: "media",
            ..elsewhere
        };
        let answer = caller.call(&right).unwrap();
        assert_eq!(answer.media_type, Some(MediaType::Image));
    });
}

#[test]
fn the_upload_is_a_post_and_the_download_a_get() {
    each_frozen_backend(|_sandbox, caller| {
        let upload_by_get = RawJson::get(UPLOAD, &[("type", "image")]);
        assert_eq!(caller.errcode(&upload_by_get), Errcode::REQUIRE_POST_METHOD);
        let download_by_post = RawJson {
            query: vec![("media_id", "x".to_owned())],
            ..RawJson::post(GET, json!({}))
        };
        assert_eq!(
            caller.errcode(&download_by_post),
            Errcode::REQUIRE_GET_METHOD
        );
    });
}

#[test]
fn an_unknown_media_id_is_40007() {
    each_frozen_backend(|_sandbox, caller| {
        assert_eq!(
            get_errcode(caller, "NO_SUCH_MEDIA"),
            Errcode::INVALID_MEDIA_ID
        );
        let real = upload(caller, MediaType::Image, "a.png", samples::PNG)
            .unwrap()
            .media_id;
        let mut wrong = real.clone();
        wrong.replace_range(..1, if real.starts_with('A') { "B" } else { "A" });
        assert_eq!(get_errcode(caller, &wrong), Errcode::INVALID_MEDIA_ID);
        // What the typed API refuses to send: an empty or a missing media_id.
        for query in [vec![("media_id", "")], vec![]] {
            assert_eq!(
                caller.errcode(&RawJson::get(GET, &query)),
                Errcode::INVALID_MEDIA_ID,
                "{query:?}"
            );
        }
    });
}

#[test]
fn media_ids_expire_after_three_days() {
    each_frozen_backend(|sandbox, caller| {
        let image = upload(caller, MediaType::Image, "a.png", samples::PNG)
            .unwrap()
            .media_id;
        sandbox.advance(Duration::from_secs(3600));
        let thumb = upload(caller, MediaType::Thumb, "t.jpg", samples::JPEG)
            .unwrap()
            .media_id;
        sandbox.advance(THREE_DAYS - Duration::from_secs(3601));
        // 1 s before the image's third day ends: both are there.
        assert_eq!(download(caller, &image).data().as_ref(), samples::PNG);
        assert_eq!(download(caller, &thumb).data().as_ref(), samples::JPEG);
        sandbox.advance(Duration::from_secs(1));
        assert_eq!(get_errcode(caller, &image), Errcode::INVALID_MEDIA_ID);
        assert_eq!(download(caller, &thumb).data().as_ref(), samples::JPEG);
        sandbox.advance(Duration::from_secs(3600));
        assert_eq!(get_errcode(caller, &thumb), Errcode::INVALID_MEDIA_ID);
    });
}

#[test]
fn media_belong_to_the_app_that_uploaded_them() {
    let config = || {
        let mut config = frozen();
        config
            .apps
            .push(AppConfig::new("wx0000000000000002", "second-secret"));
        config
    };
    each_backend_with(config, |sandbox, caller| {
        let backend = match caller {
            Caller::Async(_) => Backend::Reqwest,
            Caller::Blocking(_) => Backend::Ureq,
        };
        let other = Caller::of_app(
            sandbox,
            backend,
            sandbox.app_by_id("wx0000000000000002").unwrap(),
        );
        let media_id = upload(caller, MediaType::Image, "a.png", samples::PNG)
            .unwrap()
            .media_id;
        assert_eq!(get_errcode(&other, &media_id), Errcode::INVALID_MEDIA_ID);
        assert_eq!(download(caller, &media_id).data().as_ref(), samples::PNG);
    });
}

#[test]
fn the_media_a_user_sends_is_downloadable_by_the_bot() {
    each_frozen_backend(|sandbox, caller| {
        let app = sandbox.app();
        let bot = Bot::start(Receiver::official_account("media-token"), |_| {
            Answer::Success
        });
        app.set_callback(Some(CallbackConfig::plain(bot.url(), "media-token")))
            .unwrap();
        let openid = app.create_user("Ann").unwrap();
        for message in [
            UserMessage::Image,
            UserMessage::Voice,
            UserMessage::Video,
            UserMessage::ShortVideo,
        ] {
            app.writes_blocking(&openid, message).unwrap();
        }
        let pushes = bot.wait_for_pushes(4);
        assert_eq!(pushes.len(), 4);

        let InboundMessage::Image(image) = &pushes[0].message else {
            panic!("{:?}", pushes[0].message)
        };
        let file = download(caller, &image.media_id);
        assert_eq!(file.data().as_ref(), samples::PNG);
        assert_eq!(file.content_type(), Some("image/png"));
        // `PicUrl` serves the same picture.
        let (status, content_type, data) = http_get(image.pic_url.as_deref().unwrap());
        assert_eq!(
            (status, content_type.as_str(), data.as_slice()),
            (200, "image/png", samples::PNG)
        );

        let InboundMessage::Voice(voice) = &pushes[1].message else {
            panic!("{:?}", pushes[1].message)
        };
        let file = download(caller, &voice.media_id);
        assert_eq!(file.data().as_ref(), samples::AMR);
        assert_eq!(file.content_type(), Some("audio/amr"));

        let (video, video_thumb) = match &pushes[2].message {
            InboundMessage::Video(video) => (&video.media_id, &video.thumb_media_id),
            other => panic!("{other:?}"),
        };
        let (short, short_thumb) = match &pushes[3].message {
            InboundMessage::ShortVideo(short) => (&short.media_id, &short.thumb_media_id),
            other => panic!("{other:?}"),
        };
        for (media_id, thumb) in [(video, video_thumb), (short, short_thumb)] {
            let (status, content_type, data) = http_get(&video_url(caller, media_id));
            assert_eq!(
                (status, content_type.as_str(), data.as_slice()),
                (200, "video/mp4", samples::MP4)
            );
            let thumb = download(caller, thumb.as_deref().unwrap());
            assert_eq!(thumb.data().as_ref(), samples::JPEG);
            assert_eq!(thumb.content_type(), Some("image/jpeg"));
        }

        // They are temporary media like any other.
        sandbox.advance(THREE_DAYS);
        assert_eq!(
            get_errcode(caller, &image.media_id),
            Errcode::INVALID_MEDIA_ID
        );
        assert_eq!(get_errcode(caller, video), Errcode::INVALID_MEDIA_ID);
    });
}

/// The SDK refuses to send an empty file, so this one goes as hand-built HTTP.
#[test]
fn an_empty_file_is_40006() {
    let sandbox = Sandbox::start_with(frozen()).unwrap();
    let (_, _, token) = http_get(&format!(
        "{}/cgi-bin/token?grant_type=client_credential&appid={DEFAULT_APPID}&secret={DEFAULT_SECRET}",
        sandbox.url()
    ));
    let token: serde_json::Value = serde_json::from_slice(&token).unwrap();
    let token = token["access_token"].as_str().unwrap();
    let body = "--XYZ\r\n\
                Content-Disposition: form-data; name=\"media\"; filename=\"a.png\"\r\n\
                Content-Type: image/png\r\n\r\n\
                \r\n--XYZ--\r\n";
    let request = HttpRequest::new(
        Method::Post,
        format!("{}{UPLOAD}?access_token={token}&type=image", sandbox.url()),
    )
    .with_header("content-type", "multipart/form-data; boundary=XYZ")
    .with_body(body);
    let (status, _, answer) = send_raw(request);
    assert_eq!(status, 200);
    let answer: serde_json::Value = serde_json::from_slice(&answer).unwrap();
    assert_eq!(answer["errcode"], 40006, "{answer}");
}
