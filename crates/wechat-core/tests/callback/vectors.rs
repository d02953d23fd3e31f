//! The test vectors of reference §17.1, copied exactly.

/// V1: the official WeChat Work sample.
pub(crate) mod v1 {
    pub(crate) const TOKEN: &str = "QDG6eK";
    pub(crate) const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    pub(crate) const CORP_ID: &str = "wx5823bf96d3bd56c7";

    pub(crate) const URL_SIGNATURE: &str = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3";
    pub(crate) const URL_TIMESTAMP: &str = "1409659589";
    pub(crate) const URL_NONCE: &str = "263014780";
    pub(crate) const ECHOSTR: &str =
        "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
    pub(crate) const ECHO: &str = "1616140317555161061";

    pub(crate) const MSG_SIGNATURE: &str = "477715d11cdb4164915debcba66cb864d751f3e6";
    pub(crate) const TIMESTAMP: &str = "1409659813";
    pub(crate) const NONCE: &str = "1372623149";
    pub(crate) const ENCRYPT: &str = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";
    pub(crate) const MESSAGE: &str = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>";

    pub(crate) fn body() -> String {
        format!(
            "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[{ENCRYPT}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>"
        )
    }
}

/// V2: wechatpy's WeChat Work tests.
pub(crate) mod v2 {
    pub(crate) const TOKEN: &str = "123456";
    pub(crate) const KEY: &str = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
    pub(crate) const CORP_ID: &str = "wx49f0ab532d5d035a";

    pub(crate) const URL_SIGNATURE: &str = "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96";
    pub(crate) const URL_TIMESTAMP: &str = "1411443780";
    pub(crate) const URL_NONCE: &str = "437374425";
    pub(crate) const URL_WRONG_NONCE: &str = "437374424";
    pub(crate) const ECHOSTR: &str =
        "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==";
    pub(crate) const ECHO: &str = "5927782489442352469";

    pub(crate) const REPLY_RANDOM: &[u8; 16] = b"1234567890123456";
    pub(crate) const REPLY_TIMESTAMP: i64 = 1411525903;
    pub(crate) const REPLY_NONCE: &str = "461056294";
    pub(crate) const REPLY_PLAINTEXT: &str = "<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>";
    pub(crate) const REPLY_ENCRYPT: &str = "9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3";
    pub(crate) const REPLY_SIGNATURE: &str = "407518b7649e86ef23978113f92d27afa9296533";

    pub(crate) const MSG_SIGNATURE: &str = "74d92dfeb87ba7c714f89d98870ae5eb62dff26d";
    pub(crate) const TIMESTAMP: &str = "1411525903";
    pub(crate) const NONCE: &str = "461056294";
    pub(crate) const ENCRYPT: &str = "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=";
    pub(crate) const MESSAGE: &str = "<xml><ToUserName><![CDATA[wx49f0ab532d5d035a]]></ToUserName>\n<FromUserName><![CDATA[messense]]></FromUserName>\n<CreateTime>1411525903</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<MsgId>4363689963896700987</MsgId>\n<AgentID>1</AgentID>\n</xml>";

    /// The full reply XML, exact bytes.
    pub(crate) fn reply_xml() -> String {
        format!(
            "<xml>\n<Encrypt><![CDATA[{REPLY_ENCRYPT}]]></Encrypt>\n<MsgSignature><![CDATA[{REPLY_SIGNATURE}]]></MsgSignature>\n<TimeStamp>1411525903</TimeStamp>\n<Nonce><![CDATA[461056294]]></Nonce>\n</xml>"
        )
    }

    pub(crate) fn body() -> String {
        format!(
            "<xml><ToUserName><![CDATA[wx49f0ab532d5d035a]]></ToUserName><Encrypt><![CDATA[{ENCRYPT}]]></Encrypt><AgentID><![CDATA[1]]></AgentID></xml>"
        )
    }
}

/// V3: the official Mini Program / Official Account message-push worked example.
pub(crate) mod v3 {
    pub(crate) const TOKEN: &str = "AAAAA";
    pub(crate) const KEY: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    pub(crate) const APPID: &str = "wxba5fad812f8e6fb9";

    pub(crate) const URL_QUERY: &str = "signature=f464b24fc39322e44b38aa78f5edd27bd1441696&timestamp=1714036504&nonce=1514711492&echostr=4375120948345356249";
    pub(crate) const ECHO: &str = "4375120948345356249";

    pub(crate) const PLAIN_SIGNATURE: &str = "899cf89e464efb63f54ddac96b0a0a235f53aa78";
    pub(crate) const PLAIN_TIMESTAMP: &str = "1714037059";
    pub(crate) const PLAIN_NONCE: &str = "486452656";

    pub(crate) const SAFE_QUERY: &str = "signature=6c5c811b55cc85e0e1b54100749188c20beb3f5d&timestamp=1714112445&nonce=415670741&openid=o9AgO5Kd5ggOC-bXrbNODIiE3bGY&encrypt_type=aes&msg_signature=046e02f8204d34f8ba5fa3b1db94908f3df2e9b3";
    pub(crate) const SAFE_BODY: &str = r#"{"ToUserName":"gh_97417a04a28d","Encrypt":"+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04="}"#;
    pub(crate) const SAFE_MESSAGE: &str = r#"{"ToUserName":"gh_97417a04a28d","FromUserName":"o9AgO5Kd5ggOC-bXrbNODIiE3bGY","CreateTime":1714112445,"MsgType":"event","Event":"debug_demo","debug_str":"hello world"}"#;

    pub(crate) const REPLY_RANDOM: &[u8; 16] = b"707722b803182950";
    pub(crate) const REPLY_MESSAGE: &str = r#"{"demo_resp":"good luck"}"#;
    pub(crate) const REPLY_TIMESTAMP: i64 = 1713424427;
    pub(crate) const REPLY_NONCE: &str = "415670741";
    pub(crate) const REPLY_ENCRYPT: &str =
        "ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==";
    pub(crate) const REPLY_JSON: &str = r#"{"Encrypt":"ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==","MsgSignature":"1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1","TimeStamp":1713424427,"Nonce":"415670741"}"#;
}

/// V4: WxJava's Official Account tests (deterministic encryption).
pub(crate) mod v4 {
    pub(crate) const TOKEN: &str = "pamtest";
    pub(crate) const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    pub(crate) const APPID: &str = "wxb11529c136998cb6";
    pub(crate) const RANDOM: &[u8; 16] = b"aaaabbbbccccdddd";
    pub(crate) const TIMESTAMP: &str = "1409304348";
    pub(crate) const NONCE: &str = "xxxxxx";

    pub(crate) const SHORT_MESSAGE: &str = "我是中文abcd123";
    pub(crate) const SHORT_ENCRYPT: &str =
        "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==";

    pub(crate) const XML_MESSAGE: &str = "<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>";
    pub(crate) const XML_ENCRYPT: &str = "jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb";

    pub(crate) const PLAIN_SIGNATURE: &str = "76480565cbe296026c53aaacd1ad523a1ddba24f";
    pub(crate) const SHORT_SIGNATURE: &str = "82c962d39941aa48552f90ef55aa323dc620cc10";
    pub(crate) const XML_SIGNATURE: &str = "ea88b765074e41eb8c7a75b449db34fa2fd560d5";
}

/// V5: self-computed in the reference (not official): the padding edge case and a KF callback.
pub(crate) mod v5 {
    pub(crate) const KEY: &str = super::v1::KEY;
    pub(crate) const PAD_RANDOM: &[u8; 16] = b"aaaabbbbccccdddd";
    pub(crate) const PAD_MESSAGE: &str = "abcdefghijklmnopqrstuvwxyz";
    pub(crate) const PAD_RECEIVE_ID: &str = "wx5823bf96d3bd56c7";
    pub(crate) const PAD_ENCRYPT: &str = "ZA4HuQypHxnRrA+A6SOHGEu2RuGNHVyGbGbkrkfRilc9OfI2jRC7RgbyqUG8oL87HHJIcWvR3xbsOUHvZv4IvXjjRHRYCnyuH97irWSeHzOxbVtQgfUTSPFqoV/flgWI";

    pub(crate) const KF_TOKEN: &str = "QDG6eK";
    pub(crate) const KF_RECEIVE_ID: &str = "ww12345678910";
    pub(crate) const KF_RANDOM: &[u8; 16] = b"0123456789abcdef";
    pub(crate) const KF_TIMESTAMP: &str = "1348831860";
    pub(crate) const KF_NONCE: &str = "1372623149";
    pub(crate) const KF_MESSAGE: &str = "<xml><ToUserName><![CDATA[ww12345678910]]></ToUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR]]></Token><OpenKfId><![CDATA[wkxxxxxxx]]></OpenKfId></xml>";
    pub(crate) const KF_ENCRYPT: &str = "sKqRbbiSUnDhFHOvPjtUMdU3YESFaz5WZ5AThak2S8Vd5PnnGTHaXPrme+ul3RJq/h6oSsPK/t1YbWkQ5rpv17gc7yAbr+wsJmRpq1l7MclSbABVtu93lfQ4ylGbh+o5JKdDuN8wl1YvJgVACFjQpYJpqugzz1mo1RZFGHAEz6RbJbVy4upQiPkszKm5i9cc42TGK1m2d5IqbgL5M9ZcEbZbnIjSRyS8rV3b3WcijUWQs86i/wXcvejgtV8Wk5BEp3nUDebgBBDnufYUJpWXRnhvEu+q+p6fAmdN/uJs/RH0hyDO26XeYhBPLEaYq8nK+GDT5fx222M7TIx5NkiwQvNSDo71rnrPc8+WWw2suj9YGzomHmcONgYMaI4C6SBCE117pear6bDduE7LO7dYEHwJL/9KOgrXRovj0aa7D45iBr3QHCs05zx3HhzOl2s3S1h9chk6i/7cTJ1sITlTuw==";
    pub(crate) const KF_SIGNATURE: &str = "ce245a95755e6aa04227c9a75edec160e9c4ed75";

    /// The query WeChat Work sends with the KF callback.
    pub(crate) fn kf_query() -> String {
        format!("msg_signature={KF_SIGNATURE}&timestamp={KF_TIMESTAMP}&nonce={KF_NONCE}")
    }
}
