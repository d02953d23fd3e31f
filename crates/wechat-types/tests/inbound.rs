//! Pushed messages: known types decode into their variant, unknown ones keep every member,
//! malformed known ones are errors (never silently `Unknown`).

use serde_json::json;
use wechat_types::mp::{InboundEvent, InboundMessage};

#[test]
fn a_json_push_decodes_with_numbers_in_either_form() {
    let push = json!({"ToUserName": "gh_1", "FromUserName": "OPENID", "CreateTime": "1348831860", "MsgType": "text",
                      "Content": "满意", "MsgId": 1234567890123456_u64, "bizmsgmenuid": 101});
    let InboundMessage::Text(text) = serde_json::from_value(push).unwrap() else {
        panic!("text")
    };
    assert_eq!(text.header.create_time, 1_348_831_860);
    assert_eq!(text.content, "满意");
    assert_eq!(text.msg_id, 1_234_567_890_123_456);
    assert_eq!(text.biz_msg_menu_id.as_deref(), Some("101"));
}

#[test]
fn unknown_message_types_and_events_keep_every_member() {
    let push = json!({"ToUserName": "gh_1", "FromUserName": "OPENID", "CreateTime": 1, "MsgType": "miniprogrampage",
                      "Title": "t", "AppId": "wx1"});
    let InboundMessage::Unknown(raw) = serde_json::from_value(push.clone()).unwrap() else {
        panic!("unknown")
    };
    assert_eq!(serde_json::Value::Object(raw), push);

    let event = json!({"ToUserName": "gh_1", "FromUserName": "OPENID", "CreateTime": 1, "MsgType": "event",
                       "Event": "subscribe"});
    let decoded: InboundMessage = serde_json::from_value(event.clone()).unwrap();
    let InboundMessage::Event(InboundEvent::Unknown(raw)) = &decoded else {
        panic!("unknown event: {decoded:?}")
    };
    assert_eq!(raw["Event"], "subscribe");
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        event,
        "re-encoding restores MsgType too"
    );
}

#[test]
fn a_malformed_known_type_is_an_error_that_names_it() {
    let no_content = json!({"ToUserName": "gh_1", "FromUserName": "OPENID", "CreateTime": 1, "MsgType": "text", "MsgId": 1});
    let error = serde_json::from_value::<InboundMessage>(no_content)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("`MsgType: text`") && error.contains("Content"),
        "{error}"
    );

    let bad_time = json!({"ToUserName": "gh_1", "FromUserName": "OPENID", "CreateTime": "yesterday", "MsgType": "event",
                          "Event": "kf_create_session", "KfAccount": "test1@test"});
    let error = serde_json::from_value::<InboundMessage>(bad_time)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("kf_create_session") && error.contains("yesterday"),
        "{error}"
    );
}

#[test]
fn the_tag_must_be_present_and_a_string() {
    let missing =
        serde_json::from_value::<InboundMessage>(json!({"ToUserName": "gh_1"})).unwrap_err();
    assert!(
        missing.to_string().contains("missing field `MsgType`"),
        "{missing}"
    );
    let number = serde_json::from_value::<InboundMessage>(json!({"MsgType": 3})).unwrap_err();
    assert!(number.to_string().contains("a string tag"), "{number}");
    assert!(serde_json::from_str::<InboundMessage>("[1,2]").is_err());
}

#[cfg(feature = "xml")]
mod xml {
    use wechat_types::mp::{InboundEvent, InboundMessage};
    use wechat_types::xml::{self, XmlError};

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!(
            "{}/../../schemas/mp/fixtures/InboundMessage/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn unknown_xml_pushes_land_in_unknown() {
        let decoded: InboundMessage =
            xml::from_str(&fixture("unknown_miniprogrampage.xml")).unwrap();
        let InboundMessage::Unknown(raw) = decoded else {
            panic!("{decoded:?}")
        };
        assert_eq!(raw["MsgType"], "miniprogrampage");
        let decoded: InboundMessage =
            xml::from_str(&fixture("unknown_subscribe_event.xml")).unwrap();
        assert!(
            matches!(decoded, InboundMessage::Event(InboundEvent::Unknown(ref raw)) if raw["Event"] == "subscribe"),
            "{decoded:?}"
        );
    }

    #[test]
    fn kf_events_decode() {
        let InboundMessage::Event(InboundEvent::KfSwitchSession(switch)) =
            xml::from_str(&fixture("kf_switch_session.xml")).unwrap()
        else {
            panic!("kf_switch_session")
        };
        assert_eq!(
            (
                switch.from_kf_account.as_str(),
                switch.to_kf_account.as_str()
            ),
            ("test1@test", "test2@test")
        );
    }

    #[test]
    fn text_values_are_exact() {
        let doc = "<xml><ToUserName><![CDATA[a]]></ToUserName><FromUserName>b &amp; &#x4E2D;</FromUserName>\
                   <CreateTime> 12 </CreateTime><MsgType>text</MsgType>\
                   <Content>\n  <![CDATA[  two  spaces ]]]]><![CDATA[> ]]>\n</Content><MsgId>7</MsgId></xml>";
        let InboundMessage::Text(text) = xml::from_str(doc).unwrap() else {
            panic!("text")
        };
        assert_eq!(text.header.from_user_name, "b & 中");
        assert_eq!(text.header.create_time, 12);
        assert_eq!(text.content, "  two  spaces ]]> ");
    }

    #[test]
    fn malformed_documents_are_typed_errors() {
        type Expect = fn(&XmlError) -> bool;
        let cases: [(&str, Expect); 9] = [
            ("<xml><MsgType>text</MsgType>", |e| {
                matches!(e, XmlError::Truncated)
            }),
            ("<xml><a>1</b></xml>", |e| {
                matches!(e, XmlError::Syntax { .. })
            }),
            ("", |e| matches!(e, XmlError::NoRecord)),
            ("<xml>just text</xml>", |e| matches!(e, XmlError::NoRecord)),
            ("<xml><a>1</a></xml><xml/>", |e| {
                matches!(e, XmlError::TrailingContent)
            }),
            (
                "<!DOCTYPE xml [<!ENTITY e \"x\">]><xml><a>&e;</a></xml>",
                |e| matches!(e, XmlError::Doctype),
            ),
            (
                "<xml><a>&e;</a></xml>",
                |e| matches!(e, XmlError::UnknownEntity(name) if name == "e"),
            ),
            (
                "<xml><a>text<b>1</b></a></xml>",
                |e| matches!(e, XmlError::MixedContent { element } if element == "a"),
            ),
            ("<xml><MsgType>text</MsgType></xml>", |e| {
                matches!(e, XmlError::Decode(_))
            }),
        ];
        for (doc, expected) in cases {
            let error = xml::from_str::<InboundMessage>(doc).unwrap_err();
            assert!(expected(&error), "{doc:?} gave {error:?}");
            assert!(!error.to_string().is_empty());
        }
        let deep = format!("<xml>{}{}</xml>", "<a>".repeat(40), "</a>".repeat(40));
        assert!(matches!(xml::to_map(&deep), Err(XmlError::TooDeep)));
    }

    #[test]
    fn repeated_elements_and_items_become_arrays() {
        let map = xml::to_map("<xml><A>1</A><A>2</A><List><item><x>1</x></item><item><x>2</x></item></List><One><item>z</item></One><E/></xml>")
            .unwrap();
        assert_eq!(
            serde_json::Value::Object(map),
            serde_json::json!({
                "A": ["1", "2"], "List": [{"x": "1"}, {"x": "2"}], "One": ["z"], "E": ""
            })
        );
    }
}
