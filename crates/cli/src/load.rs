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
