//! Planning a replace across a project: every hit with its before and after, included or
//! excluded one by one and file by file, and linked to its partner in the paired file.
//!
//! Why a plan and not a replace-all: a repository-wide fix is reviewed before it is written
//! (Subtitle Edit applies rules blind, Gaupol only across open tabs). The plan is made from the
//! project's index (no file is parsed to find hits); the files with hits are re-read and their
//! content hash compared with the index's, so a plan is never made from a stale index, and
//! [`crate::Project::apply`] refuses to write if any file changed after the plan.
//!
//! **Pairs.** An episode's `.vtt` (or `.srt`) and `.txt` are two views of one recording and a
//! fix must reach both. For a hit in `X.vtt` the matching entry of `X.txt` is the entry whose
//! timestamp is at or before the cue's start (TXT times are whole seconds) and whose text holds
//! the same old span, where the text around it agrees best (entries merge several cues, so the
//! entry is searched backwards over a window, and the surrounding characters pick the right
//! occurrence). From `X.txt` to `X.vtt` it is the cue starting within the entry's time span
//! that holds the span, again where the context agrees best. The partner gets exactly the same
//! span replacement (for a regex, the text the hit's own groups expand to). When the partner's
//! own search found that very span, the two hits are linked; otherwise the partner span is
//! added as a hit marked [`FoundBy::Partner`]. Toggling a hit toggles its partner
//! ([`ReplacePlan::set_included`]) unless the caller asks for one alone. A `.txt` is never
//! regenerated from its `.vtt`: only the matched span changes in each file.
//!
//! Hits whose replacement equals the matched text (a case-insensitive `langchain` ->
//! `LangChain` on a `LangChain` already right) are not listed: they would change nothing.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use cueline_transcript::search::{Matcher, Query};
use cueline_transcript::{Edit, Format};
use cueline_transcript_store::{ContentHash, utf16_offsets};
use rayon::prelude::*;

use crate::error::PlanError;
use crate::index::FileIndex;
use crate::project::Project;
use crate::scan;
use crate::search::{Scanner, count_newlines};

/// Which files a replace searches, and whether pairs are followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Only these files (absolute, or relative to the project root); `None`: every file.
    pub files: Option<Vec<PathBuf>>,
    /// Follow pairs: a hit in `X.vtt` also plans the matching span of `X.txt`, and vice
    /// versa, even when the partner is not among `files`.
    pub pairs: bool,
}

impl Default for Selection {
    /// Every file, pairs followed.
    fn default() -> Selection {
        Selection {
            files: None,
            pairs: true,
        }
    }
}

impl Selection {
    /// Only `files` (pairs followed).
    pub fn files(files: impl IntoIterator<Item = PathBuf>) -> Selection {
        Selection {
            files: Some(files.into_iter().collect()),
            pairs: true,
        }
    }

    /// The same selection with pairs followed or not.
    pub fn with_pairs(mut self, pairs: bool) -> Selection {
        self.pairs = pairs;
        self
    }
}

/// Where a hit in a plan is: the file's position in [`ReplacePlan::files`] and the hit's
/// position in that file's [`PlannedFile::hits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HitId {
    pub file: usize,
    pub hit: usize,
}

/// How a hit got into the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundBy {
    /// The query matched here.
    Query,
    /// The span matching a hit of the paired file (the query did not run here, or matched
    /// differently).
    Partner,
}

/// One span to replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedHit {
    /// 0-based cue (TXT: entry) index.
    pub cue: usize,
    pub start_ms: u32,
    /// 1-based file line holding the start of the hit.
    pub line: usize,
    /// The hit as bytes of the cue's text (lines joined by `\n`).
    pub range: Range<usize>,
    /// The hit in UTF-16 code units of the cue's text (what the editor highlights).
    pub start_utf16: usize,
    pub end_utf16: usize,
    /// The matched text and what it becomes.
    pub old: String,
    pub new: String,
    /// The cue's text line(s) holding the hit, as they are, and as they would be written with
    /// this hit replaced. The hit starts at `at_utf16` (UTF-16 units) in both.
    pub before: String,
    pub after: String,
    pub at_utf16: usize,
    pub found_by: FoundBy,
    /// The same fix in the paired file.
    pub partner: Option<HitId>,
    /// Which query (or glossary entry) produced it: an index into [`ReplacePlan::sources`].
    pub source: usize,
    pub included: bool,
    /// The cue's whole text as it is (lines joined by `\n`); `range` points into it.
    pub cue_text: String,
}

/// The hits in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    pub path: PathBuf,
    /// The path relative to the project root.
    pub relative: String,
    pub format: Format,
    /// The content the plan was made from; apply refuses when the file no longer hashes to it.
    pub hash: ContentHash,
    /// The content came from an editor ([`crate::Project::overlay`]): route its edits through
    /// that editor ([`ReplacePlan::take_files`]).
    pub in_editor: bool,
    /// The file was not in the selection; it is here as the partner of a selected file.
    pub partner_only: bool,
    pub included: bool,
    /// Sorted by cue, then position.
    pub hits: Vec<PlannedHit>,
}

/// What a plan replaces, for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanSource {
    pub query: Query,
    pub replacement: String,
}

/// Counts over a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlanCounts {
    pub hits: usize,
    pub files: usize,
    /// Hits that will be replaced (included, in an included file).
    pub included_hits: usize,
    /// Files that will change.
    pub included_files: usize,
    /// Linked pairs of hits.
    pub pairs: usize,
}

/// The edits of one file, taken out of a plan to go through an open editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutedFile {
    pub path: PathBuf,
    /// What the editor's document must still hash to (its printed bytes) for the edits to fit.
    pub hash: ContentHash,
    pub edits: Vec<Edit>,
}

/// A reviewed replace across files: see the module docs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReplacePlan {
    files: Vec<PlannedFile>,
    sources: Vec<PlanSource>,
}

impl ReplacePlan {
    /// Files with hits, in path order.
    pub fn files(&self) -> &[PlannedFile] {
        &self.files
    }

    pub fn sources(&self) -> &[PlanSource] {
        &self.sources
    }

    pub fn hit(&self, id: HitId) -> Option<&PlannedHit> {
        self.files.get(id.file)?.hits.get(id.hit)
    }

    /// Every hit's id, in file order.
    pub fn hit_ids(&self) -> impl Iterator<Item = HitId> + '_ {
        self.files
            .iter()
            .enumerate()
            .flat_map(|(file, f)| (0..f.hits.len()).map(move |hit| HitId { file, hit }))
    }

    /// The position of the file at `path` (as listed) in [`ReplacePlan::files`].
    pub fn file_index(&self, path: &Path) -> Option<usize> {
        self.files.iter().position(|f| f.path == path)
    }

    /// Includes or excludes a hit and its partner (a pair is confirmed together). False when
    /// there is no such hit.
    pub fn set_included(&mut self, id: HitId, included: bool) -> bool {
        let Some(partner) = self.hit(id).map(|h| h.partner) else {
            return false;
        };
        self.set_included_alone(id, included);
        if let Some(p) = partner {
            self.set_included_alone(p, included);
        }
        true
    }

    /// Includes or excludes one hit, leaving its partner as it is.
    pub fn set_included_alone(&mut self, id: HitId, included: bool) -> bool {
        match self
            .files
            .get_mut(id.file)
            .and_then(|f| f.hits.get_mut(id.hit))
        {
            Some(h) => {
                h.included = included;
                true
            }
            None => false,
        }
    }

    /// Includes or excludes a whole file (its hits keep their own state).
    pub fn set_file_included(&mut self, file: usize, included: bool) -> bool {
        match self.files.get_mut(file) {
            Some(f) => {
                f.included = included;
                true
            }
            None => false,
        }
    }

    /// Whether hit `id` will be replaced: it and its file are included.
    pub fn will_replace(&self, id: HitId) -> bool {
        self.files
            .get(id.file)
            .is_some_and(|f| f.included && f.hits.get(id.hit).is_some_and(|h| h.included))
    }

    pub fn counts(&self) -> PlanCounts {
        let mut c = PlanCounts::default();
        for (i, f) in self.files.iter().enumerate() {
            c.files += 1;
            c.hits += f.hits.len();
            let n = (0..f.hits.len())
                .filter(|&h| self.will_replace(HitId { file: i, hit: h }))
                .count();
            c.included_hits += n;
            c.included_files += usize::from(n > 0);
            c.pairs += f.hits.iter().filter(|h| h.partner.is_some()).count();
        }
        c.pairs /= 2;
        c
    }

    /// The `set_text` edits that make file `file`'s included replacements (one per cue, in
    /// cue order): what [`crate::Project::apply`] applies, or what an editor applies instead.
    pub fn edits(&self, file: usize) -> Vec<Edit> {
        let Some(f) = self.files.get(file).filter(|f| f.included) else {
            return Vec::new();
        };
        let mut edits = Vec::new();
        let mut i = 0;
        while i < f.hits.len() {
            let cue = f.hits[i].cue;
            let n = f.hits[i..].iter().take_while(|h| h.cue == cue).count();
            let hits: Vec<&PlannedHit> = f.hits[i..i + n].iter().filter(|h| h.included).collect();
            i += n;
            let Some(first) = hits.first() else { continue };
            // `before` is the cue's line(s) around the hit; the whole cue text is rebuilt from
            // the hits' own ranges over the text kept in the plan.
            let text = &first.cue_text;
            let mut new = String::with_capacity(text.len() + 16);
            let mut last = 0;
            for h in &hits {
                new.push_str(&text[last..h.range.start]);
                new.push_str(&h.new);
                last = h.range.end;
            }
            new.push_str(&text[last..]);
            if new != *text {
                edits.push(Edit::SetText { cue, text: new });
            }
        }
        edits
    }

    /// Takes the files for which `open` is true out of the plan (they are applied by their
    /// editor instead, e.g. `LiveDocument::apply_all`), returning their edits. Hit ids of the
    /// remaining files change; partners in taken files are unlinked.
    pub fn take_files(&mut self, mut open: impl FnMut(&Path) -> bool) -> Vec<RoutedFile> {
        let taken: Vec<bool> = self.files.iter().map(|f| open(&f.path)).collect();
        let routed = (0..self.files.len())
            .filter(|&i| taken[i])
            .map(|i| RoutedFile {
                path: self.files[i].path.clone(),
                hash: self.files[i].hash,
                edits: self.edits(i),
            })
            .collect();
        let mut new_index = vec![None; self.files.len()];
        let mut next = 0;
        for (i, t) in taken.iter().enumerate() {
            if !t {
                new_index[i] = Some(next);
                next += 1;
            }
        }
        let files = std::mem::take(&mut self.files);
        self.files = files
            .into_iter()
            .zip(&taken)
            .filter(|(_, t)| !**t)
            .map(|(mut f, _)| {
                for h in &mut f.hits {
                    h.partner = h
                        .partner
                        .and_then(|p| new_index[p.file].map(|file| HitId { file, hit: p.hit }));
                }
                f
            })
            .collect();
        routed
    }
}

// ------------------------------------------------------------------------------- building

/// A query and its replacement, compiled.
pub(crate) struct Source {
    pub scanner: Scanner,
    pub query: Query,
    pub replacement: String,
}

impl Source {
    pub fn new(query: &Query, replacement: &str) -> Result<Source, PlanError> {
        let scanner = Scanner::new(query).map_err(PlanError::Query)?;
        Ok(Source {
            scanner,
            query: query.clone(),
            replacement: replacement.to_owned(),
        })
    }
}

/// A hit while the plan is built: positions, not ids (hits are inserted as pairs are found).
#[derive(Debug, Clone)]
struct Raw {
    cue: usize,
    range: Range<usize>,
    new: String,
    source: usize,
    found_by: FoundBy,
    /// (file, cue, start) of the partner.
    partner: Option<(usize, usize, usize)>,
}

/// The hits of every source in one file, overlaps resolved in favour of the earlier source,
/// no-op replacements dropped.
fn scan_file(idx: &FileIndex, sources: &[Source]) -> Vec<Raw> {
    let mut out: Vec<Raw> = Vec::new();
    for (s, source) in sources.iter().enumerate() {
        let mut found = Vec::new();
        let _ = source.scanner.scan(idx, &mut |cue, range| {
            found.push((cue, range));
            std::ops::ControlFlow::Continue(())
        });
        for (cue, range) in found {
            let text = idx.cue_text(cue);
            let new = source
                .scanner
                .matcher()
                .replacement_for(text, &range, &source.replacement);
            if new == text[range.clone()] {
                continue;
            }
            if s > 0 && overlaps(&out, cue, &range) {
                continue;
            }
            out.push(Raw {
                cue,
                range,
                new,
                source: s,
                found_by: FoundBy::Query,
                partner: None,
            });
        }
    }
    if sources.len() > 1 {
        out.sort_by_key(|r| (r.cue, r.range.start));
    }
    out
}

fn overlaps(hits: &[Raw], cue: usize, range: &Range<usize>) -> bool {
    hits.iter()
        .any(|h| h.cue == cue && h.range.start < range.end && range.start < h.range.end)
}

/// Plans `sources` over the project's files in `selection`.
pub(crate) fn build(
    project: &Project,
    sources: Vec<Source>,
    selection: &Selection,
) -> Result<ReplacePlan, PlanError> {
    let mut files = project.snapshot();
    let scope: Vec<bool> = match &selection.files {
        None => vec![true; files.len()],
        Some(list) => {
            let wanted: std::collections::HashSet<PathBuf> =
                list.iter().map(|p| project.key(p)).collect();
            files.iter().map(|f| wanted.contains(&f.path)).collect()
        }
    };
    let mut found: Vec<Vec<Raw>> = files
        .par_iter()
        .zip(&scope)
        .map(|(f, &s)| {
            if s {
                scan_file(f, &sources)
            } else {
                Vec::new()
            }
        })
        .collect();
    let partner = if selection.pairs {
        let list: Vec<(&Path, Format)> =
            files.iter().map(|f| (f.path.as_path(), f.format)).collect();
        scan::partners(&list)
    } else {
        vec![None; files.len()]
    };

    // The index must match the disk for every file the plan touches or reads from.
    let mut needed: Vec<usize> = Vec::new();
    for (i, hits) in found.iter().enumerate() {
        if !hits.is_empty() {
            needed.push(i);
            needed.extend(partner[i]);
        }
    }
    needed.sort_unstable();
    needed.dedup();
    let fresh: Vec<Result<Option<Arc<FileIndex>>, PlanError>> = needed
        .par_iter()
        .map(|&i| project.ensure_fresh(&files[i]))
        .collect();
    for (&i, f) in needed.iter().zip(fresh) {
        if let Some(new) = f? {
            files[i] = new;
            if scope[i] {
                found[i] = scan_file(&files[i], &sources);
            }
        }
    }

    if selection.pairs {
        link_pairs(&files, &partner, &sources, &mut found);
    }
    Ok(assemble(&files, &scope, found, sources))
}

/// Finds every hit's partner span, linking or adding hits: timed files first, then TXT.
fn link_pairs(
    files: &[Arc<FileIndex>],
    partner: &[Option<usize>],
    sources: &[Source],
    found: &mut [Vec<Raw>],
) {
    let mut finders: HashMap<(String, bool, bool), Option<Matcher>> = HashMap::new();
    let order: Vec<usize> = (0..files.len())
        .filter(|&i| files[i].format != Format::Txt)
        .chain((0..files.len()).filter(|&i| files[i].format == Format::Txt))
        .collect();
    for f in order {
        let Some(p) = partner[f] else { continue };
        if !files[p].is_text() {
            continue;
        }
        let mut h = 0;
        while h < found[f].len() {
            let hit = found[f][h].clone();
            h += 1;
            if hit.partner.is_some() {
                continue;
            }
            let src = &files[f];
            let old = &src.cue_text(hit.cue)[hit.range.clone()];
            let q = &sources[hit.source].query;
            let key = (old.to_owned(), q.whole_word, q.ignore_case);
            let finder = finders.entry(key).or_insert_with(|| {
                Matcher::new(&Query {
                    pattern: old.to_owned(),
                    regex: false,
                    whole_word: q.whole_word,
                    ignore_case: q.ignore_case,
                })
                .ok()
            });
            let Some(finder) = finder.as_ref() else {
                continue;
            };
            let taken = &found[p];
            let Some((cue, range)) =
                counterpart(src, hit.cue, &hit.range, &files[p], finder, |k, r| {
                    taken.iter().any(|t| {
                        t.cue == k
                            && t.partner.is_some()
                            && t.range.start < r.end
                            && r.start < t.range.end
                    })
                })
            else {
                continue;
            };
            let me = (f, hit.cue, hit.range.start);
            let list = &mut found[p];
            if let Some(existing) = list
                .iter_mut()
                .find(|t| t.cue == cue && t.range == range && t.partner.is_none())
            {
                existing.partner = Some(me);
            } else if overlaps(list, cue, &range) {
                continue;
            } else {
                let at = list.partition_point(|t| (t.cue, t.range.start) < (cue, range.start));
                list.insert(
                    at,
                    Raw {
                        cue,
                        range: range.clone(),
                        new: hit.new.clone(),
                        source: hit.source,
                        found_by: FoundBy::Partner,
                        partner: Some(me),
                    },
                );
            }
            found[f][h - 1].partner = Some((p, cue, range.start));
        }
    }
}

/// Context characters compared on each side of a hit when choosing its partner span.
const CONTEXT: usize = 48;
/// TXT entries searched backwards from a cue's start (entries merge several cues).
const MAX_ENTRIES_BACK: usize = 12;
/// Cues searched within a TXT entry's time span.
const MAX_CUES_FORWARD: usize = 64;
/// How far back in time a TXT entry may start before the cue it holds.
const WINDOW_MS: u32 = 5 * 60 * 1000;

/// The span in `dst` (the paired file) that matches the hit at `range` of cue `cue` in `src`:
/// see the module docs. `claimed` tells spans already partnered.
pub(crate) fn counterpart(
    src: &FileIndex,
    cue: usize,
    range: &Range<usize>,
    dst: &FileIndex,
    finder: &Matcher,
    claimed: impl Fn(usize, &Range<usize>) -> bool,
) -> Option<(usize, Range<usize>)> {
    let text = src.cue_text(cue);
    let (before, after) = (&text[..range.start], &text[range.end..]);
    let start = src.start_ms(cue);
    let candidates: Vec<usize> = if dst.format == Format::Txt {
        // entries at or before the cue's start (whole seconds), nearest first
        let limit = start.div_ceil(1000).saturating_mul(1000);
        let end = dst.first_cue_from(limit.saturating_add(1));
        let floor = start.saturating_sub(WINDOW_MS);
        (end.saturating_sub(MAX_ENTRIES_BACK)..end)
            .rev()
            .filter(|&k| dst.start_ms(k) >= floor)
            .collect()
    } else {
        // cues starting within the entry's span, earliest first
        let next = if cue + 1 < src.cue_count() {
            src.start_ms(cue + 1).saturating_add(1000)
        } else {
            u32::MAX
        };
        let from = dst.first_cue_from(start);
        let to = dst.first_cue_from(next).min(from + MAX_CUES_FORWARD);
        (from..to.max(from)).collect()
    };
    let possible = before.chars().count().min(CONTEXT) + after.chars().count().min(CONTEXT);
    let needed = possible.min(4);
    let mut best: Option<(usize, usize, Range<usize>)> = None;
    for k in candidates {
        let t = dst.cue_text(k);
        for r in finder.find(t) {
            if claimed(k, &r) {
                continue;
            }
            let score = common_suffix(before, &t[..r.start]) + common_prefix(after, &t[r.end..]);
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, k, r));
            }
        }
    }
    best.filter(|(s, _, _)| *s >= needed)
        .map(|(_, k, r)| (k, r))
}

fn same(a: char, b: char) -> bool {
    let norm = |c: char| if c.is_whitespace() { ' ' } else { c };
    norm(a) == norm(b)
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take(CONTEXT)
        .take_while(|(x, y)| same(*x, *y))
        .count()
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars()
        .zip(b.chars())
        .take(CONTEXT)
        .take_while(|(x, y)| same(*x, *y))
        .count()
}

/// Turns the raw hits into the plan: ids, lines, before/after, UTF-16 offsets.
fn assemble(
    files: &[Arc<FileIndex>],
    scope: &[bool],
    found: Vec<Vec<Raw>>,
    sources: Vec<Source>,
) -> ReplacePlan {
    // plan position of each file with hits, and hit position by (cue, start)
    let mut position = vec![None; files.len()];
    let mut next = 0;
    for (i, hits) in found.iter().enumerate() {
        if !hits.is_empty() {
            position[i] = Some(next);
            next += 1;
        }
    }
    let id_of = |(file, cue, start): (usize, usize, usize)| -> Option<HitId> {
        let hit = found[file]
            .iter()
            .position(|h| h.cue == cue && h.range.start == start)?;
        Some(HitId {
            file: position[file]?,
            hit,
        })
    };
    let mut out = Vec::with_capacity(next);
    for (i, hits) in found.iter().enumerate() {
        if hits.is_empty() {
            continue;
        }
        let idx = &files[i];
        let mut planned = Vec::with_capacity(hits.len());
        for h in hits {
            let text = idx.cue_text(h.cue);
            let ranges = [h.range.clone()];
            let (s16, e16) = utf16_offsets(text, &ranges)
                .first()
                .copied()
                .unwrap_or((0, 0));
            let line_start = text[..h.range.start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[h.range.end..]
                .find('\n')
                .map_or(text.len(), |i| h.range.end + i);
            let before = &text[line_start..line_end];
            let at = h.range.start - line_start;
            let after = format!("{}{}{}", &before[..at], h.new, &text[h.range.end..line_end]);
            planned.push(PlannedHit {
                cue: h.cue,
                start_ms: idx.start_ms(h.cue),
                line: idx.first_line(h.cue) + count_newlines(&text[..h.range.start]),
                range: h.range.clone(),
                start_utf16: s16,
                end_utf16: e16,
                old: text[h.range.clone()].to_owned(),
                new: h.new.clone(),
                before: before.to_owned(),
                after,
                at_utf16: before[..at].encode_utf16().count(),
                found_by: h.found_by,
                partner: h.partner.and_then(id_of),
                source: h.source,
                included: true,
                cue_text: text.to_owned(),
            });
        }
        out.push(PlannedFile {
            path: idx.path.clone(),
            relative: idx.relative.clone(),
            format: idx.format,
            hash: idx.hash,
            in_editor: idx.in_editor,
            partner_only: !scope[i],
            included: true,
            hits: planned,
        });
    }
    ReplacePlan {
        files: out,
        sources: sources
            .into_iter()
            .map(|s| PlanSource {
                query: s.query,
                replacement: s.replacement,
            })
            .collect(),
    }
}
