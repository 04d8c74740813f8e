//! The paths the user chose, and the check every path-taking command makes against them.
//!
//! Why: the window is a web page. Its content security policy is strict and there is no
//! file-system plugin, but a page that ever ran foreign script could still call `open_document`,
//! `save_document_as` or `open_project` with any path. As defence in depth the backend accepts
//! only paths that reached it from the user, never a path the page made up:
//!
//! - **chosen**: a file or folder picked in a dialog (the dialogs run in Rust, which records the
//!   choice before the page sees it), named on the command line or by a second launch (the
//!   single-instance hand-off), on the recent list, or dropped on the window;
//! - **save targets**: the file picked in a Save dialog, which may not exist yet;
//! - **a chosen folder's own files**: the transcripts and audio files below a chosen folder, by
//!   the one project rule (`transcript_store::project_files`: no hidden entries, no
//!   `node_modules/`, `target/` or `.cueline/` below it);
//! - **a chosen file's folder**: the folder holding a chosen file (the sidebar shows it, and
//!   *Open this file's folder* opens it), and with it the transcripts and audio beside the file,
//!   so the audio found beside a transcript can be attached.
//!
//! Every path is resolved (`canonicalize`: `..` and symbolic links) before it is compared, so a
//! link inside a chosen folder that points outside it is outside it. Grants last for the session;
//! nothing is written to disk.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use cueline_transcript_store::project_files::skipped_name;
use thiserror::Error;

/// Extensions of the files a chosen folder lends its grant to.
pub const TRANSCRIPTS: &[&str] = &["vtt", "srt", "txt"];
pub const AUDIO: &[&str] = &["mp3", "m4a", "wav", "flac", "ogg", "oga", "opus", "aac"];

/// A path the user never chose.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "{path} was not chosen in this window (open it with File > Open, from the recent list, or drop it on the window)"
)]
pub struct PathRefused {
    pub path: String,
}

/// What the user chose this session.
#[derive(Debug, Default)]
pub struct PathGrants {
    inner: Mutex<Granted>,
}

#[derive(Debug, Default)]
struct Granted {
    /// Chosen files and save targets (resolved).
    files: HashSet<PathBuf>,
    /// Chosen folders, and the folders of chosen files (resolved).
    folders: HashSet<PathBuf>,
}

impl PathGrants {
    pub fn new() -> PathGrants {
        PathGrants::default()
    }

    fn lock(&self) -> MutexGuard<'_, Granted> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a file or folder the user chose (dialog, command line, hand-off, recent list,
    /// drop). A file that does not exist (a recent file deleted since) is recorded as the file
    /// alone, so opening it says *not found* rather than *not chosen*; it lends nothing.
    pub fn grant(&self, path: &Path) {
        let Ok(real) = path.canonicalize() else {
            match resolve_new(path) {
                Some(missing) => {
                    tracing::debug!(path = %path.display(), "granted a file that does not exist");
                    self.lock().files.insert(missing);
                }
                None => tracing::debug!(path = %path.display(), "not granted: no such folder"),
            }
            return;
        };
        let mut g = self.lock();
        if real.is_dir() {
            g.folders.insert(real);
        } else {
            if let Some(dir) = real.parent() {
                g.folders.insert(dir.to_path_buf());
            }
            g.files.insert(real);
        }
    }

    /// Records the target the user picked in a Save dialog (it may not exist yet; its folder
    /// must).
    pub fn grant_save_target(&self, path: &Path) {
        if let Some(real) = resolve_new(path) {
            let mut g = self.lock();
            if let Some(dir) = real.parent() {
                g.folders.insert(dir.to_path_buf());
            }
            g.files.insert(real);
        }
    }

    /// The resolved path of `path` if the user chose it, or it is a transcript or audio file
    /// of a chosen folder, or a chosen folder or one below it. A missing path is allowed where
    /// an existing one would be (its folder resolved), so that opening it reports *not found*.
    pub fn check(&self, path: &Path) -> Result<PathBuf, PathRefused> {
        let refused = || PathRefused {
            path: path.display().to_string(),
        };
        let real = match path.canonicalize() {
            Ok(real) => real,
            Err(_) => resolve_new(path).ok_or_else(refused)?,
        };
        let g = self.lock();
        if g.files.contains(&real) || g.folders.contains(&real) {
            return Ok(real);
        }
        let lent =
            real.is_dir() || has_extension(&real, TRANSCRIPTS) || has_extension(&real, AUDIO);
        if lent && g.folders.iter().any(|root| belongs(root, &real)) {
            return Ok(real);
        }
        Err(refused())
    }

    /// Where a Save As may write: a picked save target, or a file [`Self::check`] allows.
    pub fn check_save_target(&self, path: &Path) -> Result<PathBuf, PathRefused> {
        let real = resolve_new(path).ok_or_else(|| PathRefused {
            path: path.display().to_string(),
        })?;
        if self.lock().files.contains(&real) {
            return Ok(real);
        }
        self.check(path)
    }
}

/// Whether `path` lies below `root` by the project rule: no component after `root` is hidden,
/// `node_modules`, `target` or `.cueline`.
fn belongs(root: &Path, path: &Path) -> bool {
    let Ok(rest) = path.strip_prefix(root) else {
        return false;
    };
    rest.components().all(|c| match c {
        Component::Normal(name) => !skipped_name(name),
        _ => false,
    })
}

fn has_extension(path: &Path, exts: &[&str]) -> bool {
    path.extension()
        .and_then(OsStr::to_str)
        .is_some_and(|e| exts.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// `path` with its folder resolved (the file itself may not exist yet).
fn resolve_new(path: &Path) -> Option<PathBuf> {
    if let Ok(real) = path.canonicalize() {
        return Some(real);
    }
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(dir.canonicalize().ok()?.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn tree() -> tempfile::TempDir {
        let t = tempfile::tempdir().expect("temp dir");
        let r = t.path();
        for d in [
            "show/ep1",
            "show/.git",
            "show/node_modules",
            "show/target",
            "show/.cueline",
            "elsewhere",
        ] {
            fs::create_dir_all(r.join(d)).expect("mkdir");
        }
        for f in [
            "show/ep1/a.vtt",
            "show/ep1/a.txt",
            "show/ep1/a.mp3",
            "show/ep1/notes.md",
            "show/.git/x.vtt",
            "show/node_modules/x.vtt",
            "show/target/x.vtt",
            "show/.cueline/words.txt",
            "show/.hidden.vtt",
            "elsewhere/b.vtt",
            "elsewhere/c.vtt",
        ] {
            fs::write(r.join(f), "WEBVTT\n").expect("write");
        }
        t
    }

    #[test]
    fn nothing_is_allowed_before_a_choice() {
        let t = tree();
        let g = PathGrants::new();
        assert!(g.check(&t.path().join("show/ep1/a.vtt")).is_err());
        assert!(g.check(t.path()).is_err());
        assert!(g.check_save_target(&t.path().join("new.vtt")).is_err());
    }

    #[test]
    fn a_chosen_folder_lends_its_grant_to_its_transcripts_and_audio_by_the_project_rule() {
        let t = tree();
        let r = t.path();
        let g = PathGrants::new();
        g.grant(&r.join("show"));
        for ok in [
            "show",
            "show/ep1",
            "show/ep1/a.vtt",
            "show/ep1/a.txt",
            "show/ep1/a.mp3",
        ] {
            assert!(g.check(&r.join(ok)).is_ok(), "{ok}");
        }
        for no in [
            "show/ep1/notes.md",
            "show/.git/x.vtt",
            "show/node_modules/x.vtt",
            "show/target/x.vtt",
            "show/.cueline/words.txt",
            "show/.hidden.vtt",
            "elsewhere/b.vtt",
        ] {
            assert!(g.check(&r.join(no)).is_err(), "{no}");
        }
        // `..` is resolved before the comparison
        assert!(g.check(&r.join("show/ep1/../../elsewhere/b.vtt")).is_err());
        assert!(g.check(&r.join("show/ep1/../ep1/a.vtt")).is_ok());
    }

    #[test]
    fn a_chosen_file_lends_its_folder_and_its_neighbours() {
        let t = tree();
        let r = t.path();
        let g = PathGrants::new();
        g.grant(&r.join("elsewhere/b.vtt"));
        assert!(g.check(&r.join("elsewhere/b.vtt")).is_ok());
        assert!(g.check(&r.join("elsewhere")).is_ok());
        assert!(g.check(&r.join("elsewhere/c.vtt")).is_ok());
        assert!(g.check(&r.join("show/ep1/a.vtt")).is_err());
        assert!(g.check(r).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_inside_a_chosen_folder_to_outside_it_is_outside_it() {
        let t = tree();
        let r = t.path();
        std::os::unix::fs::symlink(r.join("elsewhere/b.vtt"), r.join("show/ep1/link.vtt"))
            .expect("link");
        std::os::unix::fs::symlink(r.join("elsewhere"), r.join("show/linked")).expect("link");
        std::os::unix::fs::symlink(r.join("show/ep1/a.vtt"), r.join("elsewhere/in.vtt"))
            .expect("link");
        let g = PathGrants::new();
        g.grant(&r.join("show"));
        assert!(g.check(&r.join("show/ep1/link.vtt")).is_err());
        assert!(g.check(&r.join("show/linked/c.vtt")).is_err());
        // a chosen link is its target: a link from outside into the folder is allowed
        assert!(g.check(&r.join("elsewhere/in.vtt")).is_ok());
    }

    #[test]
    fn save_targets_are_the_picked_file_or_an_allowed_one() {
        let t = tree();
        let r = t.path();
        let g = PathGrants::new();
        let target = r.join("elsewhere/new.vtt");
        assert!(g.check_save_target(&target).is_err());
        g.grant_save_target(&target);
        assert_eq!(
            g.check_save_target(&target).expect("picked"),
            r.canonicalize().expect("root").join("elsewhere/new.vtt")
        );
        // the picked target's folder is now chosen: its transcripts may be opened
        assert!(g.check(&r.join("elsewhere/c.vtt")).is_ok());
        assert!(g.check_save_target(&r.join("show/new.vtt")).is_err());
        // a target in a folder that does not exist is never granted
        g.grant_save_target(&r.join("nowhere/x.vtt"));
        assert!(g.check_save_target(&r.join("nowhere/x.vtt")).is_err());
    }

    #[test]
    fn a_missing_file_is_allowed_where_it_would_be_so_opening_it_says_not_found() {
        let t = tree();
        let r = t.path();
        let g = PathGrants::new();
        // a recent file deleted since: granted alone, lending nothing
        g.grant(&r.join("elsewhere/gone.vtt"));
        assert!(g.check(&r.join("elsewhere/gone.vtt")).is_ok());
        assert!(g.check(&r.join("elsewhere/b.vtt")).is_err());
        // a folder that does not exist is never granted
        g.grant(&r.join("nowhere/x.vtt"));
        assert!(g.check(&r.join("nowhere/x.vtt")).is_err());
        // below a chosen folder a missing transcript is allowed (the open reports it missing)
        g.grant(&r.join("show"));
        assert!(g.check(&r.join("show/ep1/missing.vtt")).is_ok());
        assert!(g.check(&r.join("show/ep1/missing.md")).is_err());
        assert!(g.check(&r.join("show/.git/missing.vtt")).is_err());
    }

    #[test]
    fn the_refusal_names_the_path() {
        let g = PathGrants::new();
        let e = g.check(Path::new("/etc/passwd")).expect_err("refused");
        assert_eq!(e.path, "/etc/passwd");
        assert!(e.to_string().contains("/etc/passwd"));
    }
}
