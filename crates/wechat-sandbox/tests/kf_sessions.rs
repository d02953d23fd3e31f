//! The kf session endpoints against the sandbox, with both backends: the session state machine
//! (create, close, a kf accepting a waiting user), what getsession / getsessionlist /
//! getwaitcase show of it, where a served user's messages go, the session events pushed to the
//! callback, and every refusal with WeChat's code (reference §5, §8.3, §8.4).

mod support;

use wechat_core::endpoints::mp::*;
use wechat_core::types::common::Errcode;
use wechat_core::types::mp::*;
use wechat_core::{OfficialAccount, callback::Receiver};
use wechat_sandbox::{
    CallbackConfig, ControlError, PushOutcome, PushRoute, Sandbox, SessionView, UserMessage,
};

use support::bot::{Answer, Bot, transfer_reply};
use support::{Caller, T0, each_frozen_backend, kf_name, secs};

const TOKEN: &str = "session-token-81f0";

/// A kf account added and, if `wx` is given, bound to that worker, who is `online` or not.
fn kf_account(
    sandbox: &Sandbox,
    caller: &Caller,
    prefix: &str,
    wx: Option<&str>,
    online: bool,
) -> String {
    let account = kf_name(sandbox, prefix);
    caller
        .call(&AddKfAccount::new(KfAccountProfile::new(
            account.as_str(),
            prefix,
        )))
        .unwrap();
    if let Some(wx) = wx {
        caller
            .call(&InviteKfWorker::new(InviteWorkerRequest::new(
                account.as_str(),
                wx,
            )))
            .unwrap();
        sandbox.app().answer_invitation(&account, true).unwrap();
        sandbox.app().set_online(&account, online).unwrap();
    }
    account
}

/// A bound, online kf account.
fn online_kf(sandbox: &Sandbox, caller: &Caller, prefix: &str) -> String {
    kf_account(
        sandbox,
        caller,
        prefix,
        Some(&format!("worker_{prefix}")),
        true,
    )
}

/// A plain-mode bot set as the app's callback, answering every push with `answer`.
fn bot(
    sandbox: &Sandbox,
    answer: impl Fn(&wechat_core::callback::Push<InboundMessage>) -> Answer + Send + Sync + 'static,
) -> Bot {
    let bot = Bot::start(Receiver::<OfficialAccount>::official_account(TOKEN), answer);
    sandbox
        .app()
        .set_callback(Some(CallbackConfig::plain(bot.url(), TOKEN)))
        .unwrap();
    bot
}

/// A bot that hands every user who writes to the kf system (`transfer_customer_service`, to
/// `kf` if one is named) and takes note of events.
fn transferring_bot(sandbox: &Sandbox, kf: Option<String>) -> Bot {
    bot(sandbox, move |push| match push.message {
        InboundMessage::Event(_) => Answer::Success,
        _ => Answer::Reply(transfer_reply(push, kf.as_deref())),
    })
}

/// A new user who wrote and was handed to the kf system by the bot.
fn waiting_user(sandbox: &Sandbox, name: &str) -> String {
    let app = sandbox.app();
    let openid = app.create_user(name).unwrap();
    let report = app
        .writes_blocking(&openid, UserMessage::text("转人工"))
        .unwrap();
    assert!(
        matches!(report.outcome, PushOutcome::Transferred { .. }),
        "{report:?}"
    );
    openid
}

fn session(kf: &str, openid: &str) -> KfSessionRequest {
    KfSessionRequest::new(kf, openid)
}

fn create(caller: &Caller, kf: &str, openid: &str) -> Errcode {
    caller.errcode(&CreateKfSession::new(session(kf, openid)))
}

fn close(caller: &Caller, kf: &str, openid: &str) -> Errcode {
    caller.errcode(&CloseKfSession::new(session(kf, openid)))
}

fn get_session(caller: &Caller, openid: &str) -> GetSessionResponse {
    caller
        .call(&GetKfSession::new(GetSessionQuery::new(openid)))
        .unwrap()
}

/// The OpenIDs `getsessionlist` shows for `kf`, with their `createtime`.
fn session_list(caller: &Caller, kf: &str) -> Vec<(String, i64)> {
    caller
        .call(&GetKfSessionList::new(GetSessionListQuery::new(kf)))
        .unwrap()
        .sessionlist
        .into_iter()
        .map(|info| (info.openid, info.createtime.unwrap()))
        .collect()
}

/// The session events the bot received, as `(event, kf, openid)`, in order.
fn session_events(bot: &Bot, count: usize) -> Vec<(&'static str, String, String)> {
    bot.wait_for_pushes(count)
        .into_iter()
        .filter_map(|push| match push.message {
            InboundMessage::Event(InboundEvent::KfCreateSession(event)) => Some((
                "kf_create_session",
                event.kf_account,
                event.header.from_user_name,
            )),
            InboundMessage::Event(InboundEvent::KfCloseSession(event)) => Some((
                "kf_close_session",
                event.kf_account,
                event.header.from_user_name,
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn a_session_is_created_shown_and_closed_with_its_events_pushed() {
    each_frozen_backend(|sandbox, caller| {
        let bot = bot(sandbox, |_| Answer::Success);
        let ann = online_kf(sandbox, caller, "kf1");
        let app = sandbox.app();
        let openid = app.create_user("U1").unwrap();
        assert_eq!(
            get_session(caller, &openid),
            GetSessionResponse::new()
                .with_createtime(0)
                .with_kf_account("")
        );

        sandbox.advance(secs(30));
        caller
            .call(&CreateKfSession::new(session(&ann, &openid)))
            .unwrap();
        let since = T0 as i64 + 30;
        assert_eq!(
            get_session(caller, &openid),
            GetSessionResponse::new()
                .with_createtime(since)
                .with_kf_account(&ann)
        );
        assert_eq!(session_list(caller, &ann), [(openid.clone(), since)]);
        assert_eq!(
            app.user(&openid).unwrap().session,
            SessionView::Serving {
                kf_account: ann.clone(),
                since: since as u64
            }
        );

        // Creating it again answers 0 and changes nothing: no second event, the same time.
        sandbox.advance(secs(30));
        caller
            .call(&CreateKfSession::new(session(&ann, &openid)))
            .unwrap();
        assert_eq!(get_session(caller, &openid).createtime, Some(since));
        // Each call's event is pushed in the background, as WeChat does: wait for this one
        // so that the order below is the order of the calls.
        assert_eq!(
            session_events(&bot, 1),
            [("kf_create_session", ann.clone(), openid.clone())]
        );

        caller
            .call(&CloseKfSession::new(session(&ann, &openid)))
            .unwrap();
        assert_eq!(
            get_session(caller, &openid),
            GetSessionResponse::new()
                .with_createtime(0)
                .with_kf_account("")
        );
        assert!(session_list(caller, &ann).is_empty());
        assert_eq!(app.user(&openid).unwrap().session, SessionView::None);
        assert_eq!(
            session_events(&bot, 2),
            [
                ("kf_create_session", ann.clone(), openid.clone()),
                ("kf_close_session", ann.clone(), openid.clone()),
            ]
        );
    });
}

#[test]
fn create_refuses_with_wechats_codes() {
    each_frozen_backend(|sandbox, caller| {
        let ann = online_kf(sandbox, caller, "kf1");
        let bo = online_kf(sandbox, caller, "kf2");
        let unbound = kf_account(sandbox, caller, "kf3", None, false);
        let offline = kf_account(sandbox, caller, "kf4", Some("worker_kf4"), false);
        let openid = sandbox.app().create_user("U1").unwrap();

        assert_eq!(create(caller, &ann, "oNOBODY"), Errcode::INVALID_OPENID);
        assert_eq!(
            create(caller, &kf_name(sandbox, "kf9"), &openid),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
        );
        assert_eq!(
            create(caller, &unbound, &openid),
            Errcode::CUSTOM_SERVICE_ACCOUNT_NOT_BOUND
        );
        assert_eq!(
            create(caller, &offline, &openid),
            Errcode::WORKER_NOT_ONLINE
        );
        caller
            .call(&CreateKfSession::new(session(&ann, &openid)))
            .unwrap();
        assert_eq!(
            create(caller, &bo, &openid),
            Errcode::ANOTHER_WORKER_SERVING
        );
        assert_eq!(
            get_session(caller, &openid).kf_account,
            ann,
            "a refused create changes nothing"
        );
    });
}

#[test]
fn close_refuses_with_wechats_codes() {
    each_frozen_backend(|sandbox, caller| {
        let _bot = transferring_bot(sandbox, None);
        let ann = online_kf(sandbox, caller, "kf1");
        let bo = online_kf(sandbox, caller, "kf2");
        let app = sandbox.app();
        let served = app.create_user("U1").unwrap();
        caller
            .call(&CreateKfSession::new(session(&ann, &served)))
            .unwrap();
        let idle = app.create_user("U2").unwrap();
        let waiting = waiting_user(sandbox, "U3");

        assert_eq!(close(caller, &ann, "oNOBODY"), Errcode::INVALID_OPENID);
        assert_eq!(
            close(caller, &kf_name(sandbox, "kf9"), &served),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
        );
        assert_eq!(close(caller, &ann, &idle), Errcode::NO_EFFECTIVE_SESSION);
        assert_eq!(
            close(caller, &ann, &waiting),
            Errcode::NO_EFFECTIVE_SESSION,
            "waiting is not a session yet"
        );
        assert_eq!(close(caller, &bo, &served), Errcode::ANOTHER_WORKER_SERVING);
        assert_eq!(get_session(caller, &served).kf_account, ann);
    });
}

#[test]
fn the_session_queries_refuse_with_wechats_codes() {
    each_frozen_backend(|sandbox, caller| {
        let unbound = kf_account(sandbox, caller, "kf1", None, false);
        assert_eq!(
            caller.errcode(&GetKfSession::new(GetSessionQuery::new("oNOBODY"))),
            Errcode::INVALID_OPENID
        );
        assert_eq!(
            caller.errcode(&GetKfSessionList::new(GetSessionListQuery::new(kf_name(
                sandbox, "kf9"
            )))),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
        );
        assert_eq!(
            caller.errcode(&GetKfSessionList::new(GetSessionListQuery::new(unbound))),
            Errcode::CUSTOM_SERVICE_ACCOUNT_NOT_BOUND
        );
    });
}

#[test]
fn getsessionlist_shows_only_the_kfs_own_users() {
    each_frozen_backend(|sandbox, caller| {
        let ann = online_kf(sandbox, caller, "kf1");
        let bo = online_kf(sandbox, caller, "kf2");
        let app = sandbox.app();
        let mut anns = Vec::new();
        for (i, (name, kf)) in [("U1", &ann), ("U2", &bo), ("U3", &ann)]
            .into_iter()
            .enumerate()
        {
            let openid = app.create_user(name).unwrap();
            caller
                .call(&CreateKfSession::new(session(kf, &openid)))
                .unwrap();
            if kf == &ann {
                anns.push((openid, T0 as i64 + i as i64));
            }
            sandbox.advance(secs(1));
        }
        let mut listed = session_list(caller, &ann);
        listed.sort();
        anns.sort();
        assert_eq!(listed, anns);
        assert_eq!(session_list(caller, &bo).len(), 1);
    });
}

#[test]
fn getwaitcase_counts_every_waiting_user_and_lists_the_first_100_in_arrival_order() {
    each_frozen_backend(|sandbox, caller| {
        let _bot = transferring_bot(sandbox, None);
        let empty = caller.call(&GetWaitCase).unwrap();
        assert_eq!(empty.count, Some(0));
        assert!(empty.waitcaselist.is_empty());

        let waiting: Vec<String> = (0..101)
            .map(|i| {
                sandbox.advance(secs(1));
                waiting_user(sandbox, &format!("U{i}"))
            })
            .collect();
        // The first user writes again: still first in the queue, with a later latest_time.
        sandbox.advance(secs(60));
        sandbox
            .app()
            .writes_blocking(&waiting[0], UserMessage::text("还在吗"))
            .unwrap();

        let cases = caller.call(&GetWaitCase).unwrap();
        assert_eq!(cases.count, Some(101));
        assert_eq!(cases.waitcaselist.len(), 100);
        let listed: Vec<_> = cases
            .waitcaselist
            .iter()
            .map(|case| case.openid.clone().unwrap())
            .collect();
        assert_eq!(listed, waiting[..100]);
        assert_eq!(
            cases.waitcaselist[0].latest_time,
            Some(sandbox.clock().unix() as i64)
        );
        assert_eq!(cases.waitcaselist[1].latest_time, Some(T0 as i64 + 2));
    });
}

#[test]
fn a_kf_accepting_a_waiting_user_starts_a_session() {
    each_frozen_backend(|sandbox, caller| {
        let bot = transferring_bot(sandbox, None);
        let ann = online_kf(sandbox, caller, "kf1");
        let app = sandbox.app();
        let openid = waiting_user(sandbox, "U1");
        let other = waiting_user(sandbox, "U2");

        sandbox.advance(secs(90));
        app.kf_accepts(&ann, &openid).unwrap();
        assert_eq!(
            get_session(caller, &openid),
            GetSessionResponse::new()
                .with_createtime(sandbox.clock().unix() as i64)
                .with_kf_account(&ann)
        );
        let cases = caller.call(&GetWaitCase).unwrap();
        assert_eq!(cases.count, Some(1));
        assert_eq!(
            cases.waitcaselist[0].openid.as_deref(),
            Some(other.as_str())
        );
        // Two messages pushed, then the event (kf_accepts returns once it was pushed).
        assert_eq!(
            session_events(&bot, 3),
            [("kf_create_session", ann.clone(), openid.clone())]
        );

        assert!(matches!(
            app.kf_accepts(&ann, &openid),
            Err(ControlError::Invalid(_))
        ));
        assert!(matches!(
            app.kf_accepts(&kf_name(sandbox, "kf9"), &other),
            Err(ControlError::UnknownKf(_))
        ));
        assert!(matches!(
            app.kf_accepts(&ann, "oNOBODY"),
            Err(ControlError::UnknownUser(_))
        ));
        app.set_online(&ann, false).unwrap();
        assert!(matches!(
            app.kf_accepts(&ann, &other),
            Err(ControlError::Invalid(_))
        ));
    });
}

#[test]
fn a_user_transferred_to_a_named_kf_is_accepted_by_that_kf_only() {
    each_frozen_backend(|sandbox, caller| {
        let ann = online_kf(sandbox, caller, "kf1");
        let bo = online_kf(sandbox, caller, "kf2");
        let _bot = transferring_bot(sandbox, Some(ann.clone()));
        let app = sandbox.app();
        let openid = waiting_user(sandbox, "U1");
        assert!(matches!(
            app.kf_accepts(&bo, &openid),
            Err(ControlError::Invalid(_))
        ));
        app.kf_accepts(&ann, &openid).unwrap();
        assert_eq!(get_session(caller, &openid).kf_account, ann);
    });
}

#[test]
fn a_served_users_messages_go_to_the_kf_until_the_session_is_quiet_for_30_minutes() {
    each_frozen_backend(|sandbox, caller| {
        let bot = bot(sandbox, |_| Answer::Success);
        let ann = online_kf(sandbox, caller, "kf1");
        let app = sandbox.app();
        let openid = app.create_user("U1").unwrap();
        caller
            .call(&CreateKfSession::new(session(&ann, &openid)))
            .unwrap();
        bot.wait_for_pushes(1); // kf_create_session

        sandbox.advance(secs(29 * 60));
        let report = app
            .writes_blocking(&openid, UserMessage::text("在吗"))
            .unwrap();
        assert_eq!(
            report.route,
            PushRoute::Kf {
                kf_account: ann.clone()
            }
        );
        assert_eq!(report.outcome, PushOutcome::NotPushed);

        // The kf answering keeps the session alive.
        sandbox.advance(secs(29 * 60));
        caller
            .call(&SendCustomMessage::new(
                CustomMessage::new(&openid, Text::new("在的"))
                    .with_customservice(CustomService::new(KfAccount::new(&ann))),
            ))
            .unwrap();
        sandbox.advance(secs(29 * 60));
        let report = app
            .writes_blocking(&openid, UserMessage::text("好的"))
            .unwrap();
        assert!(matches!(report.route, PushRoute::Kf { .. }), "{report:?}");
        assert_eq!(bot.seen(|seen| seen.pushes.len()), 1);

        // 30 quiet minutes later the user's messages reach the callback again, though the
        // session stays open until a kf closes it.
        sandbox.advance(secs(30 * 60));
        let report = app
            .writes_blocking(&openid, UserMessage::text("还有一个问题"))
            .unwrap();
        assert_eq!(report.route, PushRoute::Callback);
        assert_eq!(report.outcome, PushOutcome::NoReply);
        assert_eq!(bot.seen(|seen| seen.pushes.len()), 2);
        assert_eq!(get_session(caller, &openid).kf_account, ann);
    });
}

#[test]
fn deleting_a_kf_account_ends_its_sessions_and_its_queue() {
    each_frozen_backend(|sandbox, caller| {
        let ann = online_kf(sandbox, caller, "kf1");
        let bo = online_kf(sandbox, caller, "kf2");
        let _bot = transferring_bot(sandbox, Some(ann.clone()));
        let app = sandbox.app();
        let served = app.create_user("U1").unwrap();
        caller
            .call(&CreateKfSession::new(session(&ann, &served)))
            .unwrap();
        let others = app.create_user("U2").unwrap();
        caller
            .call(&CreateKfSession::new(session(&bo, &others)))
            .unwrap();
        let routed = waiting_user(sandbox, "U3");

        caller
            .call(&DeleteKfAccount::new(DeleteKfAccountRequest::new(
                ann.as_str(),
            )))
            .unwrap();
        assert_eq!(get_session(caller, &served).kf_account, "");
        assert_eq!(app.user(&routed).unwrap().session, SessionView::None);
        assert_eq!(caller.call(&GetWaitCase).unwrap().count, Some(0));
        assert_eq!(get_session(caller, &others).kf_account, bo);
        assert_eq!(
            create(caller, &ann, &served),
            Errcode::INVALID_CUSTOM_SERVICE_ACCOUNT
        );
    });
}
