//! [`ChatRecords`]: every record of a range of any length, window by window, page by page.

use std::collections::VecDeque;

use futures_util::{Stream, TryStreamExt, stream};
use wechat_core::endpoints::mp::GetMsgList;
use wechat_core::types::mp::{GET_MSG_LIST, GetMsgListResponse, MsgRecord};
use wechat_core::{BlockingClient, Client, DecodeError, Error, OfficialAccount};

use super::windows::windows;
use super::{MAX_PER_PAGE, page};

/// Walks the chat records of `[starttime, endtime]`, a range of any length.
///
/// The range is split into windows of one China-time day at most ([`windows`](super::windows)),
/// and each window is read page by page: the cursor starts at msgid 1 and follows the `msgid`
/// of each answer while pages come back full. A record of the very second two windows share is
/// yielded once, whether WeChat counts a window's end as inside it or not.
///
/// The cursor is trusted as documented: each page starts past the previous one. Records carry
/// no id, so a page that repeated the previous page's last record could not be told from two
/// identical messages sent in the same second (two `[image]` records of one kf, say); the
/// walker yields both rather than lose a real record.
///
/// A cursor that does not move forward while pages keep coming back full is an
/// [`Error::Decode`] instead of an endless loop.
///
/// The walker is sans-IO at heart ([`next_request`](ChatRecords::next_request) and
/// [`accept`](ChatRecords::accept)); [`next_page`](ChatRecords::next_page),
/// [`stream`](ChatRecords::stream), [`next_page_blocking`](ChatRecords::next_page_blocking)
/// and [`iter`](ChatRecords::iter) run it on a client.
#[derive(Debug, Clone)]
pub struct ChatRecords {
    /// The windows still to read, the current one first.
    windows: VecDeque<(i64, i64)>,
    /// The cursor in the current window.
    msgid: i64,
    /// Records per call.
    number: u32,
    /// Records of the previous window's last second, not yet seen again in this window.
    shared_second: Vec<MsgRecord>,
    /// Records of the current window's last second, for the next window.
    last_second: Vec<MsgRecord>,
}

impl ChatRecords {
    /// Every record from `starttime` to `endtime` (Unix seconds, both included), read
    /// [`MAX_PER_PAGE`] at a time.
    pub fn new(starttime: i64, endtime: i64) -> Self {
        ChatRecords {
            windows: windows(starttime, endtime).collect(),
            msgid: 1,
            number: MAX_PER_PAGE,
            shared_second: Vec::new(),
            last_second: Vec::new(),
        }
    }

    /// Reads `number` records per call instead (1 to 10000; any other value makes the first
    /// call fail with [`Error::InvalidRequest`], before anything is sent).
    #[must_use]
    pub fn page_size(mut self, number: u32) -> Self {
        self.number = number;
        self
    }

    /// Whether every record has been read.
    pub fn is_done(&self) -> bool {
        self.windows.is_empty()
    }

    /// The next call to make, or `None` when every record has been read.
    pub fn next_request(&self) -> Option<GetMsgList> {
        let &(from, to) = self.windows.front()?;
        Some(page(from, to, self.msgid, self.number))
    }

    /// Takes the answer to [`next_request`](ChatRecords::next_request) and returns its new
    /// records (possibly none, when all of them were repeats), moving on to the next page or
    /// window.
    pub fn accept(&mut self, answer: GetMsgListResponse) -> Result<Vec<MsgRecord>, Error> {
        let Some(&(from, to)) = self.windows.front() else {
            return Ok(Vec::new());
        };
        let full = answer.recordlist.len() >= self.number as usize;
        let cursor = answer.msgid;
        let mut records = answer.recordlist;
        if !self.shared_second.is_empty() {
            records.retain(|record| {
                if record.time != from {
                    return true;
                }
                match self.shared_second.iter().position(|seen| seen == record) {
                    Some(at) => {
                        self.shared_second.swap_remove(at);
                        false
                    }
                    None => true,
                }
            });
        }
        self.last_second
            .extend(records.iter().filter(|record| record.time == to).cloned());
        if full {
            match cursor {
                Some(next) if next > self.msgid => self.msgid = next,
                _ => return Err(self.stuck(cursor)),
            }
        } else {
            self.windows.pop_front();
            self.msgid = 1;
            self.shared_second = std::mem::take(&mut self.last_second);
        }
        Ok(records)
    }

    /// The next non-empty page with the async client, or `None` at the end.
    pub async fn next_page(
        &mut self,
        client: &Client<OfficialAccount>,
    ) -> Result<Option<Vec<MsgRecord>>, Error> {
        while let Some(request) = self.next_request() {
            let answer = client.execute(&request).await?;
            let records = self.accept(answer)?;
            if !records.is_empty() {
                return Ok(Some(records));
            }
        }
        Ok(None)
    }

    /// Every record, in order, as an async stream; it ends after the first error.
    pub fn stream(
        self,
        client: &Client<OfficialAccount>,
    ) -> impl Stream<Item = Result<MsgRecord, Error>> + '_ {
        stream::try_unfold(self, move |mut walker| async move {
            let page = walker.next_page(client).await?;
            Ok::<_, Error>(page.map(|records| (records, walker)))
        })
        .map_ok(|records| stream::iter(records.into_iter().map(Ok)))
        .try_flatten()
    }

    /// The next non-empty page with the blocking client, or `None` at the end.
    pub fn next_page_blocking(
        &mut self,
        client: &BlockingClient<OfficialAccount>,
    ) -> Result<Option<Vec<MsgRecord>>, Error> {
        while let Some(request) = self.next_request() {
            let answer = client.execute(&request)?;
            let records = self.accept(answer)?;
            if !records.is_empty() {
                return Ok(Some(records));
            }
        }
        Ok(None)
    }

    /// Every record, in order, as a blocking iterator; it ends after the first error.
    pub fn iter(self, client: &BlockingClient<OfficialAccount>) -> BlockingRecords<'_> {
        BlockingRecords {
            walker: self,
            client,
            buffered: VecDeque::new(),
            failed: false,
        }
    }

    fn stuck(&self, cursor: Option<i64>) -> Error {
        let reason = match cursor {
            Some(next) => format!(
                "a full page came back with the msgid cursor {next}, which does not move past {}",
                self.msgid
            ),
            None => "a full page came back without a msgid cursor".to_owned(),
        };
        DecodeError::new(GET_MSG_LIST.path, reason, b"").into()
    }
}

/// The records of a [`ChatRecords`] walk on a [`BlockingClient`], one at a time.
#[derive(Debug)]
pub struct BlockingRecords<'a> {
    walker: ChatRecords,
    client: &'a BlockingClient<OfficialAccount>,
    buffered: VecDeque<MsgRecord>,
    failed: bool,
}

impl Iterator for BlockingRecords<'_> {
    type Item = Result<MsgRecord, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(record) = self.buffered.pop_front() {
                return Some(Ok(record));
            }
            if self.failed {
                return None;
            }
            match self.walker.next_page_blocking(self.client) {
                Ok(Some(records)) => self.buffered.extend(records),
                Ok(None) => return None,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

impl std::iter::FusedIterator for BlockingRecords<'_> {}

#[cfg(test)]
mod tests {
    use wechat_core::types::mp::GetMsgListResponse;

    use super::*;

    fn record(time: i64, text: &str) -> MsgRecord {
        MsgRecord::new("OPENID", 2002, time).with_text(text)
    }

    fn answer(records: Vec<MsgRecord>, msgid: i64) -> GetMsgListResponse {
        GetMsgListResponse::new()
            .with_number(records.len() as u32)
            .with_recordlist(records)
            .with_msgid(msgid)
    }

    fn requested(walker: &ChatRecords) -> (i64, i64, i64, u32) {
        let body = walker.next_request().unwrap().body;
        (body.starttime, body.endtime, body.msgid, body.number)
    }

    /// 2024-01-01 00:00 +08:00.
    const MIDNIGHT: i64 = 1_704_038_400;

    #[test]
    fn full_pages_follow_the_cursor_and_a_short_one_ends_the_window() {
        let mut walker = ChatRecords::new(MIDNIGHT + 10, MIDNIGHT + 20).page_size(2);
        assert_eq!(requested(&walker), (MIDNIGHT + 10, MIDNIGHT + 20, 1, 2));
        let first = walker
            .accept(answer(
                vec![record(MIDNIGHT + 11, "a"), record(MIDNIGHT + 12, "b")],
                3,
            ))
            .unwrap();
        assert_eq!(first.len(), 2);
        assert_eq!(requested(&walker), (MIDNIGHT + 10, MIDNIGHT + 20, 3, 2));
        let second = walker
            .accept(answer(vec![record(MIDNIGHT + 13, "c")], 4))
            .unwrap();
        assert_eq!(second, [record(MIDNIGHT + 13, "c")]);
        assert!(walker.is_done());
        assert!(walker.next_request().is_none());
    }

    #[test]
    fn identical_records_on_both_sides_of_a_page_break_are_both_yielded() {
        let mut walker = ChatRecords::new(MIDNIGHT + 10, MIDNIGHT + 20).page_size(2);
        walker
            .accept(answer(
                vec![record(MIDNIGHT + 11, "a"), record(MIDNIGHT + 12, "[image]")],
                3,
            ))
            .unwrap();
        let second = walker
            .accept(answer(
                vec![record(MIDNIGHT + 12, "[image]"), record(MIDNIGHT + 13, "c")],
                5,
            ))
            .unwrap();
        assert_eq!(
            second,
            [record(MIDNIGHT + 12, "[image]"), record(MIDNIGHT + 13, "c")]
        );
    }

    #[test]
    fn the_second_two_windows_share_is_yielded_once() {
        let mut walker = ChatRecords::new(MIDNIGHT - 10, MIDNIGHT + 10);
        assert_eq!(requested(&walker).1, MIDNIGHT);
        let first = walker
            .accept(answer(
                vec![record(MIDNIGHT - 5, "a"), record(MIDNIGHT, "b")],
                3,
            ))
            .unwrap();
        assert_eq!(first.len(), 2);
        assert_eq!(
            requested(&walker),
            (MIDNIGHT, MIDNIGHT + 10, 1, MAX_PER_PAGE)
        );
        let second = walker
            .accept(answer(
                vec![
                    record(MIDNIGHT, "b"),
                    record(MIDNIGHT, "c"),
                    record(MIDNIGHT + 1, "d"),
                ],
                9,
            ))
            .unwrap();
        assert_eq!(second, [record(MIDNIGHT, "c"), record(MIDNIGHT + 1, "d")]);
        assert!(walker.is_done());
    }

    #[test]
    fn a_cursor_that_does_not_move_is_an_error_not_a_loop() {
        let mut walker = ChatRecords::new(MIDNIGHT, MIDNIGHT + 5).page_size(1);
        walker
            .accept(answer(vec![record(MIDNIGHT, "a")], 2))
            .unwrap();
        let stuck = walker
            .accept(answer(vec![record(MIDNIGHT + 1, "b")], 2))
            .unwrap_err();
        assert!(matches!(stuck, Error::Decode(_)), "{stuck:?}");
        assert!(
            stuck.to_string().contains("does not move past 2"),
            "{stuck}"
        );
        let mut missing = ChatRecords::new(MIDNIGHT, MIDNIGHT + 5).page_size(1);
        let answer = GetMsgListResponse::new().with_recordlist(vec![record(MIDNIGHT, "a")]);
        assert!(matches!(missing.accept(answer), Err(Error::Decode(_))));
    }

    #[test]
    fn a_reversed_range_is_refused_by_the_request_before_sending() {
        let walker = ChatRecords::new(MIDNIGHT + 5, MIDNIGHT);
        let request =
            wechat_core::Endpoint::<OfficialAccount>::request(&walker.next_request().unwrap());
        assert!(
            matches!(request, Err(Error::InvalidRequest(_))),
            "{request:?}"
        );
    }
}
