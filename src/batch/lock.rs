//! One process at a time per output folder. Two runs writing one folder — a shard started
//! twice by a batch system's retry, two users choosing the same `--out` — would interleave
//! their batches' parts in the corpus-wide files and overwrite each other's manifest
//! records. The lock is the operating system's advisory file lock, released when the process
//! ends however it ends: a killed run leaves nothing behind that stops the same command
//! from resuming.

use super::RunError;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

/// The lock file, left in the output folder: removing it on exit would race with a process
/// that has just opened it.
pub const LOCK_FILE: &str = ".paralign.lock";

/// Held while a process writes an output folder; dropped, the folder is free again.
#[derive(Debug)]
pub struct OutputLock {
    _file: File,
}

/// Lock output folder `out` (created if need be); `Busy` if another process holds it.
pub fn lock(out: &Path) -> Result<OutputLock, RunError> {
    let path = out.join(LOCK_FILE);
    // Each error names what failed: the folder, or the lock file in it.
    let at = |path: &Path| {
        let path = path.to_path_buf();
        move |source| RunError::Export(crate::export::ExportError { path, source })
    };
    if out.exists() && !out.is_dir() {
        return Err(RunError::BadOutput {
            out: out.to_path_buf(),
            reason: "a file, not a folder".into(),
        });
    }
    std::fs::create_dir_all(out).map_err(at(out))?;
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(at(&path))?;
    match file.try_lock() {
        Ok(()) => Ok(OutputLock { _file: file }),
        Err(TryLockError::WouldBlock) => Err(RunError::Busy(out.to_path_buf())),
        // A file system without locks (Lustre mounted without `flock`, some network shares)
        // must not stop the run: it goes on unguarded, as it did before there was a lock.
        Err(TryLockError::Error(e)) if unsupported(&e) => Ok(OutputLock { _file: file }),
        Err(TryLockError::Error(e)) => Err(at(&path)(e)),
    }
}

fn unsupported(e: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if e.raw_os_error() == Some(libc::ENOLCK) {
        return true;
    }
    e.kind() == std::io::ErrorKind::Unsupported
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_locked_folder_is_refused_until_released() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock(dir.path()).unwrap();
        // A second open file description conflicts like a second process.
        assert!(matches!(lock(dir.path()), Err(RunError::Busy(_))));
        drop(held);
        assert!(lock(dir.path()).is_ok());
    }

    #[test]
    fn a_folder_that_cannot_be_made_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "").unwrap();
        let out = file.join("out");
        match lock(&out) {
            Err(RunError::Export(e)) => assert_eq!(e.path, out),
            other => panic!("expected an error naming {}: {other:?}", out.display()),
        }
    }
}
