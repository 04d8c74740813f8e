//! The git features of the window (issue 14), as plain functions of the app state: each open
//! document's last-commit version (a `cueline_git::HeadVersion`, kept so the marks of an edit
//! cost one comparison and no `git` process), and the work tree's status and commits.
//!
//! Why a cache beside `AppState` and not in it: the git features come and go with the folder
//! (no git, not a work tree, a bare repository: hidden), and the documents do not need to know.
//! `HEAD` is asked again (one `git rev-parse`) when the window says so (open, save, commit,
//! focus) and at most every [`HEAD_CHECK`] otherwise, so a commit made in a terminal clears
//! the marks without a keystroke paying for a process each time.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use cueline_git::marks::{detail, revert_edits};
use cueline_git::{ChangeKind, GitError, HeadVersion, Repo, commit_message, worktree_changes};

use crate::ipc::dto::DocumentView;
use crate::ipc::error::IpcError;
use crate::ipc::git::{
    GitAvailability, GitChangeDto, GitChangeRef, GitCommitDto, GitFileDto, GitMarkDto, GitMarksDto,
    GitStatusDto,
};
use crate::state::AppState;

/// How old the last look at `HEAD` may be before a marks request looks again.
pub const HEAD_CHECK: Duration = Duration::from_secs(2);

/// What git says about one open document's folder.
#[derive(Debug)]
enum Slot {
    Head(Box<HeadVersion>),
    /// No git features here: no `git`, not a work tree, a bare repository.
    Hidden,
    /// git refused to work here (dubious ownership): its message.
    Refused(String),
}

#[derive(Debug)]
struct Entry {
    path: PathBuf,
    slot: Slot,
    checked: Instant,
}

/// The last-commit versions of the open documents, by document id.
#[derive(Debug, Default)]
pub struct GitHeads {
    entries: Mutex<HashMap<u32, Entry>>,
}

/// Whether an error means "no git features here" (`None`) or a refusal to show (`Some`).
fn refusal(e: &GitError) -> Option<String> {
    match e {
        GitError::Missing
        | GitError::NotWorkTree(_)
        | GitError::Bare(_)
        | GitError::Outside { .. } => None,
        GitError::Refused(m) => Some(m.clone()),
        other => {
            tracing::warn!(error = %other, "git features hidden");
            None
        }
    }
}

fn git_error(e: GitError) -> IpcError {
    tracing::info!(error = %e, "git refused");
    IpcError::Git {
        message: e.to_string(),
    }
}

impl GitHeads {
    /// Forgets a closed document.
    pub fn forget(&self, doc_id: u32) {
        self.lock().remove(&doc_id);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u32, Entry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Makes every document look at `HEAD` again on its next marks request (after a commit).
    pub fn expire(&self) {
        let long_ago = Instant::now()
            .checked_sub(HEAD_CHECK * 2)
            .unwrap_or_else(Instant::now);
        for e in self.lock().values_mut() {
            e.checked = long_ago;
        }
    }
}

/// The change marks of document `doc_id` against the last commit.
pub fn marks(
    state: &AppState,
    heads: &GitHeads,
    doc_id: u32,
    refresh: bool,
) -> Result<GitMarksDto, IpcError> {
    let (doc, is_demo) = {
        let open = state.open();
        (open.get(doc_id)?, open.demo == Some(doc_id))
    };
    let (path, format, revision) =
        doc.read(|d| (d.path().map(Path::to_path_buf), d.format(), d.revision()));
    let Some(path) = path.filter(|_| !is_demo) else {
        return Ok(GitMarksDto::unavailable(doc_id, revision, None));
    };
    let mut entries = heads.lock();
    let stale = entries.get(&doc_id).is_none_or(|e| e.path != path);
    if stale {
        let slot = match HeadVersion::load(&path, format) {
            Ok(h) => Slot::Head(Box::new(h)),
            Err(e) => match refusal(&e) {
                Some(m) => Slot::Refused(m),
                None => Slot::Hidden,
            },
        };
        entries.insert(
            doc_id,
            Entry {
                path: path.clone(),
                slot,
                checked: Instant::now(),
            },
        );
    }
    let Some(entry) = entries.get_mut(&doc_id) else {
        return Ok(GitMarksDto::unavailable(doc_id, revision, None));
    };
    if !stale && (refresh || entry.checked.elapsed() >= HEAD_CHECK) {
        entry.checked = Instant::now();
        if let Slot::Head(h) = &mut entry.slot
            && let Err(e) = h.refresh()
        {
            tracing::warn!(error = %e, "cannot look at HEAD again");
        }
    }
    let head = match &entry.slot {
        Slot::Head(h) => h,
        Slot::Hidden => return Ok(GitMarksDto::unavailable(doc_id, revision, None)),
        Slot::Refused(m) => {
            return Ok(GitMarksDto::unavailable(doc_id, revision, Some(m.clone())));
        }
    };
    let (revision, marks) = doc.read(|d| (d.revision(), head.marks(d.document())));
    Ok(GitMarksDto {
        state: GitAvailability::Ready,
        message: None,
        doc_id,
        revision,
        changed: marks.changes.len() as u32,
        marks: marks.changes.iter().map(GitMarkDto::from).collect(),
        has_commit: head.has_commit(),
        in_head: head.in_head(),
    })
}

/// Runs `f` with document `doc_id`'s last-commit version (loaded by an earlier marks request).
fn with_head<T>(
    heads: &GitHeads,
    doc_id: u32,
    f: impl FnOnce(&HeadVersion) -> Result<T, IpcError>,
) -> Result<T, IpcError> {
    let entries = heads.lock();
    match entries.get(&doc_id).map(|e| &e.slot) {
        Some(Slot::Head(h)) => f(h),
        _ => Err(IpcError::Git {
            message: "This file is not in a git work tree.".to_owned(),
        }),
    }
}

fn gone() -> IpcError {
    IpcError::Git {
        message: "That cue no longer differs from the last commit.".to_owned(),
    }
}

/// One change with both versions of its cue, for the look beside it.
pub fn change(
    state: &AppState,
    heads: &GitHeads,
    doc_id: u32,
    which: GitChangeRef,
) -> Result<GitChangeDto, IpcError> {
    let doc = state.open().get(doc_id)?;
    with_head(heads, doc_id, |head| {
        doc.read(|d| {
            let marks = head.marks(d.document());
            let c = marks.find(which.into()).ok_or_else(gone)?;
            let detail = detail(head.cues(), &marks, c);
            Ok(GitChangeDto {
                kind: detail.kind.into(),
                change: which,
                head: detail.before.map(Into::into),
                now: detail.after.map(Into::into),
                runs: detail.runs.into_iter().map(Into::into).collect(),
            })
        })
    })
}

/// *Revert to last commit*: puts one cue back as committed (one undo step).
pub fn revert(
    state: &AppState,
    heads: &GitHeads,
    doc_id: u32,
    which: GitChangeRef,
) -> Result<DocumentView, IpcError> {
    let doc = state.open().get(doc_id)?;
    let edits = with_head(heads, doc_id, |head| {
        let change = doc.read(|d| head.marks(d.document()).find(which.into()).copied());
        let change = change.ok_or_else(gone)?;
        // a deleted cue comes back as the checkout writes it (identifier, settings, endings)
        let lines = match (change.kind, change.before) {
            (ChangeKind::Deleted, Some(i)) => head.checkout_lines(i).map_err(git_error)?,
            _ => None,
        };
        revert_edits(head.cues(), &change, lines).ok_or_else(gone)
    })?;
    doc.apply_all(&edits)
        .map_err(|(i, e)| IpcError::edit(&doc.read(|d| d.name().to_owned()), i, edits.len(), e))?;
    state.open().view(doc_id)
}

/// The work tree holding `near` (a file or folder).
fn discover(near: &Path) -> Result<Repo, GitError> {
    let dir = if near.is_dir() {
        near
    } else {
        near.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    };
    Repo::discover(dir)
}

/// The work tree's changed files, whether a commit is possible now, and why not.
pub fn status(near: &Path) -> Result<GitStatusDto, IpcError> {
    let repo = match discover(near) {
        Ok(r) => r,
        Err(e) => return Ok(GitStatusDto::unavailable(refusal(&e))),
    };
    let files = worktree_changes(&repo).map_err(git_error)?;
    Ok(GitStatusDto {
        state: GitAvailability::Ready,
        message: None,
        root: repo.root().display().to_string(),
        blocked: repo
            .operation_in_progress()
            .map_err(git_error)?
            .map(|why| format!("Committing is not possible now: {why}.")),
        detached: repo.detached().map_err(git_error)?,
        has_commit: repo.head().map_err(git_error)?.is_some(),
        files: files
            .iter()
            .map(|f| GitFileDto::from_change(f, repo.root()))
            .collect(),
    })
}

/// The message the commit dialog starts from for a commit of `paths` (relative to the root).
pub fn message(near: &Path, paths: &[String]) -> Result<String, IpcError> {
    let repo = discover(near).map_err(git_error)?;
    let files = worktree_changes(&repo).map_err(git_error)?;
    let chosen: Vec<(&str, &cueline_git::FileComparison)> = files
        .iter()
        .filter(|f| paths.contains(&f.path))
        .map(|f| (f.path.as_str(), &f.comparison))
        .collect();
    Ok(commit_message(&chosen))
}

/// Commits exactly `paths` (relative to the root) with `message`, after saving the open
/// documents among them that have unsaved edits. A refusing hook commits nothing and its
/// output is the error.
pub fn commit(
    state: &AppState,
    heads: &GitHeads,
    near: &Path,
    paths: &[String],
    message: &str,
) -> Result<GitCommitDto, IpcError> {
    if message.trim().is_empty() {
        return Err(IpcError::Git {
            message: "Write a commit message first.".to_owned(),
        });
    }
    if paths.is_empty() {
        return Err(IpcError::Git {
            message: "Choose at least one file to commit.".to_owned(),
        });
    }
    let repo = discover(near).map_err(git_error)?;
    if let Some(why) = repo.operation_in_progress().map_err(git_error)? {
        return Err(IpcError::Git {
            message: format!("Committing is not possible now: {why}."),
        });
    }
    // unsaved edits of the chosen files first
    let docs: Vec<_> = state
        .open()
        .iter_with_ids()
        .map(|(_, d)| std::sync::Arc::clone(d))
        .collect();
    for doc in docs {
        let (path, dirty) = doc.read(|d| (d.path().map(Path::to_path_buf), d.is_dirty()));
        let Some(path) = path.filter(|_| dirty) else {
            continue;
        };
        if repo.relative(&path).is_ok_and(|rel| paths.contains(&rel)) {
            doc.save_now()?;
        }
    }
    let id = repo.commit_only(message, paths).map_err(git_error)?;
    heads.expire();
    tracing::info!(commit = %id, files = paths.len(), "committed");
    Ok(GitCommitDto {
        commit: id,
        files: paths.to_vec(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::ipc::git::GitChangeKind;
    use crate::launch::Launch;
    use std::fs;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    const VTT: &str = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nMatt McKay here.\n\n00:00:03.000 --> 00:00:04.000\nSecond.\n";

    fn repo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        git(d, &["init", "-q", "-b", "main"]);
        git(d, &["config", "user.name", "Test"]);
        git(d, &["config", "user.email", "test@example.com"]);
        git(d, &["config", "commit.gpgsign", "false"]);
        fs::write(d.join("a.vtt"), VTT).unwrap();
        git(d, &["add", "."]);
        git(d, &["commit", "-q", "-m", "first"]);
        dir
    }

    fn state() -> AppState {
        AppState::new(
            Launch::Demo(crate::launch::DemoSource::Builtin),
            None,
            None,
            None,
        )
    }

    #[test]
    fn marks_follow_edits_revert_and_commit() {
        let dir = repo();
        let d = dir.path();
        let s = state();
        let heads = GitHeads::default();
        let view = crate::commands::document::open_path(&s, &d.join("a.vtt")).unwrap();
        let id = view.doc_id;
        let m = marks(&s, &heads, id, true).unwrap();
        assert_eq!((m.state, m.changed), (GitAvailability::Ready, 0));
        crate::commands::document::apply(
            &s,
            id,
            vec![crate::ipc::dto::EditDto::SetText {
                cue: 0,
                text: "Matt Makai here.".into(),
            }],
        )
        .unwrap();
        let m = marks(&s, &heads, id, false).unwrap();
        assert_eq!(m.changed, 1);
        assert_eq!(m.marks[0].kind, GitChangeKind::Text);
        let c = change(&s, &heads, id, m.marks[0].change).unwrap();
        assert_eq!(c.head.unwrap().text, "Matt McKay here.");
        revert(&s, &heads, id, m.marks[0].change).unwrap();
        assert_eq!(marks(&s, &heads, id, false).unwrap().changed, 0);
        crate::commands::document::apply(&s, id, vec![crate::ipc::dto::EditDto::Delete { cue: 1 }])
            .unwrap();
        let st = status(d).unwrap();
        assert_eq!(st.state, GitAvailability::Ready);
        assert!(st.files.is_empty(), "not saved yet: {:?}", st.files);
        crate::commands::document::save(&s, id).unwrap();
        let st = status(d).unwrap();
        assert_eq!(st.files.len(), 1);
        assert_eq!(
            (st.files[0].changed_cues, st.files[0].episode.as_str()),
            (1, "a")
        );
        assert_eq!(
            message(d, &["a.vtt".to_string()]).unwrap(),
            "Edit cues in a"
        );
        // an edit not saved yet is saved by the commit
        crate::commands::document::apply(
            &s,
            id,
            vec![crate::ipc::dto::EditDto::SetText {
                cue: 0,
                text: "Matt Makai here.".into(),
            }],
        )
        .unwrap();
        commit(&s, &heads, d, &["a.vtt".to_string()], "Remove a cue").unwrap();
        let committed = Command::new("git")
            .args(["show", "HEAD:a.vtt"])
            .current_dir(d)
            .output()
            .unwrap();
        let committed = String::from_utf8(committed.stdout).unwrap();
        assert_eq!(committed.matches("-->").count(), 1);
        assert!(committed.contains("Matt Makai"));
        assert_eq!(marks(&s, &heads, id, false).unwrap().changed, 0);
    }

    #[test]
    fn no_git_features_outside_a_work_tree() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.vtt"), VTT).unwrap();
        let s = state();
        let heads = GitHeads::default();
        let view = crate::commands::document::open_path(&s, &dir.path().join("a.vtt")).unwrap();
        let m = marks(&s, &heads, view.doc_id, true).unwrap();
        assert_eq!((m.state, m.message), (GitAvailability::Hidden, None));
        assert_eq!(status(dir.path()).unwrap().state, GitAvailability::Hidden);
    }
}
