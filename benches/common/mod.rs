//! What the benchmarks share: peak memory, the news12 seed corpus and the generator that
//! perturbs it. Not every benchmark uses every item.
#![allow(dead_code)]

use std::path::PathBuf;

/// The language folders of a corpus, pivot first.
pub const LANGS: [&str; 5] = ["en", "ru", "de", "es", "fr"];

/// Peak resident memory of this process (Linux), in MB.
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// CPU time the hypervisor gave other guests while this machine's processes were ready to
/// run, summed over its cores since boot (`steal` in /proc/stat), in seconds; None where
/// the system does not say. On a shared virtual machine it is why one run differs from the
/// next.
pub fn stolen_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    // cpu  user nice system idle iowait irq softirq steal ...
    let ticks: f64 = stat
        .lines()
        .next()?
        .split_whitespace()
        .nth(8)?
        .parse()
        .ok()?;
    #[cfg(target_os = "linux")]
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    #[cfg(not(target_os = "linux"))]
    let per_second = 100.0;
    (per_second > 0.0).then(|| ticks / per_second)
}

/// ../shared/data/news12 beside the repository; exits with a message when it is missing.
pub fn news12() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/news12");
    if !path.exists() {
        eprintln!(
            "cannot find {} (the shared data beside the repository)",
            path.display()
        );
        std::process::exit(1);
    }
    path
}

/// splitmix64: a fixed, dependency-free generator, so a corpus is the same every time.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn stem(&mut self) -> String {
        format!("{:012x}", self.next() & 0xffff_ffff_ffff)
    }

    pub fn digit_permutation(&mut self) -> [u8; 10] {
        let mut p: [u8; 10] = std::array::from_fn(|i| b'0' + i as u8);
        for i in (1..10).rev() {
            p.swap(i, self.below(i + 1));
        }
        p
    }
}

/// `text` with its digits mapped through `perm` and, when `drop` is given, one paragraph
/// (blank-line separated) left out: never one of the first three (title, date, lead), the
/// one chosen by `drop` among the rest.
pub fn perturb(text: &str, perm: &[u8; 10], drop: Option<usize>) -> String {
    let paras: Vec<&str> = text
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .collect();
    let kept: Vec<String> = paras
        .iter()
        .enumerate()
        .filter(|(k, _)| Some(*k) != drop.map(|d| 3 + d % paras.len().saturating_sub(3).max(1)))
        .map(|(_, p)| {
            p.bytes()
                .map(|b| {
                    if b.is_ascii_digit() {
                        perm[(b - b'0') as usize]
                    } else {
                        b
                    }
                })
                .collect::<Vec<u8>>()
        })
        .map(|b| String::from_utf8(b).expect("digits map to digits"))
        .collect();
    kept.join("\n\n") + "\n"
}

/// Call `f` with every file under `dir`, in no particular order; unreadable folders are
/// passed over.
pub fn for_each_file(dir: &std::path::Path, f: &mut impl FnMut(&std::fs::DirEntry)) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        match e.file_type() {
            Ok(t) if t.is_dir() => for_each_file(&e.path(), f),
            _ => f(&e),
        }
    }
}

/// Drop every file under `dir` from the page cache (Linux; elsewhere nothing), so that the
/// next reader goes to the disk. Returns how many files were asked.
pub fn evict(dir: &std::path::Path) -> u64 {
    let mut files = 0;
    for_each_file(dir, &mut |e| {
        if let (Ok(f), Ok(m)) = (std::fs::File::open(e.path()), e.metadata()) {
            paralign::export::drop_behind::release(&f, 0, m.len());
            files += 1;
        }
    });
    files
}
