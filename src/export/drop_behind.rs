//! Output leaves the page cache once it is on disk. An archive run writes several times its
//! input (15 GB for 100,000 statements) and reads none of it back: left cached, it would
//! push out the input and whatever else the machine keeps in memory, and every page of it
//! would be a fresh page for the kernel to find. Written ranges are handed to the disk at
//! once and dropped from the cache when the next range is written, so the run's cached
//! output stays small and its pages are reused. Nothing waits for the disk: at archive
//! scale the disk writes about as fast as the run makes output, and waiting for each range
//! was a quarter of the writing time at 100,000 statements (the kernel still slows writers
//! down if the disk falls far behind).
//!
//! Linux only (`sync_file_range`, `posix_fadvise`); elsewhere these do nothing. Errors are
//! ignored: this is advice, and the data is written whatever happens to it.

use std::fs::File;
use std::io::{self, Write};

/// Bytes written before they are handed to the disk.
const WINDOW: u64 = 8 << 20;

/// Start writing `start..start + len` of `file` to disk, without waiting.
pub fn start(file: &File, start: u64, len: u64) {
    // To both system calls a length of 0 means up to the end of the file.
    if len == 0 {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: a plain system call on an open descriptor; it reads no memory of ours.
        unsafe {
            libc::sync_file_range(
                file.as_raw_fd(),
                start as libc::off64_t,
                len as libc::off64_t,
                libc::SYNC_FILE_RANGE_WRITE,
            );
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (file, start, len);
}

/// Drop `start..start + len` of `file` from the page cache where it is on disk, and hand the
/// rest to the disk. Nothing waits for the disk: a page still being written stays cached
/// until the kernel reclaims it (or a later, wider release drops it), and the run goes on
/// aligning while the disk catches up.
pub fn release(file: &File, start: u64, len: u64) {
    if len == 0 {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: a plain system call on an open descriptor; it reads no memory of ours.
        unsafe {
            libc::posix_fadvise(
                file.as_raw_fd(),
                start as libc::off64_t,
                len as libc::off64_t,
                libc::POSIX_FADV_DONTNEED,
            );
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (file, start, len);
}

/// A writer to a file that hands each window of bytes to the disk as it fills and drops the
/// window before it from the cache; [`DropBehind::finish`] does the same for the rest.
pub struct DropBehind<'a> {
    file: &'a File,
    /// Bytes written.
    written: u64,
    /// Where the window being filled starts, and the one before it.
    window: u64,
    previous: u64,
}

impl<'a> DropBehind<'a> {
    /// Writes to `file` from its start.
    pub fn new(file: &'a File) -> DropBehind<'a> {
        DropBehind {
            file,
            written: 0,
            window: 0,
            previous: 0,
        }
    }

    /// Everything written is handed to the disk, and what is on disk dropped from the cache.
    pub fn finish(self) {
        start(self.file, self.window, self.written - self.window);
        release(self.file, self.previous, self.written - self.previous);
    }
}

impl Write for DropBehind<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = (&mut &*self.file).write(buf)?;
        self.written += n as u64;
        if self.written - self.window >= WINDOW {
            start(self.file, self.window, self.written - self.window);
            release(self.file, self.previous, self.window - self.previous);
            self.previous = self.window;
            self.window = self.written;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Seek};

    #[test]
    fn every_byte_written_is_in_the_file() {
        let tmp = tempfile::tempfile().unwrap();
        let data: Vec<u8> = (0..(3 * WINDOW as usize + 12345))
            .map(|k| (k % 251) as u8)
            .collect();
        let mut w = DropBehind::new(&tmp);
        for chunk in data.chunks(100_003) {
            w.write_all(chunk).unwrap();
        }
        w.finish();
        let mut back = Vec::new();
        (&tmp).rewind().unwrap();
        (&tmp).read_to_end(&mut back).unwrap();
        assert_eq!(back, data);
    }
}
