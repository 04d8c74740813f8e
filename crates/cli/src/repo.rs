//! The repository crate from the command line: a project of the files a command names (plus
//! their pair partners), and plans printed and applied the way `cueline replace` prints and
//! writes.
//!
//! Why through `cueline-repository`: `replace --pairs` and `glossary apply` must find a fix's
//! partner in the other file of a pair exactly as the desktop app does, and write all files at
//! once with one check that nothing changed since the plan. The command line keeps its own
//! rule for which files a PATH means (see `walk`), so the project is made of exactly those
//! files ([`Project::from_files`]) and paths print as the user typed them.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;

use cueline_repository::{
    ApplyError, FileState, PlannedHit, Project, ReplacePlan, partner_on_disk,
};
use cueline_transcript::format_hms;
use cueline_transcript_store::WriteError;

use crate::error::{CliError, Status, report};
use crate::walk::{self, Target};

/// A project of `targets` (files named twice kept once) and, when `pairs`, the partner of
/// each on disk; returns it with the targets' paths (the selection). `keep` may rule out a
/// target before it is read by the project (a quick look at its bytes, say).
pub fn project_for(
    targets: Vec<Target>,
    pairs: bool,
    keep: impl Fn(&Target) -> bool + Sync + Send,
) -> Result<(Project, Vec<PathBuf>), CliError> {
    let keyed = walk::distinct_files_keyed(targets);
    let kept: Vec<bool> = walk::par_map(&keyed, |(t, _)| keep(t));
    let selected: Vec<PathBuf> = keyed
        .iter()
        .zip(&kept)
        .filter(|(_, k)| **k)
        .map(|((t, _), _)| t.path.clone())
        .collect();
    let mut files = selected.clone();
    if pairs {
        let mut keys: HashSet<walk::FileKey> = keyed.into_iter().filter_map(|(_, k)| k).collect();
        for path in &selected {
            if let Some(partner) = partner_on_disk(path)
                && walk::path_key(&partner).is_none_or(|k| keys.insert(k))
            {
                files.push(partner);
            }
        }
    }
    files.sort();
    files.dedup();
    let project = Project::from_files("", files).map_err(|e| CliError::Usage(e.to_string()))?;
    let mut unreadable = Vec::new();
    for f in project.files() {
        match &f.state {
            FileState::Text => {}
            FileState::ReadOnly(reason) => {
                eprintln!("cueline: {}: skipped: {reason}", f.path.display());
            }
            FileState::Unreadable(message) => unreadable.push(CliError::Read {
                path: f.path.clone(),
                source: std::io::Error::other(message.clone()),
            }),
        }
    }
    if let Some(first) = unreadable.into_iter().next() {
        return Err(first);
    }
    Ok((project, selected))
}

/// Applies `plan`; on failure reports why and that nothing was written.
pub fn apply(project: &Project, plan: &ReplacePlan) -> Result<usize, Status> {
    crate::load::test_hold_before_write();
    match project.apply(plan) {
        Ok(applied) => {
            tracing::debug!(files = applied.files.len(), "written");
            Ok(applied.files.len())
        }
        Err(e) => {
            let replaced = match &e {
                ApplyError::Write(WriteError::Rename { replaced, .. }) => replaced.clone(),
                _ => Vec::new(),
            };
            let status = report(&cli_error(e));
            if replaced.is_empty() {
                eprintln!("cueline: nothing was written");
            }
            for path in replaced {
                eprintln!("cueline: {}: was already replaced", path.display());
            }
            Err(status)
        }
    }
}

fn cli_error(e: ApplyError) -> CliError {
    match e {
        ApplyError::Invalid {
            path,
            line,
            cue,
            message,
        } => CliError::Invalid(format!(
            "{}:{line}: cannot replace in cue {cue}: {message}",
            path.display()
        )),
        ApplyError::ReadOnly { path, reason } => {
            CliError::Invalid(format!("{}: cannot replace: {reason}", path.display()))
        }
        ApplyError::Read { path, source } => CliError::Read { path, source },
        ApplyError::Write(w) => CliError::Write(w),
        e @ (ApplyError::Changed { .. } | ApplyError::OpenInEditor { .. }) => {
            CliError::Conflict(e.to_string())
        }
    }
}

/// The hits of one cue in a planned file: consecutive hits with the same cue.
fn by_cue(hits: &[PlannedHit]) -> Vec<&[PlannedHit]> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < hits.len() {
        let n = hits[i..]
            .iter()
            .take_while(|h| h.cue == hits[i].cue)
            .count();
        out.push(&hits[i..i + n]);
        i += n;
    }
    out
}

fn newlines(s: &str) -> usize {
    s.bytes().filter(|&b| b == b'\n').count()
}

/// `PATH:LINE: START TEXT` for every text line holding (part of) a hit, each hit marked
/// `[-old-]{+new+}`, as `cueline replace --dry-run` prints it.
pub fn print_marked(out: &mut impl Write, plan: &ReplacePlan) -> std::io::Result<()> {
    for f in plan.files() {
        let path = f.path.display();
        for cue in by_cue(&f.hits) {
            let first = &cue[0];
            let text = first.cue_text.as_str();
            let mut marked = String::with_capacity(text.len() + 32);
            let mut touched = HashSet::new();
            let mut last = 0;
            for h in cue {
                marked.push_str(&text[last..h.range.start]);
                marked.push_str("[-");
                marked.push_str(&h.old);
                marked.push_str("-]{+");
                marked.push_str(&h.new.replace('\r', "\\r").replace('\n', "\\n"));
                marked.push_str("+}");
                last = h.range.end;
                let at = newlines(&text[..h.range.start]);
                touched.extend(at..=at + newlines(&h.old));
            }
            marked.push_str(&text[last..]);
            let base = first.line - newlines(&text[..first.range.start]);
            let start = format_hms(first.start_ms);
            for (k, line) in marked.split('\n').enumerate() {
                if touched.contains(&k) {
                    writeln!(out, "{path}:{}: {start} {line}", base + k)?;
                }
            }
        }
    }
    Ok(())
}

/// One JSON object per hit, as `cueline replace --json` prints them, with `pair`.
pub fn print_json(out: &mut impl Write, plan: &ReplacePlan) -> std::io::Result<()> {
    for f in plan.files() {
        let path = f.path.to_string_lossy();
        for h in &f.hits {
            let text = h.cue_text.as_str();
            let at_char = text[..h.range.start].chars().count();
            let pair = h.partner.and_then(|p| {
                let other = plan.files().get(p.file)?;
                let hit = other.hits.get(p.hit)?;
                Some(format!("{}:{}", other.path.display(), hit.line))
            });
            let hit = crate::output::HitJson {
                path: &path,
                line: h.line,
                cue: h.cue,
                start: format_hms(h.start_ms),
                start_ms: h.start_ms,
                text,
                matched: &h.old,
                replacement: h.new.as_str().into(),
                at_char,
                end_char: at_char + h.old.chars().count(),
                pair: Some(pair),
            };
            serde_json::to_writer(&mut *out, &hit).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}
