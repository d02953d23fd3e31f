//! `POST /customservice/msgrecord/getmsglist` (reference §6).

use wechat_types::mp::GetMsgListRequest;

use super::{ApiRequest, Handled, kf_enabled};
use crate::model::World;
use crate::wire::{self, Answer};

/// The chat records of a time range, from a msgid cursor: 65417 for a range longer than 24
/// hours, 65416 for other invalid parameters (see the records model).
pub(super) fn get_msg_list(world: &mut World, app: usize, request: &ApiRequest) -> Handled {
    let result = kf_enabled(world, app)
        .and_then(|()| {
            // The records model checks the documented limits with WeChat's codes.
            wire::read_unvalidated::<GetMsgListRequest>(&request.body, world.strict_json)
        })
        .and_then(|query| world.apps[app].records.page(&query))
        .map(|page| Answer::json(&page));
    result.into()
}
