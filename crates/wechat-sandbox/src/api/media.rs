//! Temporary media: `POST /cgi-bin/media/upload` and `GET /cgi-bin/media/get` (reference §7).

use wechat_types::common::{
    Errcode, MediaGetQuery, MediaType, MediaUploadQuery, MediaUploadResponse, VideoMediaResponse,
};

use super::{ApiRequest, Handled, read_query};
use crate::clock::unix_seconds;
use crate::model::{World, secs};
use crate::wire::Answer;

/// `media/upload?type=TYPE` with the file in form field `media`: 40004 for a missing or
/// unknown type, 41005 without a file, then the type and size rules of the media model.
pub(super) fn upload(world: &mut World, app: usize, request: &ApiRequest) -> Handled {
    let now = world.now();
    let result =
        read_query::<MediaUploadQuery>(request, Errcode::INVALID_MEDIA_TYPE).and_then(|query| {
            let file = request.file("media")?;
            let media_id =
                world.apps[app]
                    .media
                    .upload(query.media_type.clone(), file.data.clone(), now)?;
            Ok(Answer::json(
                &MediaUploadResponse::new(media_id)
                    .with_media_type(query.media_type)
                    .with_created_at(unix_seconds(now) as i64),
            ))
        });
    result.into()
}

/// `media/get?media_id=`: the file with its type and WeChat's name for it (`MEDIA_ID.jpg`, §7.2), or for a video the JSON
/// `{"video_url":...}` WeChat answers instead; 40007 for a missing, unknown or expired id.
pub(super) fn get(world: &mut World, app: usize, request: &ApiRequest) -> Handled {
    let now = world.now();
    let lifetime = secs(world.rules.media_lifetime_secs);
    let result =
        read_query::<MediaGetQuery>(request, Errcode::INVALID_MEDIA_ID).and_then(|query| {
            let media = world.apps[app].media.get(&query.media_id, now, lifetime)?;
            Ok(match media.media_type {
                MediaType::Video => Answer::json(&VideoMediaResponse::new(
                    world.media_url(app, &query.media_id),
                )),
                _ => Answer::File {
                    content_type: media.content_type.clone(),
                    filename: format!("{}.{}", query.media_id, extension(&media.content_type)),
                    data: media.data.clone(),
                },
            })
        });
    result.into()
}

/// The file extension WeChat gives a download of this type.
fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "audio/amr" => "amr",
        "audio/mpeg" => "mp3",
        "video/mp4" => "mp4",
        _ => "bin",
    }
}
