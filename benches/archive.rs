//! Archive benchmark (release mode); being written.
fn main() {}
