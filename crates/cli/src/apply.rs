//! `cueline apply`: run a JSON list of edits against one transcript, all or nothing.
//!
//! The edit ops are the same contract the desktop app uses, so this is also the way to script
//! or test an edit exactly as the app would make it. The edits run through
//! `Session::apply_all`, which rolls every edit back when one fails; only a fully successful
//! run is written, atomically and with the minimal diff the core produces.

use std::io::{self, Read, Write};
use std::path::Path;

use cueline_transcript::{Document, Edit, EditError, EditList, Session};
use cueline_transcript_store::write_atomic;

use crate::args::ApplyArgs;
use crate::error::{CliError, Status};
use crate::{load, output};

pub fn run(args: &ApplyArgs) -> Result<Status, CliError> {
    let (original, doc) = load::open(&args.file)?;
    let (name, json) = read_edits(&args.edits)?;
    let list = parse_edits(&name, &json)?;
    load::ensure_text(&args.file, &doc, "edit")?;

    let mut session = Session::new(doc.clone());
    if let Err((i, e)) = session.apply_all(&list.edits) {
        return Err(CliError::Invalid(describe_failure(
            &args.file,
            &doc,
            &list.edits,
            i,
            &e,
        )));
    }
    let bytes = session.document().print();
    let n = match list.edits.len() {
        1 => "1 edit".to_owned(),
        n => format!("{n} edits"),
    };
    let file = args.file.display();
    let mut out = output::stdout();
    match &args.output {
        Some(dest) if dest.as_os_str() == "-" => out.write_all(&bytes)?,
        Some(dest) => {
            write_atomic(dest, &bytes)?;
            writeln!(out, "{n} applied to {file}, written to {}", dest.display())?;
        }
        None if bytes == original => writeln!(out, "{n} applied to {file}: no change")?,
        None => {
            crate::load::test_hold_before_write();
            crate::load::unchanged_since(&args.file, &original)?;
            write_atomic(&args.file, &bytes)?;
            writeln!(out, "{n} applied to {file}")?;
        }
    }
    out.flush()?;
    Ok(Status::Success)
}

/// The edits' name for messages, and their bytes.
fn read_edits(path: &Path) -> Result<(String, Vec<u8>), CliError> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(|e| CliError::read(Path::new("<stdin>"), e))?;
        return Ok(("<stdin>".into(), buf));
    }
    let bytes =
        cueline_transcript_store::read_input_file(path).map_err(|e| CliError::read(path, e))?;
    Ok((path.display().to_string(), bytes))
}

/// Parses the edit list; malformed JSON is an invalid edit (exit 1), located by line and
/// column.
fn parse_edits(name: &str, json: &[u8]) -> Result<EditList, CliError> {
    serde_json::from_slice(json).map_err(|e| {
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let message = full.strip_suffix(&suffix).unwrap_or(&full);
        CliError::Invalid(format!(
            "{name}:{}:{}: invalid edits: {message}",
            e.line(),
            e.column()
        ))
    })
}

/// `FILE[:LINE]: edit I (OP): ERROR`, where LINE is the line, in the file as it is on disk,
/// of the cue the edit was about (found by identity, since earlier edits may have moved it).
fn describe_failure(
    file: &Path,
    original: &Document,
    edits: &[Edit],
    failed: usize,
    error: &EditError,
) -> String {
    let Some(edit) = edits.get(failed) else {
        return format!("{}: edit {failed}: {error}", file.display());
    };
    let mut doc = original.clone();
    for e in &edits[..failed] {
        // these edits succeeded before, in this order; they succeed again
        if doc.apply(e).is_err() {
            break;
        }
    }
    let cue = match edit {
        Edit::SetText { cue, .. }
        | Edit::SetTiming { cue, .. }
        | Edit::Delete { cue }
        | Edit::Split { cue, .. }
        | Edit::Merge { cue } => doc.cue(*cue),
        Edit::Insert { at, .. } | Edit::InsertLines { at, .. } => doc
            .cue(*at)
            .or_else(|| at.checked_sub(1).and_then(|p| doc.cue(p))),
        Edit::Renumber => None,
    };
    // the file on disk is unchanged, so point at the cue's line there (a cue that an
    // earlier edit created has none)
    let line = cue
        .and_then(|c| original.cue_index(c.id))
        .and_then(|i| original.cue(i))
        .map(|c| format!(":{}", c.line))
        .unwrap_or_default();
    format!(
        "{}{line}: edit {failed} ({}): {error}",
        file.display(),
        edit.name()
    )
}
