//! wechat-mp's `media` functions end to end against the sandbox, with both backends: every
//! media type uploaded from bytes and from a file and downloaded as the same bytes (with its
//! content type and WeChat's file name, a video as its `video_url`), `max_bytes` being what
//! WeChat accepts, an unknown media_id as a typed 40007, and uploaded media delivered in
//! messages (reference §7, §2).

#[path = "../../wechat-sandbox/tests/support/mod.rs"]
mod support;
mod temp_file;

use serde_json::json;
use wechat_core::types::common::{Errcode, MediaType};
use wechat_core::{Error, Media, Upload};
use wechat_mp::media::{self, UploadMedia};
use wechat_mp::message;
use wechat_mp::types::Video;
use wechat_sandbox::{DeliveredVia, Sandbox, UserMessage, samples};

use support::{Caller, each_frozen_backend, http_get, secs};
use temp_file::TempFile;

const UPLOAD: &str = "/cgi-bin/media/upload";
const THREE_DAYS: u64 = 3 * 24 * 3600;

/// The start of a GIF: the sandbox, like WeChat, reads the format from the content.
const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
/// The start of an MP3 file: an ID3v2 header, then a frame header.
const MP3: &[u8] = b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xfb\x90\x00\x00\x00\x00\x00";

/// A file of one of the formats WeChat takes for a media type.
struct Case {
    media_type: MediaType,
    /// The file name's extension, which is also WeChat's for the download.
    extension: &'static str,
    data: &'static [u8],
    content_type: &'static str,
}

/// Every format of every media type (§7.1).
fn cases() -> Vec<Case> {
    let case = |media_type, extension, data, content_type| Case {
        media_type,
        extension,
        data,
        content_type,
    };
    vec![
        case(MediaType::Image, "png", samples::PNG, "image/png"),
        case(MediaType::Image, "jpg", samples::JPEG, "image/jpeg"),
        case(MediaType::Image, "gif", GIF, "image/gif"),
        case(MediaType::Voice, "amr", samples::AMR, "audio/amr"),
        case(MediaType::Voice, "mp3", MP3, "audio/mpeg"),
        case(MediaType::Video, "mp4", samples::MP4, "video/mp4"),
        case(MediaType::Thumb, "jpg", samples::JPEG, "image/jpeg"),
    ]
}

/// `media::upload_from_path` of a file holding `data`, named `media.{extension}`, removed as
/// soon as the endpoint has read it.
fn upload_from_file(media_type: MediaType, extension: &str, data: &[u8]) -> UploadMedia {
    let file = TempFile::new(&format!("media.{extension}"), data);
    media::upload_from_path(media_type, file.path()).unwrap()
}

/// Executes `upload` of `case`, checks the answer, downloads the media with
/// `media::download` and checks it is the file uploaded; answers the media_id.
fn assert_round_trip(
    sandbox: &Sandbox,
    caller: &Caller,
    case: &Case,
    upload: UploadMedia,
) -> String {
    let what = format!("{:?} .{}", case.media_type, case.extension);
    assert_eq!(upload.media_type(), &case.media_type, "{what}");
    assert_eq!(upload.file().data().as_ref(), case.data, "{what}");
    let answer = caller.call(&upload).unwrap();
    assert_eq!(answer.media_type.as_ref(), Some(&case.media_type), "{what}");
    assert_eq!(
        answer.created_at,
        Some(sandbox.clock().unix() as i64),
        "{what}"
    );
    let media_id = answer.media_id;
    match caller.call(&media::download(&media_id)).unwrap() {
        // A video comes back as where to fetch it.
        Media::VideoUrl(url) => {
            assert_eq!(case.media_type, MediaType::Video, "{what}");
            assert_eq!(
                http_get(&url),
                (200, case.content_type.to_owned(), case.data.to_vec()),
                "{what}"
            );
        }
        Media::File(file) => {
            assert_ne!(case.media_type, MediaType::Video, "{what}");
            assert_eq!(file.data().as_ref(), case.data, "{what}");
            assert_eq!(file.content_type(), Some(case.content_type), "{what}");
            let filename = format!("{media_id}.{}", case.extension);
            assert_eq!(file.filename(), Some(filename.as_str()), "{what}");
        }
        other => panic!("{what}: {other:?}"),
    }
    media_id
}

#[test]
fn each_media_type_uploaded_from_bytes_downloads_as_those_bytes() {
    each_frozen_backend(|sandbox, caller| {
        for case in cases() {
            let name = format!("upload.{}", case.extension);
            let upload =
                media::upload(case.media_type.clone(), Upload::from_bytes(name, case.data));
            assert_round_trip(sandbox, caller, &case, upload);
            sandbox.advance(secs(1));
        }
    });
}

#[test]
fn each_media_type_uploaded_from_a_file_downloads_as_the_files_bytes() {
    each_frozen_backend(|sandbox, caller| {
        for case in cases() {
            let upload = upload_from_file(case.media_type.clone(), case.extension, case.data);
            assert_eq!(upload.file().content_type(), case.content_type);
            assert_round_trip(sandbox, caller, &case, upload);
            sandbox.advance(secs(1));
        }
    });
}

#[test]
fn max_bytes_is_accepted_and_one_byte_more_is_never_sent() {
    let sized = |magic: &[u8], name: &str, len: usize| {
        let mut data = magic.to_vec();
        data.resize(len, 0);
        Upload::from_bytes(name, data)
    };
    let files: Vec<_> = [
        (MediaType::Image, samples::PNG, "max.png"),
        (MediaType::Voice, samples::AMR, "max.amr"),
        (MediaType::Video, samples::MP4, "max.mp4"),
        (MediaType::Thumb, samples::JPEG, "max.jpg"),
    ]
    .into_iter()
    .map(|(media_type, magic, name)| {
        let max = media::max_bytes(&media_type).unwrap();
        let largest = sized(magic, name, max);
        let too_large = sized(magic, name, max + 1);
        (media_type, largest, too_large)
    })
    .collect();
    each_frozen_backend(|sandbox, caller| {
        for (media_type, largest, too_large) in &files {
            let accepted = caller
                .call(&media::upload(media_type.clone(), largest.clone()))
                .unwrap();
            assert_eq!(accepted.media_type.as_ref(), Some(media_type));
            let refused = caller.call(&media::upload(media_type.clone(), too_large.clone()));
            assert!(
                matches!(refused, Err(Error::InvalidRequest(_))),
                "{media_type:?}: {refused:?}"
            );
        }
        let uploads = sandbox
            .calls()
            .into_iter()
            .filter(|call| call.path == UPLOAD);
        let errcodes: Vec<i64> = uploads.map(|call| call.errcode).collect();
        assert_eq!(
            errcodes,
            [0, 0, 0, 0],
            "only the files at the limit were sent"
        );
    });
}

#[test]
fn downloading_an_unknown_media_id_is_a_typed_40007() {
    each_frozen_backend(|sandbox, caller| {
        let assert_40007 = |media_id: &str| {
            let error = caller.call(&media::download(media_id)).unwrap_err();
            let Error::Api(api) = &error else {
                panic!("expected WeChat's refusal, got {error:?}")
            };
            assert_eq!(api.code(), Errcode::INVALID_MEDIA_ID, "{error}");
            assert_eq!(api.code().name(), Some("INVALID_MEDIA_ID"));
            assert_eq!(api.endpoint(), "/cgi-bin/media/get");
        };
        assert_40007("NO_SUCH_MEDIA_ID");

        // A media_id WeChat issued is unknown once its three days are over.
        let upload = media::upload(MediaType::Image, Upload::from_bytes("a.png", samples::PNG));
        let media_id = caller.call(&upload).unwrap().media_id;
        sandbox.advance(secs(THREE_DAYS));
        assert_40007(&media_id);
    });
}

#[test]
fn uploaded_media_are_delivered_in_messages() {
    each_frozen_backend(|sandbox, caller| {
        let app = sandbox.app();
        let openid = app.create_user("Ann").unwrap();
        app.writes_blocking(&openid, UserMessage::text("发张图"))
            .unwrap();
        let upload = |media_type: MediaType, extension: &str, data: &[u8]| {
            let endpoint = upload_from_file(media_type, extension, data);
            caller.call(&endpoint).unwrap().media_id
        };
        let image = upload(MediaType::Image, "png", samples::PNG);
        let voice = upload(MediaType::Voice, "amr", samples::AMR);
        let video = upload(MediaType::Video, "mp4", samples::MP4);
        let thumb = upload(MediaType::Thumb, "jpg", samples::JPEG);

        caller.call(&message::image(&openid, &image)).unwrap();
        caller.call(&message::voice(&openid, &voice)).unwrap();
        caller
            .call(&message::video(&openid, Video::new(&video, &thumb)))
            .unwrap();

        let delivered: Vec<_> = app
            .inbox(&openid)
            .unwrap()
            .into_iter()
            .map(|message| {
                assert_eq!(message.via, DeliveredVia::CustomMessage);
                (message.msgtype, message.payload)
            })
            .collect();
        assert_eq!(
            delivered,
            [
                ("image".to_owned(), json!({"media_id": image})),
                ("voice".to_owned(), json!({"media_id": voice})),
                (
                    "video".to_owned(),
                    json!({"media_id": video, "thumb_media_id": thumb})
                ),
            ]
        );
    });
}
