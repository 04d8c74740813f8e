//! Where the two files of a pair say different things.
//!
//! Why words and not entries: a `.txt` entry merges several `.vtt` cues, so entries and cues
//! never line up one to one, and about a third of the real `.txt` files carry fixes made only
//! there. Comparing the two as streams of words (cue text and entry text split at whitespace)
//! ignores how the text is cut into cues and entries and finds exactly the words that differ.
//! Most pairs agree word for word, which is checked first without building anything; the
//! others are diffed with `similar` (Myers, with a deadline so a pathological pair cannot
//! stall `cueline check`).

use std::time::{Duration, Instant};

use cueline_transcript::Document;
use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};

/// Words shown around a difference on each side.
const CONTEXT_WORDS: usize = 2;
/// Characters at most in each quoted side of a difference.
const MAX_QUOTE_CHARS: usize = 80;
/// How long one pair's diff may run before it settles for a coarser answer.
const DIFF_DEADLINE: Duration = Duration::from_millis(250);

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

/// Compares the cue text of `timed` (a `.vtt` or `.srt`) with the entries of `txt`, word by
/// word, keeping at most `max` disagreements.
pub fn compare_pair(timed: &Document, txt: &Document, max: usize) -> PairReport {
    let a_cues: Vec<(u32, String)> = timed.cues().map(|c| (c.start_ms, c.text)).collect();
    let b_cues: Vec<(u32, String)> = txt.cues().map(|c| (c.start_ms, c.text)).collect();
    let same = a_cues
        .iter()
        .flat_map(|(_, t)| t.split_whitespace())
        .eq(b_cues.iter().flat_map(|(_, t)| t.split_whitespace()));
    if same {
        return PairReport::default();
    }
    let a = words(&a_cues);
    let b = words(&b_cues);
    let a_words: Vec<&str> = a.iter().map(|(_, w)| *w).collect();
    let b_words: Vec<&str> = b.iter().map(|(_, w)| *w).collect();
    let ops = capture_diff_slices_deadline(
        Algorithm::Myers,
        &a_words,
        &b_words,
        Some(Instant::now() + DIFF_DEADLINE),
    );
    let mut report = PairReport::default();
    let mut i = 0;
    while i < ops.len() {
        if matches!(ops[i], DiffOp::Equal { .. }) {
            i += 1;
            continue;
        }
        // one disagreement: a run of non-equal ops
        let first = ops[i];
        let mut last = ops[i];
        while i < ops.len() && !matches!(ops[i], DiffOp::Equal { .. }) {
            last = ops[i];
            i += 1;
        }
        report.count += 1;
        if report.shown.len() >= max {
            continue;
        }
        let (a_from, b_from) = (first.old_range().start, first.new_range().start);
        let (a_to, b_to) = (last.old_range().end, last.new_range().end);
        let at_ms = a
            .get(a_from)
            .or_else(|| a.get(a_from.saturating_sub(1)))
            .map_or(0, |(ms, _)| *ms);
        report.shown.push(Disagreement {
            at_ms,
            timed: quote(&a_words, a_from, a_to),
            txt: quote(&b_words, b_from, b_to),
        });
    }
    report
}

/// Every word of `cues` with its cue's start.
fn words(cues: &[(u32, String)]) -> Vec<(u32, &str)> {
    cues.iter()
        .flat_map(|(ms, t)| t.split_whitespace().map(move |w| (*ms, w)))
        .collect()
}

/// Words `from..to` with up to [`CONTEXT_WORDS`] on each side, shortened to
/// [`MAX_QUOTE_CHARS`].
fn quote(words: &[&str], from: usize, to: usize) -> String {
    let start = from.saturating_sub(CONTEXT_WORDS);
    let end = (to + CONTEXT_WORDS).min(words.len());
    let text = words[start..end].join(" ");
    match text.char_indices().nth(MAX_QUOTE_CHARS) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cueline_transcript::Format;

    #[test]
    fn agreeing_pairs_report_nothing_and_differences_are_quoted_with_context() {
        let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nWell, Matt McKay\nand I built\n\n00:01:02.500 --> 00:01:04.000\na playbook.\n";
        let same = "00:00:01 Well, Matt McKay and I built a playbook.\n\n";
        let fixed = "00:00:01 Well, Matt Makai and I built a playbook.\n\n";
        let timed = Document::parse(vtt.as_bytes(), Format::Vtt);
        let r = compare_pair(&timed, &Document::parse(same.as_bytes(), Format::Txt), 5);
        assert_eq!(r, PairReport::default());
        let r = compare_pair(&timed, &Document::parse(fixed.as_bytes(), Format::Txt), 5);
        assert_eq!(r.count, 1);
        assert_eq!(
            r.shown[0],
            Disagreement {
                at_ms: 1000,
                timed: "Well, Matt McKay and I".into(),
                txt: "Well, Matt Makai and I".into(),
            }
        );
        let r = compare_pair(&timed, &Document::parse(fixed.as_bytes(), Format::Txt), 0);
        assert_eq!((r.count, r.shown.len()), (1, 0));
    }
}
