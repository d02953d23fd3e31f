//! `msgrecord/getmsglist` against the sandbox, with both backends: what the recorded traffic
//! holds (2002 for what was sent, 2003 for what a kf received), paging by msgid, the time
//! range, and the limits with WeChat's codes (reference §6).

mod support;

use serde_json::json;
use wechat_core::Error;
use wechat_core::endpoints::mp::*;
use wechat_core::types::common::Errcode;
use wechat_core::types::mp::*;
use wechat_sandbox::{Sandbox, UserMessage};

use support::{Caller, RawJson, each_frozen_backend, secs};

/// Where the frozen clock starts, as the records' times are typed.
const T0: i64 = support::T0 as i64;
const DAY: i64 = 24 * 3600;
const GET_MSG_LIST: &str = "/customservice/msgrecord/getmsglist";
/// 客服发送消息.
const SENT: i64 = 2002;
/// 客服收到消息.
const RECEIVED: i64 = 2003;

fn page(caller: &Caller, start: i64, end: i64, msgid: i64, number: u32) -> GetMsgListResponse {
    caller
        .call(&GetMsgList::new(GetMsgListRequest::new(
            start, end, msgid, number,
        )))
        .unwrap()
}

fn send(caller: &Caller, openid: &str, content: impl Into<CustomMessageContent>) {
    caller
        .call(&SendCustomMessage::new(CustomMessage::new(openid, content)))
        .unwrap();
}

/// A user who wrote once (the window is open) and has no kf session.
fn user(sandbox: &Sandbox, name: &str) -> String {
    let app = sandbox.app();
    let openid = app.create_user(name).unwrap();
    app.writes_blocking(&openid, UserMessage::text("你好"))
        .unwrap();
    openid
}

/// `count` text messages `m0`, `m1`, ... to `openid`, one a second.
fn send_texts(sandbox: &Sandbox, caller: &Caller, openid: &str, count: usize) {
    for i in 0..count {
        sandbox.advance(secs(1));
        // The quota allows 5 per user message; the user keeps writing.
        if i % 5 == 0 {
            sandbox
                .app()
                .writes_blocking(openid, UserMessage::text("继续"))
                .unwrap();
        }
        send(caller, openid, Text::new(format!("m{i}")));
    }
}

fn texts(page: &GetMsgListResponse) -> Vec<String> {
    page.recordlist
        .iter()
        .map(|record| record.text.clone().unwrap_or_default())
        .collect()
}

#[test]
fn what_was_sent_and_what_a_kf_received_is_recorded() {
    each_frozen_backend(|sandbox, caller| {
        let app = sandbox.app();
        let kf = format!("kf1@{}", app.wechat_id());
        caller
            .call(&AddKfAccount::new(KfAccountProfile::new(
                kf.as_str(),
                "小美",
            )))
            .unwrap();
        caller
            .call(&InviteKfWorker::new(InviteWorkerRequest::new(
                kf.as_str(),
                "worker_mei",
            )))
            .unwrap();
        app.answer_invitation(&kf, true).unwrap();
        app.set_online(&kf, true).unwrap();

        let bot_user = user(sandbox, "U1");
        sandbox.advance(secs(1));
        send(caller, &bot_user, Text::new("您好，我是机器人"));
        sandbox.advance(secs(1));
        send(caller, &bot_user, MpNewsArticle::new("ARTICLE_ID"));
        sandbox.advance(secs(1));
        caller
            .call(&SendCustomMessage::new(
                CustomMessage::new(&bot_user, Text::new("我是小美"))
                    .with_customservice(CustomService::new(KfAccount::new(&kf))),
            ))
            .unwrap();

        let served = app.create_user("U2").unwrap();
        caller
            .call(&CreateKfSession::new(KfSessionRequest::new(
                kf.as_str(),
                &served,
            )))
            .unwrap();
        sandbox.advance(secs(1));
        app.writes_blocking(&served, UserMessage::text("人工客服在吗"))
            .unwrap();
        sandbox.advance(secs(1));
        send(caller, &served, Text::new("在的"));

        let t = |offset: i64| T0 + offset;
        let expected = vec![
            MsgRecord::new(&bot_user, SENT, t(1)).with_text("您好，我是机器人"),
            MsgRecord::new(&bot_user, SENT, t(2)).with_text("[mpnewsarticle]"),
            MsgRecord::new(&bot_user, SENT, t(3))
                .with_text("我是小美")
                .with_worker(&kf),
            MsgRecord::new(&served, RECEIVED, t(4))
                .with_text("人工客服在吗")
                .with_worker(&kf),
            // Sent while the kf serves the user: the kf's message.
            MsgRecord::new(&served, SENT, t(5))
                .with_text("在的")
                .with_worker(&kf),
        ];
        let all = page(caller, T0, T0 + DAY, 1, 100);
        assert_eq!(all.recordlist, expected);
        assert_eq!(all.number, Some(5));
        assert_eq!(all.msgid, Some(6));
    });
}

#[test]
fn pages_follow_the_msgid_cursor_without_repeating_a_record() {
    each_frozen_backend(|sandbox, caller| {
        let openid = user(sandbox, "U1");
        send_texts(sandbox, caller, &openid, 5);
        let (start, end) = (T0, T0 + DAY);

        let first = page(caller, start, end, 1, 2);
        assert_eq!(texts(&first), ["m0", "m1"]);
        assert_eq!((first.number, first.msgid), (Some(2), Some(3)));
        let second = page(caller, start, end, first.msgid.unwrap(), 2);
        assert_eq!(texts(&second), ["m2", "m3"]);
        let third = page(caller, start, end, second.msgid.unwrap(), 2);
        assert_eq!(texts(&third), ["m4"]);
        assert_eq!((third.number, third.msgid), (Some(1), Some(6)));
        let past = page(caller, start, end, third.msgid.unwrap(), 2);
        assert!(past.recordlist.is_empty());
        assert_eq!((past.number, past.msgid), (Some(0), Some(6)));
    });
}

#[test]
fn only_the_records_of_the_range_are_listed_and_its_ends_are_included() {
    each_frozen_backend(|sandbox, caller| {
        let openid = user(sandbox, "U1");
        send_texts(sandbox, caller, &openid, 5); // at T0 + 1 ..= T0 + 5
        assert_eq!(
            texts(&page(caller, T0 + 2, T0 + 4, 1, 100)),
            ["m1", "m2", "m3"]
        );
        assert!(page(caller, T0 + 6, T0 + DAY, 1, 100).recordlist.is_empty());

        // A day later, the first day's records are outside a range of the second day.
        sandbox.advance(secs(DAY as u64));
        send_texts(sandbox, caller, &openid, 1);
        let later = page(caller, T0 + DAY, T0 + 2 * DAY, 1, 100);
        assert_eq!(texts(&later), ["m0"]);
        assert_eq!(later.recordlist[0].time, T0 + DAY + 6);
    });
}

#[test]
fn a_range_longer_than_24_hours_is_65417() {
    each_frozen_backend(|_sandbox, caller| {
        let too_long = json!({"starttime": T0, "endtime": T0 + DAY + 1, "msgid": 1, "number": 10});
        assert_eq!(
            caller.errcode(&RawJson::post(GET_MSG_LIST, too_long)),
            Errcode::QUERY_TIME_RANGE_EXCEEDED
        );
        // The SDK refuses such a range before sending it.
        let refused = caller
            .call(&GetMsgList::new(GetMsgListRequest::new(
                T0,
                T0 + DAY + 1,
                1,
                10,
            )))
            .unwrap_err();
        assert!(matches!(refused, Error::InvalidRequest(_)), "{refused:?}");
        assert_eq!(page(caller, T0, T0 + DAY, 1, 10).number, Some(0));
    });
}

#[test]
fn other_invalid_parameters_are_65416() {
    each_frozen_backend(|_sandbox, caller| {
        let raw = |start: i64, end: i64, msgid: i64, number: i64| {
            caller.errcode(&RawJson::post(
                GET_MSG_LIST,
                json!({"starttime": start, "endtime": end, "msgid": msgid, "number": number}),
            ))
        };
        let invalid = Errcode::INVALID_QUERY_PARAMETER;
        assert_eq!(raw(T0, T0, 1, 10), invalid, "an empty range");
        assert_eq!(raw(T0, T0 - 1, 1, 10), invalid, "a range that ends first");
        assert_eq!(raw(T0, T0 + 10, 1, 0), invalid, "number 0");
        assert_eq!(raw(T0, T0 + 10, 1, 10_001), invalid, "number above 10000");
        assert_eq!(raw(T0, T0 + 10, 0, 10), invalid, "msgid below 1");
        assert_eq!(page(caller, T0, T0 + 10, 1, 10_000).number, Some(0));
    });
}
