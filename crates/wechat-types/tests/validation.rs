//! `validate()` enforces the documented limits and names the failing member by its wire path.

mod support;

use wechat_types::mp::*;
use wechat_types::{Rule, Validate};

fn error_of(value: &impl Validate) -> (String, Rule, String) {
    let error = value.validate().expect_err("should be rejected");
    (
        error.path().to_owned(),
        error.rule().clone(),
        error.to_string(),
    )
}

#[test]
fn empty_text_is_rejected_at_text_content() {
    let (path, rule, message) = error_of(&CustomMessage::new("OPENID", Text::new("")));
    assert_eq!(path, "text.content");
    assert_eq!(rule, Rule::MinChars { min: 1, actual: 0 });
    assert_eq!(
        message,
        "invalid request: `text.content` must have at least 1 character(s), has 0"
    );
}

#[test]
fn news_takes_exactly_one_article() {
    let article = || NewsArticle::new("title", "description", "url", "picurl");
    let two = CustomMessage::new("OPENID", News::new(vec![article(), article()]));
    assert_eq!(error_of(&two).0, "news.articles");
    assert_eq!(error_of(&two).1, Rule::MaxItems { max: 1, actual: 2 });
    let none = CustomMessage::new("OPENID", News::new(vec![]));
    assert_eq!(error_of(&none).1, Rule::MinItems { min: 1, actual: 0 });
    assert!(
        CustomMessage::new("OPENID", News::new(vec![article()]))
            .validate()
            .is_ok()
    );
}

#[test]
fn array_items_are_named_by_index() {
    let menu = MsgMenu::new(vec![
        MsgMenuItem::new("101", "满意"),
        MsgMenuItem::new("102", ""),
    ]);
    let (path, _, _) = error_of(&CustomMessage::new("OPENID", menu));
    assert_eq!(path, "msgmenu.list[1].content");
}

#[test]
fn kf_account_format_is_checked_wherever_it_is_used() {
    let bad = || KfAccount::new("way_too_long_prefix@test");
    let (path, rule, _) = error_of(
        &CustomMessage::new("OPENID", Text::new("hi"))
            .with_customservice(CustomService::new(bad())),
    );
    assert_eq!(path, "customservice.kf_account");
    assert!(
        matches!(
            rule,
            Rule::Check {
                check: "kf_account",
                ..
            }
        ),
        "{rule:?}"
    );
    assert_eq!(
        error_of(&KfAccountProfile::new(bad(), "nick")).0,
        "kf_account"
    );
    assert_eq!(
        error_of(&KfSessionRequest::new(bad(), "OPENID")).0,
        "kf_account"
    );
    assert_eq!(error_of(&bad()).0, "");
    let reply = TransferCustomerService::new(MessageHeader::new("u", "gh", 1))
        .with_trans_info(TransInfo::new(bad()));
    assert_eq!(
        error_of(&PassiveReply::from(reply)).0,
        "TransInfo.KfAccount"
    );
}

#[test]
fn nickname_is_limited_in_characters_not_bytes() {
    let account = || KfAccount::new("test1@test");
    // 16 Chinese characters are 48 bytes but 16 characters: allowed.
    assert!(
        KfAccountProfile::new(account(), "客".repeat(16))
            .validate()
            .is_ok()
    );
    let (path, rule, _) = error_of(&KfAccountProfile::new(account(), "客".repeat(17)));
    assert_eq!(
        (path.as_str(), rule),
        (
            "nickname",
            Rule::MaxChars {
                max: 16,
                actual: 17
            }
        )
    );
    assert_eq!(
        error_of(&KfAccountProfile::new(account(), "")).0,
        "nickname"
    );
}

#[test]
fn chat_record_queries_respect_number_and_the_24_hour_span() {
    let start = 1_464_710_400;
    assert!(
        GetMsgListRequest::new(start, start + 86_400, 1, 10_000)
            .validate()
            .is_ok()
    );
    let (path, rule, _) = error_of(&GetMsgListRequest::new(start, start + 3600, 1, 10_001));
    assert_eq!(
        (path.as_str(), rule),
        (
            "number",
            Rule::Maximum {
                max: "10000".into(),
                actual: "10001".into()
            }
        )
    );
    assert_eq!(
        error_of(&GetMsgListRequest::new(start, start + 3600, 0, 10)).0,
        "msgid"
    );
    let (path, _, message) = error_of(&GetMsgListRequest::new(start, start + 86_401, 1, 10));
    assert_eq!(path, "");
    assert!(message.contains("at most 24 hours"), "{message}");
    let (_, _, message) = error_of(&GetMsgListRequest::new(start, start, 1, 10));
    assert!(message.contains("must be after"), "{message}");
}

#[test]
fn ai_marker_is_zero_or_one() {
    let message =
        CustomMessage::new("OPENID", Text::new("hi")).with_aimsgcontext(AiMsgContext::new(2));
    assert_eq!(error_of(&message).0, "aimsgcontext.is_ai_msg");
}

#[test]
fn kf_account_check_agrees_with_the_schema_pattern() {
    let pattern = support::schemas::def("mp/kf_account.schema.json", "KfAccount")["pattern"]
        .as_str()
        .unwrap();
    let regex = regex::Regex::new(pattern).unwrap();
    let samples = [
        "test1@test",
        "kf_2001@gh_wechat-id",
        "a@b",
        "abcdefghij@x",
        "abcdefghijk@x",
        "@test",
        "test1@",
        "test1",
        "te st@x",
        "test1@te st",
        "测试@test",
        "test1@测试",
        "a@b@c",
        "a@0123456789012345678901234567890",
        "a@012345678901234567890123456789",
        "a-b@test",
        "A_1@Z-9",
        "a@b.c",
        "a\n@b",
        "a@b\n",
    ];
    for sample in samples {
        assert_eq!(
            wechat_types::checks::kf_account(sample).is_ok(),
            regex.is_match(sample),
            "check and pattern disagree on {sample:?}"
        );
    }
}

#[test]
fn a_valid_message_of_every_type_passes() {
    for fixture in support::schemas::fixtures()
        .iter()
        .filter(|f| f.def == "CustomMessage")
    {
        let message: CustomMessage = serde_json::from_str(&fixture.text).unwrap();
        assert_eq!(message.validate(), Ok(()), "{}", fixture.path);
    }
}
