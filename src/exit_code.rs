//! The exit codes of the command line, named: what a batch system or a script is told.

use std::process::ExitCode;

/// Done: everything was read and written.
pub const DONE: u8 = 0;
/// Nothing could be done: bad options, no corpus, nothing readable, an output folder that
/// cannot be written.
pub const NOTHING_DONE: u8 = 1;
/// Done, but some input was skipped (each named on stderr and in summary.json); a rerun
/// skips it again, so a batch system should take this for done.
pub const INPUT_SKIPPED: u8 = 2;
/// Interrupted (Ctrl-C or SIGTERM, 128 + SIGINT as shells report it): the finished batches
/// are kept and the same command resumes.
pub const INTERRUPTED: u8 = 130;

/// One of the codes above as the process's exit code.
pub fn exit(code: u8) -> ExitCode {
    ExitCode::from(code)
}
