//! `cueline check`: diagnostics for many files, fast.
//!
//! It is benchmarked against ripgrep counting `-->` over a whole repository, so the work is
//! shaped for speed: files are read whole (`std::fs::read`) and parsed on all cores, only the
//! small per-file report is kept, and output goes through one buffered, locked stdout with
//! no string built per line. Reports are printed in path order, so the output is stable.
//!
//! Pairs (`X.vtt` with `X.txt`) among the checked files are compared word by word and each
//! one that disagrees gets an `info:` line: a fix made in one file only is the commonest way
//! the two drift apart, and the editor's repository mode fixes both. This is information,
//! never an error.

use std::io::Write;

use cueline_repository::{CueTexts, Disagreement, first_disagreement};
use cueline_transcript::{Diagnostic, Format, Severity, TimeStyle};
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
    let (reports, disagreements) = check_all(&targets, !args.json);

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
        print_disagreements(&mut out, &targets, &disagreements)?;
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

/// Where a pair (timed file, txt file; indexes into the targets) first disagrees.
type PairInfo = (usize, usize, Disagreement);

thread_local! {
    /// The cue texts of the pair a worker thread compared last: their memory is reused for the
    /// next pair (fresh pages for every file cost more than comparing them).
    static TEXTS: std::cell::RefCell<(CueTexts, CueTexts)> = std::cell::RefCell::default();
}

/// Pairs that disagree get one line each, at most this many.
const MAX_PAIRS_SHOWN: usize = 50;

/// One unit of work: a file alone, or both files of a pair (timed, txt), checked by one
/// worker so their cue texts can be compared while they are at hand.
enum Job {
    Single(usize),
    Pair(usize, usize),
}

/// Checks every target on all cores; with `pairs`, also finds where each pair among them first
/// disagrees: `(timed, txt, disagreement)` in path order of the timed file.
fn check_all(
    targets: &[Target],
    pairs: bool,
) -> (Vec<Result<FileReport, CliError>>, Vec<PairInfo>) {
    let files: Vec<(&std::path::Path, Format)> = targets
        .iter()
        .map(|t| (t.path.as_path(), t.format))
        .collect();
    let found = if pairs {
        cueline_repository::pairs_among(&files)
    } else {
        Vec::new()
    };
    let mut in_pair = vec![false; targets.len()];
    let mut jobs: Vec<Job> = Vec::with_capacity(targets.len());
    for &(a, b) in &found {
        in_pair[a] = true;
        in_pair[b] = true;
        jobs.push(Job::Pair(a, b));
    }
    jobs.extend((0..targets.len()).filter(|&i| !in_pair[i]).map(Job::Single));
    type Done = (Vec<(usize, Result<FileReport, CliError>)>, Option<PairInfo>);
    let done: Vec<Done> = walk::par_map(&jobs, |job| match *job {
        Job::Single(i) => (vec![(i, check_one(&targets[i], None))], None),
        Job::Pair(a, b) => {
            let (mut ta, mut tb) = TEXTS.with_borrow_mut(std::mem::take);
            ta.clear();
            tb.clear();
            let ra = check_one(&targets[a], Some(&mut ta));
            let rb = check_one(&targets[b], Some(&mut tb));
            let both = matches!((&ra, &rb), (Ok(x), Ok(y)) if x.cues > 0 && y.cues > 0);
            let d = both
                .then(|| first_disagreement(&ta, &tb))
                .flatten()
                .map(|d| (a, b, d));
            TEXTS.set((ta, tb));
            (vec![(a, ra), (b, rb)], d)
        }
    });
    let mut reports: Vec<Option<Result<FileReport, CliError>>> =
        (0..targets.len()).map(|_| None).collect();
    let mut disagreements = Vec::new();
    for (files, d) in done {
        for (i, r) in files {
            reports[i] = Some(r);
        }
        disagreements.extend(d);
    }
    disagreements.sort_by(|x, y| targets[x.0].path.cmp(&targets[y.0].path));
    let reports = reports
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(CliError::Usage("not checked".into()))))
        .collect();
    (reports, disagreements)
}

/// One `info:` line per pair whose texts disagree (see `cueline_repository::pairs`), at most
/// [`MAX_PAIRS_SHOWN`]. Information only: the exit status does not change.
fn print_disagreements(
    out: &mut impl Write,
    targets: &[Target],
    disagreements: &[PairInfo],
) -> std::io::Result<()> {
    for (a, b, d) in disagreements.iter().take(MAX_PAIRS_SHOWN) {
        writeln!(
            out,
            "info: {} and {} disagree at {}: {:?} vs {:?}",
            targets[*a].path.display(),
            targets[*b].path.display(),
            TimeStyle::TXT.format(d.at_ms),
            d.timed,
            d.txt
        )?;
    }
    if let Some(more) = disagreements
        .len()
        .checked_sub(MAX_PAIRS_SHOWN)
        .filter(|&n| n > 0)
    {
        writeln!(out, "info: {more} more pairs disagree")?;
    }
    Ok(())
}

fn check_one(target: &Target, texts: Option<&mut CueTexts>) -> Result<FileReport, CliError> {
    let bytes = cueline_transcript_store::read_input_file(&target.path)
        .map_err(|e| CliError::read(&target.path, e))?;
    // The core's streaming check: the same splitter and diagnostics as `Document::parse`,
    // without building the document; for a pair, the same pass collects the cue texts.
    let report = match texts {
        None => cueline_transcript::check(&bytes, target.format),
        Some(texts) => {
            cueline_transcript::check_with_cues(&bytes, target.format, false, &mut |c| {
                texts.push(c.start_ms, c.text)
            })
            .report
        }
    };
    Ok(FileReport {
        cues: report.cues,
        diagnostics: report.diagnostics,
    })
}
