//! `wechat_mp::records` over real HTTP against the sandbox, with both backends: a walk of more
//! than two days of chat records with a small page size yields every record once and in order
//! (the records of a China-time midnight included once), as a stream or iterator and page by
//! page; each call it makes is one window of at most 24 hours, paged along the msgid cursor;
//! one `records::page` call's answer; a span over 24 hours refused before sending.
//!
//! What the sandbox itself does with `getmsglist` (its codes, its cursor) is proved in
//! `crates/wechat-sandbox/tests/msg_records.rs`.

#[path = "../../wechat-sandbox/tests/support/mod.rs"]
mod support;

use std::sync::{Arc, Mutex};

use futures_util::TryStreamExt;
use wechat_core::types::mp::{GetMsgListRequest, MsgRecord};
use wechat_core::{
    BlockingHttpBackend, Error, HttpBackend, HttpRequest, ReqwestBackend, UreqBackend,
};
use wechat_mp::records::{self, ChatRecords};
use wechat_mp::{kf_account, message};
use wechat_sandbox::{Sandbox, UserMessage};

use support::{Caller, each_frozen_backend, kf_name, secs};

const GET_MSG_LIST: &str = "/customservice/msgrecord/getmsglist";
/// 客服发送消息.
const SENT: i64 = 2002;
const DAY: i64 = 24 * 3600;
/// Where the frozen clock starts: 2023-11-15 06:13:20 China time.
const T0: i64 = support::T0 as i64;
/// 2023-11-16 00:00 China time, the first midnight after [`T0`]: a window boundary.
const MIDNIGHT: i64 = 1_700_064_000;
/// The walked range: from [`T0`] to an hour past the third midnight, over two and a half days.
const START: i64 = T0;
const END: i64 = MIDNIGHT + 2 * DAY + 3600;

/// When each message of the walked range is sent, and its text: three on the boundary seconds
/// of the first two midnights (two in the same second).
const SCHEDULE: [(i64, &str); 13] = [
    (T0 + 10, "d1-a"),
    (T0 + 20, "d1-b"),
    (T0 + 30, "d1-c"),
    (MIDNIGHT - 1, "d1-last"),
    (MIDNIGHT, "midnight-1"),
    (MIDNIGHT, "midnight-2"),
    (MIDNIGHT + 5, "d2-a"),
    (MIDNIGHT + 3600, "d2-b"),
    (MIDNIGHT + 7200, "d2-c"),
    (MIDNIGHT + DAY, "midnight-3"),
    (MIDNIGHT + DAY + 100, "d3-a"),
    (MIDNIGHT + DAY + 200, "d3-b"),
    (MIDNIGHT + 2 * DAY + 60, "d4-a"),
];

/// A getmsglist request's `(starttime, endtime, msgid, number)`.
type Query = (i64, i64, i64, u32);

/// The [`Query`] of every call a walk of [`SCHEDULE`] with two
/// records a page makes, given the sandbox's cursor (the msgid after the last record returned;
/// the records are numbered 1 to 13 as sent). A window's last page is the first one short of
/// two records.
const WALK_REQUESTS: [Query; 11] = [
    (START, MIDNIGHT, 1, 2),
    (START, MIDNIGHT, 3, 2),
    (START, MIDNIGHT, 5, 2),
    (START, MIDNIGHT, 7, 2),
    (MIDNIGHT, MIDNIGHT + DAY, 1, 2),
    (MIDNIGHT, MIDNIGHT + DAY, 7, 2),
    (MIDNIGHT, MIDNIGHT + DAY, 9, 2),
    (MIDNIGHT, MIDNIGHT + DAY, 11, 2),
    (MIDNIGHT + DAY, MIDNIGHT + 2 * DAY, 1, 2),
    (MIDNIGHT + DAY, MIDNIGHT + 2 * DAY, 12, 2),
    (MIDNIGHT + 2 * DAY, END, 1, 2),
];

/// Moves the frozen clock of `sandbox` forward to `unix`.
fn advance_to(sandbox: &Sandbox, unix: i64) {
    let now = sandbox.clock().unix() as i64;
    assert!(unix >= now, "the schedule goes forward: {unix} < {now}");
    sandbox.advance(secs((unix - now) as u64));
}

/// Sends each text of `schedule` at its time as the kf account `kf1`, to a user who writes
/// just before (keeping the window open and the quota full); answers the records WeChat keeps
/// of them, in order.
fn chat(sandbox: &Sandbox, caller: &Caller, schedule: &[(i64, &str)]) -> Vec<MsgRecord> {
    let app = sandbox.app();
    let kf = kf_name(sandbox, "kf1");
    caller.call(&kf_account::add(kf.as_str(), "小美")).unwrap();
    let openid = app.create_user("Ann").unwrap();
    schedule
        .iter()
        .map(|&(time, text)| {
            advance_to(sandbox, time);
            app.writes_blocking(&openid, UserMessage::text("在吗"))
                .unwrap();
            caller
                .call(&message::text(&openid, text).as_kf_account(kf.as_str()))
                .unwrap();
            MsgRecord::new(&openid, SENT, time)
                .with_text(text)
                .with_worker(&kf)
        })
        .collect()
}

/// Drives an async call to its end on a runtime of its own.
fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(future)
}

/// Every record of `walk`: the async stream on the async client, the iterator on the
/// blocking one.
fn every_record(caller: &Caller, walk: ChatRecords) -> Vec<MsgRecord> {
    match caller {
        Caller::Async(client) => block_on(walk.stream(client).try_collect()).unwrap(),
        Caller::Blocking(client) => walk.iter(client).collect::<Result<_, _>>().unwrap(),
    }
}

/// The pages of `walk`, by `next_page` on the async client, `next_page_blocking` on the
/// blocking one.
fn every_page(caller: &Caller, mut walk: ChatRecords) -> Vec<Vec<MsgRecord>> {
    let mut pages = Vec::new();
    match caller {
        Caller::Async(client) => block_on(async {
            while let Some(page) = walk.next_page(client).await.unwrap() {
                pages.push(page);
            }
        }),
        Caller::Blocking(client) => {
            while let Some(page) = walk.next_page_blocking(client).unwrap() {
                pages.push(page);
            }
        }
    }
    assert!(walk.is_done());
    pages
}

fn texts(records: &[MsgRecord]) -> Vec<&str> {
    records
        .iter()
        .map(|record| record.text.as_deref().unwrap_or_default())
        .collect()
}

/// The [`Query`] of every getmsglist request a [`recording`]
/// client sent.
#[derive(Clone, Default)]
struct Sent(Arc<Mutex<Vec<Query>>>);

impl Sent {
    fn note(&self, request: &HttpRequest) {
        if request.path() == GET_MSG_LIST {
            let body: GetMsgListRequest =
                serde_json::from_slice(request.body()).expect("a getmsglist body");
            let sent = (body.starttime, body.endtime, body.msgid, body.number);
            self.0.lock().unwrap().push(sent);
        }
    }

    fn requests(&self) -> Vec<Query> {
        self.0.lock().unwrap().clone()
    }
}

/// A client of the sandbox's first app on the backend of `like`, whose HTTP backend (the
/// bundled one) notes every getmsglist body it sends.
fn recording(sandbox: &Sandbox, like: &Caller) -> (Caller, Sent) {
    let sent = Sent::default();
    let noted = sent.clone();
    let app = sandbox.app();
    let caller = match like {
        Caller::Async(_) => {
            let http = Arc::new(ReqwestBackend::new().unwrap());
            let backend = move |request: HttpRequest| {
                noted.note(&request);
                let http = Arc::clone(&http);
                async move { http.send(request).await }
            };
            Caller::Async(app.client().backend(backend).build().unwrap())
        }
        Caller::Blocking(_) => {
            let http = UreqBackend::new();
            let backend = move |request: HttpRequest| {
                noted.note(&request);
                http.send(request)
            };
            Caller::Blocking(app.blocking_client().backend(backend).build().unwrap())
        }
    };
    (caller, sent)
}

/// The sandbox's log of the getmsglist calls: `(HTTP status, errcode)` of each.
fn logged_msg_list_calls(sandbox: &Sandbox) -> Vec<(Option<u16>, i64)> {
    sandbox
        .calls()
        .into_iter()
        .filter(|call| call.path == GET_MSG_LIST)
        .map(|call| (call.status, call.errcode))
        .collect()
}

#[test]
fn a_walk_over_more_than_two_days_yields_every_record_once_in_order() {
    each_frozen_backend(|sandbox, caller| {
        let expected = chat(sandbox, caller, &SCHEDULE);
        let walked = every_record(caller, ChatRecords::new(START, END).page_size(2));
        assert_eq!(texts(&walked), texts(&expected));
        assert_eq!(walked, expected);
        // The records of the boundary seconds, which two windows share, once each.
        let on_midnights = |records: &[MsgRecord]| {
            records
                .iter()
                .filter(|record| (record.time - MIDNIGHT) % DAY == 0)
                .map(|record| record.text.clone().unwrap_or_default())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            on_midnights(&walked),
            ["midnight-1", "midnight-2", "midnight-3"]
        );
    });
}

#[test]
fn page_by_page_each_call_is_one_window_of_at_most_a_day_along_the_msgid_cursor() {
    each_frozen_backend(|sandbox, caller| {
        let expected = chat(sandbox, caller, &SCHEDULE);
        let (walker, sent) = recording(sandbox, caller);
        let pages = every_page(&walker, ChatRecords::new(START, END).page_size(2));

        // The first page of the second window held only the two records of the shared
        // second, already yielded: no empty page comes out for it.
        let page_texts: Vec<_> = pages.iter().map(|page| texts(page)).collect();
        let want: [&[&str]; 8] = [
            &["d1-a", "d1-b"],
            &["d1-c", "d1-last"],
            &["midnight-1", "midnight-2"],
            &["d2-a", "d2-b"],
            &["d2-c", "midnight-3"],
            &["d3-a"],
            &["d3-b"],
            &["d4-a"],
        ];
        assert_eq!(page_texts, want);
        assert_eq!(pages.concat(), expected);

        let requests = sent.requests();
        assert_eq!(requests, WALK_REQUESTS);
        // What the exact list implies, stated: every span is within one day and one of the
        // walked windows, and a window took more than one page, along a rising cursor.
        let windows: Vec<_> = records::windows(START, END).collect();
        assert_eq!(windows.len(), 4);
        for &(from, to, _, number) in &requests {
            assert!(0 < to - from && to - from <= DAY, "{from}..{to}");
            assert!(windows.contains(&(from, to)), "{from}..{to}");
            assert_eq!(number, 2);
        }
        let first_window: Vec<_> = requests
            .iter()
            .filter(|request| (request.0, request.1) == windows[0])
            .map(|request| request.2)
            .collect();
        assert_eq!(first_window, [1, 3, 5, 7]);

        // The sandbox saw exactly these calls and refused none (it answers a span over 24
        // hours with 65417).
        assert_eq!(
            logged_msg_list_calls(sandbox),
            vec![(Some(200), 0); WALK_REQUESTS.len()]
        );
    });
}

#[test]
fn one_page_answers_its_records_their_count_and_the_next_cursor() {
    each_frozen_backend(|sandbox, caller| {
        let expected = chat(sandbox, caller, &SCHEDULE);
        let page = caller.call(&records::page(START, MIDNIGHT, 1, 4)).unwrap();
        assert_eq!(page.recordlist, expected[..4]);
        assert_eq!(page.number, Some(4));
        assert_eq!(page.msgid, Some(5));
        let json = serde_json::to_value(&page.recordlist[0]).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "openid": expected[0].openid,
                "opercode": SENT,
                "text": "d1-a",
                "time": T0 + 10,
                "worker": kf_name(sandbox, "kf1"),
            })
        );
    });
}

#[test]
fn a_page_over_24_hours_is_refused_before_anything_is_sent() {
    each_frozen_backend(|sandbox, caller| {
        let refused = caller
            .call(&records::page(START, START + DAY + 1, 1, 10))
            .unwrap_err();
        let Error::InvalidRequest(invalid) = &refused else {
            panic!("expected Error::InvalidRequest, got {refused:?}");
        };
        assert_eq!(invalid.endpoint(), GET_MSG_LIST);
        assert_eq!(invalid.field(), "", "the range as a whole: {refused}");
        assert!(refused.to_string().contains("24 hours"), "{refused}");
        assert_eq!(logged_msg_list_calls(sandbox), []);

        // Exactly 24 hours goes out and is answered.
        let day = caller
            .call(&records::page(START, START + DAY, 1, 10))
            .unwrap();
        assert_eq!(day.number, Some(0));
        assert_eq!(logged_msg_list_calls(sandbox), [(Some(200), 0)]);
    });
}

#[test]
fn two_identical_records_across_a_page_break_are_both_yielded() {
    each_frozen_backend(|sandbox, caller| {
        // The same text twice in one second from the same kf (two images would both read
        // `[image]`): two records nothing tells apart, which the sandbox pages as [a, ok] and
        // [ok] without repeating either.
        let expected = chat(
            sandbox,
            caller,
            &[(T0 + 1, "a"), (T0 + 2, "ok"), (T0 + 2, "ok")],
        );
        let all = caller.call(&records::page(T0, T0 + 60, 1, 10)).unwrap();
        assert_eq!(all.recordlist, expected);
        let walked = every_record(caller, ChatRecords::new(T0, T0 + 60).page_size(2));
        assert_eq!(texts(&walked), ["a", "ok", "ok"]);
        assert_eq!(walked, expected);
    });
}
