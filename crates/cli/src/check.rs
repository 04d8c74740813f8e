//! `cueline check`: diagnostics for many files, fast.
//!
//! It is benchmarked against ripgrep counting `-->` over a whole repository, so the work is
//! shaped for speed: files are read whole (`std::fs::read`) and parsed on all cores, only the
//! small per-file report is kept, and output goes through one buffered, locked stdout with
//! no string built per line. Reports are printed in path order, so the output is stable.

use std::fs;
use std::io::Write;

use cueline_transcript::{Diagnostic, Format, Severity};
use serde::Serialize;

use crate::args::CheckArgs;
use crate::error::{CliError, Status, report};
use crate::output;
use crate::walk::{self, Target};

/// What `check` keeps of one file once it is parsed.
struct FileReport {
    cues: usize,
    diagnostics: Vec<Diagnostic>,
}

#[derive(Serialize)]
struct FileJson<'a> {
    path: &'a str,
    format: Format,
    cues: usize,
    diagnostics: &'a [Diagnostic],
}

#[derive(Serialize)]
struct SummaryJson {
    files: usize,
    cues: usize,
    errors: usize,
    warnings: usize,
}

pub fn run(args: &CheckArgs) -> Result<Status, CliError> {
    let (targets, walk_errors) = walk::transcripts(&args.paths);
    let mut status = Status::Success;
    for e in &walk_errors {
        status = status.max(report(e));
    }
    let reports: Vec<Result<FileReport, CliError>> = walk::par_map(&targets, check_one);

    let mut out = output::stdout();
    let mut summary = SummaryJson {
        files: 0,
        cues: 0,
        errors: 0,
        warnings: 0,
    };
    for (target, result) in targets.iter().zip(&reports) {
        let r = match result {
            Ok(r) => r,
            Err(e) => {
                out.flush()?;
                status = status.max(report(e));
                continue;
            }
        };
        summary.files += 1;
        summary.cues += r.cues;
        for d in &r.diagnostics {
            match d.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
            }
        }
        if args.json {
            let path = target.path.to_string_lossy();
            let line = FileJson {
                path: &path,
                format: target.format,
                cues: r.cues,
                diagnostics: &r.diagnostics,
            };
            serde_json::to_writer(&mut out, &line).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
        } else {
            let path = target.path.display();
            for d in &r.diagnostics {
                writeln!(out, "{path}:{}: {}: {}", d.line, d.severity, d.message)?;
            }
        }
    }
    if args.json {
        serde_json::to_writer(&mut out, &summary).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
    } else {
        writeln!(
            out,
            "{} files, {} cues, {} errors, {} warnings",
            summary.files, summary.cues, summary.errors, summary.warnings
        )?;
    }
    out.flush()?;
    if summary.errors > 0 {
        status = status.max(Status::Found);
    }
    tracing::debug!(files = summary.files, "checked");
    Ok(status)
}

fn check_one(target: &Target) -> Result<FileReport, CliError> {
    let bytes = fs::read(&target.path).map_err(|e| CliError::read(&target.path, e))?;
    // The core's streaming check: the same splitter and diagnostics as `Document::parse`,
    // without building the document.
    let report = cueline_transcript::check(&bytes, target.format);
    Ok(FileReport {
        cues: report.cues,
        diagnostics: report.diagnostics,
    })
}
