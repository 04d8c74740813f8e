//! The one rule for which files under a folder belong to a project.
//!
//! Why one rule: the command line (`cueline check`, `replace --pairs`, `spell`, `glossary`),
//! the project index behind *Replace all* and the sidebar must agree on what "every transcript
//! under this folder" means, or a replace from the terminal and one from the window over the
//! same folder touch different files. The rule, as ripgrep users expect it:
//!
//! - below the folder walked, hidden entries (`.git`, `.hidden.vtt`), `node_modules/` and
//!   `target/` are skipped (a folder named on the command line is walked whatever its name);
//! - `.cueline/` is configuration (glossary, words), never a place of transcripts, even when
//!   it is the folder named;
//! - a symbolic link to a file is followed (it is listed under its own name); a symbolic link
//!   to a folder is not (no cycles, no walking out of the project);
//! - a file is listed once, however many names it has here (a link beside its target): under
//!   its own name rather than a link's, else the first in path order. A replace then plans and
//!   writes each file once.

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::folder::in_config_dir;

/// A name that is never walked into or listed below the folder walked.
pub fn skipped_name(name: &OsStr) -> bool {
    let name = name.as_encoded_bytes();
    name.first() == Some(&b'.') || name == b"node_modules" || name == b"target"
}

/// The files under `root` that the rule keeps, in path order (entries of one folder by name),
/// with the errors of entries that could not be read where they occur.
pub fn walk_files(root: &Path) -> Vec<Result<PathBuf, walkdir::Error>> {
    let mut out: Vec<Option<Result<PathBuf, walkdir::Error>>> = Vec::new();
    // file identity -> (index in `out`, listed under a link)
    let mut seen: HashMap<FileId, (usize, bool)> = HashMap::new();
    let walker = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skipped_name(e.file_name()));
    for entry in walker {
        let e = match entry {
            Err(e) => {
                out.push(Some(Err(e)));
                continue;
            }
            Ok(e) => e,
        };
        let link = e.file_type().is_symlink();
        if !(e.file_type().is_file() || (link && e.path().is_file())) || in_config_dir(e.path()) {
            continue;
        }
        let path = e.into_path();
        match file_id(&path) {
            Some(id) => match seen.get(&id).copied() {
                None => {
                    seen.insert(id, (out.len(), link));
                    out.push(Some(Ok(path)));
                }
                // the file itself, found after a link to it: listed under its own name
                Some((at, true)) if !link => {
                    out[at] = None;
                    seen.insert(id, (out.len(), false));
                    out.push(Some(Ok(path)));
                }
                Some(_) => {}
            },
            None => out.push(Some(Ok(path))),
        }
    }
    out.into_iter().flatten().collect()
}

#[cfg(unix)]
type FileId = (u64, u64);

/// What tells two names of one file apart from two files.
#[cfg(unix)]
fn file_id(path: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
type FileId = PathBuf;

#[cfg(not(unix))]
fn file_id(path: &Path) -> Option<FileId> {
    std::fs::canonicalize(path).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn skips_hidden_node_modules_and_target() {
        for name in [".git", ".hidden.vtt", "node_modules", "target", ".cueline"] {
            assert!(skipped_name(OsStr::new(name)), "{name}");
        }
        for name in ["talk.vtt", "node_modules2", "targets", "x.target"] {
            assert!(!skipped_name(OsStr::new(name)), "{name}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn follows_links_to_files_not_to_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/ep.vtt"), "WEBVTT\n").unwrap();
        std::fs::write(root.join("z.vtt"), "WEBVTT\n").unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("o.vtt"), "WEBVTT\n").unwrap();
        // a link to a file elsewhere is listed; a link beside its target is not listed twice
        std::os::unix::fs::symlink(outside.path().join("o.vtt"), root.join("b-out.vtt")).unwrap();
        std::os::unix::fs::symlink(root.join("z.vtt"), root.join("link.vtt")).unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("linked-folder")).unwrap();
        let found: Vec<PathBuf> = walk_files(root).into_iter().map(Result::unwrap).collect();
        assert_eq!(
            found,
            vec![
                root.join("a/ep.vtt"),
                root.join("b-out.vtt"),
                root.join("z.vtt")
            ]
        );
    }
}
