//! Reading one transcript named on the command line, for `apply` and `export`.
//!
//! The format comes from the extension alone, as everywhere in Cueline: the same file never
//! parses two ways depending on its content.

use std::path::Path;

use cueline_transcript::{Document, Format};

use crate::error::CliError;

/// The format of a file named on the command line.
pub fn format_of(path: &Path) -> Result<Format, CliError> {
    Format::from_path(path).ok_or_else(|| {
        CliError::Usage(format!(
            "{}: unknown transcript format: expected a .vtt, .srt or .txt file",
            path.display()
        ))
    })
}

/// Reads and parses `path`, returning the original bytes and the document.
pub fn open(path: &Path) -> Result<(Vec<u8>, Document), CliError> {
    let format = format_of(path)?;
    let bytes =
        cueline_transcript_store::read_input_file(path).map_err(|e| CliError::read(path, e))?;
    let doc = Document::parse(&bytes, format);
    Ok((bytes, doc))
}

/// Refuses documents that are not text: they can be checked but not edited or converted.
pub fn ensure_text(path: &Path, doc: &Document, what: &str) -> Result<(), CliError> {
    match doc.read_only_reason() {
        Some(reason) => Err(CliError::Invalid(format!(
            "{}: cannot {what}: {reason}",
            path.display()
        ))),
        None => Ok(()),
    }
}

/// Fails with a conflict when the file at `path` no longer holds `before`, the bytes a command
/// planned its change from: the re-check before every rename, so that a change saved by another
/// program while `cueline` worked is never overwritten.
pub fn unchanged_since(path: &Path, before: &[u8]) -> Result<(), CliError> {
    let now =
        cueline_transcript_store::read_input_file(path).map_err(|e| CliError::read(path, e))?;
    if now == before {
        return Ok(());
    }
    Err(CliError::Conflict(format!(
        "{}: changed on disk while cueline was working; run the command again",
        path.display()
    )))
}

/// For the tests of the re-check only: with `CUELINE_TEST_HOLD_BEFORE_WRITE=FILE` set, a
/// writing command creates `FILE.ready` once its new files are staged and waits (up to 60 s)
/// until `FILE` exists, so a test can change a target at exactly that moment.
pub fn test_hold_before_write() {
    let Some(hold) = std::env::var_os("CUELINE_TEST_HOLD_BEFORE_WRITE") else {
        return;
    };
    let hold = std::path::PathBuf::from(hold);
    let mut ready = hold.clone().into_os_string();
    ready.push(".ready");
    if let Err(e) = std::fs::write(&ready, b"") {
        tracing::warn!(error = %e, "cannot signal the test hold");
        return;
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !hold.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}
