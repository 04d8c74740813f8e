//! `cueline replace`: a repository-wide find-and-replace that only touches cue text.
//!
//! Why not `sed`: a regex over whole files also hits timing lines, headers and notes, and a
//! careless pattern eats the spaces around a match (a real fix once turned "uv tool install
//! rough" into "uv toolinstall ruff"). Here the core's matcher runs on each cue's text only,
//! and each match becomes a `set_text` edit, which rewrites only the text lines of that cue.
//!
//! Every file is planned (in parallel) before anything is written: if one replacement is
//! invalid, nothing is written. Then all changed files are staged as temporary files and
//! only then renamed, so a failure to write leaves every file as it was.
//!
//! With `--pairs` the plan comes from `cueline-repository` instead (see `repo`): the same
//! matcher, plus the same span in the other file of each `.vtt`/`.txt` pair.

use std::collections::HashSet;
use std::io::Write;

use cueline_repository::Selection;
use cueline_transcript::search::{CueHits, Matcher, Query, find_in_document, plan_replace};
use cueline_transcript::{Document, Format, Session, format_hms};
use cueline_transcript_store::{StagedWrites, WriteError};
use serde::Serialize;

use crate::args::ReplaceArgs;
use crate::error::{CliError, Status, report};
use crate::output;
use crate::repo;
use crate::walk::{self, Target};

/// The plan for one file.
struct FilePlan {
    target: Target,
    hits: Vec<CueHits>,
    replacements: usize,
    /// The new bytes, when they differ from the file's.
    new_bytes: Option<Vec<u8>>,
    /// The bytes the plan was made from (kept only when `new_bytes` is set), compared with the
    /// file once more after staging, just before the renames.
    before: Option<Vec<u8>>,
    /// Why the file was not searched (it is not text).
    skipped: Option<String>,
}

#[derive(Serialize)]
struct SummaryJson {
    replacements: usize,
    files: usize,
    dry_run: bool,
}

pub fn run(args: &ReplaceArgs) -> Result<Status, CliError> {
    let query = Query {
        pattern: args.find.clone(),
        regex: args.regex,
        whole_word: args.word,
        ignore_case: args.ignore_case,
    };
    let matcher = Matcher::new(&query).map_err(|e| CliError::Usage(e.to_string()))?;
    if args.pairs {
        return run_pairs(args, &query, &matcher);
    }
    let (targets, walk_errors) = walk::transcripts(&args.paths);
    if !walk_errors.is_empty() {
        let status = walk_errors
            .iter()
            .map(report)
            .fold(Status::Success, Status::max);
        eprintln!("cueline: nothing was written");
        return Ok(status);
    }
    let targets = walk::distinct_files(targets);
    // A literal that does not occur anywhere in a file's text cannot occur in its cue text,
    // so most files are ruled out without being parsed.
    let prefilter = !args.regex && !args.find.contains(['\n', '\r']);
    let plans: Vec<Result<FilePlan, CliError>> = walk::par_map(&targets, |t| {
        plan_file(t.clone(), &matcher, &args.replacement, prefilter)
    });

    let mut status = Status::Success;
    let mut ok = Vec::with_capacity(plans.len());
    for p in plans {
        match p {
            Ok(p) => ok.push(p),
            Err(e) => status = status.max(report(&e)),
        }
    }
    if status != Status::Success {
        eprintln!("cueline: nothing was written");
        return Ok(status);
    }
    for p in &ok {
        if let Some(reason) = &p.skipped {
            eprintln!("cueline: {}: skipped: {reason}", p.target.path.display());
        }
    }

    if !args.dry_run
        && let Err(status) = write_all(&ok)
    {
        return Ok(status);
    }

    let replacements: usize = ok.iter().map(|p| p.replacements).sum();
    let files = ok.iter().filter(|p| p.replacements > 0).count();
    let mut out = output::stdout();
    for p in ok.iter().filter(|p| !p.hits.is_empty()) {
        if args.json {
            print_json_hits(&mut out, p, &matcher, &args.replacement)?;
        } else if args.dry_run {
            print_marked_hits(&mut out, p, &matcher, &args.replacement)?;
        }
    }
    if args.json {
        let summary = SummaryJson {
            replacements,
            files,
            dry_run: args.dry_run,
        };
        serde_json::to_writer(&mut out, &summary).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
    } else if args.dry_run {
        writeln!(
            out,
            "{replacements} replacements in {files} files (dry run: nothing written)"
        )?;
    } else {
        writeln!(out, "{replacements} replacements in {files} files")?;
    }
    out.flush()?;
    Ok(Status::Success)
}

/// `replace --pairs`: the same search through `cueline-repository`, whose plan also fixes the
/// matching span in the other file of each pair (see `repo`).
fn run_pairs(args: &ReplaceArgs, query: &Query, matcher: &Matcher) -> Result<Status, CliError> {
    let (targets, walk_errors) = walk::transcripts(&args.paths);
    if !walk_errors.is_empty() {
        let status = walk_errors
            .iter()
            .map(report)
            .fold(Status::Success, Status::max);
        eprintln!("cueline: nothing was written");
        return Ok(status);
    }
    let prefilter = !args.regex && !args.find.contains(['\n', '\r']);
    let (project, selected) =
        match repo::project_for(targets, true, |t| !prefilter || may_hold(&t.path, matcher)) {
            Ok(p) => p,
            Err(e) => {
                let status = report(&e);
                eprintln!("cueline: nothing was written");
                return Ok(status);
            }
        };
    let selection = Selection::files(selected);
    let plan = project
        .plan_replace(query, &args.replacement, &selection)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    if !args.dry_run
        && let Err(status) = repo::apply(&project, &plan)
    {
        return Ok(status);
    }
    let counts = plan.counts();
    let mut out = output::stdout();
    if args.json {
        repo::print_json(&mut out, &plan)?;
        let summary = SummaryJson {
            replacements: counts.included_hits,
            files: counts.included_files,
            dry_run: args.dry_run,
        };
        serde_json::to_writer(&mut out, &summary).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
    } else {
        if args.dry_run {
            repo::print_marked(&mut out, &plan)?;
        }
        let (n, m) = (counts.included_hits, counts.included_files);
        let dry = if args.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        };
        writeln!(out, "{n} replacements in {m} files{dry}")?;
    }
    out.flush()?;
    Ok(Status::Success)
}

/// Whether the file at `path` may hold a match in its cue text: a literal that does not occur
/// anywhere in the file's text cannot occur in its cue text. Unreadable or non-UTF-8 files
/// are kept (the project reports them).
fn may_hold(path: &std::path::Path, matcher: &Matcher) -> bool {
    match cueline_transcript_store::read_input_file(path) {
        Ok(bytes) => {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            std::str::from_utf8(body).map_or(true, |text| matcher.find_from(text, 0).is_some())
        }
        Err(_) => true,
    }
}

/// Stages every changed file, then renames them all into place, reporting what happened on
/// failure.
fn write_all(plans: &[FilePlan]) -> Result<(), Status> {
    // recorded: a kill during the renames is rolled forward or back by the next command
    let mut batch = StagedWrites::recorded(cueline_transcript_store::default_intent_dir());
    let changed = plans
        .iter()
        .filter_map(|p| Some((&p.target.path, p.new_bytes.as_deref()?)));
    if let Err(e) = batch.stage_all(changed) {
        let status = report(&e.into());
        eprintln!("cueline: nothing was written");
        return Err(status);
    }
    crate::load::test_hold_before_write();
    // a file changed since it was read (an editor saved, a git checkout ran) is not overwritten:
    // dropping the batch removes its temporary files, and nothing is written
    for plan in plans {
        if let (Some(before), Some(_)) = (&plan.before, &plan.new_bytes)
            && let Err(e) = crate::load::unchanged_since(&plan.target.path, before)
        {
            let status = report(&e);
            eprintln!("cueline: nothing was written");
            return Err(status);
        }
    }
    tracing::debug!(files = batch.len(), "writing");
    if let Err(e) = batch.commit() {
        let replaced = match &e {
            WriteError::Rename { replaced, .. } => replaced.clone(),
            _ => Vec::new(),
        };
        let status = report(&e.into());
        if replaced.is_empty() {
            eprintln!("cueline: nothing was written");
        } else {
            for path in replaced {
                eprintln!("cueline: {}: was already replaced", path.display());
            }
        }
        return Err(status);
    }
    Ok(())
}

fn plan_file(
    target: Target,
    matcher: &Matcher,
    replacement: &str,
    prefilter: bool,
) -> Result<FilePlan, CliError> {
    let bytes = cueline_transcript_store::read_input_file(&target.path)
        .map_err(|e| CliError::read(&target.path, e))?;
    let mut plan = FilePlan {
        target,
        hits: Vec::new(),
        replacements: 0,
        new_bytes: None,
        before: None,
        skipped: None,
    };
    if prefilter {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        if std::str::from_utf8(body).is_ok_and(|text| matcher.find_from(text, 0).is_none()) {
            return Ok(plan);
        }
    }
    let doc = Document::parse(&bytes, plan.target.format);
    if let Some(reason) = doc.read_only_reason() {
        plan.skipped = Some(reason.to_owned());
        return Ok(plan);
    }
    plan.hits = find_in_document(&doc, matcher);
    if plan.hits.is_empty() {
        return Ok(plan);
    }
    let (edits, count) = plan_replace(&doc, matcher, replacement);
    plan.replacements = count;
    let mut session = Session::new(doc);
    if let Err((i, e)) = session.apply_all(&edits) {
        let cue = edits.get(i).and_then(|edit| match edit {
            cueline_transcript::Edit::SetText { cue, .. } => Some(*cue),
            _ => None,
        });
        let line = cue
            .and_then(|c| session.document().cue(c))
            .map(|c| format!(":{}", c.line))
            .unwrap_or_default();
        return Err(CliError::Invalid(format!(
            "{}{line}: cannot replace in cue {}: {e}",
            plan.target.path.display(),
            cue.map_or_else(|| "?".to_owned(), |c| c.to_string())
        )));
    }
    let new_bytes = session.document().print();
    if new_bytes != bytes {
        plan.new_bytes = Some(new_bytes);
        plan.before = Some(bytes);
    }
    Ok(plan)
}

/// The file line of the first text line of a cue: the line after the timing line, or the
/// entry's own line in TXT.
fn first_text_line(format: Format, hits: &CueHits) -> usize {
    match format {
        Format::Txt => hits.line,
        Format::Vtt | Format::Srt => hits.line + 1,
    }
}

fn newlines(s: &str) -> usize {
    s.bytes().filter(|&b| b == b'\n').count()
}

/// `PATH:LINE: START TEXT` for every text line that holds (part of) a hit, each hit marked
/// `[-old-]{+new+}`. A newline inside a replacement is shown as `\n` so the marked text keeps
/// the original's line numbering.
fn print_marked_hits(
    out: &mut impl Write,
    plan: &FilePlan,
    matcher: &Matcher,
    replacement: &str,
) -> std::io::Result<()> {
    let path = plan.target.path.display();
    for cue in &plan.hits {
        let text = cue.text.as_str();
        let mut marked = String::with_capacity(text.len() + 32);
        let mut touched = HashSet::new();
        let mut last = 0;
        for r in &cue.hits {
            marked.push_str(&text[last..r.start]);
            marked.push_str("[-");
            marked.push_str(&text[r.clone()]);
            marked.push_str("-]{+");
            let new = matcher.replacement_for(text, r, replacement);
            marked.push_str(&new.replace('\r', "\\r").replace('\n', "\\n"));
            marked.push_str("+}");
            last = r.end;
            let first = newlines(&text[..r.start]);
            touched.extend(first..=first + newlines(&text[r.clone()]));
        }
        marked.push_str(&text[last..]);
        let base = first_text_line(plan.target.format, cue);
        let start = format_hms(cue.start_ms);
        for (k, line) in marked.split('\n').enumerate() {
            if touched.contains(&k) {
                writeln!(out, "{path}:{}: {start} {line}", base + k)?;
            }
        }
    }
    Ok(())
}

fn print_json_hits(
    out: &mut impl Write,
    plan: &FilePlan,
    matcher: &Matcher,
    replacement: &str,
) -> std::io::Result<()> {
    let path = plan.target.path.to_string_lossy();
    for cue in &plan.hits {
        let text = cue.text.as_str();
        let base = first_text_line(plan.target.format, cue);
        let start = format_hms(cue.start_ms);
        for r in &cue.hits {
            let at_char = text[..r.start].chars().count();
            let hit = output::HitJson {
                path: &path,
                line: base + newlines(&text[..r.start]),
                cue: cue.cue,
                start: start.clone(),
                start_ms: cue.start_ms,
                text,
                matched: &text[r.clone()],
                replacement: matcher.replacement_for(text, r, replacement).into(),
                at_char,
                end_char: at_char + text[r.clone()].chars().count(),
                pair: None,
            };
            serde_json::to_writer(&mut *out, &hit).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}
