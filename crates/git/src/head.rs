//! The last commit's version of one open transcript, kept beside the document so the window's
//! change marks cost one comparison per edit, not a `git` call.
//!
//! Why a cache: marks must follow every keystroke's edit within milliseconds, and asking git
//! for the committed bytes spawns a process. The committed cues are read once and kept with
//! the commit id they came from; [`HeadVersion::refresh`] asks git only which commit `HEAD`
//! names now (after a save, a commit, a checkout) and reads the file again only when it moved.

use std::path::Path;

use cueline_transcript::{Document, Format};

use crate::compare::{CueChange, CueSnapshot, compare, snapshot};
use crate::repo::{GitError, Repo};

/// One file's version in `HEAD`.
#[derive(Debug, Clone)]
pub struct HeadVersion {
    repo: Repo,
    /// Relative to the work tree's root, `/`-separated.
    rel: String,
    format: Format,
    /// `None` before the first commit.
    commit: Option<String>,
    /// `HEAD` has no such file (new, or not committed yet): every cue counts as inserted.
    in_head: bool,
    cues: Vec<CueSnapshot>,
}

impl HeadVersion {
    /// Reads the committed version of the transcript at `path`. Errors when git is missing,
    /// the file is not in a work tree, or git refuses (the caller hides the git features).
    pub fn load(path: &Path, format: Format) -> Result<HeadVersion, GitError> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let repo = Repo::discover(dir)?;
        let rel = repo.relative(path)?;
        let mut head = HeadVersion {
            repo,
            rel,
            format,
            commit: None,
            in_head: false,
            cues: Vec::new(),
        };
        head.read()?;
        Ok(head)
    }

    fn read(&mut self) -> Result<(), GitError> {
        self.commit = self.repo.head()?;
        let bytes = match &self.commit {
            Some(c) => self
                .repo
                .files_at(c, std::slice::from_ref(&self.rel))?
                .pop()
                .flatten(),
            None => None,
        };
        self.in_head = bytes.is_some();
        self.cues = bytes
            .map(|b| snapshot(&Document::parse(&b, self.format)))
            .unwrap_or_default();
        Ok(())
    }

    /// Reads the committed version again if `HEAD` moved since; true when it did.
    pub fn refresh(&mut self) -> Result<bool, GitError> {
        if self.repo.head()? == self.commit {
            return Ok(false);
        }
        self.read()?;
        Ok(true)
    }

    /// The cues of `doc` that differ from the committed version.
    pub fn changes(&self, doc: &Document) -> Vec<CueChange> {
        compare(&self.cues, &snapshot(doc))
    }

    /// The committed cues (indices of [`CueChange::before`]).
    pub fn cues(&self) -> &[CueSnapshot] {
        &self.cues
    }

    /// The committed cue `index` exactly as a checkout writes it (line endings after the
    /// `eol` and CRLF filters): its lines, for putting a deleted cue back byte for byte.
    /// `None` when the commit has no such file or cue.
    pub fn checkout_lines(&self, index: usize) -> Result<Option<String>, GitError> {
        let Some(commit) = &self.commit else {
            return Ok(None);
        };
        let Some(bytes) = self.repo.checkout_bytes(commit, &self.rel)? else {
            return Ok(None);
        };
        let doc = Document::parse(&bytes, self.format);
        Ok(doc.cue_lines(index).map(str::to_owned))
    }

    /// Whether `HEAD` has this file at all.
    pub fn in_head(&self) -> bool {
        self.in_head
    }

    /// Whether the repository has a commit yet.
    pub fn has_commit(&self) -> bool {
        self.commit.is_some()
    }

    pub fn repo(&self) -> &Repo {
        &self.repo
    }

    /// The file's path relative to the work tree's root.
    pub fn relative_path(&self) -> &str {
        &self.rel
    }
}
