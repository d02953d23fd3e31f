//! Chat records (聊天记录, reference §6): `POST /customservice/msgrecord/getmsglist`.
//!
//! WeChat answers one range of at most 24 hours per call, page by page along a msgid cursor.
//! [`page`] is that one call; [`ChatRecords`] walks any range, however long: it splits it into
//! windows WeChat accepts, follows the cursor through each, and yields the records in order,
//! as an async stream ([`ChatRecords::stream`]), a blocking iterator ([`ChatRecords::iter`]),
//! or page by page with either client.
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! use wechat_core::Client;
//! use wechat_mp::records::ChatRecords;
//!
//! # async fn run(client: Client<wechat_core::OfficialAccount>) -> Result<(), wechat_core::Error> {
//! // A whole week, in as many calls as it takes.
//! let week = ChatRecords::new(1_700_000_000, 1_700_000_000 + 7 * 86_400);
//! let mut records = std::pin::pin!(week.stream(&client));
//! while let Some(record) = records.try_next().await? {
//!     println!("{} {} {:?}", record.time, record.openid, record.text);
//! }
//! # Ok(())
//! # }
//! ```

mod walker;
mod windows;

pub use walker::{BlockingRecords, ChatRecords};
pub use windows::windows;

use wechat_core::endpoints::mp::GetMsgList;
use wechat_core::types::mp::GetMsgListRequest;

/// The most records one call may ask for (and the page size [`ChatRecords`] uses by default).
pub const MAX_PER_PAGE: u32 = 10_000;

/// The longest range one call may cover: 24 hours, in seconds.
pub const MAX_SPAN_SECS: i64 = 24 * 60 * 60;

/// One call: at most `number` (1 to 10000) records of `[starttime, endtime]` (Unix seconds, at
/// most 24 hours apart) from the cursor `msgid` on (1 for the first page, then the `msgid` of the
/// previous answer). The limits are checked before sending.
pub fn page(starttime: i64, endtime: i64, msgid: i64, number: u32) -> GetMsgList {
    GetMsgList::new(GetMsgListRequest::new(starttime, endtime, msgid, number))
}
