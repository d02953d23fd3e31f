//! kf sessions (会话控制, reference §5): create, close, a customer's session, a kf's sessions,
//! the waiting queue.
//!
//! A session joins a customer (an OpenID) to a kf account. Creating one needs a kf bound to a
//! WeChat user (65402) and online (65415); creating one that exists succeeds.

use wechat_core::endpoints::mp::{
    CloseKfSession, CreateKfSession, GetKfSession, GetKfSessionList, GetWaitCase,
};
use wechat_core::types::mp::{GetSessionListQuery, GetSessionQuery, KfAccount, KfSessionRequest};

/// Puts the customer `openid` in a session with the kf `kf_account`.
pub fn create(kf_account: impl Into<KfAccount>, openid: impl Into<String>) -> CreateKfSession {
    CreateKfSession::new(KfSessionRequest::new(kf_account, openid))
}

/// Closes the session of the customer `openid` with the kf `kf_account` (65413 when there is
/// none, 65414 when another kf serves the customer).
pub fn close(kf_account: impl Into<KfAccount>, openid: impl Into<String>) -> CloseKfSession {
    CloseKfSession::new(KfSessionRequest::new(kf_account, openid))
}

/// The session of the customer `openid`: who serves them since when (`kf_account` empty when
/// the customer is waiting or nobody serves them).
pub fn of_customer(openid: impl Into<String>) -> GetKfSession {
    GetKfSession::new(GetSessionQuery::new(openid))
}

/// The customers the kf `kf_account` serves.
pub fn of_kf(kf_account: impl Into<KfAccount>) -> GetKfSessionList {
    GetKfSessionList::new(GetSessionListQuery::new(kf_account))
}

/// The waiting queue: how many customers wait, and the first 100 of them in arrival order.
pub fn waiting() -> GetWaitCase {
    GetWaitCase
}
