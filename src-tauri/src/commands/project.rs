//! Repository-mode commands: open a folder as a project, search it as you type, review and
//! apply a replace across it (one undo), and the glossary. The work is in [`crate::project`].

use std::path::Path;

use tauri::AppHandle;
use tracing::instrument;

use super::blocking;
use crate::ipc::dto::SearchQueryDto;
use crate::ipc::error::IpcError;
use crate::ipc::project::{PlanDto, PlanTarget, ProjectChangeDto, ProjectSearchDto, ProjectView};
use crate::project;
use crate::state::AppState;

/// Opens the folder at `path` as the window's project: every transcript indexed for search.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn open_project(app: AppHandle, path: String) -> Result<ProjectView, IpcError> {
    blocking(app, move |s| open_chosen(s, Path::new(&path))).await
}

/// `open_project`: [`project::open`] for a folder the user chose; any other is refused before
/// it is indexed.
pub fn open_chosen(state: &AppState, path: &Path) -> Result<ProjectView, IpcError> {
    project::open(state, &state.grants.check(path)?)
}

/// The open project (with the open documents' state), or `null`.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn project_view(app: AppHandle) -> Result<Option<ProjectView>, IpcError> {
    blocking(app, |s| match s.project() {
        Some(slot) => project::view(s, &slot).map(Some),
        None => Ok(None),
    })
    .await
}

/// Searches the project's cue text. `generation` numbers the query: a newer query cancels an
/// older one still running, which then answers `null`.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn search_project(
    app: AppHandle,
    query: SearchQueryDto,
    generation: u32,
) -> Result<Option<ProjectSearchDto>, IpcError> {
    blocking(app, move |s| project::search(s, &query.into(), generation)).await
}

/// A replace across the project (pairs followed), for review.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn plan_project_replace(
    app: AppHandle,
    query: SearchQueryDto,
    replacement: String,
) -> Result<PlanDto, IpcError> {
    blocking(app, move |s| {
        project::plan_replace(s, &query.into(), &replacement)
    })
    .await
}

/// Every fix of the project's glossary (`.cueline/glossary.toml`), for review hit by hit.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn plan_glossary(app: AppHandle) -> Result<PlanDto, IpcError> {
    blocking(app, project::plan_glossary).await
}

/// Includes or excludes a hit (and its partner) or a file of the plan under review.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn set_plan_included(
    app: AppHandle,
    plan_id: u32,
    target: PlanTarget,
    included: bool,
) -> Result<PlanDto, IpcError> {
    blocking(app, move |s| {
        project::set_included(s, plan_id, target, included)
    })
    .await
}

/// Applies the plan under review as one operation (progress as `ProjectProgress` events).
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn apply_project_plan(
    app: AppHandle,
    plan_id: u32,
) -> Result<ProjectChangeDto, IpcError> {
    blocking(app, move |s| project::apply(s, plan_id)).await
}

/// Undoes the last project replace in every file.
#[tauri::command]
#[specta::specta]
#[instrument(skip(app), err(Debug))]
pub async fn undo_project_replace(app: AppHandle) -> Result<ProjectChangeDto, IpcError> {
    blocking(app, project::undo).await
}
