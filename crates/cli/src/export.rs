//! `cueline export`: convert a transcript to a new file in another format.
//!
//! Export writes new files only; it is never a way to "save" an existing transcript (an
//! existing `.txt` often carries fixes its `.vtt` lacks). The conversion itself, including
//! the Talk Python TXT rule, lives in the core (`cueline_transcript::export`) so the app and
//! the command line produce identical files.

use std::io::Write;

use cueline_transcript::{Severity, export};
use cueline_transcript_store::write_atomic;

use crate::args::ExportArgs;
use crate::error::{CliError, Status};
use crate::{load, output};

pub fn run(args: &ExportArgs) -> Result<Status, CliError> {
    let (_, doc) = load::open(&args.file)?;
    load::ensure_text(&args.file, &doc, "export")?;
    let errors = doc
        .diagnostics()
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 {
        eprintln!(
            "cueline: {}: warning: {errors} errors in the file (see `cueline check`); only its cues are exported",
            args.file.display()
        );
    }
    let text = export::export(&doc, args.to.into());
    match &args.output {
        Some(dest) if dest.as_os_str() != "-" => write_atomic(dest, text.as_bytes())?,
        _ => {
            let mut out = output::stdout();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(Status::Success)
}
