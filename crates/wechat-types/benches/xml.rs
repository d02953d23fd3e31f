//! Typed decoding of a pushed text message: the XML form through [`xml::from_str`], the JSON form
//! (the Mini Program's, and what the XML stands for) through `serde_json`, in WeChat's member
//! order and with the tag first; [`xml::to_map`] for comparison; WeChat Work's decrypted
//! `kf_msg_or_event` callback; and the encrypted envelope read before decrypting.
//!
//! Run with `cargo bench -p wechat-types --features xml --bench xml`. Figures: `benches/README.md`.
//!
//! The goal (verify + decrypt + typed parse of a ~300-byte push at 1,000,000 messages/s per core,
//! with the crypto taking about 500 ns) leaves the typed XML parse about 350 ns.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use wechat_types::{common, mp, work, xml};

/// A text push as WeChat sends it: CDATA strings, one element per line, Chinese and ASCII text.
const TEXT_XML: &str = "<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>\n\
<FromUserName><![CDATA[o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></FromUserName>\n\
<CreateTime>1714112445</CreateTime>\n\
<MsgType><![CDATA[text]]></MsgType>\n\
<Content><![CDATA[您好，我想咨询一下订单的发货时间，谢谢！Hello there]]></Content>\n\
<MsgId>24533238412350153</MsgId>\n\
</xml>";

/// The same push as JSON, in WeChat's member order (the tag after the header).
const TEXT_JSON: &str = r#"{"ToUserName":"gh_97417a04a28d","FromUserName":"o9AgO5Kd5ggOC-bXrbNODIiE3bGY","CreateTime":1714112445,"MsgType":"text","Content":"您好，我想咨询一下订单的发货时间，谢谢！Hello there","MsgId":24533238412350153}"#;

/// The same push as JSON with the tag first, as this crate writes it: the union streams it.
const TEXT_JSON_TAG_FIRST: &str = r#"{"MsgType":"text","ToUserName":"gh_97417a04a28d","FromUserName":"o9AgO5Kd5ggOC-bXrbNODIiE3bGY","CreateTime":1714112445,"Content":"您好，我想咨询一下订单的发货时间，谢谢！Hello there","MsgId":24533238412350153}"#;

/// WeChat Work's customer-service callback, decrypted (work reference §7).
const KF_XML: &str = "<xml><ToUserName><![CDATA[ww12345678910]]></ToUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR]]></Token><OpenKfId><![CDATA[wkxxxxxxx]]></OpenKfId></xml>";

/// The encrypted envelope WeChat Work posts (reference §17.1 V1), read before decrypting.
const ENVELOPE_XML: &str = concat!(
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[",
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3Qczc",
    "dCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLj",
    "vd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMn",
    "vw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k",
    "22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2Yoy",
    "yH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==",
    "]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>"
);

fn main() {
    // Check the inputs decode as meant before timing them.
    assert!(matches!(
        xml::from_str::<mp::InboundMessage>(TEXT_XML),
        Ok(mp::InboundMessage::Text(_))
    ));
    assert_eq!(
        xml::from_str::<mp::InboundMessage>(TEXT_XML).unwrap(),
        serde_json::from_str::<mp::InboundMessage>(TEXT_JSON).unwrap()
    );
    assert_eq!(
        serde_json::from_str::<mp::InboundMessage>(TEXT_JSON_TAG_FIRST).unwrap(),
        serde_json::from_str::<mp::InboundMessage>(TEXT_JSON).unwrap()
    );
    assert!(matches!(
        xml::from_str::<work::InboundMessage>(KF_XML),
        Ok(work::InboundMessage::Event(
            work::InboundEvent::KfMsgOrEvent(_)
        ))
    ));

    assert_eq!(
        xml::from_str::<common::EncryptedPush>(ENVELOPE_XML)
            .unwrap()
            .agent_id
            .as_deref(),
        Some("218")
    );

    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut group = criterion.benchmark_group("mp_text_push");
    group.throughput(Throughput::Elements(1));
    group.bench_function("xml", |b| {
        b.iter(|| xml::from_str::<mp::InboundMessage>(black_box(TEXT_XML)).unwrap())
    });
    group.bench_function("json", |b| {
        b.iter(|| serde_json::from_str::<mp::InboundMessage>(black_box(TEXT_JSON)).unwrap())
    });
    group.bench_function("json_tag_first", |b| {
        b.iter(|| {
            serde_json::from_str::<mp::InboundMessage>(black_box(TEXT_JSON_TAG_FIRST)).unwrap()
        })
    });
    group.bench_function("xml_to_map", |b| {
        b.iter(|| xml::to_map(black_box(TEXT_XML)).unwrap())
    });
    group.finish();
    let mut group = criterion.benchmark_group("work_kf_callback");
    group.throughput(Throughput::Elements(1));
    group.bench_function("xml", |b| {
        b.iter(|| xml::from_str::<work::InboundMessage>(black_box(KF_XML)).unwrap())
    });
    group.finish();
    let mut group = criterion.benchmark_group("work_envelope");
    group.throughput(Throughput::Elements(1));
    group.bench_function("xml", |b| {
        b.iter(|| xml::from_str::<common::EncryptedPush>(black_box(ENVELOPE_XML)).unwrap())
    });
    group.finish();
    criterion.final_summary();
}
