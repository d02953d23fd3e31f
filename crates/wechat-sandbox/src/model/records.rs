//! Chat records (reference §6): every message a kf sent (opercode 2002) or received (2003),
//! and `getmsglist`'s paging over them.

use wechat_types::common::Errcode;
use wechat_types::mp::{GetMsgListRequest, GetMsgListResponse, MsgRecord};

use crate::wire::Refusal;

/// A kf sent a message (客服发送消息).
pub(crate) const KF_SENT: i64 = 2002;
/// A kf received a message (客服收到消息).
pub(crate) const KF_RECEIVED: i64 = 2003;
/// The most records one call may ask for.
pub(crate) const MAX_NUMBER: u32 = 10_000;

/// One record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    /// Ascending from 1; the paging cursor.
    pub(crate) msgid: i64,
    pub(crate) openid: String,
    pub(crate) opercode: i64,
    pub(crate) text: String,
    /// Unix seconds.
    pub(crate) time: i64,
    pub(crate) worker: Option<String>,
}

/// The records of an app, in the order they happened.
#[derive(Debug, Clone, Default)]
pub(crate) struct Records {
    records: Vec<Record>,
}

impl Records {
    /// Adds a record.
    pub(crate) fn push(
        &mut self,
        openid: &str,
        opercode: i64,
        text: String,
        time: i64,
        worker: Option<String>,
    ) {
        let msgid = self.records.len() as i64 + 1;
        self.records.push(Record {
            msgid,
            openid: openid.to_owned(),
            opercode,
            text,
            time,
            worker,
        });
    }

    /// `getmsglist`: the records of `[starttime, endtime]` from cursor `msgid` on, at most
    /// `number` of them, with the cursor of the next page (the msgid after the last one
    /// returned; the cursor record is never repeated). 65416 for a range that ends before it
    /// starts, a `number` of 0 or above 10000 or a `msgid` below 1; 65417 for a range longer
    /// than 24 hours.
    pub(crate) fn page(&self, query: &GetMsgListRequest) -> Result<GetMsgListResponse, Refusal> {
        if query.endtime <= query.starttime {
            return Err(Refusal::hint(
                Errcode::INVALID_QUERY_PARAMETER,
                "endtime must be after starttime",
            ));
        }
        if query.endtime - query.starttime > 24 * 3600 {
            return Err(Refusal::hint(
                Errcode::QUERY_TIME_RANGE_EXCEEDED,
                "at most 24 hours per query",
            ));
        }
        if query.number == 0 || query.number > MAX_NUMBER {
            return Err(Refusal::hint(
                Errcode::INVALID_QUERY_PARAMETER,
                "number must be 1 to 10000",
            ));
        }
        if query.msgid < 1 {
            return Err(Refusal::hint(
                Errcode::INVALID_QUERY_PARAMETER,
                "msgid starts at 1",
            ));
        }
        let page: Vec<&Record> = self
            .records
            .iter()
            .filter(|r| r.msgid >= query.msgid)
            .filter(|r| (query.starttime..=query.endtime).contains(&r.time))
            .take(query.number as usize)
            .collect();
        let next = page.last().map_or(query.msgid, |last| last.msgid + 1);
        let recordlist = page
            .iter()
            .map(|record| {
                let item = MsgRecord::new(&record.openid, record.opercode, record.time)
                    .with_text(&record.text);
                match &record.worker {
                    Some(worker) => item.with_worker(worker),
                    None => item,
                }
            })
            .collect::<Vec<_>>();
        Ok(GetMsgListResponse::new()
            .with_number(recordlist.len() as u32)
            .with_recordlist(recordlist)
            .with_msgid(next))
    }
}

/// The `text` of a record of a message of type `msgtype`: the text itself, or `[image]`,
/// `[voice]`, `[video]` (as documented) and likewise `[music]`, `[news]`, ... for the types
/// the documentation does not mention.
pub(crate) fn record_text(msgtype: &str, text: Option<&str>) -> String {
    match text {
        Some(text) => text.to_owned(),
        None => format!("[{msgtype}]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(n: i64) -> Records {
        let mut records = Records::default();
        for i in 0..n {
            records.push(
                "o1",
                KF_SENT,
                format!("m{i}"),
                1000 + i,
                Some("kf1@oa".into()),
            );
        }
        records
    }

    fn query(start: i64, end: i64, msgid: i64, number: u32) -> GetMsgListRequest {
        GetMsgListRequest::new(start, end, msgid, number)
    }

    #[test]
    fn pages_follow_the_cursor_without_repeating() {
        let records = records(5);
        let first = records.page(&query(0, 86_400, 1, 2)).unwrap();
        assert_eq!(first.number, Some(2));
        assert_eq!(first.msgid, Some(3));
        assert_eq!(first.recordlist[0].text.as_deref(), Some("m0"));
        let second = records.page(&query(0, 86_400, 3, 2)).unwrap();
        assert_eq!(second.recordlist[0].text.as_deref(), Some("m2"));
        let last = records.page(&query(0, 86_400, 5, 2)).unwrap();
        assert_eq!(last.number, Some(1));
        assert_eq!(last.msgid, Some(6));
        let none = records.page(&query(0, 86_400, 6, 2)).unwrap();
        assert_eq!(none.number, Some(0));
        assert_eq!(none.msgid, Some(6));
    }

    #[test]
    fn the_range_is_inclusive() {
        let records = records(5);
        let page = records.page(&query(1001, 1003, 1, 100)).unwrap();
        let texts: Vec<_> = page
            .recordlist
            .iter()
            .map(|r| r.text.clone().unwrap())
            .collect();
        assert_eq!(texts, ["m1", "m2", "m3"]);
    }

    #[test]
    fn refusals() {
        let records = records(1);
        let code = |q| records.page(&q).unwrap_err().code;
        assert_eq!(code(query(10, 10, 1, 1)), Errcode::INVALID_QUERY_PARAMETER);
        assert_eq!(
            code(query(0, 86_401, 1, 1)),
            Errcode::QUERY_TIME_RANGE_EXCEEDED
        );
        assert_eq!(code(query(0, 10, 1, 0)), Errcode::INVALID_QUERY_PARAMETER);
        assert_eq!(
            code(query(0, 10, 1, 10_001)),
            Errcode::INVALID_QUERY_PARAMETER
        );
        assert_eq!(code(query(0, 10, 0, 1)), Errcode::INVALID_QUERY_PARAMETER);
        assert!(records.page(&query(0, 86_400, 1, 10_000)).is_ok());
    }
}
