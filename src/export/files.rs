//! Files written so that a run cut short leaves no file that looks complete: each is
//! written under a temporary name beside its place and renamed when whole; what is written
//! is checksummed on the way (the manifest records the sums), and copies and joins go file
//! to file.

use super::{ExportError, drop_behind};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Where a corpus-wide file grows while a run appends to it: renamed to `path` when the
/// run is complete, so that a file under its final name is always whole.
pub fn growing(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

/// Write `path` through a temporary file in the same folder, renamed into place once `fill`
/// has written everything.
pub fn write_atomic<F>(path: &Path, fill: F) -> Result<(), ExportError>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    write_atomic_hashed(path, fill).map(|_| ())
}

/// A temporary file in `dir` (created if need be), readable by others once renamed: not
/// the 0600 of a temporary file.
fn temporary_in(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    std::fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".paralign-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder.tempfile_in(dir)
}

/// The checksum the manifest records of a file or part: XXH3-128 in hex. It guards against
/// truncated and damaged files, not against forgery, and hashes 15 GB of output in a
/// second and a half where BLAKE3 took six.
pub fn checksum_of(bytes: &[u8]) -> String {
    hex128(xxhash_rust::xxh3::xxh3_128(bytes))
}

fn hex128(h: u128) -> String {
    format!("{h:032x}")
}

/// A checksum computed piece by piece: the same as [`checksum_of`] of the pieces joined.
#[derive(Default)]
pub struct Checksum(xxhash_rust::xxh3::Xxh3Default);

impl Checksum {
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    pub fn finish(&self) -> String {
        hex128(self.0.digest128())
    }
}

impl Write for Checksum {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A writer that hashes what passes through it (as the manifest records).
struct Hashing<W> {
    inner: W,
    hasher: Checksum,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// [`write_atomic`], returning the checksum of the bytes written: no need to read them back.
pub fn write_atomic_hashed<F>(path: &Path, fill: F) -> Result<String, ExportError>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    let err = |source| ExportError {
        path: path.to_path_buf(),
        source,
    };
    let (tmp, sum) = temporary_hashed(path, fill).map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(sum)
}

/// What `fill` writes, in a temporary file beside `path` (not yet in its place), handed to
/// the disk and dropped from the cache as it goes, with the checksum of its bytes.
fn temporary_hashed<F>(path: &Path, fill: F) -> io::Result<(tempfile::NamedTempFile, String)>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    let tmp = temporary_in(path.parent().unwrap_or(Path::new(".")))?;
    let sum = {
        // Buffered before hashing: large slices hash faster than many small ones.
        let mut w = BufWriter::with_capacity(
            1 << 16,
            Hashing {
                inner: drop_behind::DropBehind::new(tmp.as_file()),
                hasher: Checksum::default(),
            },
        );
        fill(&mut w)?;
        w.flush()?;
        let hashing = w.into_inner().map_err(|e| e.into_error())?;
        hashing.inner.finish();
        hashing.hasher.finish()
    };
    Ok((tmp, sum))
}

/// Remove the temporary files a killed run left where a batch with statements `names`
/// writes, and at the top of the output.
pub fn remove_stale_temporaries(root: &Path, names: &[&str]) {
    let mut dirs: Vec<PathBuf> = ["", "manifest", "units", "tmx", "docpairs", "qa", "report"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    for folder in ["ladder", "ladder-sentences", "sentences"] {
        dirs.extend(names.iter().map(|n| root.join(folder).join(n)));
    }
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(".paralign-") {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// Write `path` as `header` and `parts` one after another, through a temporary file
/// renamed into place (a copy cut short leaves no half file). File to file, so that the
/// kernel copies the bytes (copy_file_range).
pub fn concat_atomic(
    path: &Path,
    parts: &[PathBuf],
    header: Option<&str>,
) -> Result<(), ExportError> {
    let err = |source| ExportError {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = temporary_in(dir).map_err(err)?;
    if let Some(h) = header {
        writeln!(tmp.as_file_mut(), "{h}").map_err(err)?;
    }
    for from in parts {
        let mut f = std::fs::File::open(from).map_err(|source| ExportError {
            path: from.clone(),
            source,
        })?;
        io::copy(&mut f, tmp.as_file_mut()).map_err(err)?;
    }
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// Copy `from` into a temporary file beside `to`, checksummed as it is read: the copy, not
/// yet in place, when its checksum is `expected`; None when it is not or `from` cannot be
/// read. An error is a failure to write the copy. Read once, and neither side left in the
/// page cache: `merge` copies a whole corpus this way.
pub fn copy_checked(
    from: &Path,
    to: &Path,
    expected: &str,
) -> Result<Option<tempfile::TempPath>, ExportError> {
    let Ok(mut source) = std::fs::File::open(from) else {
        return Ok(None);
    };
    // A failure to read is the shard's, told apart from a failure to write the copy.
    let mut unreadable = false;
    let mut read = 0u64;
    let (tmp, sum) = temporary_hashed(to, |w| {
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = match io::Read::read(&mut source, &mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => {
                    unreadable = true;
                    return Ok(());
                }
            };
            w.write_all(&buf[..n])?;
            read += n as u64;
        }
    })
    .map_err(|source| ExportError {
        path: to.to_path_buf(),
        source,
    })?;
    drop_behind::release(&source, 0, read);
    Ok((!unreadable && sum == expected).then(|| tmp.into_temp_path()))
}
