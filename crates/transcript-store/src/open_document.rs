//! One transcript open for editing: its file, its edit session and whether it is saved.
//!
//! Why content hashes and not modification times: a save must refuse to overwrite a file that
//! changed on disk since it was opened or last saved (by another editor, a `git checkout`, a
//! sync client), and mtimes are coarse and lie across copies. So the hash of the bytes read or
//! written last is kept, and [`OpenDocument::save`] re-reads the file and compares first.
//!
//! The same hash gives the dirty state: the document is dirty when its printed bytes differ
//! from what was last loaded or saved. Undoing back to the saved state is therefore clean
//! again, and so is an edit that is undone by hand. Printing and hashing the whole document
//! after each edit costs well under a millisecond for the largest real transcripts.
//!
//! Saving is split in three so that a caller holding documents behind a lock does the disk
//! work without it: [`OpenDocument::prepare_save`] (under the lock: print), [`SavePlan::write`]
//! (no lock: re-read, compare, write atomically), [`OpenDocument::finish_save`] (under the
//! lock: record the new hash). Deliberately absent for now: autosave, watching, and the
//! conflict resolution flow (reload / keep mine), which come with the safety issue.

use std::io::{self, ErrorKind, Read};
use std::path::{Path, PathBuf};

use cueline_transcript::search::{self, Matcher, Query, SearchError};
use cueline_transcript::{Document, Edit, EditError, Format, ReloadSummary, Session};
use thiserror::Error;

use crate::atomic::{StagedWrites, WriteError};

/// Files larger than this are refused with a clear error instead of being read into memory.
/// The largest real transcript seen is well under 1 MiB.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// The content hash of a file's bytes.
pub type ContentHash = blake3::Hash;

/// Why a file could not be opened. Every variant names the path.
#[derive(Debug, Error)]
pub enum OpenError {
    #[error("File not found: {}", path.display())]
    NotFound { path: PathBuf },
    #[error("{} is a folder. Open a .vtt, .srt or .txt file.", path.display())]
    IsAFolder { path: PathBuf },
    #[error("{} is not a transcript: Cueline opens .vtt, .srt and .txt files.", path.display())]
    NotATranscript { path: PathBuf },
    /// A device, a pipe or a socket: reading it might never end.
    #[error("{} is not a regular file.", path.display())]
    NotAFile { path: PathBuf },
    #[error("{} is too large ({size} bytes) to be a transcript: the limit is {} MB.", path.display(), MAX_FILE_BYTES / (1024 * 1024))]
    TooLarge { path: PathBuf, size: u64 },
    #[error("Cannot read {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
}

impl OpenError {
    pub fn path(&self) -> &Path {
        match self {
            OpenError::NotFound { path }
            | OpenError::IsAFolder { path }
            | OpenError::NotATranscript { path }
            | OpenError::NotAFile { path }
            | OpenError::TooLarge { path, .. }
            | OpenError::Io { path, .. } => path,
        }
    }

    fn io(path: &Path, source: io::Error) -> OpenError {
        match source.kind() {
            ErrorKind::NotFound => OpenError::NotFound { path: path.into() },
            _ => OpenError::Io {
                path: path.into(),
                source,
            },
        }
    }
}

/// Why a save did not happen. In every case nothing was written.
#[derive(Debug, Error)]
pub enum SaveError {
    /// The file on disk is not what was loaded or last saved: someone else changed it.
    #[error("{} changed on disk since it was opened or saved; nothing was written.", path.display())]
    Conflict { path: PathBuf },
    /// The document has no file of its own (the built-in demo) or cannot be saved.
    #[error("{name} cannot be saved: {reason}")]
    ReadOnly { name: String, reason: String },
    /// The file could not be read back before writing.
    #[error("Cannot read {} before saving: {source}; nothing was written.", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("Cannot save: {0}")]
    Write(#[from] WriteError),
    /// Save As to a name whose extension is another format (that is an export) or a folder.
    #[error("Cannot save as {}: {reason}", path.display())]
    BadTarget { path: PathBuf, reason: String },
}

/// Why a replace did not happen. In every case the document is unchanged.
#[derive(Debug, Error)]
pub enum ReplaceError {
    #[error("{0}")]
    Search(#[from] SearchError),
    #[error("no match at UTF-16 offset {start_utf16} in cue {cue}")]
    NoSuchHit { cue: usize, start_utf16: usize },
    #[error("{0}")]
    Edit(#[from] EditError),
}

/// One match, as offsets into its cue's text in UTF-16 code units (what a browser's string
/// indexes count), for highlighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Utf16Hit {
    pub cue: usize,
    pub start_utf16: usize,
    pub end_utf16: usize,
}

/// A transcript open for editing.
#[derive(Debug)]
pub struct OpenDocument {
    /// The file it is saved to (canonical); `None` for documents that have no file of their own.
    path: Option<PathBuf>,
    /// The name shown for it: its path, or a description for documents without one.
    name: String,
    format: Format,
    session: Session,
    /// Bumped by every applied edit, undo and redo.
    revision: u32,
    /// The hash of the bytes loaded or last saved.
    disk_hash: ContentHash,
    dirty: bool,
    /// Why the document must not be saved to `path` (the bundled demo), if so.
    save_refusal: Option<String>,
}

/// What [`OpenDocument::prepare_save`] hands to the writer: the bytes and what the file on
/// disk must still hash to.
#[derive(Debug)]
pub struct SavePlan {
    path: PathBuf,
    bytes: Vec<u8>,
    expected: ContentHash,
    /// The revision that was printed.
    pub revision: u32,
}

/// The result of [`SavePlan::write`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved {
    pub revision: u32,
    pub hash: ContentHash,
    /// False when the file already held exactly these bytes (nothing to write).
    pub written: bool,
}

impl OpenDocument {
    /// Reads and parses the transcript at `path` (made canonical). Bytes that are not text
    /// open as a read-only document; a file over [`MAX_FILE_BYTES`] is refused.
    pub fn open(path: &Path) -> Result<OpenDocument, OpenError> {
        let meta = std::fs::metadata(path).map_err(|e| OpenError::io(path, e))?;
        if meta.is_dir() {
            return Err(OpenError::IsAFolder { path: path.into() });
        }
        let Some(format) = Format::from_path(path) else {
            return Err(OpenError::NotATranscript { path: path.into() });
        };
        if !meta.is_file() {
            return Err(OpenError::NotAFile { path: path.into() });
        }
        let canonical = std::fs::canonicalize(path).map_err(|e| OpenError::io(path, e))?;
        let bytes = read_limited(&canonical).map_err(|e| match e {
            LimitedRead::TooLarge(size) => OpenError::TooLarge {
                path: path.into(),
                size,
            },
            LimitedRead::Io(e) => OpenError::io(path, e),
        })?;
        let name = canonical.display().to_string();
        let mut doc = OpenDocument::from_bytes(&bytes, format, name);
        doc.path = Some(canonical);
        if std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o200 == 0 {
            // saving would be refused (`WriteError::ReadOnly`): say so up front, as for the
            // demo, instead of failing at every autosave; *Save As* still works
            doc.refuse_saves(
                "the file is read-only (make it writable, e.g. `chmod u+w`, and open it again)",
            );
        }
        Ok(doc)
    }

    /// A document parsed from bytes that has no file to save to (the built-in demo).
    pub fn from_bytes(bytes: &[u8], format: Format, name: String) -> OpenDocument {
        OpenDocument {
            path: None,
            name,
            format,
            session: Session::new(Document::parse(bytes, format)),
            revision: 0,
            disk_hash: blake3::hash(bytes),
            dirty: false,
            save_refusal: None,
        }
    }

    /// Keeps the document editable but makes every save fail with `reason` (the demo file,
    /// which belongs to the installation, not to the user).
    pub fn refuse_saves(&mut self, reason: impl Into<String>) {
        self.save_refusal = Some(reason.into());
    }

    /// The file this document is saved to, if it has one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The path as shown (or the description of a document without a file).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file name (last path component) as shown.
    pub fn file_name(&self) -> String {
        match &self.path {
            Some(p) => p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            None => self.name.clone(),
        }
    }

    pub fn format(&self) -> Format {
        self.format
    }

    pub fn document(&self) -> &Document {
        self.session.document()
    }

    pub fn revision(&self) -> u32 {
        self.revision
    }

    /// The printed document differs from what was last loaded or saved.
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    pub fn can_undo(&self) -> bool {
        self.session.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.session.can_redo()
    }

    /// The hash of the bytes last loaded or saved.
    pub fn disk_hash(&self) -> ContentHash {
        self.disk_hash
    }

    /// Applies `edits` as one undo step, all or nothing. On failure the document is unchanged
    /// and the index of the failing edit is returned with its error.
    pub fn apply_all(&mut self, edits: &[Edit]) -> Result<(), (usize, EditError)> {
        self.session.apply_all(edits)?;
        self.changed();
        Ok(())
    }

    /// Undoes the last step; false (and no new revision) when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        let done = self.session.undo();
        if done {
            self.changed();
        }
        done
    }

    /// Redoes the last undone step; false (and no new revision) when there is nothing to redo.
    pub fn redo(&mut self) -> bool {
        let done = self.session.redo();
        if done {
            self.changed();
        }
        done
    }

    /// How many steps can be undone / redone (the journal mirrors them).
    pub fn undo_depth(&self) -> usize {
        self.session.undo_depth()
    }

    pub fn redo_depth(&self) -> usize {
        self.session.redo_depth()
    }

    /// The file now holds `bytes` (changed outside the editor): the document becomes them as
    /// one undo step that keeps the ids of unchanged cues, and is clean.
    pub fn reload_from(&mut self, bytes: &[u8]) -> ReloadSummary {
        let summary = self.session.reload(Document::parse(bytes, self.format));
        self.disk_hash = blake3::hash(bytes);
        self.changed();
        summary
    }

    /// Makes the document read as `bytes` as one undo step, without touching what is known
    /// about the file (a recovered version of the document, say).
    pub fn replace_content(&mut self, bytes: &[u8]) -> ReloadSummary {
        let summary = self.session.reload(Document::parse(bytes, self.format));
        self.changed();
        summary
    }

    /// Treats the file as holding the bytes with `hash` (its current content), so the next
    /// save overwrites it: "Keep mine" after a conflict.
    pub fn accept_disk_hash(&mut self, hash: ContentHash) {
        self.disk_hash = hash;
        self.dirty = blake3::hash(&self.document().print()) != hash;
    }

    fn changed(&mut self) {
        self.revision = self.revision.wrapping_add(1);
        self.dirty = blake3::hash(&self.document().print()) != self.disk_hash;
    }

    /// Prints the document for saving. Fails for documents that have no file or refuse saves.
    pub fn prepare_save(&self) -> Result<SavePlan, SaveError> {
        let refusal = match (&self.path, &self.save_refusal) {
            (_, Some(reason)) => Some(reason.clone()),
            (None, None) => Some("it has no file of its own".to_owned()),
            (Some(_), None) => None,
        };
        if let Some(reason) = refusal {
            return Err(SaveError::ReadOnly {
                name: self.file_name(),
                reason,
            });
        }
        let path = self.path.clone().unwrap_or_default();
        Ok(SavePlan {
            path,
            bytes: self.document().print(),
            expected: self.disk_hash,
            revision: self.revision,
        })
    }

    /// Records a successful write: the file now holds the bytes of `saved.revision`.
    pub fn finish_save(&mut self, saved: Saved) {
        self.disk_hash = saved.hash;
        self.dirty = if saved.revision == self.revision {
            false
        } else {
            // Edited while the save ran: compare what is there now with what was written.
            blake3::hash(&self.document().print()) != saved.hash
        };
    }

    /// Save As: writes the document to `target` (atomically; an existing file there is
    /// replaced, as the save dialog confirmed) and makes `target` the document's file from now
    /// on, clean. The format must stay the same (a `.vtt` is saved as a `.vtt`: converting is
    /// `cueline export`). Works for documents that refuse saves to their own file (the demo),
    /// which become ordinary files.
    pub fn save_as(&mut self, target: &Path) -> Result<Saved, SaveError> {
        let bad = |reason: &str| SaveError::BadTarget {
            path: target.to_owned(),
            reason: reason.to_owned(),
        };
        match Format::from_path(target) {
            Some(f) if f == self.format => {}
            Some(_) | None => {
                return Err(bad(&format!(
                    "the name must end in .{} (Save As keeps the format)",
                    self.format.extension()
                )));
            }
        }
        if target.is_dir() {
            return Err(bad("it is a folder"));
        }
        let bytes = self.document().print();
        crate::atomic::write_atomic(target, &bytes)?;
        let canonical = std::fs::canonicalize(target).unwrap_or_else(|_| target.to_owned());
        let hash = blake3::hash(&bytes);
        self.name = canonical.display().to_string();
        self.path = Some(canonical);
        self.save_refusal = None;
        self.disk_hash = hash;
        self.dirty = false;
        Ok(Saved {
            revision: self.revision,
            hash,
            written: true,
        })
    }

    /// Saves in one go (prepare, write, finish): for callers that do not share the document.
    pub fn save(&mut self) -> Result<Saved, SaveError> {
        let saved = self.prepare_save()?.write()?;
        self.finish_save(saved);
        Ok(saved)
    }

    /// Every match of `query` in cue text, as UTF-16 offsets. An empty pattern finds nothing.
    pub fn find(&self, query: &Query) -> Result<Vec<Utf16Hit>, SearchError> {
        if query.pattern.is_empty() {
            return Ok(Vec::new());
        }
        let matcher = Matcher::new(query)?;
        Ok(find_utf16(self.document(), &matcher))
    }

    /// The edits a [`OpenDocument::replace`] would apply, and the number of replacements.
    pub fn plan_replace(
        &self,
        query: &Query,
        replacement: &str,
        target: Option<(usize, usize)>,
    ) -> Result<(Vec<Edit>, usize), ReplaceError> {
        let matcher = Matcher::new(query)?;
        Ok(match target {
            None => search::plan_replace(self.document(), &matcher, replacement),
            Some((cue, start_utf16)) => {
                let edit =
                    plan_replace_one(self.document(), &matcher, replacement, cue, start_utf16)
                        .ok_or(ReplaceError::NoSuchHit { cue, start_utf16 })?;
                (edit.into_iter().collect(), 1)
            }
        })
    }

    /// Replaces the match that starts at `target` (cue, UTF-16 offset), or every match when
    /// `target` is `None`, as one undo step. Returns the number of replacements.
    pub fn replace(
        &mut self,
        query: &Query,
        replacement: &str,
        target: Option<(usize, usize)>,
    ) -> Result<usize, ReplaceError> {
        let (edits, count) = self.plan_replace(query, replacement, target)?;
        if !edits.is_empty() {
            self.apply_all(&edits).map_err(|(_, e)| e)?;
        }
        Ok(count)
    }
}

impl SavePlan {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The bytes to be written.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// What the file must still hash to for the write to go ahead.
    pub fn expected(&self) -> ContentHash {
        self.expected
    }

    /// Re-reads the file and writes the new bytes atomically, unless the file no longer
    /// hashes to what was loaded or last saved ([`SaveError::Conflict`], nothing written).
    pub fn write(self) -> Result<Saved, SaveError> {
        self.check_disk()?;
        let hash = blake3::hash(&self.bytes);
        if hash == self.expected {
            return Ok(Saved {
                revision: self.revision,
                hash,
                written: false,
            });
        }
        // Write and flush the temporary file first, then look at the file once more just
        // before the rename: a change made meanwhile (the flush takes milliseconds) is caught.
        let mut batch = StagedWrites::new();
        batch.stage(&self.path, &self.bytes)?;
        self.check_disk()?;
        batch.commit()?;
        tracing::info!(path = %self.path.display(), bytes = self.bytes.len(), "saved");
        Ok(Saved {
            revision: self.revision,
            hash,
            written: true,
        })
    }

    /// Fails with [`SaveError::Conflict`] unless the file still hashes to `expected`.
    fn check_disk(&self) -> Result<(), SaveError> {
        let on_disk = match read_limited(&self.path) {
            Ok(bytes) => Some(blake3::hash(&bytes)),
            Err(LimitedRead::TooLarge(_)) => None,
            Err(LimitedRead::Io(e)) if e.kind() == ErrorKind::NotFound => None,
            Err(LimitedRead::Io(source)) => {
                return Err(SaveError::Read {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        if on_disk != Some(self.expected) {
            tracing::warn!(path = %self.path.display(), "save refused: the file changed on disk");
            return Err(SaveError::Conflict {
                path: self.path.clone(),
            });
        }
        Ok(())
    }
}

/// The `set_text` edit that replaces the one match starting at `start_utf16` in cue `cue`.
/// `None` when there is no such match. `Some(None)` when the replacement changes nothing.
fn plan_replace_one(
    doc: &Document,
    matcher: &Matcher,
    replacement: &str,
    cue: usize,
    start_utf16: usize,
) -> Option<Option<Edit>> {
    let text = doc.cue(cue)?.text;
    let ranges = matcher.find(&text);
    let offsets = utf16_offsets(&text, &ranges);
    let at = offsets.iter().position(|&(s, _)| s == start_utf16)?;
    let range = &ranges[at];
    let mut new = String::with_capacity(text.len() + replacement.len());
    new.push_str(&text[..range.start]);
    new.push_str(&matcher.replacement_for(&text, range, replacement));
    new.push_str(&text[range.end..]);
    Some((new != text).then_some(Edit::SetText { cue, text: new }))
}

/// Every match in `doc`'s cue text, converted from byte ranges to UTF-16 offsets.
pub fn find_utf16(doc: &Document, matcher: &Matcher) -> Vec<Utf16Hit> {
    search::find_in_document(doc, matcher)
        .into_iter()
        .flat_map(|h| {
            utf16_offsets(&h.text, &h.hits)
                .into_iter()
                .map(move |(start_utf16, end_utf16)| Utf16Hit {
                    cue: h.cue,
                    start_utf16,
                    end_utf16,
                })
        })
        .collect()
}

/// Converts byte ranges (in order, on char boundaries) of `text` to UTF-16 offsets in one pass.
pub fn utf16_offsets(text: &str, ranges: &[std::ops::Range<usize>]) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(ranges.len());
    let (mut byte, mut unit) = (0usize, 0usize);
    let mut advance = |to: usize| {
        if to >= byte {
            unit += text.get(byte..to).map_or(0, |s| s.encode_utf16().count());
            byte = to;
        }
        unit
    };
    for r in ranges {
        let start = advance(r.start);
        let end = advance(r.end);
        out.push((start, end));
    }
    out
}

/// Why [`read_limited`] failed.
#[derive(Debug)]
pub(crate) enum LimitedRead {
    TooLarge(u64),
    Io(io::Error),
}

/// Reads a whole file, refusing one over [`MAX_FILE_BYTES`] (checked on the open handle, and
/// again while reading, in case it grows).
/// Anything but a regular file (a FIFO, a device such as `/dev/zero`, a socket; links followed)
/// is refused before it is opened: opening a FIFO blocks until a writer comes, and a device
/// reads without end.
pub(crate) fn read_limited(path: &Path) -> Result<Vec<u8>, LimitedRead> {
    let not_regular = || {
        LimitedRead::Io(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file (a FIFO, device or socket)",
        ))
    };
    let meta = std::fs::metadata(path).map_err(LimitedRead::Io)?;
    if meta.is_dir() {
        return Err(LimitedRead::Io(io::Error::new(
            io::ErrorKind::IsADirectory,
            "is a folder",
        )));
    }
    if !meta.is_file() {
        return Err(not_regular());
    }
    let file = std::fs::File::open(path).map_err(LimitedRead::Io)?;
    let meta = file.metadata().map_err(LimitedRead::Io)?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    let size = meta.len();
    if size > MAX_FILE_BYTES {
        return Err(LimitedRead::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(LimitedRead::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LimitedRead::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads a transcript (or any input file) for the command line with the app's limits: a regular
/// file of at most [`MAX_FILE_BYTES`]. The error says which limit refused it.
pub fn read_input_file(path: &Path) -> io::Result<Vec<u8>> {
    read_limited(path).map_err(|e| match e {
        LimitedRead::Io(e) => e,
        LimitedRead::TooLarge(size) => io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!(
                "too large ({size} bytes) to be a transcript: the limit is {} MB",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ),
    })
}
