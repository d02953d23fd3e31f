//! Scripted misbehaviour: the next calls to a path (or to any API path) answer with an
//! errcode, an HTTP error, late, or not at all.

use std::collections::VecDeque;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What an injected fault does to one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Fault {
    /// HTTP 200 with this errcode (e.g. `-1` system busy, `45009` daily quota reached); the
    /// call has no other effect.
    Errcode {
        /// The errcode.
        errcode: i64,
    },
    /// This HTTP status (e.g. 502 or 503) with an HTML page, as a gateway answers; the call has
    /// no other effect.
    HttpStatus {
        /// The status code.
        status: u16,
    },
    /// The call takes effect as usual, but the answer comes this late (a client that gives up
    /// earlier sees a timeout, though the message may have been delivered: as with WeChat).
    Delay {
        /// How long, in milliseconds.
        millis: u64,
    },
    /// The request is read and the connection closed without an answer; the call has no
    /// effect.
    DropConnection,
}

impl Fault {
    /// [`Fault::Errcode`].
    pub fn errcode(errcode: i64) -> Self {
        Fault::Errcode { errcode }
    }

    /// [`Fault::HttpStatus`].
    pub fn http_status(status: u16) -> Self {
        Fault::HttpStatus { status }
    }

    /// [`Fault::Delay`].
    pub fn delay(delay: Duration) -> Self {
        Fault::Delay {
            millis: u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
        }
    }
}

/// A fault for the next `times` calls to `path` (any API path when `None`; the control API
/// under `/sandbox` is never affected).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FaultPlan {
    /// The URL path (`/cgi-bin/message/custom/send`), or `None` for every API path.
    #[serde(default)]
    pub path: Option<String>,
    /// How many calls it hits (1 by default).
    #[serde(default = "one")]
    pub times: u32,
    /// What it does.
    pub fault: Fault,
}

fn one() -> u32 {
    1
}

impl FaultPlan {
    /// `fault` on the next call to `path`.
    pub fn on(path: impl Into<String>, fault: Fault) -> Self {
        FaultPlan {
            path: Some(path.into()),
            times: 1,
            fault,
        }
    }

    /// `fault` on the next call to any API path.
    pub fn on_any(fault: Fault) -> Self {
        FaultPlan {
            path: None,
            times: 1,
            fault,
        }
    }

    /// Hits the next `times` calls instead of one.
    #[must_use]
    pub fn times(mut self, times: u32) -> Self {
        self.times = times;
        self
    }
}

/// The queued faults, served first in, first out.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    queue: VecDeque<FaultPlan>,
}

impl Faults {
    /// Queues a plan (one that hits no call is dropped).
    pub(crate) fn push(&mut self, plan: FaultPlan) {
        if plan.times > 0 {
            self.queue.push_back(plan);
        }
    }

    /// Forgets every queued fault.
    pub(crate) fn clear(&mut self) {
        self.queue.clear();
    }

    /// How many calls the queued faults will still hit.
    pub(crate) fn pending(&self) -> u32 {
        self.queue.iter().map(|plan| plan.times).sum()
    }

    /// The fault for this call to `path`, if one is queued: the oldest plan that matches.
    pub(crate) fn take(&mut self, path: &str) -> Option<Fault> {
        let index = self
            .queue
            .iter()
            .position(|plan| plan.path.as_deref().is_none_or(|p| p == path))?;
        let plan = &mut self.queue[index];
        plan.times -= 1;
        let fault = plan.fault.clone();
        if plan.times == 0 {
            self.queue.remove(index);
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_hit_their_path_the_given_number_of_times() {
        let mut faults = Faults::default();
        faults.push(FaultPlan::on("/a", Fault::errcode(-1)).times(2));
        faults.push(FaultPlan::on_any(Fault::DropConnection));
        assert_eq!(faults.pending(), 3);
        assert_eq!(faults.take("/b"), Some(Fault::DropConnection));
        assert_eq!(faults.take("/b"), None);
        assert_eq!(faults.take("/a"), Some(Fault::errcode(-1)));
        assert_eq!(faults.take("/a"), Some(Fault::errcode(-1)));
        assert_eq!(faults.take("/a"), None);
    }

    #[test]
    fn the_json_form() {
        let plan: FaultPlan = serde_json::from_str(
            r#"{"path":"/cgi-bin/message/custom/send","fault":{"kind":"http_status","status":503}}"#,
        )
        .unwrap();
        assert_eq!(
            plan,
            FaultPlan::on("/cgi-bin/message/custom/send", Fault::http_status(503))
        );
        let any: FaultPlan =
            serde_json::from_str(r#"{"times":3,"fault":{"kind":"delay","millis":2000}}"#).unwrap();
        assert_eq!(
            any,
            FaultPlan::on_any(Fault::delay(Duration::from_secs(2))).times(3)
        );
        assert!(serde_json::from_str::<FaultPlan>(r#"{"fault":{"kind":"explode"}}"#).is_err());
    }

    #[test]
    fn clearing_and_empty_plans() {
        let mut faults = Faults::default();
        faults.push(FaultPlan::on_any(Fault::errcode(-1)).times(0));
        assert_eq!(faults.pending(), 0);
        faults.push(FaultPlan::on_any(Fault::errcode(-1)));
        faults.clear();
        assert_eq!(faults.take("/a"), None);
    }
}
