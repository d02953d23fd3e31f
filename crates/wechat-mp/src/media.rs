//! Temporary media (临时素材, reference §7): upload a file for a message, download one a user
//! sent. A media_id lives 3 days.

use std::path::Path;

use wechat_core::endpoints::common::{GetTempMedia, UploadTempMedia};
use wechat_core::types::common::{
    MediaGetQuery, MediaType, MediaUploadQuery, MediaUploadResponse, UPLOAD_TEMP_MEDIA,
};
use wechat_core::{Endpoint, Error, OfficialAccount, Reply, Request, Upload};

use crate::upload_limit::{self, MB};

/// The largest file WeChat takes for `media_type`, or `None` for a type this version does not
/// know (then WeChat alone judges).
///
/// Images: the current documentation says 10 MB and, on the same page, 2 MB; 10 MB is what is
/// refused here, and 2 MB is the size that is safe under both readings.
pub fn max_bytes(media_type: &MediaType) -> Option<usize> {
    match media_type {
        MediaType::Image | MediaType::Video => Some(10 * MB),
        MediaType::Voice => Some(2 * MB),
        MediaType::Thumb => Some(64 * 1024),
        _ => None,
    }
}

/// Uploads `file` as temporary media of type `media_type`; the answer carries the media_id.
///
/// `file` comes from bytes ([`Upload::from_bytes`]) or a path ([`Upload::from_path`], or
/// [`upload_from_path`] here). A file above the type's limit ([`max_bytes`]) is refused before
/// sending; the format (PNG/JPEG/GIF, AMR/MP3, MP4, JPG) is WeChat's to check (40005).
pub fn upload(media_type: MediaType, file: Upload) -> UploadMedia {
    UploadMedia {
        endpoint: UploadTempMedia::new(MediaUploadQuery::new(media_type), file),
    }
}

/// [`upload`] with the file read from `path`.
pub fn upload_from_path(
    media_type: MediaType,
    path: impl AsRef<Path>,
) -> std::io::Result<UploadMedia> {
    Ok(upload(media_type, Upload::from_path(path)?))
}

/// Downloads the temporary media `media_id`: the file's bytes, or for a video the JSON with
/// its download URL ([`Media`](wechat_core::Media) tells which).
pub fn download(media_id: impl Into<String>) -> GetTempMedia {
    GetTempMedia::new(MediaGetQuery::new(media_id))
}

/// The endpoint value of `POST /cgi-bin/media/upload`, refusing a file above its type's
/// limit before sending.
#[derive(Debug, Clone)]
pub struct UploadMedia {
    endpoint: UploadTempMedia,
}

impl UploadMedia {
    /// The type the file is uploaded as.
    pub fn media_type(&self) -> &MediaType {
        &self.endpoint.query.media_type
    }

    /// The file.
    pub fn file(&self) -> &Upload {
        &self.endpoint.file
    }
}

impl Endpoint<OfficialAccount> for UploadMedia {
    type Output = MediaUploadResponse;

    fn request(&self) -> Result<Request, Error> {
        if let Some(max) = max_bytes(self.media_type()) {
            let what = format!("a file of type {}", self.media_type().as_str());
            upload_limit::check(UPLOAD_TEMP_MEDIA.path, &self.endpoint.file, max, &what)?;
        }
        Endpoint::<OfficialAccount>::request(&self.endpoint)
    }

    fn parse(&self, reply: Reply) -> Result<MediaUploadResponse, Error> {
        Endpoint::<OfficialAccount>::parse(&self.endpoint, reply)
    }
}
