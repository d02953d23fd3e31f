//! The encrypted callback envelopes (and the exact XML layout of a reply), the Mini Program's
//! pushes and WeChat Work's callbacks.

use serde_json::json;
use wechat_types::common::{EncryptedPush, EncryptedReply};
use wechat_types::{miniprogram, work};

#[test]
fn an_encrypted_push_decodes_without_agent_id_and_with_a_numeric_one() {
    let push: EncryptedPush =
        serde_json::from_value(json!({"ToUserName": "gh_97417a04a28d", "Encrypt": "abc"})).unwrap();
    assert_eq!(push.to_user_name.as_deref(), Some("gh_97417a04a28d"));
    assert_eq!((push.encrypt.as_str(), push.agent_id), ("abc", None));
    let push: EncryptedPush =
        serde_json::from_value(json!({"Encrypt": "abc", "AgentID": 218})).unwrap();
    assert_eq!(push.agent_id.as_deref(), Some("218"));
    assert!(serde_json::from_value::<EncryptedPush>(json!({"ToUserName": "gh_1"})).is_err());
}

#[test]
fn an_encrypted_reply_is_written_in_the_official_member_order() {
    let reply = EncryptedReply::new(
        "ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==",
        "1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1",
        1713424427,
        "415670741",
    );
    // Reference §17.1 V3, byte for byte.
    assert_eq!(
        serde_json::to_string(&reply).unwrap(),
        r#"{"Encrypt":"ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==","MsgSignature":"1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1","TimeStamp":1713424427,"Nonce":"415670741"}"#
    );
}

#[test]
fn mini_program_pushes_decode_from_json() {
    let push = json!({"ToUserName": "toUser", "FromUserName": "fromUser", "CreateTime": 1482048670,
                      "MsgType": "text", "Content": "hi", "MsgId": 1, "BusinessId": 1001});
    let miniprogram::InboundMessage::Text(text) = serde_json::from_value(push).unwrap() else {
        panic!("text")
    };
    assert_eq!(text.business_id.as_deref(), Some("1001"));

    let enter = json!({"ToUserName": "toUser", "FromUserName": "fromUser", "CreateTime": 1482048670,
                       "MsgType": "event", "Event": "user_enter_tempsession"});
    let decoded: miniprogram::InboundMessage = serde_json::from_value(enter).unwrap();
    let miniprogram::InboundMessage::Event(miniprogram::InboundEvent::UserEnterTempSession(event)) =
        decoded
    else {
        panic!("{decoded:?}")
    };
    assert_eq!(
        event.session_from, None,
        "the contact button may have no session-from"
    );

    let unknown = json!({"ToUserName": "toUser", "FromUserName": "fromUser", "CreateTime": 1,
                         "MsgType": "event", "Event": "debug_demo", "debug_str": "hello world"});
    let decoded: miniprogram::InboundMessage = serde_json::from_value(unknown.clone()).unwrap();
    assert!(matches!(
        decoded,
        miniprogram::InboundMessage::Event(miniprogram::InboundEvent::Unknown(_))
    ));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), unknown);
}

#[test]
fn the_kf_callback_token_is_redacted_in_debug() {
    let event = work::KfMsgOrEvent::new("ww12345678910", 1348831860, "ENCApHxnGDNAVNY4")
        .with_open_kf_id("wkxxxxxxx");
    let debug = format!(
        "{:?}",
        work::InboundMessage::from(work::InboundEvent::from(event))
    );
    assert!(!debug.contains("ENCApHxnGDNAVNY4"), "{debug}");
    assert!(
        debug.contains("<redacted>") && debug.contains("wkxxxxxxx"),
        "{debug}"
    );
}

#[cfg(feature = "xml")]
mod xml {
    use wechat_types::common::{EncryptedPush, EncryptedReply};
    use wechat_types::xml::Layout;
    use wechat_types::{miniprogram, work, xml};

    fn fixture(module: &str, def: &str, name: &str) -> String {
        std::fs::read_to_string(format!(
            "{}/../../schemas/{module}/fixtures/{def}/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn agent_id_is_read_as_cdata_plain_text_or_empty() {
        let push: EncryptedPush =
            xml::from_str(&fixture("common", "EncryptedPush", "work_v1.xml")).unwrap();
        assert_eq!(push.agent_id.as_deref(), Some("218"));
        assert!(push.encrypt.starts_with("RypEvHKD8QQKFhvQ"));
        for (doc, agent_id) in [
            (
                "<xml><Encrypt><![CDATA[e]]></Encrypt><AgentID>218</AgentID></xml>",
                Some("218"),
            ),
            (
                "<xml><Encrypt><![CDATA[e]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>",
                Some(""),
            ),
            (
                "<xml><Encrypt><![CDATA[e]]></Encrypt><AgentID/></xml>",
                Some(""),
            ),
            (
                "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><Encrypt><![CDATA[e]]></Encrypt></xml>",
                None,
            ),
        ] {
            let push: EncryptedPush = xml::from_str(doc).unwrap();
            assert_eq!(
                (push.encrypt.as_str(), push.agent_id.as_deref()),
                ("e", agent_id),
                "{doc}"
            );
        }
    }

    #[test]
    fn a_mini_program_card_decodes() {
        let decoded: miniprogram::InboundMessage = xml::from_str(&fixture(
            "miniprogram",
            "InboundMessage",
            "miniprogrampage.xml",
        ))
        .unwrap();
        let miniprogram::InboundMessage::MiniProgramPage(card) = decoded else {
            panic!("{decoded:?}")
        };
        assert_eq!(
            (card.app_id.as_str(), card.page_path.as_str()),
            ("appid", "path")
        );
        assert_eq!(card.thumb_url.as_deref(), Some(""));
        assert_eq!(card.header.create_time, 1482048670);
    }

    #[test]
    fn the_kf_callback_decodes_and_other_work_callbacks_stay_unknown() {
        for name in ["kf_msg_or_event.xml", "kf_msg_or_event_v5.xml"] {
            let decoded: work::InboundMessage =
                xml::from_str(&fixture("work", "InboundMessage", name)).unwrap();
            let work::InboundMessage::Event(work::InboundEvent::KfMsgOrEvent(event)) = decoded
            else {
                panic!("{name}: {decoded:?}")
            };
            assert_eq!(
                event.token,
                "ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR"
            );
            assert_eq!(event.open_kf_id.as_deref(), Some("wkxxxxxxx"));
            assert_eq!(
                (event.to_user_name.as_str(), event.create_time),
                ("ww12345678910", 1348831860)
            );
        }
        let decoded: work::InboundMessage = xml::from_str(&fixture(
            "work",
            "InboundMessage",
            "unknown_app_text_v1.xml",
        ))
        .unwrap();
        let work::InboundMessage::Unknown(raw) = decoded else {
            panic!("{decoded:?}")
        };
        assert_eq!(
            (raw["MsgType"].as_str(), raw["AgentID"].as_str()),
            (Some("text"), Some("218"))
        );
        assert_eq!(raw.len(), 7, "every member is kept: {raw:?}");
    }

    #[test]
    fn the_encrypted_reply_is_written_in_the_official_byte_layout() {
        // Reference §17.1 V2's full reply XML (the fixture file ends with a newline; the reply
        // does not).
        let official = fixture("common", "EncryptedReply", "work_v2.xml");
        let official = official.strip_suffix('\n').unwrap();
        let reply: EncryptedReply = xml::from_str(official).unwrap();
        assert_eq!(reply.time_stamp, 1411525903);
        assert_eq!(
            xml::to_string_with(&reply, Layout::Lines).unwrap(),
            official
        );

        let built = EncryptedReply::new(
            reply.encrypt.clone(),
            "407518b7649e86ef23978113f92d27afa9296533",
            1411525903,
            "461056294",
        );
        assert_eq!(
            xml::to_string_with(&built, Layout::Lines).unwrap(),
            official
        );
        assert_eq!(
            xml::to_string_with(&built, Layout::Compact).unwrap(),
            official.replace('\n', ""),
        );
        assert_eq!(
            xml::to_string(&built).unwrap(),
            xml::to_string_with(&built, Layout::default()).unwrap()
        );
    }

    #[test]
    fn cdata_text_containing_the_cdata_end_stays_well_formed() {
        let tricky = "a]]>b]]]]>c<![CDATA[d]]>";
        let reply = EncryptedReply::new(tricky, "sig", 1, "]]>");
        for layout in [Layout::Compact, Layout::Lines] {
            let written = xml::to_string_with(&reply, layout).unwrap();
            // quick-xml splits the text over several CDATA sections.
            assert!(written.contains("a]]]]><![CDATA[>b"), "{written}");
            let map = xml::to_map(&written).unwrap();
            assert_eq!(map["Encrypt"], tricky, "{written}");
            let again: EncryptedReply = xml::from_str(&written).unwrap();
            assert_eq!(again, reply, "{written}");
        }
    }

    /// Every passive reply of the reference, decoded and written again, is the reference's
    /// document byte for byte (its indentation aside): the header first, then `MsgType`.
    #[test]
    fn passive_replies_are_written_as_the_reference_writes_them() {
        use wechat_types::mp::PassiveReply;
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../schemas/mp/fixtures/PassiveReply"
        );
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|extension| extension != "xml") {
                continue;
            }
            let fixture = std::fs::read_to_string(&path).unwrap();
            let compact: String = fixture.lines().map(str::trim).collect();
            let reply: PassiveReply = xml::from_str(&fixture).unwrap();
            assert_eq!(
                xml::to_string(&reply).unwrap(),
                compact,
                "{}",
                path.display()
            );
            checked += 1;
        }
        assert_eq!(
            checked, 7,
            "text, image, voice, video, music and two transfers"
        );
    }

    #[test]
    fn nested_records_get_a_line_per_element_too() {
        use wechat_types::mp::{
            KfAccount, MessageHeader, PassiveReply, TransInfo, TransferCustomerService,
        };
        let reply = PassiveReply::from(
            TransferCustomerService::new(MessageHeader::new("OPENID", "gh_account", 1399197672))
                .with_trans_info(TransInfo::new(KfAccount::new("test1@test"))),
        );
        let written = xml::to_string_with(&reply, Layout::Lines).unwrap();
        assert_eq!(
            written,
            "<xml>\n<ToUserName><![CDATA[OPENID]]></ToUserName>\n<FromUserName><![CDATA[gh_account]]></FromUserName>\n\
             <CreateTime>1399197672</CreateTime>\n<MsgType><![CDATA[transfer_customer_service]]></MsgType>\n\
             <TransInfo>\n<KfAccount><![CDATA[test1@test]]></KfAccount>\n\
             </TransInfo>\n</xml>"
        );
        assert_eq!(xml::from_str::<PassiveReply>(&written).unwrap(), reply);
    }
}
