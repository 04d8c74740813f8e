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
//!   to a folder is not (no cycles, no walking out of the project).

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
pub fn walk_files(root: &Path) -> impl Iterator<Item = Result<PathBuf, walkdir::Error>> + use<> {
    WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skipped_name(e.file_name()))
        .filter_map(|entry| match entry {
            Err(e) => Some(Err(e)),
            Ok(e) => {
                let file =
                    e.file_type().is_file() || (e.file_type().is_symlink() && e.path().is_file());
                (file && !in_config_dir(e.path())).then(|| Ok(e.into_path()))
            }
        })
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
        std::os::unix::fs::symlink(root.join("a/ep.vtt"), root.join("link.vtt")).unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("linked-folder")).unwrap();
        let found: Vec<PathBuf> = walk_files(root).map(Result::unwrap).collect();
        assert_eq!(found, vec![root.join("a/ep.vtt"), root.join("link.vtt")]);
    }
}
