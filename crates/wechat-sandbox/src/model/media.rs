//! Temporary media (reference §7): uploads checked for type and size, media_ids that expire
//! after 3 days.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use wechat_types::common::{Errcode, MediaType};

use crate::wire::Refusal;

const MB: usize = 1024 * 1024;

/// One uploaded file.
#[derive(Debug, Clone)]
pub(crate) struct Media {
    pub(crate) media_type: MediaType,
    pub(crate) content_type: String,
    pub(crate) data: Bytes,
    pub(crate) created_at: SystemTime,
}

/// The media of an app, by media_id.
#[derive(Debug, Clone, Default)]
pub(crate) struct MediaStore {
    items: HashMap<String, Media>,
}

/// What a media type accepts (§7.1 "其他补充"): the largest size, the errcode of a larger
/// file, and the formats, as detected from the content.
struct Limits {
    max_bytes: usize,
    too_large: Errcode,
    formats: &'static [&'static str],
    described: &'static str,
}

fn limits(media_type: &MediaType) -> Option<Limits> {
    Some(match media_type {
        // The same page says 10 MB and 2 MB; the sandbox takes the current supplement's 10 MB.
        MediaType::Image => Limits {
            max_bytes: 10 * MB,
            too_large: Errcode::INVALID_IMAGE_SIZE,
            formats: &["image/png", "image/jpeg", "image/gif"],
            described: "PNG, JPEG, JPG or GIF of at most 10 MB",
        },
        MediaType::Voice => Limits {
            max_bytes: 2 * MB,
            too_large: Errcode::INVALID_VOICE_SIZE,
            formats: &["audio/amr", "audio/mpeg"],
            described: "AMR or MP3 of at most 2 MB",
        },
        MediaType::Video => Limits {
            max_bytes: 10 * MB,
            too_large: Errcode::INVALID_VIDEO_SIZE,
            formats: &["video/mp4"],
            described: "MP4 of at most 10 MB",
        },
        MediaType::Thumb => Limits {
            max_bytes: 64 * 1024,
            too_large: Errcode::INVALID_THUMB_SIZE,
            formats: &["image/jpeg"],
            described: "JPG of at most 64 KB",
        },
        _ => return None,
    })
}

/// The file type of `data` by its magic bytes, as a MIME type.
pub(crate) fn sniff(data: &[u8]) -> Option<&'static str> {
    infer::get(data).map(|kind| kind.mime_type())
}

impl MediaStore {
    /// `media/upload`: 40004 for a type other than image, voice, video or thumb, 40006 for an
    /// empty file, the type's size errcode (40009 to 40012) when too large, 40005 when the
    /// content is not one of the type's formats.
    pub(crate) fn upload(
        &mut self,
        media_type: MediaType,
        data: Bytes,
        now: SystemTime,
    ) -> Result<String, Refusal> {
        let limits = limits(&media_type).ok_or_else(|| {
            Refusal::hint(
                Errcode::INVALID_MEDIA_TYPE,
                "type must be image, voice, video or thumb",
            )
        })?;
        if data.is_empty() {
            return Err(Refusal::hint(
                Errcode::INVALID_FILE_SIZE,
                "the file is empty",
            ));
        }
        if data.len() > limits.max_bytes {
            return Err(Refusal::hint(
                limits.too_large,
                format!("{} bytes; {}", data.len(), limits.described),
            ));
        }
        let content_type = sniff(&data)
            .filter(|mime| limits.formats.contains(mime))
            .ok_or_else(|| Refusal::hint(Errcode::INVALID_FILE_TYPE, limits.described))?;
        Ok(self.insert(Media {
            media_type,
            content_type: content_type.to_owned(),
            data,
            created_at: now,
        }))
    }

    /// Stores a file without checks (what a user sends is WeChat's own media) and returns its
    /// new media_id.
    pub(crate) fn insert(&mut self, media: Media) -> String {
        let media_id = new_media_id();
        self.items.insert(media_id.clone(), media);
        media_id
    }

    /// The media behind `media_id`, or 40007 when unknown or older than `lifetime`.
    pub(crate) fn get(
        &self,
        media_id: &str,
        now: SystemTime,
        lifetime: Duration,
    ) -> Result<&Media, Refusal> {
        self.items
            .get(media_id)
            .filter(|media| media.created_at + lifetime > now)
            .ok_or_else(|| Refusal::new(Errcode::INVALID_MEDIA_ID))
    }
}

/// A media_id shaped like WeChat's: 64 characters of `[0-9A-Za-z_-]`.
fn new_media_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    (0..64)
        .map(|_| ALPHABET[fastrand::usize(..ALPHABET.len())] as char)
        .collect()
}

/// Tiny files that carry the signature (magic bytes) of each kind the sandbox accepts: the media
/// a simulated user sends, and uploads for tests and demos. Players need not be able to open them.
pub mod samples {
    /// A PNG signature and header.
    pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82";
    /// The start of a JPEG (JFIF) file.
    pub const JPEG: &[u8] =
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9";
    /// An AMR-NB voice file: the magic and one silent frame.
    pub const AMR: &[u8] = b"#!AMR\n\x3c\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00";
    /// The `ftyp` box of an MP4 file.
    pub const MP4: &[u8] = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom\x00\x00\x00\x08free";
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    const DAYS_3: Duration = Duration::from_secs(3 * 86_400);

    fn t(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_700_000_000 + secs)
    }

    fn upload(media_type: MediaType, data: &[u8]) -> Result<String, Refusal> {
        MediaStore::default().upload(media_type, Bytes::copy_from_slice(data), t(0))
    }

    #[test]
    fn the_samples_are_what_they_claim() {
        assert_eq!(sniff(samples::PNG), Some("image/png"));
        assert_eq!(sniff(samples::JPEG), Some("image/jpeg"));
        assert_eq!(sniff(samples::AMR), Some("audio/amr"));
        assert_eq!(sniff(samples::MP4), Some("video/mp4"));
    }

    #[test]
    fn each_type_takes_its_formats() {
        assert!(upload(MediaType::Image, samples::PNG).is_ok());
        assert!(upload(MediaType::Image, samples::JPEG).is_ok());
        assert!(upload(MediaType::Voice, samples::AMR).is_ok());
        assert!(upload(MediaType::Video, samples::MP4).is_ok());
        assert!(upload(MediaType::Thumb, samples::JPEG).is_ok());
        for (media_type, data) in [
            (MediaType::Image, samples::AMR),
            (MediaType::Voice, samples::PNG),
            (MediaType::Video, samples::JPEG),
            (MediaType::Thumb, samples::PNG),
            (MediaType::Image, &b"plain text"[..]),
        ] {
            let refused = upload(media_type.clone(), data).unwrap_err();
            assert_eq!(refused.code, Errcode::INVALID_FILE_TYPE, "{media_type:?}");
        }
    }

    #[test]
    fn types_sizes_and_emptiness() {
        let unknown = upload(MediaType::Unknown("file".into()), samples::PNG).unwrap_err();
        assert_eq!(unknown.code, Errcode::INVALID_MEDIA_TYPE);
        assert_eq!(
            upload(MediaType::Image, b"").unwrap_err().code,
            Errcode::INVALID_FILE_SIZE
        );
        let mut thumb = samples::JPEG.to_vec();
        thumb.resize(64 * 1024 + 1, 0);
        assert_eq!(
            upload(MediaType::Thumb, &thumb).unwrap_err().code,
            Errcode::INVALID_THUMB_SIZE
        );
        let mut voice = samples::AMR.to_vec();
        voice.resize(2 * MB + 1, 0);
        assert_eq!(
            upload(MediaType::Voice, &voice).unwrap_err().code,
            Errcode::INVALID_VOICE_SIZE
        );
    }

    #[test]
    fn media_ids_expire_after_three_days() {
        let mut store = MediaStore::default();
        let id = store
            .upload(MediaType::Image, Bytes::from_static(samples::PNG), t(0))
            .unwrap();
        assert_eq!(id.len(), 64);
        assert_eq!(
            store
                .get(&id, t(3 * 86_400 - 1), DAYS_3)
                .unwrap()
                .content_type,
            "image/png"
        );
        assert_eq!(
            store.get(&id, t(3 * 86_400), DAYS_3).unwrap_err().code,
            Errcode::INVALID_MEDIA_ID
        );
        assert_eq!(
            store.get("nope", t(0), DAYS_3).unwrap_err().code,
            Errcode::INVALID_MEDIA_ID
        );
    }
}
