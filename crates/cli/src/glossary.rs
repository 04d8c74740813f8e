//! `cueline glossary check|apply`: the repository's known mishearings, headless.
//!
//! Why a command of its own: a glossary check belongs in a pre-commit hook and in CI, where it
//! must be fast, need no desktop, print one grep-able line per hit and say with its exit
//! status whether anything was found (0 none, 1 hits, 2 usage or I/O errors). `apply` fixes
//! every hit, both files of each pair, in one atomic write, like `replace --pairs`.
//!
//! The glossary is found per PATH (its folder, or the nearest folder above it holding
//! `.cueline/glossary.toml`), so `cueline glossary check a/ b/` works from anywhere; files
//! under PATHs that belong to different glossaries are checked against their own.

use std::io::Write;
use std::path::PathBuf;

use cueline_repository::{Glossary, Selection};

use crate::args::{GlossaryArgs, GlossaryCommand, GlossaryPaths};
use crate::error::{CliError, Status, report};
use crate::output;
use crate::repo;
use crate::walk::{self, Target};

pub fn run(args: &GlossaryArgs) -> Result<Status, CliError> {
    match &args.command {
        GlossaryCommand::Check(a) => check(a),
        GlossaryCommand::Apply(a) => apply(a),
        GlossaryCommand::Suggest(a) => crate::spell::suggest_glossary(a),
    }
}

/// The PATHs' transcripts grouped by the glossary that applies to them, in PATH order.
fn groups(args: &GlossaryPaths) -> Result<Vec<(PathBuf, Vec<Target>)>, Status> {
    let mut out: Vec<(PathBuf, Vec<Target>)> = Vec::new();
    let mut status = Status::Success;
    for path in &args.paths {
        let glossary = match &args.glossary {
            Some(g) => g.clone(),
            None => match Glossary::find_above(path) {
                Some(g) => g,
                None => {
                    status = status.max(report(&CliError::Usage(format!(
                        "{}: no {} in its folder or above (name one with --glossary FILE)",
                        path.display(),
                        cueline_repository::GLOSSARY_PATH
                    ))));
                    continue;
                }
            },
        };
        let (targets, errors) = walk::transcripts(std::slice::from_ref(path));
        for e in &errors {
            status = status.max(report(e));
        }
        match out.iter_mut().find(|(g, _)| *g == glossary) {
            Some((_, list)) => list.extend(targets),
            None => out.push((glossary, targets)),
        }
    }
    if status == Status::Success {
        Ok(out)
    } else {
        Err(status)
    }
}

fn load(path: &std::path::Path) -> Result<Glossary, Status> {
    Glossary::load(path).map_err(|e| report(&CliError::Usage(e.to_string())))
}

fn check(args: &GlossaryPaths) -> Result<Status, CliError> {
    let groups = match groups(args) {
        Ok(g) => g,
        Err(status) => return Ok(status),
    };
    let mut out = output::stdout();
    let (mut hits, mut files) = (0, 0);
    for (path, targets) in groups {
        let glossary = match load(&path) {
            Ok(g) => g,
            Err(status) => return Ok(status),
        };
        let (project, _) = match repo::project_for(targets, false, |_| true) {
            Ok(p) => p,
            Err(e) => return Ok(report(&e)),
        };
        let found = project.glossary_hits(&glossary);
        let mut last: Option<&std::path::Path> = None;
        for h in &found {
            let entry = &glossary.entries[h.entry];
            let note = entry
                .note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            writeln!(
                out,
                "{}:{}: {} -> {}{note}",
                h.path.display(),
                h.line,
                h.matched,
                h.replacement
            )?;
            if last != Some(h.path.as_path()) {
                files += 1;
                last = Some(h.path.as_path());
            }
        }
        hits += found.len();
    }
    writeln!(out, "{hits} glossary hits in {files} files")?;
    out.flush()?;
    Ok(if hits > 0 {
        Status::Found
    } else {
        Status::Success
    })
}

fn apply(args: &GlossaryPaths) -> Result<Status, CliError> {
    let mut groups = match groups(args) {
        Ok(g) => g,
        Err(status) => return Ok(status),
    };
    if groups.len() > 1 {
        return Ok(report(&CliError::Usage(
            "the PATHs belong to different glossaries: apply them one repository at a time".into(),
        )));
    }
    let Some((path, targets)) = groups.pop() else {
        return Ok(Status::Success);
    };
    let glossary = match load(&path) {
        Ok(g) => g,
        Err(status) => return Ok(status),
    };
    let (project, selected) = match repo::project_for(targets, true, |_| true) {
        Ok(p) => p,
        Err(e) => {
            let status = report(&e);
            eprintln!("cueline: nothing was written");
            return Ok(status);
        }
    };
    let plan = project
        .plan_glossary(&glossary, &Selection::files(selected))
        .map_err(|e| CliError::Usage(e.to_string()))?;
    if let Err(status) = repo::apply(&project, &plan) {
        return Ok(status);
    }
    let counts = plan.counts();
    let mut out = output::stdout();
    writeln!(
        out,
        "{} replacements in {} files",
        counts.included_hits, counts.included_files
    )?;
    out.flush()?;
    Ok(Status::Success)
}
