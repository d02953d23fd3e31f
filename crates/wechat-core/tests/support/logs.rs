//! What the SDK writes to `tracing`, captured in memory, for tests that check its logs.

use std::io;
use std::sync::{Arc, Mutex, Once, PoisonError};

use tracing::subscriber::DefaultGuard;
use tracing_subscriber::fmt::format::FmtSpan;

/// Everything logged on the capturing thread, formatted as a log file would be.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    /// Captures every level, spans' creation and close with their fields, on the calling thread
    /// while the guard lives (async tests: keep the guard across the awaits).
    pub fn capture() -> (Logs, DefaultGuard) {
        enable_every_callsite();
        let logs = Logs::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(FmtSpan::NEW | FmtSpan::CLOSE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        (logs, tracing::subscriber::set_default(subscriber))
    }

    /// The text logged so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

/// Runs `f` while capturing, and returns what it logged.
pub fn traced(f: impl FnOnce()) -> String {
    let (logs, guard) = Logs::capture();
    f();
    drop(guard);
    logs.text()
}

impl io::Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `tracing` caches whether a callsite is of interest when it is first hit; a test thread
/// without a subscriber could hit it first, while another test installs its scoped subscriber,
/// and have it cached as disabled for good. A global subscriber that discards everything makes
/// every callsite of interest from the start: call it first in every test of a binary that
/// captures logs.
pub fn enable_every_callsite() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let discard = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(io::sink)
            .finish();
        // Another binary-wide default may already be set; either way callsites are enabled.
        let _ = tracing::subscriber::set_global_default(discard);
    });
}
