//! Repository mode in the app: the open project (`cueline-repository`), its folder watcher, the
//! replace plan under review and the stack of applied replaces (each undone as one step).
//!
//! Files open in an editor are never written under it: their text is overlaid on the project
//! index (so search and plans see unsaved edits), and a replace routes their edits through the
//! editor's `LiveDocument` (one undo step there, saved by autosave, journaled). The rest goes
//! through `Project::apply`: every file staged before any is replaced.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use cueline_repository::{
    Applied, ApplyError, ApplyStage, GLOSSARY_PATH, Glossary, HitId, Project, ReplacePlan,
    SearchLimits, Selection,
};
use cueline_transcript::search::Query;
use cueline_transcript_store::FileWatcher;

use crate::ipc::error::IpcError;
use crate::ipc::project::{
    PlanDto, PlanTarget, ProgressStage, ProjectChangeDto, ProjectChanged, ProjectEpisodeDto,
    ProjectProgress, ProjectSearchDto, ProjectView,
};

/// What the project tells the UI outside a command's answer.
#[derive(Debug, Clone)]
pub enum ProjectChange {
    /// Files changed on disk and were indexed again.
    Changed(ProjectChanged),
    /// An apply is under way.
    Progress(ProjectProgress),
}
use crate::state::AppState;

/// Where project events go (Tauri events; collectors in tests).
pub type ProjectEmitter = Arc<dyn Fn(ProjectChange) + Send + Sync>;

/// How long folder events are batched before the index is refreshed.
const WATCH_DEBOUNCE: Duration = Duration::from_millis(250);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One replace written by "Replace all", for its undo.
struct Operation {
    applied: Applied,
    /// Documents open in an editor that got their part as an edit: (doc id, path, revision
    /// right after), undone with the editor's undo if nothing was edited there since.
    routed: Vec<(u32, PathBuf, u32)>,
}

#[derive(Default)]
struct Review {
    next_plan: u32,
    /// The plan under review, with the note of each of its sources (glossary entries).
    plan: Option<(u32, ReplacePlan, Vec<Option<String>>)>,
    undo: Vec<Operation>,
    /// Open documents whose text is overlaid on the index.
    overlaid: BTreeSet<PathBuf>,
}

/// The project of this window.
pub struct ProjectSlot {
    pub project: Arc<Project>,
    _watcher: Option<FileWatcher>,
    review: Mutex<Review>,
    /// Raised to abandon the search that is running when a newer one starts.
    search_cancel: Mutex<Arc<AtomicBool>>,
}

impl std::fmt::Debug for ProjectSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProjectSlot")
            .field("root", &self.project.root())
            .finish_non_exhaustive()
    }
}

fn plan_error(e: impl std::fmt::Display) -> IpcError {
    IpcError::InvalidQuery {
        message: e.to_string(),
    }
}

/// Opens `root` as the window's project (indexing every transcript) and watches it.
pub fn open(state: &AppState, root: &Path) -> Result<ProjectView, IpcError> {
    let t0 = Instant::now();
    let project = Arc::new(Project::open(root).map_err(|e| IpcError::io(root, e.to_string()))?);
    tracing::info!(root = %root.display(), ms = t0.elapsed().as_millis(), "project indexed");
    let weak = Arc::downgrade(&project);
    let emitter = state.project_emitter();
    let watcher = FileWatcher::watch_tree(project.root(), WATCH_DEBOUNCE, move |paths| {
        let Some(project) = weak.upgrade() else {
            return;
        };
        let mut changed = Vec::new();
        for p in paths {
            match project.refresh(&p) {
                Ok(
                    cueline_repository::Refresh::Unchanged | cueline_repository::Refresh::Ignored,
                ) => {}
                Ok(_) => changed.push(p.display().to_string()),
                Err(e) => tracing::debug!(error = %e, path = %p.display(), "not refreshed"),
            }
        }
        if !changed.is_empty()
            && let Some(emit) = &emitter
        {
            emit(ProjectChange::Changed(ProjectChanged { paths: changed }));
        }
    })
    .map_err(|e| tracing::warn!(error = %e, "the project folder is not watched"))
    .ok();
    let slot = Arc::new(ProjectSlot {
        project,
        _watcher: watcher,
        review: Mutex::new(Review::default()),
        search_cancel: Mutex::new(Arc::new(AtomicBool::new(false))),
    });
    state.set_project(Some(Arc::clone(&slot)));
    view(state, &slot)
}

/// The project's episodes, with the open documents' state marked.
pub fn view(state: &AppState, slot: &ProjectSlot) -> Result<ProjectView, IpcError> {
    let project = &slot.project;
    let mut episodes: Vec<ProjectEpisodeDto> = project
        .episodes()
        .iter()
        .map(ProjectEpisodeDto::from)
        .collect();
    let open = state.open();
    for file in episodes.iter_mut().flat_map(|e| e.files.iter_mut()) {
        if let Some(id) = open.find_path(Path::new(&file.path))
            && let Ok(doc) = open.get(id)
        {
            file.modified = doc.read(|d| d.is_dirty());
            file.conflict = doc.status() == cueline_transcript_store::SaveStatus::Conflict;
        }
    }
    drop(open);
    Ok(ProjectView {
        root: project.root().display().to_string(),
        file_count: crate::ipc::dto::wire(project.files().len()),
        has_glossary: project.root().join(GLOSSARY_PATH).is_file(),
        episodes,
    })
}

/// Overlays the text of open documents with unsaved edits on the index (and takes it off for
/// those saved or closed since), so searches and plans see what the editor shows.
fn sync_overlays(state: &AppState, slot: &ProjectSlot) {
    let project = &slot.project;
    let mut dirty = Vec::new();
    {
        let open = state.open();
        for (_, doc) in open.iter_with_ids() {
            let (path, bytes) = doc.read(|d| {
                (
                    d.path().map(Path::to_path_buf),
                    d.is_dirty().then(|| d.document().print()),
                )
            });
            if let (Some(path), Some(bytes)) = (path, bytes)
                && path.starts_with(project.root())
            {
                dirty.push((path, bytes));
            }
        }
    }
    let mut review = lock(&slot.review);
    let now: BTreeSet<PathBuf> = dirty.iter().map(|(p, _)| p.clone()).collect();
    for gone in review
        .overlaid
        .difference(&now)
        .cloned()
        .collect::<Vec<_>>()
    {
        if let Err(e) = project.remove_overlay(&gone) {
            tracing::debug!(error = %e, "overlay not removed");
        }
    }
    for (path, bytes) in &dirty {
        if let Err(e) = project.overlay(path, bytes) {
            tracing::debug!(error = %e, "overlay not set");
        }
    }
    review.overlaid = now;
}

fn slot(state: &AppState) -> Result<Arc<ProjectSlot>, IpcError> {
    state.project().ok_or_else(|| IpcError::Unsupported {
        path: String::new(),
        message: "No folder is open as a project: open one with Ctrl+Shift+O.".to_owned(),
    })
}

/// One query of "Search project"; a newer query cancels this one (it then answers `None`).
pub fn search(
    state: &AppState,
    query: &Query,
    generation: u32,
) -> Result<Option<ProjectSearchDto>, IpcError> {
    let slot = slot(state)?;
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let mut current = lock(&slot.search_cancel);
        current.store(true, Ordering::Relaxed);
        *current = Arc::clone(&cancel);
    }
    if query.pattern.is_empty() {
        return Ok(Some(ProjectSearchDto::from_results(
            generation,
            &cueline_repository::SearchResults::default(),
            0,
        )));
    }
    sync_overlays(state, &slot);
    let t0 = Instant::now();
    match slot
        .project
        .search(query, &SearchLimits::default(), &cancel)
    {
        Ok(results) => {
            let micros = u32::try_from(t0.elapsed().as_micros()).unwrap_or(u32::MAX);
            Ok(Some(ProjectSearchDto::from_results(
                generation, &results, micros,
            )))
        }
        Err(cueline_repository::SearchError::Cancelled) => Ok(None),
        Err(e) => Err(plan_error(e)),
    }
}

/// Plans replacing `query` with `replacement` across the project (pairs followed), for review.
pub fn plan_replace(
    state: &AppState,
    query: &Query,
    replacement: &str,
) -> Result<PlanDto, IpcError> {
    let slot = slot(state)?;
    sync_overlays(state, &slot);
    let plan = slot
        .project
        .plan_replace(query, replacement, &Selection::default())
        .map_err(plan_error)?;
    Ok(store_plan(&slot, plan, Vec::new()))
}

/// Plans every fix of the project's glossary, for review hit by hit.
pub fn plan_glossary(state: &AppState) -> Result<PlanDto, IpcError> {
    let slot = slot(state)?;
    let path = slot.project.root().join(GLOSSARY_PATH);
    let glossary = Glossary::load(&path).map_err(|e| IpcError::Unsupported {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    sync_overlays(state, &slot);
    let plan = slot
        .project
        .plan_glossary(&glossary, &Selection::default())
        .map_err(plan_error)?;
    let notes = glossary.entries.iter().map(|e| e.note.clone()).collect();
    Ok(store_plan(&slot, plan, notes))
}

fn store_plan(slot: &ProjectSlot, plan: ReplacePlan, notes: Vec<Option<String>>) -> PlanDto {
    let mut review = lock(&slot.review);
    review.next_plan = review.next_plan.wrapping_add(1);
    let id = review.next_plan;
    let dto = PlanDto::from_plan(id, &plan, &notes);
    review.plan = Some((id, plan, notes));
    dto
}

fn stale() -> IpcError {
    IpcError::InvalidEdit {
        message: "That replace preview is out of date: search again.".to_owned(),
    }
}

/// Includes or excludes a hit (with its partner) or a whole file of the plan under review.
pub fn set_included(
    state: &AppState,
    plan_id: u32,
    target: PlanTarget,
    included: bool,
) -> Result<PlanDto, IpcError> {
    let slot = slot(state)?;
    let mut review = lock(&slot.review);
    let Some((id, plan, notes)) = review.plan.as_mut().filter(|(id, _, _)| *id == plan_id) else {
        return Err(stale());
    };
    let index = |n: u32| usize::try_from(n).unwrap_or(usize::MAX);
    let known = match target {
        PlanTarget::Hit { id: [file, hit] } => plan.set_included(
            HitId {
                file: index(file),
                hit: index(hit),
            },
            included,
        ),
        PlanTarget::File { index: file } => plan.set_file_included(index(file), included),
    };
    if !known {
        return Err(stale());
    }
    Ok(PlanDto::from_plan(*id, plan, notes))
}

/// Writes the plan under review: open documents get their part as an edit, the other files
/// are written atomically together. One `undo` reverses all of it.
pub fn apply(state: &AppState, plan_id: u32) -> Result<ProjectChangeDto, IpcError> {
    let slot = slot(state)?;
    let mut plan = {
        let mut review = lock(&slot.review);
        match review.plan.take() {
            Some((id, plan, _)) if id == plan_id => plan,
            other => {
                review.plan = other;
                return Err(stale());
            }
        }
    };
    // Files open in this window: through their editor.
    let routed_files = {
        let open = state.open();
        plan.take_files(|p| open.find_path(p).is_some())
    };
    let mut routed = Vec::new();
    let mut failure = None;
    for r in &routed_files {
        let found = {
            let open = state.open();
            open.find_path(&r.path)
                .and_then(|id| open.get(id).ok().map(|d| (id, d)))
        };
        let Some((id, doc)) = found else {
            failure = Some(format!("{} was closed meanwhile", r.path.display()));
            break;
        };
        let same = doc.read(|d| blake3::hash(&d.document().print()) == r.hash);
        if !same {
            failure = Some(format!("{} was edited since the preview", r.path.display()));
            break;
        }
        if let Err((_, e)) = doc.apply_all(&r.edits) {
            failure = Some(format!("{}: {e}", r.path.display()));
            break;
        }
        routed.push((id, r.path.clone(), doc.read(|d| d.revision())));
    }
    let emitter = state.project_emitter();
    let progress = move |p: cueline_repository::ApplyProgress| {
        if let Some(emit) = &emitter {
            emit(ProjectChange::Progress(ProjectProgress {
                done: crate::ipc::dto::wire(p.done),
                total: crate::ipc::dto::wire(p.total),
                stage: match p.stage {
                    ApplyStage::Preparing => ProgressStage::Preparing,
                    ApplyStage::Staging => ProgressStage::Staging,
                    ApplyStage::Done => ProgressStage::Done,
                },
            }));
        }
    };
    let written = match failure {
        Some(reason) => Err(IpcError::Conflict {
            path: String::new(),
            message: format!("Nothing was replaced: {reason}. Search again."),
        }),
        None => slot
            .project
            .apply_with_progress(&plan, &progress)
            .map_err(|e| match e {
                ApplyError::Changed { .. } => IpcError::Conflict {
                    path: String::new(),
                    message: format!("Nothing was replaced: {e}. Search again."),
                },
                e => IpcError::Io {
                    path: String::new(),
                    message: format!("Nothing was replaced: {e}"),
                },
            }),
    };
    let applied = match written {
        Ok(a) => a,
        Err(e) => {
            // All or nothing: take back what the editors got.
            for (id, _, _) in &routed {
                if let Ok(doc) = state.open().get(*id) {
                    doc.undo();
                }
            }
            return Err(e);
        }
    };
    let routed_names: Vec<String> = routed
        .iter()
        .map(|(_, p, _)| p.display().to_string())
        .collect();
    let routed_replacements: usize = routed_files.iter().map(|r| r.edits.len()).sum::<usize>();
    let mut dto = ProjectChangeDto::applied(&applied, &routed_names, true);
    if routed_replacements > 0 {
        dto.message = format!("{} Open documents got their part as an edit.", dto.message);
    }
    for p in &applied.files {
        if let Err(e) = slot.project.refresh(&p.path) {
            tracing::debug!(error = %e, "not refreshed after apply");
        }
    }
    lock(&slot.review).undo.push(Operation { applied, routed });
    Ok(dto)
}

/// Undoes the last "Replace all" in every file it changed.
pub fn undo(state: &AppState) -> Result<ProjectChangeDto, IpcError> {
    let slot = slot(state)?;
    let Some(op) = lock(&slot.review).undo.pop() else {
        return Err(IpcError::InvalidEdit {
            message: "There is no project replace to undo.".to_owned(),
        });
    };
    let undone = slot.project.undo(&op.applied).map_err(|e| IpcError::Io {
        path: String::new(),
        message: e.to_string(),
    })?;
    let mut routed = Vec::new();
    let mut refused = Vec::new();
    for (id, path, revision) in &op.routed {
        let doc = state.open().get(*id);
        match doc {
            Ok(doc) if doc.read(|d| d.revision()) == *revision => {
                doc.undo();
                routed.push(path.display().to_string());
            }
            _ => refused.push(format!(
                "{}: edited or closed since; use Undo in its editor",
                path.display()
            )),
        }
    }
    for p in &undone.restored {
        if let Err(e) = slot.project.refresh(p) {
            tracing::debug!(error = %e, "not refreshed after undo");
        }
    }
    let can_undo = !lock(&slot.review).undo.is_empty();
    Ok(ProjectChangeDto::undone(
        &undone, &routed, &refused, can_undo,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::document::{apply as apply_edits, open_path};
    use crate::ipc::dto::EditDto;
    use crate::launch::Launch;

    const VTT: &str = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nI'm here with Matt McKay.\n\n00:00:04.000 --> 00:00:06.000\nSo, Matt McKay, welcome.\n";
    const TXT: &str = "00:00:01 I'm here with Matt McKay.\n00:00:04 So, Matt McKay, welcome.\n";

    fn setup() -> (tempfile::TempDir, AppState) {
        let dir = tempfile::tempdir().unwrap();
        for ep in ["a", "b"] {
            std::fs::write(dir.path().join(format!("{ep}.vtt")), VTT).unwrap();
            std::fs::write(dir.path().join(format!("{ep}.txt")), TXT).unwrap();
        }
        let state = AppState::new(Launch::Folder(dir.path().to_path_buf()), None, None, None);
        (dir, state)
    }

    fn q(pattern: &str) -> Query {
        Query {
            pattern: pattern.into(),
            whole_word: true,
            ..Query::default()
        }
    }

    #[test]
    fn search_replace_with_one_hit_excluded_and_one_undo() {
        let (dir, state) = setup();
        let view = open(&state, dir.path()).unwrap();
        assert_eq!(view.file_count, 4);
        assert_eq!(view.episodes.len(), 2);
        assert!(view.episodes.iter().all(|e| e.pair.is_some()));

        let found = search(&state, &q("Matt McKay"), 7).unwrap().unwrap();
        assert_eq!((found.generation, found.total_hits), (7, 8));
        assert_eq!(found.files.len(), 4);
        let hit = &found.files[0].hits[0];
        assert_eq!(
            (hit.cue_index, hit.start_ms, hit.matched.as_str()),
            (0, 1000, "Matt McKay")
        );

        let plan = plan_replace(&state, &q("Matt McKay"), "Matt Makai").unwrap();
        assert_eq!(plan.counts.included_hits, 8);
        assert!(plan.counts.pairs >= 4, "{:?}", plan.counts);
        // Exclude the second hit of a.vtt: its partner in a.txt goes with it.
        let a_vtt = plan.files.iter().find(|f| f.relative == "a.vtt").unwrap();
        let second = a_vtt.hits[1].id;
        let plan =
            set_included(&state, plan.plan_id, PlanTarget::Hit { id: second }, false).unwrap();
        assert_eq!(plan.counts.included_hits, 6);
        let before: Vec<(PathBuf, Vec<u8>)> = ["a.vtt", "a.txt", "b.vtt", "b.txt"]
            .iter()
            .map(|n| {
                (
                    dir.path().join(n),
                    std::fs::read(dir.path().join(n)).unwrap(),
                )
            })
            .collect();
        let done = apply(&state, plan.plan_id).unwrap();
        assert_eq!(done.replacements, 6);
        assert!(done.can_undo);
        let a = std::fs::read_to_string(dir.path().join("a.vtt")).unwrap();
        assert!(
            a.contains("I'm here with Matt Makai.") && a.contains("So, Matt McKay, welcome."),
            "{a}"
        );
        let a_txt = std::fs::read_to_string(dir.path().join("a.txt")).unwrap();
        assert_eq!(
            a_txt,
            "00:00:01 I'm here with Matt Makai.\n00:00:04 So, Matt McKay, welcome.\n"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("b.txt")).unwrap(),
            TXT.replace("Matt McKay", "Matt Makai")
        );
        // The same plan cannot be applied twice.
        assert!(apply(&state, plan.plan_id).is_err());
        // One undo puts every file back byte for byte.
        let undone = undo(&state).unwrap();
        assert!(undone.refused.is_empty(), "{:?}", undone.refused);
        for (path, bytes) in &before {
            assert_eq!(&std::fs::read(path).unwrap(), bytes, "{}", path.display());
        }
        assert!(!undone.can_undo);
        assert!(undo(&state).is_err());
    }

    #[test]
    fn an_open_document_gets_its_part_as_an_edit_with_its_unsaved_text() {
        let (dir, state) = setup();
        open(&state, dir.path()).unwrap();
        let doc = open_path(&state, &dir.path().join("b.vtt")).unwrap();
        // Unsaved edit in the editor: the project sees it (overlay), the file is not written.
        apply_edits(
            &state,
            doc.doc_id,
            vec![EditDto::SetText {
                cue: 1,
                text: "So, Matt McKay, welcome back.".into(),
            }],
        )
        .unwrap();
        let found = search(&state, &q("welcome back"), 1).unwrap().unwrap();
        assert_eq!(found.total_hits, 1);
        assert!(found.files[0].path.ends_with("b.vtt"));
        let on_disk = std::fs::read(dir.path().join("b.vtt")).unwrap();
        let plan = plan_replace(&state, &q("Matt McKay"), "Matt Makai").unwrap();
        assert!(
            plan.files
                .iter()
                .any(|f| f.relative == "b.vtt" && f.in_editor)
        );
        apply(&state, plan.plan_id).unwrap();
        // b.vtt on disk is untouched; the editor has the change (and its own unsaved edit).
        assert_eq!(std::fs::read(dir.path().join("b.vtt")).unwrap(), on_disk);
        let text = state
            .open()
            .get(doc.doc_id)
            .unwrap()
            .read(|d| d.document().print());
        let text = String::from_utf8(text).unwrap();
        assert!(text.contains("So, Matt Makai, welcome back."), "{text}");
        assert!(
            std::fs::read_to_string(dir.path().join("b.txt"))
                .unwrap()
                .contains("Matt Makai")
        );
        // Undo reverses the editor's part with the editor's undo, and the files on disk.
        undo(&state).unwrap();
        let text = state
            .open()
            .get(doc.doc_id)
            .unwrap()
            .read(|d| d.document().print());
        assert!(
            String::from_utf8(text)
                .unwrap()
                .contains("So, Matt McKay, welcome back.")
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("b.txt")).unwrap(),
            TXT
        );
    }

    #[test]
    fn a_file_changed_after_the_preview_is_not_overwritten() {
        let (dir, state) = setup();
        open(&state, dir.path()).unwrap();
        let plan = plan_replace(&state, &q("Matt McKay"), "Matt Makai").unwrap();
        let theirs = VTT.replace("welcome", "hello");
        std::fs::write(dir.path().join("a.vtt"), &theirs).unwrap();
        let err = apply(&state, plan.plan_id).unwrap_err();
        assert!(matches!(err, IpcError::Conflict { .. }), "{err:?}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.vtt")).unwrap(),
            theirs
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("b.vtt")).unwrap(),
            VTT
        );
    }

    #[test]
    fn without_a_project_the_commands_say_how_to_open_one() {
        let (_dir, state) = setup();
        let err = search(&state, &q("x"), 1).unwrap_err();
        assert!(err.message().contains("Ctrl+Shift+O"));
    }
}
