//! Which files a command works on.
//!
//! Below a folder named on the command line, the one project rule
//! (`transcript_store::project_files`, also the app's project index and sidebar): hidden
//! entries, `node_modules/` and `target/` are skipped, `.cueline/` is configuration, links to
//! files are followed and links to folders are not. Paths named on the command line are always
//! taken, links included.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use cueline_transcript::Format;
use rayon::prelude::*;

use crate::error::CliError;

/// A transcript file to work on, as it will be named in messages.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    pub path: PathBuf,
    pub format: Format,
}

/// The transcripts under `paths`, sorted by path without duplicates, and the paths that could
/// not be read. A file named explicitly must have a transcript extension.
pub fn transcripts(paths: &[PathBuf]) -> (Vec<Target>, Vec<CliError>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        match fs::metadata(root) {
            Err(e) => errors.push(CliError::read(root, e)),
            Ok(m) if m.is_dir() => walk_dir(root, &mut found, &mut errors),
            Ok(_) => match Format::from_path(root) {
                Some(format) => found.push(Target {
                    path: root.clone(),
                    format,
                }),
                None => errors.push(CliError::Usage(format!(
                    "{}: not a transcript: expected a .vtt, .srt or .txt file",
                    root.display()
                ))),
            },
        }
    }
    found.sort();
    found.dedup();
    (found, errors)
}

fn walk_dir(root: &Path, found: &mut Vec<Target>, errors: &mut Vec<CliError>) {
    for entry in cueline_transcript_store::walk_files(root) {
        match entry {
            Ok(path) => {
                if let Some(format) = Format::from_path(&path) {
                    found.push(Target { path, format });
                }
            }
            Err(e) => {
                let path = e.path().unwrap_or(root).to_path_buf();
                let source = e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("cannot walk this folder"));
                errors.push(CliError::Read { path, source });
            }
        }
    }
}

/// `f` over `items` on all cores, in order. A single item runs on this thread: starting the
/// thread pool costs more than reading a short transcript.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    if items.len() < 2 {
        items.iter().map(f).collect()
    } else {
        items.par_iter().map(f).collect()
    }
}

/// Drops second names of one file (`dir` and `dir/a.vtt`, or a link and its target), so a
/// file is planned and written once.
pub fn distinct_files(targets: Vec<Target>) -> Vec<Target> {
    distinct_files_keyed(targets)
        .into_iter()
        .map(|(t, _)| t)
        .collect()
}

/// [`distinct_files`], with each file's key (`None` when it cannot be looked up).
// the key is `Copy` on Unix, a `PathBuf` elsewhere
#[allow(clippy::clone_on_copy)]
pub fn distinct_files_keyed(targets: Vec<Target>) -> Vec<(Target, Option<FileKey>)> {
    let keys: Vec<Option<FileKey>> = par_map(&targets, file_key);
    let mut seen = HashSet::new();
    targets
        .into_iter()
        .zip(keys)
        .filter(|(_, key)| !matches!(key, Some(k) if !seen.insert(k.clone())))
        .collect()
}

#[cfg(unix)]
pub type FileKey = (u64, u64);

#[cfg(unix)]
pub fn file_key(t: &Target) -> Option<FileKey> {
    path_key(&t.path)
}

/// What tells two names of one file apart from two files (device and inode).
#[cfg(unix)]
pub fn path_key(path: &Path) -> Option<FileKey> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
pub type FileKey = std::path::PathBuf;

#[cfg(not(unix))]
pub fn file_key(t: &Target) -> Option<FileKey> {
    path_key(&t.path)
}

/// What tells two names of one file apart from two files (the canonical path).
#[cfg(not(unix))]
pub fn path_key(path: &Path) -> Option<FileKey> {
    fs::canonicalize(path).ok()
}

/// `.cueline/` is configuration: no walker (this one, the project's scan, the sidebar's
/// folder scan) lists a transcript under it, even when the folder itself is named.
#[cfg(test)]
mod config_dir_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn no_walker_lists_a_file_under_cueline() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".cueline/old")).unwrap();
        std::fs::write(root.join("ep.vtt"), "WEBVTT\n").unwrap();
        std::fs::write(root.join(".cueline/notes.txt"), "00:00:01 hi\n").unwrap();
        std::fs::write(root.join(".cueline/old/ep.vtt"), "WEBVTT\n").unwrap();
        std::fs::write(root.join(".cueline/glossary.toml"), "").unwrap();

        let (cli, errors) = transcripts(&[root.to_path_buf(), root.join(".cueline")]);
        assert!(errors.is_empty());
        let cli: Vec<_> = cli.into_iter().map(|t| t.path).collect();
        assert_eq!(cli, vec![root.join("ep.vtt")]);

        let project = cueline_repository::Project::open(root).unwrap();
        let listed: Vec<_> = project.files().iter().map(|f| f.path.clone()).collect();
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert!(listed[0].ends_with("ep.vtt"));

        let folder = cueline_transcript_store::scan_folder(&root.join(".cueline")).unwrap();
        assert!(folder.episodes.is_empty(), "{:?}", folder.episodes);
        let folder = cueline_transcript_store::scan_folder(root).unwrap();
        assert_eq!(folder.episodes.len(), 1);
    }
}
