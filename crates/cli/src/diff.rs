//! `cueline diff`: what changed in transcripts since a commit, cue by cue.
//!
//! Why here and not `git diff`: one fixed name in a `.vtt` is a hunk of lines to git, and an
//! inserted cue shifts every later cue number. This command asks the system `git` which files
//! changed (`cueline-git`), compares each with the bytes a checkout of the commit would write,
//! and prints the changed cues with git's word-diff markers. `--files` does the same for two
//! files outside git, so it also works as a `git difftool`.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use cueline_git::words::{escape_breaks, render_plain};
use cueline_git::{ChangeKind, CueSnapshot, FileComparison, Repo, compare_bytes};
use cueline_transcript::{Format, format_hms};
use serde::Serialize;

use crate::args::DiffArgs;
use crate::error::{CliError, Status};
use crate::load::format_of;
use crate::output::stdout;

/// One compared file, ready to print.
struct FileDiff {
    /// As printed: relative to the current folder, `/`-separated.
    path: String,
    cmp: FileComparison,
}

pub fn run(args: &DiffArgs) -> Result<Status, CliError> {
    let diffs = match &args.files {
        Some(files) => match files.as_slice() {
            [old, new] => compare_two(old, new)?,
            _ => return Err(CliError::Usage("--files takes OLD and NEW".into())),
        },
        None => compare_with_git(args)?,
    };
    let mut out = stdout();
    if args.json {
        print_json(&mut out, &diffs)?;
    } else {
        print_text(&mut out, &diffs)?;
    }
    out.flush()?;
    Ok(Status::Success)
}

fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    cueline_transcript_store::read_input_file(path).map_err(|e| CliError::read(path, e))
}

fn compare_two(old: &Path, new: &Path) -> Result<Vec<FileDiff>, CliError> {
    let (fo, fnew) = (format_of(old)?, format_of(new)?);
    if fo != fnew {
        return Err(CliError::Usage(format!(
            "{} and {}: different formats: --files compares two files of one format",
            old.display(),
            new.display()
        )));
    }
    let (a, b) = (read(old)?, read(new)?);
    let cmp = compare_bytes(Some(&a), Some(&b), fnew);
    Ok(if cmp.changes.is_empty() {
        Vec::new()
    } else {
        vec![FileDiff {
            path: slashed(new),
            cmp,
        }]
    })
}

fn compare_with_git(args: &DiffArgs) -> Result<Vec<FileDiff>, CliError> {
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .map_err(|e| CliError::read(Path::new("."), e))?;
    let repo = Repo::discover(&cwd)?;
    let rev = args.against.as_deref().unwrap_or("HEAD");
    let commit = repo.resolve_commit(rev)?;
    let given: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    // each PATH relative to the root, and whether it names a file (always taken)
    let mut roots = Vec::with_capacity(given.len());
    for p in &given {
        let rel = repo.relative(p)?;
        let is_file = std::fs::metadata(p).map(|m| !m.is_dir()).unwrap_or(false);
        if is_file && Format::from_path(p).is_none() {
            return Err(CliError::Usage(format!(
                "{}: not a transcript: expected a .vtt, .srt or .txt file",
                p.display()
            )));
        }
        roots.push(rel);
    }
    let reported = repo.changed_files(&commit, &roots)?;
    let mut wanted = Vec::new();
    for file in reported {
        let Some(format) = Format::from_path(Path::new(&file.path)) else {
            continue;
        };
        if !roots.iter().any(|r| walked(r, &file.path)) {
            continue;
        }
        wanted.push((file, format));
    }
    let rev_paths: Vec<String> = wanted
        .iter()
        .filter(|(f, _)| f.status != 'A')
        .map(|(f, _)| f.path.clone())
        .collect();
    let mut rev_bytes = repo.files_at(&commit, &rev_paths)?.into_iter();
    let mut diffs = Vec::new();
    for (file, format) in wanted {
        let old = if file.status == 'A' {
            None
        } else {
            rev_bytes.next().flatten()
        };
        let abs = repo.root().join(&file.path);
        let new = match file.status {
            'D' => None,
            _ => match std::fs::symlink_metadata(&abs) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                _ => Some(read(&abs)?),
            },
        };
        let cmp = compare_bytes(old.as_deref(), new.as_deref(), format);
        if cmp.changes.is_empty() {
            continue;
        }
        diffs.push(FileDiff {
            path: relative_to(&abs, &cwd),
            cmp,
        });
    }
    diffs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(diffs)
}

/// `file` (relative to the root) is under `root` and no folder or file below `root` is one
/// `check` skips (hidden, `node_modules`); a `root` naming the file itself always takes it.
fn walked(root: &str, file: &str) -> bool {
    let below = if root.is_empty() {
        file
    } else if file == root {
        return true;
    } else {
        match file.strip_prefix(root).and_then(|r| r.strip_prefix('/')) {
            Some(rest) => rest,
            None => return false,
        }
    };
    !below
        .split('/')
        .any(|name| cueline_transcript_store::skipped_name(std::ffi::OsStr::new(name)))
}

/// `path` as `/`-separated text, without a leading `./`.
fn slashed(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| match c {
            Component::RootDir => String::new(),
            other => other.as_os_str().to_string_lossy().into_owned(),
        })
        .collect();
    let joined = parts.join("/");
    if joined.is_empty() {
        ".".into()
    } else {
        joined
    }
}

/// `abs` relative to the folder `from` (both absolute), with `..` where it lies outside.
fn relative_to(abs: &Path, from: &Path) -> String {
    let a: Vec<Component<'_>> = abs.components().collect();
    let b: Vec<Component<'_>> = from.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &a[common..] {
        out.push(c.as_os_str());
    }
    slashed(&out)
}

/// How a cue's start and end read in the text output.
fn times(c: &CueSnapshot) -> String {
    match c.end_ms {
        Some(end) => format!("{} --> {}", format_hms(c.start_ms), format_hms(end)),
        None => format_hms(c.start_ms),
    }
}

fn print_text(out: &mut impl Write, diffs: &[FileDiff]) -> Result<(), CliError> {
    for d in diffs {
        writeln!(out, "{}", d.path)?;
        for ch in &d.cmp.changes {
            let before = ch.before.and_then(|i| d.cmp.before.get(i));
            let after = ch.after.and_then(|i| d.cmp.after.get(i));
            let line = match (ch.kind, before, after) {
                (ChangeKind::Deleted, Some(b), _) => {
                    format!(
                        "{}: {} {}",
                        b.line,
                        format_hms(b.start_ms),
                        render_plain(&b.text, "")
                    )
                }
                (ChangeKind::Inserted, _, Some(a)) => {
                    format!(
                        "{}: {} {}",
                        a.line,
                        format_hms(a.start_ms),
                        render_plain("", &a.text)
                    )
                }
                (ChangeKind::Text, Some(b), Some(a)) => {
                    format!(
                        "{}: {} {}",
                        a.line,
                        format_hms(a.start_ms),
                        render_plain(&b.text, &a.text)
                    )
                }
                (ChangeKind::Timing, Some(b), Some(a)) => {
                    format!(
                        "{}: {} => {} {}",
                        a.line,
                        times(b),
                        times(a),
                        escape_breaks(&a.text)
                    )
                }
                (ChangeKind::TextTiming, Some(b), Some(a)) => format!(
                    "{}: {} => {} {}",
                    a.line,
                    times(b),
                    times(a),
                    render_plain(&b.text, &a.text)
                ),
                _ => continue,
            };
            writeln!(out, "{}:{line}", d.path)?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct FileJson<'a> {
    path: &'a str,
    changes: Vec<ChangeJson<'a>>,
}

#[derive(Serialize)]
struct ChangeJson<'a> {
    kind: &'static str,
    cue: usize,
    before: Option<&'a str>,
    after: Option<&'a str>,
    before_start_ms: Option<u32>,
    before_end_ms: Option<u32>,
    after_start_ms: Option<u32>,
    after_end_ms: Option<u32>,
}

fn print_json(out: &mut impl Write, diffs: &[FileDiff]) -> Result<(), CliError> {
    let files: Vec<FileJson<'_>> = diffs
        .iter()
        .map(|d| FileJson {
            path: &d.path,
            changes: d
                .cmp
                .changes
                .iter()
                .map(|ch| {
                    let b = ch.before.and_then(|i| d.cmp.before.get(i));
                    let a = ch.after.and_then(|i| d.cmp.after.get(i));
                    ChangeJson {
                        kind: ch.kind.as_str(),
                        cue: a.or(b).map(|c| c.index).unwrap_or_default(),
                        before: b.map(|c| c.text.as_str()),
                        after: a.map(|c| c.text.as_str()),
                        before_start_ms: b.map(|c| c.start_ms),
                        before_end_ms: b.and_then(|c| c.end_ms),
                        after_start_ms: a.map(|c| c.start_ms),
                        after_end_ms: a.and_then(|c| c.end_ms),
                    }
                })
                .collect(),
        })
        .collect();
    serde_json::to_writer(&mut *out, &files).map_err(|e| CliError::Stdout(e.into()))?;
    writeln!(out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walking_rule_matches_check() {
        assert!(walked("", "a/b.vtt"));
        assert!(!walked("", ".hidden/b.vtt"));
        assert!(!walked("", "x/node_modules/b.vtt"));
        assert!(walked("x", "x/b.vtt"));
        assert!(!walked("x", "xy/b.vtt"));
        assert!(walked(".hidden/b.vtt", ".hidden/b.vtt"));
        assert!(walked(".hidden", ".hidden/b.vtt"));
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_to(Path::new("/r/a/b.vtt"), Path::new("/r")),
            "a/b.vtt"
        );
        assert_eq!(
            relative_to(Path::new("/r/a/b.vtt"), Path::new("/r/c")),
            "../a/b.vtt"
        );
        assert_eq!(slashed(Path::new("./x/y.vtt")), "x/y.vtt");
    }
}
