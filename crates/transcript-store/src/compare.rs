//! A cue-level comparison of two versions of a transcript, for the side-by-side view shown in a
//! conflict ("Compare") and when a crash journal diverged from the file.
//!
//! Deliberately simple: the cues both versions share at the start and at the end are skipped,
//! and the differing middle is paired up by position (one side may run out first). That is what
//! a person needs to decide between "theirs" and "mine"; it is not a merge.

use cueline_transcript::{Document, Format};

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

/// The rows where `theirs` and `mine` differ.
pub fn compare(theirs: &[u8], mine: &[u8], format: Format) -> Vec<CompareRow> {
    let t = cues(theirs, format);
    let m = cues(mine, format);
    let prefix = t.iter().zip(&m).take_while(|(a, b)| same(a, b)).count();
    let suffix = t[prefix..]
        .iter()
        .rev()
        .zip(m[prefix..].iter().rev())
        .take_while(|(a, b)| same(a, b))
        .count();
    let t_mid = &t[prefix..t.len() - suffix];
    let m_mid = &m[prefix..m.len() - suffix];
    (0..t_mid.len().max(m_mid.len()))
        .map(|i| CompareRow {
            theirs: t_mid.get(i).cloned(),
            mine: m_mid.get(i).cloned(),
        })
        .collect()
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
}
