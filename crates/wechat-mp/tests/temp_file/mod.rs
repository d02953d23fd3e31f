//! A file under the temp directory for the `*_from_path` functions, shared by the test binaries
//! that read files.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A file in a directory of its own under the temp directory (so its name, which a multipart
/// body carries, is exactly the one given), removed with its directory on drop.
pub(crate) struct TempFile {
    dir: PathBuf,
    path: PathBuf,
}

impl TempFile {
    /// Writes `data` to a fresh file called `name`.
    pub(crate) fn new(name: &str, data: &[u8]) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "wechat-mp-tests-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("a fresh temp directory");
        let path = dir.join(name);
        std::fs::write(&path, data).expect("the temp file is written");
        TempFile { dir, path }
    }

    /// Where the file is.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
