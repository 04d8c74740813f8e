//! Standard output for command results (logs go to stderr through `tracing`).
//!
//! One buffered writer over a locked stdout: commands like `check` print thousands of lines,
//! and an unbuffered, unlocked `println!` per line costs more than parsing the files.

use std::borrow::Cow;
use std::io::{self, BufWriter, StdoutLock};

use serde::Serialize;

pub fn stdout() -> BufWriter<StdoutLock<'static>> {
    BufWriter::with_capacity(64 * 1024, io::stdout().lock())
}

/// One hit as `cueline replace --json` prints it (one object per line), for a plain replace and
/// for `--pairs` alike.
#[derive(Serialize)]
pub struct HitJson<'a> {
    pub path: &'a str,
    pub line: usize,
    pub cue: usize,
    pub start: String,
    pub start_ms: u32,
    pub text: &'a str,
    #[serde(rename = "match")]
    pub matched: &'a str,
    pub replacement: Cow<'a, str>,
    pub at_char: usize,
    pub end_char: usize,
    /// With `--pairs` only: `PATH:LINE` of the same fix in the other file of the pair, or
    /// `null` (the key is absent without `--pairs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pair: Option<Option<String>>,
}
