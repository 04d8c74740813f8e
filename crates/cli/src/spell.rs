//! `cueline spell` and `cueline glossary suggest`: the review pass, headless.
//!
//! Why in the command line: a pre-commit hook or CI can refuse a transcript with an unknown
//! word or a misheard name before it is published. The checks are `cueline-review`'s; this
//! module walks the files (the same rule as `check`), loads the known words of each PATH
//! (the same rule as the glossary), and turns each flag's byte span in a cue into the
//! file's line and column.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use cueline_review::{Flag, FlagKind, KnownWords, Options, Reviewer};
use cueline_transcript::{Document, Format};
use serde::Serialize;

use crate::args::{GlossaryPaths, SpellArgs, SpellKind};
use crate::error::{CliError, Status, report};
use crate::output;
use crate::walk::{self, Target};

/// One flag as it is printed.
#[derive(Debug, Serialize)]
struct FlagJson {
    path: String,
    line: usize,
    column: usize,
    cue: usize,
    kind: &'static str,
    text: String,
    suggestions: Vec<String>,
}

/// What one run found: every flag in path order, and how many files were checked.
struct Found {
    flags: Vec<FlagJson>,
    files_checked: usize,
    status: Status,
}

/// Line and column of the flags of one cue.
fn place(
    format: Format,
    doc_lines: &[&str],
    cue_line: usize,
    text: &str,
    at: usize,
) -> (usize, usize) {
    let before = &text[..at];
    let newlines = before.matches('\n').count();
    let col_in_line = before.rsplit('\n').next().unwrap_or("").chars().count();
    match format {
        Format::Txt => {
            // the entry's own line: count its stamp
            let raw = doc_lines
                .get(cue_line.saturating_sub(1))
                .copied()
                .unwrap_or("");
            let raw = raw.trim_end_matches(['\r', '\n']);
            let raw = if cue_line == 1 {
                raw.strip_prefix('\u{feff}').unwrap_or(raw)
            } else {
                raw
            };
            let first = text.split('\n').next().unwrap_or("");
            let prefix = raw.rfind(first).map_or(0, |i| raw[..i].chars().count());
            let col = if newlines == 0 {
                prefix + col_in_line
            } else {
                col_in_line
            };
            (cue_line + newlines, col + 1)
        }
        Format::Vtt | Format::Srt => (cue_line + 1 + newlines, col_in_line + 1),
    }
}

fn check_file(reviewer: &Reviewer, target: &Target) -> Result<Vec<FlagJson>, CliError> {
    let bytes = cueline_transcript_store::read_input_file(&target.path)
        .map_err(|e| CliError::read(&target.path, e))?;
    let doc = Document::parse(&bytes, target.format);
    if let Some(reason) = doc.read_only_reason() {
        return Err(CliError::Invalid(format!(
            "{}: skipped: {reason}",
            target.path.display()
        )));
    }
    let all = if target.format == Format::Txt {
        doc.text()
    } else {
        String::new()
    };
    let lines: Vec<&str> = all.split_inclusive('\n').collect();
    let path = target.path.to_string_lossy().into_owned();
    let mut out = Vec::new();
    for cue in doc.cues() {
        for Flag {
            kind,
            range,
            suggestions,
        } in reviewer.review_cue(&cue.text)
        {
            let (line, column) = place(target.format, &lines, cue.line, &cue.text, range.start);
            out.push(FlagJson {
                path: path.clone(),
                line,
                column,
                cue: cue.index,
                kind: kind.as_str(),
                text: cue.text[range].to_owned(),
                suggestions,
            });
        }
    }
    Ok(out)
}

/// Walks the PATHs, loads the known words of each and reviews every file.
fn review(
    paths: &[PathBuf],
    glossary: Option<&Path>,
    lang: &str,
    options: Options,
) -> Result<Found, Status> {
    let mut status = Status::Success;
    // one reviewer per distinct set of known words
    let mut groups: Vec<(KnownWords, Vec<Target>)> = Vec::new();
    for path in paths {
        let (targets, errors) = walk::transcripts(std::slice::from_ref(path));
        for e in &errors {
            status = status.max(report(e));
        }
        let words = match KnownWords::for_path(path, glossary) {
            Ok(w) => w,
            Err(e) => return Err(report(&CliError::Usage(e.to_string()))),
        };
        match groups.iter_mut().find(|(w, _)| *w == words) {
            Some((_, list)) => list.extend(targets),
            None => groups.push((words, targets)),
        }
    }
    let mut flags = Vec::new();
    let mut files_checked = 0;
    let mut seen = BTreeSet::new();
    for (words, targets) in groups {
        let dictionary = cueline_review::load_dictionary(lang)
            .map_err(|e| report(&CliError::Usage(e.to_string())))?;
        let reviewer = Reviewer::new(dictionary, &words, options);
        let targets: Vec<Target> = walk::distinct_files(targets)
            .into_iter()
            .filter(|t| seen.insert(t.path.clone()))
            .collect();
        let results = walk::par_map(&targets, |t| check_file(&reviewer, t));
        for r in results {
            match r {
                Ok(f) => {
                    files_checked += 1;
                    flags.extend(f);
                }
                // not text: a warning, as `replace` does
                Err(CliError::Invalid(m)) => eprintln!("cueline: {m}"),
                Err(e) => status = status.max(report(&e)),
            }
        }
    }
    flags.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    Ok(Found {
        flags,
        files_checked,
        status,
    })
}

pub fn run(args: &SpellArgs) -> Result<Status, CliError> {
    let options = Options {
        spelling: args.only != Some(SpellKind::SoundsLike),
        sounds_like: args.only != Some(SpellKind::Spelling),
        dictionary_suggestions: !args.no_suggest,
    };
    let found = match review(&args.paths, None, &args.lang, options) {
        Ok(f) => f,
        Err(status) => return Ok(status),
    };
    let mut out = output::stdout();
    if args.json {
        serde_json::to_writer(&mut out, &found.flags).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
    } else {
        for f in &found.flags {
            let text = f.text.replace('\n', " ");
            write!(out, "{}:{}:{}: {}: ", f.path, f.line, f.column, f.kind)?;
            if f.kind == FlagKind::SoundsLike.as_str() {
                let name = f.suggestions.first().map_or("", String::as_str);
                writeln!(out, "{text} -> {name}")?;
            } else if f.suggestions.is_empty() {
                writeln!(out, "{text} (no suggestions)")?;
            } else {
                writeln!(out, "{text} (did you mean: {})", f.suggestions.join(", "))?;
            }
        }
        let spelling = found.flags.iter().filter(|f| f.kind == "spelling").count();
        let files: BTreeSet<&str> = found.flags.iter().map(|f| f.path.as_str()).collect();
        writeln!(
            out,
            "{} flags ({spelling} spelling, {} sounds-like) in {} files; {} files checked",
            found.flags.len(),
            found.flags.len() - spelling,
            files.len(),
            found.files_checked
        )?;
    }
    out.flush()?;
    let flagged = if found.flags.is_empty() {
        Status::Success
    } else {
        Status::Found
    };
    Ok(found.status.max(flagged))
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `cueline glossary suggest`.
pub fn suggest_glossary(args: &GlossaryPaths) -> Result<Status, CliError> {
    let options = Options {
        spelling: false,
        sounds_like: true,
        dictionary_suggestions: false,
    };
    let found = match review(&args.paths, args.glossary.as_deref(), "en_US", options) {
        Ok(f) => f,
        Err(status) => return Ok(status),
    };
    // what the glossary already catches
    let mut known_wrong = BTreeSet::new();
    for path in &args.paths {
        let glossary = args
            .glossary
            .clone()
            .or_else(|| cueline_repository::Glossary::find_above(path));
        if let Some(g) = glossary.and_then(|g| cueline_repository::Glossary::load(&g).ok()) {
            known_wrong.extend(g.entries.into_iter().map(|e| e.wrong.to_lowercase()));
        }
    }
    let mut pairs: BTreeMap<(String, String), (usize, BTreeSet<String>)> = BTreeMap::new();
    for f in found.flags {
        let heard = f.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if known_wrong.contains(&heard.to_lowercase()) {
            continue;
        }
        let Some(name) = f.suggestions.into_iter().next() else {
            continue;
        };
        let e = pairs.entry((heard, name)).or_default();
        e.0 += 1;
        e.1.insert(f.path);
    }
    let mut list: Vec<_> = pairs.into_iter().collect();
    list.sort_by(|a, b| b.1.0.cmp(&a.1.0).then_with(|| a.0.cmp(&b.0)));
    let mut out = output::stdout();
    for (i, ((heard, name), (count, files))) in list.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "[[entry]]")?;
        writeln!(out, "wrong = {}", toml_string(heard))?;
        writeln!(out, "right = {}", toml_string(name))?;
        writeln!(
            out,
            "note = {}",
            toml_string(&format!("{count} times in {} files", files.len()))
        )?;
    }
    out.flush()?;
    Ok(found.status)
}
