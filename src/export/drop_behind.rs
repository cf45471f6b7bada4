//! Output leaves the page cache once it is on disk. An archive run writes several times its
//! input (15 GB for 100,000 statements) and reads none of it back: left cached, it would
//! push out the input and whatever else the machine keeps in memory, and every page of it
//! would be a fresh page for the kernel to find. Written ranges are handed to the disk at
//! once and dropped from the cache when the next range is written, so the run's cached
//! output stays within about two windows per file and its pages are reused.
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

/// Wait until `start..start + len` of `file` is on disk and drop it from the page cache.
pub fn release(file: &File, start: u64, len: u64) {
    if len == 0 {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let (fd, off, n) = (
            file.as_raw_fd(),
            start as libc::off64_t,
            len as libc::off64_t,
        );
        // SAFETY: plain system calls on an open descriptor; they read no memory of ours.
        unsafe {
            libc::sync_file_range(
                fd,
                off,
                n,
                libc::SYNC_FILE_RANGE_WAIT_BEFORE
                    | libc::SYNC_FILE_RANGE_WRITE
                    | libc::SYNC_FILE_RANGE_WAIT_AFTER,
            );
            libc::posix_fadvise(fd, off, n, libc::POSIX_FADV_DONTNEED);
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

    /// Everything written is on disk and out of the cache.
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
