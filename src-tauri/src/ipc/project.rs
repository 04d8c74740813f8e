//! Wire types of repository mode: the project's episodes, search results as you type, a
//! reviewed replace plan (hits with before/after, included or not, pairs linked), the outcome of
//! applying or undoing it, and progress events. Mapped from `cueline-repository`.

use cueline_repository::{
    Applied, Episode, FileInfo, FileState, FoundBy, PlanCounts, ReplacePlan, SearchResults, Undone,
};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri_specta::Event;

use crate::ipc::dto::{FormatDto, wire};

/// One transcript of the project, with what the sidebar marks on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProjectFileDto {
    pub path: String,
    /// Relative to the project root, `/` between folders.
    pub relative: String,
    pub format: FormatDto,
    pub cues: u32,
    pub errors: u32,
    pub warnings: u32,
    /// Not searchable: not text, or unreadable (the reason).
    pub problem: Option<String>,
    /// Open in this window with unsaved edits.
    pub modified: bool,
    /// Open in this window and in conflict with the file on disk.
    pub conflict: bool,
}

impl ProjectFileDto {
    pub fn from_info(f: &FileInfo) -> Self {
        ProjectFileDto {
            path: f.path.display().to_string(),
            relative: f.relative.clone(),
            format: f.format.into(),
            cues: wire(f.cues),
            errors: f.errors,
            warnings: f.warnings,
            problem: match &f.state {
                FileState::Text => None,
                FileState::ReadOnly(why) | FileState::Unreadable(why) => Some(why.clone()),
            },
            modified: false,
            conflict: false,
        }
    }
}

/// The files of one episode (same folder, same basename).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProjectEpisodeDto {
    pub name: String,
    /// Relative to the root (`""` for the root itself).
    pub folder: String,
    pub files: Vec<ProjectFileDto>,
    pub audio: Vec<String>,
    /// The `.vtt` (or `.srt`) and `.txt` kept in step: indexes into `files`.
    pub pair: Option<[u32; 2]>,
}

impl From<&Episode> for ProjectEpisodeDto {
    fn from(e: &Episode) -> Self {
        ProjectEpisodeDto {
            name: e.name.clone(),
            folder: e.folder.clone(),
            files: e
                .transcripts
                .iter()
                .map(ProjectFileDto::from_info)
                .collect(),
            audio: e.audio.iter().map(|p| p.display().to_string()).collect(),
            pair: e.pair.map(|(a, b)| [wire(a), wire(b)]),
        }
    }
}

/// The open project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProjectView {
    pub root: String,
    pub episodes: Vec<ProjectEpisodeDto>,
    pub file_count: u32,
    /// Whether `.cueline/glossary.toml` exists.
    pub has_glossary: bool,
}

/// One search hit, with its context for the result list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProjectHitDto {
    pub cue_index: u32,
    pub start_ms: u32,
    pub line: u32,
    /// The hit in the cue's text, in UTF-16 code units (what the editor highlights).
    pub start_utf16: u32,
    pub end_utf16: u32,
    pub before: String,
    pub matched: String,
    pub after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProjectFileHitsDto {
    pub path: String,
    pub relative: String,
    /// Hits in this file (the list may show fewer).
    pub total: u32,
    pub hits: Vec<ProjectHitDto>,
}

/// The answer to one query typed in "Search project".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProjectSearchDto {
    /// The caller's number for this query: answers to older queries are dropped.
    pub generation: u32,
    pub total_hits: u32,
    pub shown_hits: u32,
    /// False when counting stopped early (`totalHits` is then "at least").
    pub complete: bool,
    pub files: Vec<ProjectFileHitsDto>,
    /// How long the search took in Rust, in microseconds.
    pub micros: u32,
}

impl ProjectSearchDto {
    pub fn from_results(generation: u32, r: &SearchResults, micros: u32) -> Self {
        ProjectSearchDto {
            generation,
            total_hits: wire(r.total_hits),
            shown_hits: wire(r.shown_hits),
            complete: r.complete,
            micros,
            files: r
                .files
                .iter()
                .map(|f| ProjectFileHitsDto {
                    path: f.path.display().to_string(),
                    relative: f.relative.clone(),
                    total: wire(f.total),
                    hits: f
                        .hits
                        .iter()
                        .map(|h| ProjectHitDto {
                            cue_index: wire(h.cue),
                            start_ms: h.start_ms,
                            line: wire(h.line),
                            start_utf16: wire(h.start_utf16),
                            end_utf16: wire(h.end_utf16),
                            before: h.context.before.clone(),
                            matched: h.context.matched.clone(),
                            after: h.context.after.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// A hit of a plan: `[file, hit]` positions in the plan.
pub type HitRef = [u32; 2];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum FoundByDto {
    /// The query matched here.
    Query,
    /// The same fix in the paired file.
    Partner,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanHitDto {
    pub id: HitRef,
    pub cue_index: u32,
    pub start_ms: u32,
    pub line: u32,
    pub old: String,
    pub new: String,
    /// The cue's line(s) holding the hit as they are, and as they will be written.
    pub before: String,
    pub after: String,
    /// Where the hit starts in `before` and `after` (UTF-16 units).
    pub at_utf16: u32,
    /// The hit in the cue's whole text, in UTF-16 units (what the editor selects).
    pub start_utf16: u32,
    pub end_utf16: u32,
    /// The glossary entry's note, for a glossary plan.
    pub note: Option<String>,
    pub found_by: FoundByDto,
    pub partner: Option<HitRef>,
    pub included: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanFileDto {
    pub index: u32,
    pub path: String,
    pub relative: String,
    /// Open in an editor: the change goes through that editor (one undo step there).
    pub in_editor: bool,
    /// Here only as the pair of a file with hits.
    pub partner_only: bool,
    pub included: bool,
    pub hits: Vec<PlanHitDto>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanCountsDto {
    pub hits: u32,
    pub files: u32,
    pub included_hits: u32,
    pub included_files: u32,
    pub pairs: u32,
}

impl From<PlanCounts> for PlanCountsDto {
    fn from(c: PlanCounts) -> Self {
        PlanCountsDto {
            hits: wire(c.hits),
            files: wire(c.files),
            included_hits: wire(c.included_hits),
            included_files: wire(c.included_files),
            pairs: wire(c.pairs),
        }
    }
}

/// A replace across the project, for review before it is applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PlanDto {
    pub plan_id: u32,
    pub files: Vec<PlanFileDto>,
    pub counts: PlanCountsDto,
}

impl PlanDto {
    /// `notes`: the note of each source of the plan (glossary entries), by source index.
    pub fn from_plan(plan_id: u32, plan: &ReplacePlan, notes: &[Option<String>]) -> Self {
        let files = plan
            .files()
            .iter()
            .enumerate()
            .map(|(fi, f)| PlanFileDto {
                index: wire(fi),
                path: f.path.display().to_string(),
                relative: f.relative.clone(),
                in_editor: f.in_editor,
                partner_only: f.partner_only,
                included: f.included,
                hits: f
                    .hits
                    .iter()
                    .enumerate()
                    .map(|(hi, h)| PlanHitDto {
                        id: [wire(fi), wire(hi)],
                        cue_index: wire(h.cue),
                        start_ms: h.start_ms,
                        line: wire(h.line),
                        old: h.old.clone(),
                        new: h.new.clone(),
                        before: h.before.clone(),
                        after: h.after.clone(),
                        at_utf16: wire(h.at_utf16),
                        start_utf16: wire(h.start_utf16),
                        end_utf16: wire(h.end_utf16),
                        note: notes.get(h.source).cloned().flatten(),
                        found_by: match h.found_by {
                            FoundBy::Query => FoundByDto::Query,
                            FoundBy::Partner => FoundByDto::Partner,
                        },
                        partner: h.partner.map(|p| [wire(p.file), wire(p.hit)]),
                        included: h.included,
                    })
                    .collect(),
            })
            .collect();
        PlanDto {
            plan_id,
            files,
            counts: plan.counts().into(),
        }
    }
}

/// What to include or exclude in a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanTarget {
    /// One hit and its partner in the paired file.
    Hit { id: HitRef },
    /// Every hit of one file.
    File { index: u32 },
}

/// The outcome of applying a plan, or of undoing one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ProjectChangeDto {
    pub replacements: u32,
    /// Files written (or restored).
    pub files: Vec<String>,
    /// Files left alone, with the reason (undo of a file changed since).
    pub refused: Vec<String>,
    /// A replace can be undone now.
    pub can_undo: bool,
    pub message: String,
}

impl ProjectChangeDto {
    pub fn applied(a: &Applied, routed: &[String], can_undo: bool) -> Self {
        let mut files: Vec<String> = a
            .files
            .iter()
            .map(|f| f.path.display().to_string())
            .collect();
        files.extend(routed.iter().cloned());
        let n = files.len();
        ProjectChangeDto {
            replacements: wire(a.replacements),
            message: format!(
                "Replaced {} in {} {}.",
                a.replacements,
                n,
                if n == 1 { "file" } else { "files" }
            ),
            files,
            refused: Vec::new(),
            can_undo,
        }
    }

    pub fn undone(u: &Undone, routed: &[String], refused: &[String], can_undo: bool) -> Self {
        let mut files: Vec<String> = u.restored.iter().map(|p| p.display().to_string()).collect();
        files.extend(routed.iter().cloned());
        let mut refused_all: Vec<String> = u
            .refused
            .iter()
            .map(|r| format!("{}: {}", r.path.display(), r.reason))
            .collect();
        refused_all.extend(refused.iter().cloned());
        let n = files.len();
        let files_word = if n == 1 { "file" } else { "files" };
        let message = if refused_all.is_empty() {
            format!("Undone in {n} {files_word}.")
        } else {
            format!(
                "Undone in {n} {files_word}; {} left as {} because {} changed since.",
                refused_all.len(),
                if refused_all.len() == 1 {
                    "it is"
                } else {
                    "they are"
                },
                if refused_all.len() == 1 { "it" } else { "they" },
            )
        };
        ProjectChangeDto {
            replacements: 0,
            files,
            refused: refused_all,
            can_undo,
            message,
        }
    }
}

/// Progress of an apply, for the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct ProjectProgress {
    pub done: u32,
    pub total: u32,
    /// "preparing", "staging", "done".
    pub stage: ProgressStage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "lowercase")]
pub enum ProgressStage {
    Preparing,
    Staging,
    Done,
}

/// Files of the project changed on disk (and were indexed again): results may be stale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct ProjectChanged {
    pub paths: Vec<String>,
}
