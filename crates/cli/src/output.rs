//! Standard output for command results (logs go to stderr through `tracing`).
//!
//! One buffered writer over a locked stdout: commands like `check` print thousands of lines,
//! and an unbuffered, unlocked `println!` per line costs more than parsing the files.

use std::io::{self, BufWriter, StdoutLock};

pub fn stdout() -> BufWriter<StdoutLock<'static>> {
    BufWriter::with_capacity(64 * 1024, io::stdout().lock())
}
