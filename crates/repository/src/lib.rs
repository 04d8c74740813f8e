//! Repository mode: a folder of transcripts opened as one project, to find and fix across
//! every episode at once.
//!
//! Real correction work arrives as repository-wide fixes ("Matt McKay" to "Matt Makai" in 41
//! files, always in both the `.vtt` and the `.txt` of each episode), and a careless replace-all
//! once produced "uv toolinstall ruff". This crate makes such a fix reviewable, paired, atomic
//! and undoable as one step, with the same lossless core as the editor. It is pure Rust with
//! no Tauri or UI dependency: the desktop app and the `cueline` command line both call it.
//!
//! # The API
//!
//! ```no_run
//! use std::sync::atomic::AtomicBool;
//! use cueline_repository::{Glossary, Project, SearchLimits, Selection};
//! use cueline_transcript::search::Query;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let project = Project::open("transcripts/")?;            // scan + index, all cores
//! let query = Query { pattern: "Matt McKay".into(), whole_word: true, ..Query::default() };
//!
//! // search as you type: raise `cancel` when the next keystroke arrives
//! let cancel = AtomicBool::new(false);
//! let results = project.search(&query, &SearchLimits::default(), &cancel)?;
//! println!("{} hits in {} files", results.total_hits, results.files.len());
//!
//! // replace across the project, pairs included, reviewed hit by hit
//! let mut plan = project.plan_replace(&query, "Matt Makai", &Selection::default())?;
//! let first = plan.hit_ids().next();
//! if let Some(id) = first {
//!     plan.set_included(id, false);                        // excludes it and its partner
//! }
//! let applied = project.apply(&plan)?;                     // atomic over every file
//! project.undo(&applied)?;                                 // one undo, every file
//!
//! // the glossary in .cueline/glossary.toml
//! let glossary = Glossary::load(&project.root().join(cueline_repository::GLOSSARY_PATH))?;
//! for hit in project.glossary_hits(&glossary) {
//!     println!("{}:{}: {} -> {}", hit.relative, hit.line, hit.matched, hit.replacement);
//! }
//! # Ok(()) }
//! ```
//!
//! - [`Project::open`] / [`Project::from_files`]; [`Project::files`], [`Project::episodes`]
//!   (transcripts and audio grouped by basename, with the pair), [`Project::refresh`] (call it
//!   from a file watcher: one file is indexed again), [`Project::overlay`] /
//!   [`Project::remove_overlay`] (the text of a document open in an editor).
//! - [`Project::search`]: literal / whole word / match case / regex with the core's
//!   [`Matcher`](cueline_transcript::search::Matcher), so the project and the editor's find
//!   agree; cue text only; hits grouped by file with cue index, start time, line, UTF-16 range
//!   and context; a cap on built hits and on counting; cancellation. See [`search`].
//! - [`Project::plan_replace`] / [`Project::plan_glossary`] → [`ReplacePlan`] (include or
//!   exclude each hit and each file, pairs linked; see [`plan`]), [`Project::apply`] →
//!   [`Applied`], [`Project::undo`] → [`Undone`]. See [`apply`].
//! - [`Glossary`] ([`glossary`]), [`Project::glossary_hits`].
//! - [`first_disagreement`] / [`compare_pair`] over [`CueTexts`] ([`pairs`]): where a `.vtt`
//!   and its `.txt` say different things.
//!
//! Every method takes `&self`: share the project as `Arc<Project>` between the search worker,
//! the watcher and the command that applies (see [`project`] for why and how).
//!
//! # Files open in an editor
//!
//! The desktop app keeps open documents as `LiveDocument`s with unsaved edits, autosave and a
//! crash journal; a project-wide replace must not write under them. The app therefore:
//!
//! 1. calls [`Project::overlay`] with the printed document when an open document changes (and
//!    [`Project::remove_overlay`] when it is closed), so searches and plans see the editor's
//!    text; plans mark such files [`PlannedFile::in_editor`];
//! 2. before applying, calls [`ReplacePlan::take_files`] with "is this path open?": it removes
//!    those files from the plan and returns each one's `set_text` edits and the hash its
//!    document must still have; the app applies them with `LiveDocument::apply_all` (one undo
//!    step in that editor, saved by autosave, journaled);
//! 3. applies the rest with [`Project::apply`] (which refuses a plan that still holds an
//!    `in_editor` file, so nothing is ever written under an editor by mistake);
//! 4. undoes the whole operation with [`Project::undo`] plus `LiveDocument::undo` on each
//!    routed document.
//!
//! # Memory
//!
//! A project keeps, per file, the cue text in one buffer and 12 bytes per cue (see [`index`]);
//! no parsed document is kept. Measured on the Talk Python corpus (1,368 files, 123 MB, 1.47
//! million cues and entries; `make bench-repo`): **0.87 MB of index per MB of transcripts**
//! (107 MB; the process grew by 109 MB), about 0.72 MB of it cue text and 0.14 MB the cue
//! tables. A repository ten times larger (13,680 files, 1.2 GB) therefore takes about 1.1 GB,
//! and opening it about ten times the corpus's 0.2–0.3 s (one streaming parse per file on all
//! cores, 2 cores measured). Searches allocate
//! only their results (at most [`SearchLimits::max_hits`] built hits); a plan re-reads only the
//! files with hits.

pub mod apply;
pub mod error;
pub mod glossary;
pub mod index;
pub mod pairs;
pub mod plan;
pub mod project;
mod scan;
pub mod search;

pub use apply::{Applied, AppliedFile, ApplyProgress, ApplyStage, UndoRefusal, Undone};
pub use error::{ApplyError, PlanError, ProjectError, SearchError, UndoError};
pub use glossary::{
    GLOSSARY_PATH, Glossary, GlossaryEntry, GlossaryError, GlossaryHit, find_project_file,
};
pub use index::FileState;
pub use pairs::{CueTexts, Disagreement, PairReport, compare_pair, first_disagreement};
pub use plan::{
    FoundBy, HitId, PlanCounts, PlanSource, PlannedFile, PlannedHit, ReplacePlan, RoutedFile,
    Selection,
};
pub use project::{Episode, FileInfo, Project, Refresh};
pub use search::{FileHits, SearchHit, SearchLimits, SearchResults, Snippet};

/// The pairs among `files` (each a path and its format): `(timed, txt)` positions, where the
/// timed file is the `.vtt` (else the `.srt`) with the same folder and basename as the `.txt`.
/// In path order of the timed file.
pub fn pairs_among(
    files: &[(&std::path::Path, cueline_transcript::Format)],
) -> Vec<(usize, usize)> {
    let partner = scan::partners(files);
    let mut out: Vec<(usize, usize)> = partner
        .iter()
        .enumerate()
        .filter(|(i, _)| files[*i].1 != cueline_transcript::Format::Txt)
        .filter_map(|(i, p)| p.map(|p| (i, p)))
        .collect();
    out.sort_by(|a, b| files[a.0].0.cmp(files[b.0].0));
    out
}

/// The transcript that pairs with `path` on disk, if it exists: `X.txt` for `X.vtt` or
/// `X.srt`; `X.vtt` (else `X.srt`) for `X.txt`. Same folder, same basename.
pub fn partner_on_disk(path: &std::path::Path) -> Option<std::path::PathBuf> {
    use cueline_transcript::Format;
    let format = Format::from_path(path)?;
    let wanted: &[&str] = match format {
        Format::Vtt | Format::Srt => &["txt"],
        Format::Txt => &["vtt", "srt"],
    };
    let found = wanted.iter().find_map(|ext| {
        let p = path.with_extension(ext);
        p.is_file().then_some(p)
    })?;
    // `X.srt` pairs with `X.txt` only when there is no `X.vtt`
    if format == Format::Srt && path.with_extension("vtt").is_file() {
        return None;
    }
    Some(found)
}
