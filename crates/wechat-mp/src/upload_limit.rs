//! The file-size limits of uploads, checked before the bytes leave.

use wechat_core::{Error, InvalidRequest, Upload};

/// One mebibyte, the unit of WeChat's size limits.
pub(crate) const MB: usize = 1024 * 1024;

/// Refuses `file` when it is larger than `max` bytes, naming the form field `media`.
pub(crate) fn check(
    endpoint: &'static str,
    file: &Upload,
    max: usize,
    what: &str,
) -> Result<(), Error> {
    let size = file.data().len();
    if size > max {
        return Err(InvalidRequest::new(
            endpoint,
            "media",
            format!("{what} may be at most {} bytes; this one has {size}", max),
        )
        .into());
    }
    Ok(())
}
