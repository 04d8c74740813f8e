//! Searching every cue of a project at once.
//!
//! Why it agrees with the editor: matching is [`Matcher`] from the core, the same code the
//! editor's find bar and `cueline replace` use (literal or regex, whole word, match case). It
//! runs over each file's index buffer (cue texts separated by `\n`) with
//! [`Matcher::find_from`], so one regex pass covers a whole file instead of one call per cue.
//! Two cases where a buffer pass could differ from matching each cue on its own are handled:
//! a match that would run across a cue edge (the cue is then matched on its own) and a pattern
//! anchored to the start or end of the text (`^`, `$`, `\A`, `\z`: every cue on its own).
//!
//! Why the limits: search runs as the user types, so the first letter (`e`) must not build
//! millions of hits. At most [`SearchLimits::max_hits`] hits are built (with context and UTF-16
//! offsets), in path order, and counting stops at [`SearchLimits::max_count`] (the total is
//! then a lower bound). Files are searched in path-ordered chunks on all cores, so the hits
//! shown are always the first ones in path order, and a cancelled query (the user typed
//! another letter) stops within a chunk.

use std::ops::{ControlFlow, Range};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use cueline_transcript::Format;
use cueline_transcript::search::{Matcher, Query};
use cueline_transcript_store::utf16_offsets;
use rayon::prelude::*;
use regex_syntax::hir::Look;

use crate::error::SearchError;
use crate::index::FileIndex;

/// How much a search may build and count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchLimits {
    /// Hits built with their context, in path order (the rest are only counted).
    pub max_hits: usize,
    /// Counting stops once this many hits were found; the total is then "at least".
    pub max_count: usize,
    /// Characters of context kept on each side of a hit.
    pub context_chars: usize,
}

impl Default for SearchLimits {
    fn default() -> SearchLimits {
        SearchLimits {
            max_hits: 2_000,
            max_count: 100_000,
            context_chars: 40,
        }
    }
}

/// The text around a hit in its cue (line breaks shown as spaces), for a result list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet {
    /// Up to `context_chars` characters before the hit; starts with `…` when cut.
    pub before: String,
    pub matched: String,
    /// Up to `context_chars` characters after the hit; ends with `…` when cut.
    pub after: String,
}

/// One hit in one cue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    /// 0-based cue (TXT: entry) index in the file.
    pub cue: usize,
    pub start_ms: u32,
    /// 1-based file line holding the start of the hit.
    pub line: usize,
    /// The hit in the cue's text (lines joined by `\n`), in UTF-16 code units, as the editor's
    /// find uses ([`cueline_transcript_store::Utf16Hit`]).
    pub start_utf16: usize,
    pub end_utf16: usize,
    pub context: Snippet,
}

/// The hits in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHits {
    pub path: PathBuf,
    /// The path relative to the project root (`/` between components).
    pub relative: String,
    pub format: Format,
    /// Hits found in this file (all of them, unless counting stopped in it).
    pub total: usize,
    /// The hits built for display: all, or fewer once [`SearchLimits::max_hits`] is reached.
    pub hits: Vec<SearchHit>,
}

/// The answer to a project search, files in path order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchResults {
    /// Every file with at least one hit (up to where counting stopped).
    pub files: Vec<FileHits>,
    /// Hits found. A lower bound when `complete` is false.
    pub total_hits: usize,
    /// Hits built (at most `max_hits`).
    pub shown_hits: usize,
    /// False when counting stopped at `max_count` before the last file.
    pub complete: bool,
}

/// A compiled query, ready to run over index buffers.
#[derive(Debug, Clone)]
pub(crate) struct Scanner {
    matcher: Matcher,
    /// The pattern is anchored to the start or end of the text: match each cue on its own.
    anchored: bool,
}

impl Scanner {
    pub fn new(query: &Query) -> Result<Scanner, cueline_transcript::search::SearchError> {
        let matcher = Matcher::new(query)?;
        Ok(Scanner {
            matcher,
            anchored: query.regex && anchored(&query.pattern, query.ignore_case),
        })
    }

    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Calls `f(cue, range)` for every hit in `idx` in file order (`range`: bytes in the cue's
    /// text), exactly the hits `Matcher::find` gives on each cue text; stops when `f` breaks.
    pub fn scan(
        &self,
        idx: &FileIndex,
        f: &mut dyn FnMut(usize, Range<usize>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        if !idx.is_text() {
            return ControlFlow::Continue(());
        }
        if self.anchored {
            for k in 0..idx.cue_count() {
                for r in self.matcher.find(idx.cue_text(k)) {
                    f(k, r)?;
                }
            }
            return ControlFlow::Continue(());
        }
        let text = idx.text();
        let mut at = 0;
        let (mut current, mut in_cue) = (usize::MAX, 0);
        while let Some(r) = self.matcher.find_from(text, at) {
            let k = idx.cue_at(r.start);
            let cue = idx.cue_range(k);
            if k != current {
                current = k;
                in_cue = 0;
            }
            if r.end > cue.end {
                // runs across a cue edge: the cue's remaining hits come from the cue alone
                for rest in self
                    .matcher
                    .find(&text[cue.clone()])
                    .into_iter()
                    .skip(in_cue)
                {
                    f(k, rest)?;
                }
                at = cue.end + 1;
                current = usize::MAX;
                continue;
            }
            in_cue += 1;
            f(k, r.start - cue.start..r.end - cue.start)?;
            at = r.end;
        }
        ControlFlow::Continue(())
    }
}

/// Whether a regex has an assertion about the start or end of the whole text.
fn anchored(pattern: &str, ignore_case: bool) -> bool {
    let parsed = regex_syntax::ParserBuilder::new()
        .case_insensitive(ignore_case)
        .build()
        .parse(pattern);
    match parsed {
        Ok(hir) => {
            let looks = hir.properties().look_set();
            looks.contains(Look::Start) || looks.contains(Look::End)
        }
        Err(_) => true,
    }
}

/// One file's raw hits: (cue, byte range in the cue text), at most `store` of them.
struct FileScan {
    total: usize,
    hits: Vec<(usize, Range<usize>)>,
    /// Counting stopped in this file.
    cut: bool,
}

/// How many files are searched between two checks of the limits (and of cancellation).
const CHUNK: usize = 64;

/// Hits between two looks at the cancel flag inside one file.
const CANCEL_EVERY: usize = 256;

fn scan_file(
    scanner: &Scanner,
    idx: &FileIndex,
    store: usize,
    count: usize,
    cancel: &AtomicBool,
) -> Result<FileScan, SearchError> {
    let mut scan = FileScan {
        total: 0,
        hits: Vec::new(),
        cut: false,
    };
    let mut cancelled = false;
    let flow = scanner.scan(idx, &mut |cue, range| {
        if scan.total.is_multiple_of(CANCEL_EVERY) && cancel.load(Ordering::Relaxed) {
            cancelled = true;
            return ControlFlow::Break(());
        }
        if scan.total >= count {
            scan.cut = true;
            return ControlFlow::Break(());
        }
        scan.total += 1;
        if scan.hits.len() < store {
            scan.hits.push((cue, range));
        }
        ControlFlow::Continue(())
    });
    if cancelled {
        return Err(SearchError::Cancelled);
    }
    debug_assert!(flow.is_continue() || scan.cut);
    Ok(scan)
}

/// Runs `scanner` over `files` (in path order) within `limits`.
pub(crate) fn search_files(
    files: &[Arc<FileIndex>],
    scanner: &Scanner,
    limits: &SearchLimits,
    cancel: &AtomicBool,
) -> Result<SearchResults, SearchError> {
    let mut results = SearchResults {
        complete: true,
        ..SearchResults::default()
    };
    for chunk in files.chunks(CHUNK) {
        if cancel.load(Ordering::Relaxed) {
            return Err(SearchError::Cancelled);
        }
        let store = limits.max_hits - results.shown_hits;
        let count = limits.max_count.saturating_sub(results.total_hits);
        let scans: Vec<Result<FileScan, SearchError>> = chunk
            .par_iter()
            .map(|f| scan_file(scanner, f, store, count, cancel))
            .collect();
        for (idx, scan) in chunk.iter().zip(scans) {
            let scan = scan?;
            if scan.total == 0 {
                continue;
            }
            let room = limits.max_hits - results.shown_hits;
            let hits = build_hits(idx, &scan.hits[..scan.hits.len().min(room)], limits);
            results.shown_hits += hits.len();
            results.total_hits += scan.total;
            results.complete &= !scan.cut;
            results.files.push(FileHits {
                path: idx.path.clone(),
                relative: idx.relative.clone(),
                format: idx.format,
                total: scan.total,
                hits,
            });
        }
        if results.total_hits >= limits.max_count {
            results.complete = false;
            break;
        }
    }
    Ok(results)
}

/// Builds display hits (line, UTF-16 offsets, context) from raw hits of one file.
pub(crate) fn build_hits(
    idx: &FileIndex,
    raw: &[(usize, Range<usize>)],
    limits: &SearchLimits,
) -> Vec<SearchHit> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let cue = raw[i].0;
        let n = raw[i..].iter().take_while(|(c, _)| *c == cue).count();
        let ranges: Vec<Range<usize>> = raw[i..i + n].iter().map(|(_, r)| r.clone()).collect();
        let text = idx.cue_text(cue);
        for (r, (s16, e16)) in ranges.iter().zip(utf16_offsets(text, &ranges)) {
            out.push(SearchHit {
                cue,
                start_ms: idx.start_ms(cue),
                line: idx.first_line(cue) + count_newlines(&text[..r.start]),
                start_utf16: s16,
                end_utf16: e16,
                context: snippet(text, r, limits.context_chars),
            });
        }
        i += n;
    }
    out
}

pub(crate) fn count_newlines(s: &str) -> usize {
    s.bytes().filter(|&b| b == b'\n').count()
}

/// The context of `range` in `text`: at most `chars` characters on each side.
pub(crate) fn snippet(text: &str, range: &Range<usize>, chars: usize) -> Snippet {
    let flat = |s: &str| s.replace('\n', " ");
    let before = &text[..range.start];
    let cut_before = before.char_indices().rev().nth(chars.saturating_sub(1));
    let before = match cut_before {
        Some((i, _)) if i > 0 => format!("…{}", &before[i..]),
        _ => before.to_owned(),
    };
    let after = &text[range.end..];
    let after = match after.char_indices().nth(chars) {
        Some((i, _)) => format!("{}…", &after[..i]),
        None => after.to_owned(),
    };
    Snippet {
        before: flat(&before),
        matched: flat(&text[range.clone()]),
        after: flat(&after),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanner(pattern: &str, regex: bool, whole_word: bool) -> Scanner {
        Scanner::new(&Query {
            pattern: pattern.into(),
            regex,
            whole_word,
            ignore_case: false,
        })
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn hits(s: &Scanner, idx: &FileIndex) -> Vec<(usize, Range<usize>)> {
        let mut out = Vec::new();
        let _ = s.scan(idx, &mut |c, r| {
            out.push((c, r));
            ControlFlow::Continue(())
        });
        out
    }

    fn per_cue(s: &Scanner, idx: &FileIndex) -> Vec<(usize, Range<usize>)> {
        (0..idx.cue_count())
            .flat_map(|k| {
                s.matcher
                    .find(idx.cue_text(k))
                    .into_iter()
                    .map(move |r| (k, r))
            })
            .collect()
    }

    #[test]
    fn buffer_scan_agrees_with_each_cue_alone() {
        let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nend a\n\n00:00:02.000 --> 00:00:03.000\na start\na\n\n00:00:03.000 --> 00:00:04.000\na\n";
        let idx = FileIndex::build("x.vtt".into(), "x.vtt".into(), Format::Vtt, vtt.as_bytes());
        for s in [
            scanner("a", false, true),
            scanner(r"a\s+a", true, false),
            scanner(r"a\s*", true, false),
            scanner("^a", true, false),
            scanner("a$", true, false),
            scanner("(?m)^a", true, false),
            scanner(r"\n", true, false),
            scanner(r"[\s\S]+", true, false),
        ] {
            assert_eq!(hits(&s, &idx), per_cue(&s, &idx), "{s:?}");
        }
    }

    #[test]
    fn snippets_cut_on_characters() {
        let s = snippet("ab😀cd MATCH ef\ngh", &(9..14), 3);
        assert_eq!(s.before, "…cd ");
        assert_eq!(s.matched, "MATCH");
        assert_eq!(s.after, " ef…");
        let s = snippet("MATCH", &(0..5), 3);
        assert_eq!((s.before.as_str(), s.after.as_str()), ("", ""));
    }
}
