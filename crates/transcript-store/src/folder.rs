//! Scanning a folder for transcripts, grouped into episodes.
//!
//! An episode is the `.vtt`, `.srt` and `.txt` files with the same basename in the same
//! folder (`412-ep.vtt` and `412-ep.txt`). Which files count is the one project rule
//! ([`crate::project_files`]), the command line's and the project index's too. Folders that
//! cannot be read are skipped with a log line; only an unreadable root is an error.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use cueline_transcript::Format;

/// The transcripts found under a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    pub root: PathBuf,
    /// Sorted by name, then by folder.
    pub episodes: Vec<Episode>,
}

/// The files of one episode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Episode {
    /// The shared basename (file name without extension).
    pub name: String,
    /// Ordered `.vtt`, `.srt`, `.txt`.
    pub files: Vec<EpisodeFile>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpisodeFile {
    pub path: PathBuf,
    pub format: Format,
}

fn format_rank(f: Format) -> u8 {
    match f {
        Format::Vtt => 0,
        Format::Srt => 1,
        Format::Txt => 2,
    }
}

/// The project's configuration folder (glossary, words): never a place of transcripts.
pub const CONFIG_DIR: &str = ".cueline";

/// Whether `path` lies in a `.cueline/` folder: no walker lists such a file as a transcript.
pub fn in_config_dir(path: &Path) -> bool {
    path.parent()
        .is_some_and(|dir| dir.components().any(|c| c.as_os_str() == CONFIG_DIR))
}

/// Scans `root` (made canonical) for transcripts.
pub fn scan_folder(root: &Path) -> io::Result<Folder> {
    let root = std::fs::canonicalize(root)?;
    if !root.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotADirectory,
            format!("{} is not a folder", root.display()),
        ));
    }
    // Read the root once so that an unreadable root is an error, not an empty folder.
    std::fs::read_dir(&root)?;
    let mut groups: BTreeMap<(String, PathBuf), Vec<EpisodeFile>> = BTreeMap::new();
    for entry in crate::project_files::walk_files(&root) {
        let path = match entry {
            Ok(p) => p,
            Err(err) => {
                tracing::warn!(error = %err, "skipping an unreadable entry");
                continue;
            }
        };
        let path = path.as_path();
        let Some(format) = Format::from_path(path) else {
            continue;
        };
        let Some(stem) = path.file_stem() else {
            continue;
        };
        let dir = path.parent().unwrap_or(&root).to_path_buf();
        groups
            .entry((stem.to_string_lossy().into_owned(), dir))
            .or_default()
            .push(EpisodeFile {
                path: path.to_path_buf(),
                format,
            });
    }
    let episodes = groups
        .into_iter()
        .map(|((name, _), mut files)| {
            files.sort_by(|a, b| {
                (format_rank(a.format), &a.path).cmp(&(format_rank(b.format), &b.path))
            });
            Episode { name, files }
        })
        .collect();
    Ok(Folder { root, episodes })
}
