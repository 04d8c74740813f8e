//! A cue-level comparison of two versions of a transcript, for the side-by-side view shown in a
//! conflict ("Compare") and when a crash journal diverged from the file.
//!
//! The two cue lists are aligned with a patience diff (the `similar` crate, as the reload does),
//! so a cue inserted or deleted on one side shows as one one-sided row instead of shifting every
//! row after it. Within a changed stretch, cues are paired up in order (one side may run out
//! first). That is what a person needs to decide between "theirs" and "mine"; it is not a merge.

use cueline_transcript::{Document, Format};
use similar::{Algorithm, DiffOp, capture_diff_slices};

/// One cue as shown in the comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparedCue {
    /// 0-based position in its own version.
    pub index: usize,
    pub start_ms: u32,
    pub end_ms: Option<u32>,
    pub text: String,
}

/// A row of the side-by-side view: the cue of each version at this place (`None`: that
/// version has no cue here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareRow {
    pub theirs: Option<ComparedCue>,
    pub mine: Option<ComparedCue>,
}

fn cues(bytes: &[u8], format: Format) -> Vec<ComparedCue> {
    Document::parse(bytes, format)
        .cues()
        .map(|c| ComparedCue {
            index: c.index,
            start_ms: c.start_ms,
            end_ms: c.end_ms,
            text: c.text,
        })
        .collect()
}

fn same(a: &ComparedCue, b: &ComparedCue) -> bool {
    a.start_ms == b.start_ms && a.end_ms == b.end_ms && a.text == b.text
}

/// The rows where `theirs` and `mine` differ, in document order.
pub fn compare(theirs: &[u8], mine: &[u8], format: Format) -> Vec<CompareRow> {
    let t = cues(theirs, format);
    let m = cues(mine, format);
    let key = |c: &ComparedCue| (c.start_ms, c.end_ms, c.text.clone());
    let t_keys: Vec<_> = t.iter().map(key).collect();
    let m_keys: Vec<_> = m.iter().map(key).collect();
    let mut rows = Vec::new();
    for op in capture_diff_slices(Algorithm::Patience, &t_keys, &m_keys) {
        let (old, new) = match op {
            DiffOp::Equal { .. } => continue,
            DiffOp::Delete {
                old_index, old_len, ..
            } => (old_index..old_index + old_len, 0..0),
            DiffOp::Insert {
                new_index, new_len, ..
            } => (0..0, new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                old_index..old_index + old_len,
                new_index..new_index + new_len,
            ),
        };
        for i in 0..old.len().max(new.len()) {
            rows.push(CompareRow {
                theirs: old.clone().nth(i).and_then(|k| t.get(k).cloned()),
                mine: new.clone().nth(i).and_then(|k| m.get(k).cloned()),
            });
        }
    }
    debug_assert!(rows.iter().all(|r| match (&r.theirs, &r.mine) {
        (Some(a), Some(b)) => !same(a, b),
        _ => true,
    }));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\none\n\n00:00:03.000 --> 00:00:04.000\ntwo\n\n00:00:05.000 --> 00:00:06.000\nthree\n";

    #[test]
    fn only_differing_cues_are_rows() {
        assert!(compare(A.as_bytes(), A.as_bytes(), Format::Vtt).is_empty());
        let mine = A.replace("two", "TWO");
        let rows = compare(A.as_bytes(), mine.as_bytes(), Format::Vtt);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].theirs.as_ref().unwrap().text, "two");
        assert_eq!(rows[0].mine.as_ref().unwrap().text, "TWO");
        assert_eq!(rows[0].mine.as_ref().unwrap().index, 1);
        let fewer = A.replace("\n00:00:05.000 --> 00:00:06.000\nthree\n", "");
        let rows = compare(A.as_bytes(), fewer.as_bytes(), Format::Vtt);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].theirs.as_ref().unwrap().text, "three");
        assert!(rows[0].mine.is_none());
    }

    #[test]
    fn an_inserted_cue_is_one_row_and_does_not_shift_the_rest() {
        // Theirs added a cue at the start and changed the last; mine is the original.
        let theirs = A
            .replace(
                "WEBVTT\n\n",
                "WEBVTT\n\n00:00:00.000 --> 00:00:00.500\nintro\n\n",
            )
            .replace("three", "THREE");
        let rows = compare(theirs.as_bytes(), A.as_bytes(), Format::Vtt);
        assert_eq!(rows.len(), 2, "{rows:#?}");
        assert_eq!(rows[0].theirs.as_ref().unwrap().text, "intro");
        assert!(rows[0].mine.is_none());
        assert_eq!(rows[1].theirs.as_ref().unwrap().text, "THREE");
        assert_eq!(rows[1].mine.as_ref().unwrap().text, "three");
        assert_eq!(rows[1].mine.as_ref().unwrap().index, 2);
    }
}
