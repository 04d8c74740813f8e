//! Where the two files of a pair say different things.
//!
//! Why words and not entries: a `.txt` entry merges several `.vtt` cues, so entries and cues
//! never line up one to one, and about a third of the real `.txt` files carry fixes made only
//! there. Comparing the two as streams of words (cue text and entry text, split at whitespace)
//! ignores how the text is cut into cues and entries and finds exactly the words that differ.
//!
//! Why two functions: `cueline check` runs over whole repositories next to a benchmark
//! against ripgrep, so [`first_disagreement`] compares the two texts byte by byte with
//! whitespace runs made equal (8 bytes at a time while they agree, which is almost always) and
//! diffs only a small window where they first part; most pairs agree and cost one pass over
//! their text. [`compare_pair`] diffs the whole word streams with `similar` (Myers, with a
//! deadline so a pathological pair cannot stall) and counts every place, for a UI that lists
//! them.

use std::time::{Duration, Instant};

use cueline_transcript::Document;
use similar::{Algorithm, DiffOp, capture_diff_slices, capture_diff_slices_deadline};

/// Words shown around a difference on each side.
const CONTEXT_WORDS: usize = 2;
/// Characters at most in each quoted side of a difference.
const MAX_QUOTE_CHARS: usize = 80;
/// How long one pair's whole diff may run before it settles for a coarser answer.
const DIFF_DEADLINE: Duration = Duration::from_millis(250);
/// Words diffed after the first point where two texts part, to find where they meet again.
const WINDOW_WORDS: usize = 64;

/// The cue texts of one file, in order, with each cue's start: what pair comparison reads.
/// Fill it from a [`Document`] or, without building one, from
/// [`cueline_transcript::check_with_cues`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CueTexts {
    /// Cue texts separated by `\n`.
    text: String,
    /// (start ms, offset of the cue's text in `text`).
    cues: Vec<(u32, usize)>,
}

impl CueTexts {
    pub fn new() -> CueTexts {
        CueTexts::default()
    }

    /// Room for about `bytes` of file (its cue text is smaller).
    pub fn with_capacity(bytes: usize) -> CueTexts {
        CueTexts {
            text: String::with_capacity(bytes),
            cues: Vec::with_capacity(bytes / 64),
        }
    }

    /// Empties it, keeping its memory for the next file.
    pub fn clear(&mut self) {
        self.text.clear();
        self.cues.clear();
    }

    /// Appends one cue (its text as written; line breaks count as spaces).
    pub fn push(&mut self, start_ms: u32, text: &str) {
        if !self.cues.is_empty() {
            self.text.push('\n');
        }
        self.cues.push((start_ms, self.text.len()));
        self.text.push_str(text);
    }

    pub fn from_document(doc: &Document) -> CueTexts {
        let mut out = CueTexts::new();
        for c in doc.cues() {
            out.push(c.start_ms, &c.text);
        }
        out
    }

    /// The start of the cue holding byte `at` of the text.
    fn start_at(&self, at: usize) -> u32 {
        let k = self
            .cues
            .partition_point(|(_, o)| *o <= at)
            .saturating_sub(1);
        self.cues.get(k).map_or(0, |(ms, _)| *ms)
    }

    /// Every word with its byte offset.
    fn words(&self) -> Vec<(usize, &str)> {
        words_from(&self.text, 0).collect()
    }
}

fn words_from(text: &str, from: usize) -> impl Iterator<Item = (usize, &str)> + '_ {
    let base = text.as_ptr() as usize;
    text[from..]
        .split_ascii_whitespace()
        .map(move |w| (w.as_ptr() as usize - base, w))
}

/// One place where a pair disagrees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    /// Start of the timed file's cue where the difference begins.
    pub at_ms: u32,
    /// The words of the timed file (`.vtt`/`.srt`) there, with a little context.
    pub timed: String,
    /// The words of the `.txt` there, with the same context.
    pub txt: String,
}

/// How a pair compares.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PairReport {
    /// Places where the texts differ.
    pub count: usize,
    /// The first of them, at most as many as asked for.
    pub shown: Vec<Disagreement>,
}

fn is_space(b: u8) -> bool {
    b.is_ascii_whitespace()
}

/// Byte offsets in `a` and `b` where their texts first differ (runs of ASCII whitespace count
/// as one space, and leading and trailing whitespace as none), or `None` when they agree.
fn first_difference(a: &[u8], b: &[u8]) -> Option<(usize, usize)> {
    let (mut i, mut j) = (0, 0);
    let skip = |s: &[u8], mut k: usize| {
        while k < s.len() && is_space(s[k]) {
            k += 1;
        }
        k
    };
    i = skip(a, i);
    j = skip(b, j);
    loop {
        while i + 8 <= a.len() && j + 8 <= b.len() && a[i..i + 8] == b[j..j + 8] {
            i += 8;
            j += 8;
        }
        match (a.get(i), b.get(j)) {
            (None, None) => return None,
            (Some(&x), Some(&y)) if x == y && !is_space(x) => {
                i += 1;
                j += 1;
            }
            (Some(&x), Some(&y)) if is_space(x) && is_space(y) => {
                i = skip(a, i);
                j = skip(b, j);
            }
            (Some(&x), None) if is_space(x) && skip(a, i) == a.len() => return None,
            (None, Some(&y)) if is_space(y) && skip(b, j) == b.len() => return None,
            _ => return Some((i, j)),
        }
    }
}

/// The first place where `timed` and `txt` disagree, or `None` when their words are the same.
pub fn first_disagreement(timed: &CueTexts, txt: &CueTexts) -> Option<Disagreement> {
    let (i, j) = first_difference(timed.text.as_bytes(), txt.text.as_bytes())?;
    // back to the start of the word holding the difference, then a window of words each side
    let word_start = |s: &str, at: usize| {
        s.as_bytes()[..at.min(s.len())]
            .iter()
            .rposition(|&b| is_space(b))
            .map_or(0, |p| p + 1)
    };
    let (wi, wj) = (word_start(&timed.text, i), word_start(&txt.text, j));
    let a: Vec<(usize, &str)> = words_from(&timed.text, wi).take(WINDOW_WORDS).collect();
    let b: Vec<(usize, &str)> = words_from(&txt.text, wj).take(WINDOW_WORDS).collect();
    let a_words: Vec<&str> = a.iter().map(|(_, w)| *w).collect();
    let b_words: Vec<&str> = b.iter().map(|(_, w)| *w).collect();
    let ops = capture_diff_slices(Algorithm::Myers, &a_words, &b_words);
    let (first, last) = hunks(&ops).into_iter().next()?;
    let (a_from, a_to) = (first.old_range().start, last.old_range().end);
    let (b_from, b_to) = (first.new_range().start, last.new_range().end);
    let before_a: Vec<&str> = words_before(&timed.text, wi);
    let before_b: Vec<&str> = words_before(&txt.text, wj);
    let at = a.get(a_from).or(a.last()).map_or(wi, |(o, _)| *o);
    Some(Disagreement {
        at_ms: timed.start_at(at),
        timed: quote_with(&before_a, &a_words, a_from, a_to),
        txt: quote_with(&before_b, &b_words, b_from, b_to),
    })
}

/// Up to [`CONTEXT_WORDS`] words ending before byte `at`.
fn words_before(text: &str, at: usize) -> Vec<&str> {
    let mut w: Vec<&str> = text[..at]
        .rsplit(|c: char| c.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .take(CONTEXT_WORDS)
        .collect();
    w.reverse();
    w
}

/// The words `from..to` of `window` with context: from the window, or before it.
fn quote_with(before: &[&str], window: &[&str], from: usize, to: usize) -> String {
    let start = from.saturating_sub(CONTEXT_WORDS);
    let end = (to + CONTEXT_WORDS).min(window.len());
    let mut words: Vec<&str> = Vec::new();
    let missing = CONTEXT_WORDS.saturating_sub(from - start);
    words.extend(&before[before.len().saturating_sub(missing)..]);
    words.extend(&window[start..end]);
    shorten(words.join(" "))
}

fn shorten(text: String) -> String {
    match text.char_indices().nth(MAX_QUOTE_CHARS) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

/// Runs of non-equal ops: (first op, last op) of each.
fn hunks(ops: &[DiffOp]) -> Vec<(DiffOp, DiffOp)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < ops.len() {
        if matches!(ops[i], DiffOp::Equal { .. }) {
            i += 1;
            continue;
        }
        let first = ops[i];
        let mut last = ops[i];
        while i < ops.len() && !matches!(ops[i], DiffOp::Equal { .. }) {
            last = ops[i];
            i += 1;
        }
        out.push((first, last));
    }
    out
}

/// Compares the cue text of `timed` (a `.vtt` or `.srt`) with the entries of `txt`, word by
/// word, counting every place they differ and keeping at most `max` of them.
pub fn compare_pair(timed: &CueTexts, txt: &CueTexts, max: usize) -> PairReport {
    if first_difference(timed.text.as_bytes(), txt.text.as_bytes()).is_none() {
        return PairReport::default();
    }
    let a = timed.words();
    let b = txt.words();
    let a_words: Vec<&str> = a.iter().map(|(_, w)| *w).collect();
    let b_words: Vec<&str> = b.iter().map(|(_, w)| *w).collect();
    let ops = capture_diff_slices_deadline(
        Algorithm::Myers,
        &a_words,
        &b_words,
        Some(Instant::now() + DIFF_DEADLINE),
    );
    let hunks = hunks(&ops);
    let shown = hunks
        .iter()
        .take(max)
        .map(|(first, last)| {
            let (a_from, a_to) = (first.old_range().start, last.old_range().end);
            let (b_from, b_to) = (first.new_range().start, last.new_range().end);
            let at = a.get(a_from).or(a.last()).map_or(0, |(o, _)| *o);
            Disagreement {
                at_ms: timed.start_at(at),
                timed: quote_with(&[], &a_words, a_from, a_to),
                txt: quote_with(&[], &b_words, b_from, b_to),
            }
        })
        .collect();
    PairReport {
        count: hunks.len(),
        shown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cueline_transcript::Format;

    fn texts(bytes: &str, format: Format) -> CueTexts {
        CueTexts::from_document(&Document::parse(bytes.as_bytes(), format))
    }

    const VTT: &str = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nWell, Matt McKay\nand I built\n\n00:01:02.500 --> 00:01:04.000\na playbook.\n";

    #[test]
    fn agreeing_pairs_report_nothing_and_differences_are_quoted_with_context() {
        let timed = texts(VTT, Format::Vtt);
        let same = texts(
            "00:00:01 Well, Matt McKay and I built a playbook.\n\n",
            Format::Txt,
        );
        assert_eq!(compare_pair(&timed, &same, 5), PairReport::default());
        assert_eq!(first_disagreement(&timed, &same), None);
        let fixed = texts(
            "00:00:01 Well, Matt Makai and I built a playbook.\n\n",
            Format::Txt,
        );
        let expected = Disagreement {
            at_ms: 1000,
            timed: "Well, Matt McKay and I".into(),
            txt: "Well, Matt Makai and I".into(),
        };
        let r = compare_pair(&timed, &fixed, 5);
        assert_eq!((r.count, r.shown.clone()), (1, vec![expected.clone()]));
        assert_eq!(first_disagreement(&timed, &fixed), Some(expected));
        assert_eq!(compare_pair(&timed, &fixed, 0).shown, []);
    }

    #[test]
    fn removed_words_and_later_cues_get_their_own_time() {
        let timed = texts(VTT, Format::Vtt);
        let txt = texts(
            "00:00:01 Well, Matt McKay and I built playbook.\n\n",
            Format::Txt,
        );
        let d = first_disagreement(&timed, &txt).unwrap_or_else(|| panic!("differs"));
        assert_eq!(d.at_ms, 62_500);
        assert_eq!(
            (d.timed.as_str(), d.txt.as_str()),
            ("I built a playbook.", "I built playbook.")
        );
        // whitespace runs and line breaks are one space; trailing space is none
        let spaced = texts(
            "00:00:01   Well,  Matt McKay and\tI built a playbook.   \n\n",
            Format::Txt,
        );
        assert_eq!(first_disagreement(&timed, &spaced), None);
        // one side ends early
        let short = texts("00:00:01 Well, Matt McKay and I built\n\n", Format::Txt);
        let d = first_disagreement(&timed, &short).unwrap_or_else(|| panic!("differs"));
        assert_eq!(
            (d.timed.as_str(), d.txt.as_str()),
            ("I built a playbook.", "I built")
        );
    }
}
