//! A folder of transcripts opened as one project.
//!
//! Why shared state behind a lock of its own: the desktop app searches as the user types on a
//! worker thread while the file watcher refreshes changed files and an apply writes. The
//! project holds one `Arc<FileIndex>` per file; a search takes a snapshot of the list under a
//! short read lock and then runs without any lock, and a refresh swaps one `Arc` under a short
//! write lock. So every method takes `&self`, and `Project` can be shared as `Arc<Project>`.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use cueline_transcript::Format;
use cueline_transcript::search::Query;
use cueline_transcript_store::ContentHash;
use rayon::prelude::*;

use crate::apply::{self, Applied, ApplyProgress, Undone};
use crate::error::{ApplyError, PlanError, ProjectError, SearchError, UndoError};
use crate::glossary::{self, Glossary, GlossaryHit};
use crate::index::{FileIndex, FileState};
use crate::plan::{self, ReplacePlan, Selection, Source};
use crate::scan;
use crate::search::{self, Scanner, SearchLimits, SearchResults};

/// A file an apply wrote: its path, the hash of the content edited, the cues whose text changed
/// (cue, new text) and the bytes written.
pub(crate) struct Written<'a> {
    pub path: &'a Path,
    pub before: ContentHash,
    pub changed: Vec<(usize, &'a str)>,
    pub after: &'a [u8],
}

/// A transcript of the project, as listed (no text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    pub path: PathBuf,
    /// The path relative to the project root (`/` between components).
    pub relative: String,
    pub format: Format,
    pub state: FileState,
    pub bytes: u64,
    pub cues: usize,
    /// Diagnostics of severity error and warning (see `cueline check`).
    pub errors: u32,
    pub warnings: u32,
    /// The hash of the content indexed (the file's, or the editor's for an overlay).
    pub hash: ContentHash,
    /// The content indexed came from an editor ([`Project::overlay`]).
    pub in_editor: bool,
}

/// The files of one episode: same folder, same basename.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Episode {
    /// The shared basename.
    pub name: String,
    /// The folder, relative to the project root (`""` for the root).
    pub folder: String,
    /// `.vtt`, `.srt`, `.txt`, in that order.
    pub transcripts: Vec<FileInfo>,
    pub audio: Vec<PathBuf>,
    /// The pair a fix must reach together: the timed file (`.vtt`, else `.srt`) and the `.txt`
    /// (indexes into `transcripts`).
    pub pair: Option<(usize, usize)>,
}

/// What [`Project::refresh`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// The file's content is what was indexed.
    Unchanged,
    /// The file changed and was indexed again.
    Updated,
    /// A new transcript under the root.
    Added,
    /// The file is gone and left the project.
    Removed,
    /// Not a transcript of this project (another extension, a skipped folder, outside the
    /// root), or its content comes from an editor for now.
    Ignored,
}

#[derive(Debug, Default)]
struct State {
    /// Sorted by path.
    files: Vec<Arc<FileIndex>>,
    audio: Vec<PathBuf>,
}

/// A folder of transcripts, indexed for search, replace and glossary checks. See the crate
/// docs for the whole API and how the desktop app uses it.
#[derive(Debug)]
pub struct Project {
    root: PathBuf,
    state: RwLock<State>,
}

impl Project {
    /// Scans `root` (recursively; hidden folders except `.cueline`, `node_modules` and
    /// `target` skipped, symbolic links not followed) and indexes every `.vtt`, `.srt` and
    /// `.txt` file on all cores. Files that cannot be read are listed as
    /// [`FileState::Unreadable`]; only an unreadable root is an error.
    pub fn open(root: impl AsRef<Path>) -> Result<Project, ProjectError> {
        let given = root.as_ref();
        let root = std::fs::canonicalize(given).map_err(|source| ProjectError::Open {
            path: given.to_path_buf(),
            source,
        })?;
        if !root.is_dir() {
            return Err(ProjectError::NotAFolder { path: root });
        }
        std::fs::read_dir(&root).map_err(|source| ProjectError::Open {
            path: root.clone(),
            source,
        })?;
        let found = scan::walk(&root);
        let files = index_all(&root, found.transcripts);
        tracing::info!(root = %root.display(), files = files.len(), "project opened");
        Ok(Project {
            root,
            state: RwLock::new(State {
                files,
                audio: found.audio,
            }),
        })
    }

    /// A project of exactly `files` (for the command line, which has its own rules for which
    /// files a PATH means). Paths are kept as given; `root` only shortens names. Every file
    /// must have a transcript extension.
    pub fn from_files(
        root: impl AsRef<Path>,
        files: impl IntoIterator<Item = PathBuf>,
    ) -> Result<Project, ProjectError> {
        let mut list = Vec::new();
        for path in files {
            let Some(format) = Format::from_path(&path) else {
                return Err(ProjectError::NotATranscript { path });
            };
            list.push((path, format));
        }
        list.sort();
        list.dedup();
        let root = root.as_ref().to_path_buf();
        let files = index_all(&root, list);
        Ok(Project {
            root,
            state: RwLock::new(State {
                files,
                audio: Vec::new(),
            }),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn read(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|p| p.into_inner())
    }

    /// The indexes of every file, in path order (cheap: the list of `Arc`s).
    pub(crate) fn snapshot(&self) -> Vec<Arc<FileIndex>> {
        self.read().files.clone()
    }

    /// The path under which the project lists `path` (absolute or relative to the root).
    pub fn key(&self, path: &Path) -> PathBuf {
        let absolute = if path.is_absolute() || self.root.as_os_str().is_empty() {
            path.to_path_buf()
        } else {
            self.root.join(path)
        };
        if self.find(&absolute).is_some() {
            return absolute;
        }
        let parent = absolute
            .parent()
            .and_then(|p| std::fs::canonicalize(p).ok());
        match (parent, absolute.file_name()) {
            (Some(dir), Some(name)) => dir.join(name),
            _ => absolute,
        }
    }

    fn find(&self, path: &Path) -> Option<Arc<FileIndex>> {
        let state = self.read();
        let at = state
            .files
            .binary_search_by(|f| f.path.as_path().cmp(path))
            .ok()?;
        Some(Arc::clone(&state.files[at]))
    }

    /// Every transcript, in path order.
    pub fn files(&self) -> Vec<FileInfo> {
        self.read().files.iter().map(|f| info(f)).collect()
    }

    /// One transcript (absolute path, or relative to the root).
    pub fn file(&self, path: &Path) -> Option<FileInfo> {
        self.find(&self.key(path)).map(|f| info(&f))
    }

    /// Audio files found beside the transcripts.
    pub fn audio(&self) -> Vec<PathBuf> {
        self.read().audio.clone()
    }

    /// The files grouped into episodes (same folder and basename), sorted by folder and name.
    pub fn episodes(&self) -> Vec<Episode> {
        let state = self.read();
        let mut groups: std::collections::BTreeMap<(PathBuf, String), Episode> =
            std::collections::BTreeMap::new();
        let root = &self.root;
        let key_of = |path: &Path| {
            let key = scan::episode_key(path);
            let folder = key
                .0
                .strip_prefix(root)
                .map(|p| scan::relative(Path::new(""), p))
                .unwrap_or_default();
            (key, folder)
        };
        for f in &state.files {
            let (key, folder) = key_of(&f.path);
            episode(&mut groups, key, folder).transcripts.push(info(f));
        }
        for a in &state.audio {
            let (key, folder) = key_of(a);
            episode(&mut groups, key, folder).audio.push(a.clone());
        }
        let rank = |f: Format| match f {
            Format::Vtt => 0,
            Format::Srt => 1,
            Format::Txt => 2,
        };
        groups
            .into_values()
            .map(|mut e| {
                e.transcripts
                    .sort_by_key(|t| (rank(t.format), t.path.clone()));
                let members: Vec<(usize, Format)> =
                    e.transcripts.iter().map(|t| t.format).enumerate().collect();
                e.pair = scan::pair_of(&members);
                e
            })
            .collect()
    }

    /// Reads `path` again after it changed on disk (or appeared, or went away), and updates
    /// its index. Cheap when nothing changed (one read and hash).
    pub fn refresh(&self, path: &Path) -> Result<Refresh, ProjectError> {
        let key = self.key(path);
        if let Some(current) = self.find(&key) {
            if current.in_editor {
                return Ok(Refresh::Ignored);
            }
            return match cueline_transcript_store::read_input_file(&key) {
                Ok(bytes) if blake3::hash(&bytes) == current.hash => Ok(Refresh::Unchanged),
                Ok(bytes) => {
                    self.reindex_from(&key, &bytes);
                    Ok(Refresh::Updated)
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    self.remove(&key);
                    Ok(Refresh::Removed)
                }
                Err(e) => {
                    self.put(FileIndex::unreadable(
                        key.clone(),
                        current.relative.clone(),
                        current.format,
                        e.to_string(),
                    ));
                    Ok(Refresh::Updated)
                }
            };
        }
        if is_audio(&key) {
            return Ok(self.refresh_audio(&key));
        }
        let Some(format) = Format::from_path(&key) else {
            return Ok(Refresh::Ignored);
        };
        if !self.belongs(&key) {
            return Ok(Refresh::Ignored);
        }
        match cueline_transcript_store::read_input_file(&key) {
            Ok(bytes) => {
                let relative = scan::relative(&self.root, &key);
                self.put(FileIndex::build(key, relative, format, &bytes));
                Ok(Refresh::Added)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Refresh::Ignored),
            Err(source) => Err(ProjectError::Open { path: key, source }),
        }
    }

    fn refresh_audio(&self, path: &Path) -> Refresh {
        let exists = path.is_file();
        let mut state = self.write();
        let at = state.audio.binary_search_by(|a| a.as_path().cmp(path));
        match (at, exists) {
            (Ok(_), true) => Refresh::Unchanged,
            (Ok(i), false) => {
                state.audio.remove(i);
                Refresh::Removed
            }
            (Err(i), true) if self.belongs(path) => {
                state.audio.insert(i, path.to_path_buf());
                Refresh::Added
            }
            (Err(_), _) => Refresh::Ignored,
        }
    }

    /// Whether a new file at `path` would have been found by the scan.
    fn belongs(&self, path: &Path) -> bool {
        let Ok(rel) = path.strip_prefix(&self.root) else {
            return false;
        };
        // the walk's rule (transcript_store::project_files): no skipped name on the way, not
        // configuration, a file or a link to one
        rel.components().next().is_some()
            && !rel
                .components()
                .any(|c| cueline_transcript_store::skipped_name(c.as_os_str()))
            && !cueline_transcript_store::in_config_dir(path)
            && path.is_file()
    }

    /// Indexes `bytes` as the content of `path` instead of the file: the document is open in
    /// an editor with edits not yet saved. Searches and plans then see the editor's text, and
    /// plans mark the file `in_editor` so its edits are routed to the editor.
    pub fn overlay(&self, path: &Path, bytes: &[u8]) -> Result<(), ProjectError> {
        let key = self.key(path);
        let Some(format) = Format::from_path(&key) else {
            return Err(ProjectError::NotATranscript { path: key });
        };
        let relative = scan::relative(&self.root, &key);
        let mut index = FileIndex::build(key, relative, format, bytes);
        index.in_editor = true;
        self.put(index);
        Ok(())
    }

    /// Ends an overlay: the file's content is read from disk again.
    pub fn remove_overlay(&self, path: &Path) -> Result<Refresh, ProjectError> {
        let key = self.key(path);
        if !self.find(&key).is_some_and(|f| f.in_editor) {
            return self.refresh(&key);
        }
        match cueline_transcript_store::read_input_file(&key) {
            Ok(bytes) => {
                self.reindex_from(&key, &bytes);
                Ok(Refresh::Updated)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.remove(&key);
                Ok(Refresh::Removed)
            }
            Err(source) => Err(ProjectError::Open { path: key, source }),
        }
    }

    /// Replaces (or inserts) one file's index, keeping the list sorted.
    fn put(&self, index: FileIndex) {
        let mut state = self.write();
        match state
            .files
            .binary_search_by(|f| f.path.as_path().cmp(&index.path))
        {
            Ok(i) => state.files[i] = Arc::new(index),
            Err(i) => state.files.insert(i, Arc::new(index)),
        }
    }

    fn remove(&self, path: &Path) {
        let mut state = self.write();
        if let Ok(i) = state.files.binary_search_by(|f| f.path.as_path().cmp(path)) {
            state.files.remove(i);
        }
    }

    /// Indexes `bytes`, just written to `path` by this project.
    pub(crate) fn reindex_from(&self, path: &Path, bytes: &[u8]) {
        self.reindex_all(&[(path, bytes)]);
    }

    /// Indexes several files just written by this project, on all cores.
    pub(crate) fn reindex_all(&self, written: &[(&Path, &[u8])]) {
        let built: Vec<FileIndex> = written
            .par_iter()
            .filter_map(|(path, bytes)| {
                let (relative, format) = match self.find(path) {
                    Some(f) => (f.relative.clone(), f.format),
                    None => (scan::relative(&self.root, path), Format::from_path(path)?),
                };
                Some(FileIndex::build(
                    path.to_path_buf(),
                    relative,
                    format,
                    bytes,
                ))
            })
            .collect();
        for index in built {
            self.put(index);
        }
    }

    /// Records that `path` now holds `after`, the result of `set_text` edits (`changed`: cue,
    /// new text) on the content with hash `before`: the index is derived from the one it has
    /// when that is the content edited, and built again otherwise.
    pub(crate) fn reindex_edited(&self, written: &[Written<'_>]) {
        let built: Vec<FileIndex> = written
            .par_iter()
            .filter_map(|w| {
                let (path, before, changed, after) = (w.path, &w.before, &w.changed, w.after);
                let current = self.find(path);
                match current {
                    Some(idx) if idx.hash == *before && !idx.in_editor => {
                        let derived = idx.with_texts(changed, after);
                        debug_assert_eq!(
                            derived,
                            FileIndex::build(
                                idx.path.clone(),
                                idx.relative.clone(),
                                idx.format,
                                after
                            ),
                            "derived index of {}",
                            path.display()
                        );
                        Some(derived)
                    }
                    Some(idx) => Some(FileIndex::build(
                        path.to_path_buf(),
                        idx.relative.clone(),
                        idx.format,
                        after,
                    )),
                    None => Some(FileIndex::build(
                        path.to_path_buf(),
                        scan::relative(&self.root, path),
                        Format::from_path(path)?,
                        after,
                    )),
                }
            })
            .collect();
        for index in built {
            self.put(index);
        }
    }

    /// Makes sure `index` matches the file on disk: `Some(new index)` when it did not.
    pub(crate) fn ensure_fresh(
        &self,
        index: &Arc<FileIndex>,
    ) -> Result<Option<Arc<FileIndex>>, PlanError> {
        if index.in_editor {
            return Ok(None);
        }
        match cueline_transcript_store::read_input_file(&index.path) {
            Ok(bytes) if blake3::hash(&bytes) == index.hash => Ok(None),
            Ok(bytes) => {
                tracing::debug!(path = %index.path.display(), "index was stale");
                let new = FileIndex::build(
                    index.path.clone(),
                    index.relative.clone(),
                    index.format,
                    &bytes,
                );
                self.put(new);
                Ok(self.find(&index.path))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.remove(&index.path);
                Ok(Some(Arc::new(FileIndex::unreadable(
                    index.path.clone(),
                    index.relative.clone(),
                    index.format,
                    "the file was deleted".into(),
                ))))
            }
            Err(source) => Err(PlanError::Read {
                path: index.path.clone(),
                source,
            }),
        }
    }

    /// Searches the cue text of every file: see [`crate::search`]. Raise `cancel` from another
    /// thread to abandon the search (it then returns [`SearchError::Cancelled`]).
    pub fn search(
        &self,
        query: &Query,
        limits: &SearchLimits,
        cancel: &AtomicBool,
    ) -> Result<SearchResults, SearchError> {
        let scanner = Scanner::new(query).map_err(SearchError::Query)?;
        let files = self.snapshot();
        search::search_files(&files, &scanner, limits, cancel)
    }

    /// Plans replacing `query` with `replacement` (`$1` etc. for a regex) in the selected
    /// files, pairs included when the selection says so: see [`crate::plan`].
    pub fn plan_replace(
        &self,
        query: &Query,
        replacement: &str,
        selection: &Selection,
    ) -> Result<ReplacePlan, PlanError> {
        let source = Source::new(query, replacement)?;
        plan::build(self, vec![source], selection)
    }

    /// Plans every fix of `glossary` (earlier entries win where two overlap), pairs included
    /// when the selection says so. Each hit's `source` is its entry's index.
    pub fn plan_glossary(
        &self,
        glossary: &Glossary,
        selection: &Selection,
    ) -> Result<ReplacePlan, PlanError> {
        let sources = glossary
            .entries
            .iter()
            .map(|e| Source::new(&e.query(), &e.right))
            .collect::<Result<Vec<_>, _>>()?;
        plan::build(self, sources, selection)
    }

    /// Every glossary hit in the project, in path order.
    pub fn glossary_hits(&self, glossary: &Glossary) -> Vec<GlossaryHit> {
        glossary::hits(&self.snapshot(), glossary)
    }

    /// Writes a plan: see [`crate::apply`]. Refuses (writing nothing) when a file changed
    /// since the plan or a file of the plan is open in an editor.
    pub fn apply(&self, plan: &ReplacePlan) -> Result<Applied, ApplyError> {
        apply::apply(self, plan, &|_| {})
    }

    /// [`Project::apply`], reporting progress (from several threads: keep it cheap).
    pub fn apply_with_progress(
        &self,
        plan: &ReplacePlan,
        progress: &(dyn Fn(ApplyProgress) + Sync),
    ) -> Result<Applied, ApplyError> {
        apply::apply(self, plan, progress)
    }

    /// Undoes an apply in every file it changed, byte for byte; a file that changed since is
    /// refused (listed in [`Undone::refused`]) and the others are restored.
    pub fn undo(&self, applied: &Applied) -> Result<Undone, UndoError> {
        apply::undo(self, applied)
    }

    /// Heap bytes held by the index (cue text, cue tables, names).
    pub fn memory_bytes(&self) -> usize {
        self.read().files.iter().map(|f| f.heap_bytes()).sum()
    }
}

/// The episode for `key` in `groups`, created empty when new.
fn episode(
    groups: &mut std::collections::BTreeMap<(PathBuf, String), Episode>,
    key: (PathBuf, String),
    folder: String,
) -> &mut Episode {
    let name = key.1.clone();
    groups.entry(key).or_insert_with(|| Episode {
        name,
        folder,
        transcripts: Vec::new(),
        audio: Vec::new(),
        pair: None,
    })
}

fn is_audio(path: &Path) -> bool {
    cueline_transcript_store::is_audio_file(path)
}

fn info(f: &FileIndex) -> FileInfo {
    FileInfo {
        path: f.path.clone(),
        relative: f.relative.clone(),
        format: f.format,
        state: f.state.clone(),
        bytes: f.bytes,
        cues: f.cue_count(),
        errors: f.errors,
        warnings: f.warnings,
        hash: f.hash,
        in_editor: f.in_editor,
    }
}

/// Reads and indexes `files` on all cores, sorted by path.
fn index_all(root: &Path, files: Vec<(PathBuf, Format)>) -> Vec<Arc<FileIndex>> {
    let mut out: Vec<Arc<FileIndex>> = files
        .into_par_iter()
        .map(|(path, format)| {
            let relative = scan::relative(root, &path);
            let index = match cueline_transcript_store::read_input_file(&path) {
                Ok(bytes) => FileIndex::build(path, relative, format, &bytes),
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "cannot read");
                    FileIndex::unreadable(path, relative, format, e.to_string())
                }
            };
            Arc::new(index)
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}
