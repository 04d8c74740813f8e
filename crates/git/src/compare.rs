//! The cue-level comparison of two versions of one transcript: the one function behind the
//! window's change marks and `cueline diff`.
//!
//! Why cues and not lines: `git diff` shows one fixed name in a `.vtt` as a hunk of lines,
//! and an inserted cue shifts every later index. Here the cues of both versions are aligned
//! on their text with a patience diff (unique texts anchor the alignment, so a repeated
//! "Yeah." never pairs the wrong cues), which makes an inserted cue one `inserted` however
//! many cues follow it, and a retimed cue one `timing`. Inside a stretch the alignment could
//! not match, cues are paired in order as `text` (or `text+timing`) and the rest are
//! `inserted` or `deleted`. Only cue text and times count: a header, a NOTE, an identifier,
//! line endings or a byte-order mark are not cue changes.

use cueline_transcript::{Document, Format};
use serde::Serialize;
use similar::{Algorithm, DiffOp, capture_diff_slices};

/// One cue as the comparison sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueSnapshot {
    /// 0-based position among the document's cues (as `cueline apply` counts).
    pub index: usize,
    /// 1-based line of the cue's timing line (for TXT, its entry line).
    pub line: usize,
    pub start_ms: u32,
    /// `None` for a TXT entry.
    pub end_ms: Option<u32>,
    /// The text lines joined by `\n`, whatever the file's line endings.
    pub text: String,
}

/// The cues of `doc`, in order.
pub fn snapshot(doc: &Document) -> Vec<CueSnapshot> {
    doc.cues()
        .map(|c| CueSnapshot {
            index: c.index,
            line: c.line,
            start_ms: c.start_ms,
            end_ms: c.end_ms,
            text: c.text,
        })
        .collect()
}

/// What happened to one cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ChangeKind {
    #[serde(rename = "text")]
    Text,
    #[serde(rename = "timing")]
    Timing,
    #[serde(rename = "text+timing")]
    TextTiming,
    #[serde(rename = "inserted")]
    Inserted,
    #[serde(rename = "deleted")]
    Deleted,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Text => "text",
            ChangeKind::Timing => "timing",
            ChangeKind::TextTiming => "text+timing",
            ChangeKind::Inserted => "inserted",
            ChangeKind::Deleted => "deleted",
        }
    }
}

/// One changed cue: indices into the two snapshot slices given to [`compare`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CueChange {
    pub kind: ChangeKind,
    /// The cue in the old version (absent for `inserted`).
    pub before: Option<usize>,
    /// The cue in the new version (absent for `deleted`).
    pub after: Option<usize>,
    /// Where the change sits in the new version: its cue, or for a deleted cue the index of
    /// the cue that now follows it (the new cue count when none does).
    pub at: usize,
}

/// The patience diff of the two versions' cue texts. The common head and tail are aligned
/// first, as git's xdiff does: after one edit in a 5,536-cue file only the edited stretch is
/// left to diff, so the window's marks cost a scan instead of hashing every cue (`make
/// bench-diff`).
fn aligned(before: &[CueSnapshot], after: &[CueSnapshot]) -> Vec<DiffOp> {
    let same = |o: &CueSnapshot, n: &CueSnapshot| o.text == n.text;
    let head = before
        .iter()
        .zip(after)
        .take_while(|(o, n)| same(o, n))
        .count();
    let tail = before[head..]
        .iter()
        .rev()
        .zip(after[head..].iter().rev())
        .take_while(|(o, n)| same(o, n))
        .count();
    let (old_mid, new_mid) = (
        &before[head..before.len() - tail],
        &after[head..after.len() - tail],
    );
    // diffed as one hash per text: cheaper for the patience diff's tables than the strings;
    // a collision at worst pairs two different texts, which `compare` reports as `text`
    let old: Vec<u64> = old_mid.iter().map(|c| text_hash(&c.text)).collect();
    let new: Vec<u64> = new_mid.iter().map(|c| text_hash(&c.text)).collect();
    let mut ops = Vec::new();
    if head > 0 {
        ops.push(DiffOp::Equal {
            old_index: 0,
            new_index: 0,
            len: head,
        });
    }
    ops.extend(
        capture_diff_slices(Algorithm::Patience, &old, &new)
            .into_iter()
            .map(|op| shifted(op, head)),
    );
    if tail > 0 {
        ops.push(DiffOp::Equal {
            old_index: before.len() - tail,
            new_index: after.len() - tail,
            len: tail,
        });
    }
    ops
}

fn text_hash(text: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(text, &mut h);
    std::hash::Hasher::finish(&h)
}

/// `op` with both its indices moved on by `by`.
fn shifted(op: DiffOp, by: usize) -> DiffOp {
    match op {
        DiffOp::Equal {
            old_index,
            new_index,
            len,
        } => DiffOp::Equal {
            old_index: old_index + by,
            new_index: new_index + by,
            len,
        },
        DiffOp::Delete {
            old_index,
            old_len,
            new_index,
        } => DiffOp::Delete {
            old_index: old_index + by,
            old_len,
            new_index: new_index + by,
        },
        DiffOp::Insert {
            old_index,
            new_index,
            new_len,
        } => DiffOp::Insert {
            old_index: old_index + by,
            new_index: new_index + by,
            new_len,
        },
        DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        } => DiffOp::Replace {
            old_index: old_index + by,
            old_len,
            new_index: new_index + by,
            new_len,
        },
    }
}

/// Every cue that differs between `before` and `after`, in the new version's order; a deleted
/// cue comes before the cue that follows it.
pub fn compare(before: &[CueSnapshot], after: &[CueSnapshot]) -> Vec<CueChange> {
    let ops = aligned(before, after);
    let mut changes = Vec::new();
    // an unaligned stretch: deletes and inserts may come as separate neighbouring ops
    let mut stretch_old: Vec<usize> = Vec::new();
    let mut stretch_new: Vec<usize> = Vec::new();
    for op in ops {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                flush_stretch(
                    before,
                    after,
                    &mut stretch_old,
                    &mut stretch_new,
                    new_index,
                    &mut changes,
                );
                for k in 0..len {
                    let (o, n) = (old_index + k, new_index + k);
                    let kind = match (
                        before[o].text == after[n].text,
                        same_timing(&before[o], &after[n]),
                    ) {
                        (true, true) => continue,
                        (true, false) => ChangeKind::Timing,
                        // two texts of one hash (never seen): still told apart
                        (false, true) => ChangeKind::Text,
                        (false, false) => ChangeKind::TextTiming,
                    };
                    changes.push(CueChange {
                        kind,
                        before: Some(o),
                        after: Some(n),
                        at: n,
                    });
                }
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => stretch_old.extend(old_index..old_index + old_len),
            DiffOp::Insert {
                new_index, new_len, ..
            } => stretch_new.extend(new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                stretch_old.extend(old_index..old_index + old_len);
                stretch_new.extend(new_index..new_index + new_len);
            }
        }
    }
    flush_stretch(
        before,
        after,
        &mut stretch_old,
        &mut stretch_new,
        after.len(),
        &mut changes,
    );
    changes
}

fn flush_stretch(
    before: &[CueSnapshot],
    after: &[CueSnapshot],
    old: &mut Vec<usize>,
    new: &mut Vec<usize>,
    new_end: usize,
    changes: &mut Vec<CueChange>,
) {
    let paired = old.len().min(new.len());
    for (&o, &n) in old.iter().zip(new.iter()) {
        let kind = if same_timing(&before[o], &after[n]) {
            ChangeKind::Text
        } else {
            ChangeKind::TextTiming
        };
        changes.push(CueChange {
            kind,
            before: Some(o),
            after: Some(n),
            at: n,
        });
    }
    changes.extend(old[paired..].iter().map(|&o| CueChange {
        kind: ChangeKind::Deleted,
        before: Some(o),
        after: None,
        at: new_end,
    }));
    changes.extend(new[paired..].iter().map(|&n| CueChange {
        kind: ChangeKind::Inserted,
        before: None,
        after: Some(n),
        at: n,
    }));
    old.clear();
    new.clear();
}

/// A TXT entry has no end, so only its start counts.
fn same_timing(a: &CueSnapshot, b: &CueSnapshot) -> bool {
    a.start_ms == b.start_ms && a.end_ms == b.end_ms
}

/// The two versions of one file, parsed, with their changes.
#[derive(Debug, Clone, Default)]
pub struct FileComparison {
    pub before: Vec<CueSnapshot>,
    pub after: Vec<CueSnapshot>,
    pub changes: Vec<CueChange>,
}

/// Compares two versions of a file of `format`; `None` stands for a file that does not exist
/// in that version (every cue of the other is inserted or deleted). Identical bytes are not
/// parsed.
pub fn compare_bytes(old: Option<&[u8]>, new: Option<&[u8]>, format: Format) -> FileComparison {
    if old == new {
        return FileComparison::default();
    }
    let parse = |b: Option<&[u8]>| {
        b.map(|b| snapshot(&Document::parse(b, format)))
            .unwrap_or_default()
    };
    let before = parse(old);
    let after = parse(new);
    let changes = compare(&before, &after);
    FileComparison {
        before,
        after,
        changes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(index: usize, start: u32, text: &str) -> CueSnapshot {
        CueSnapshot {
            index,
            line: index * 4 + 3,
            start_ms: start,
            end_ms: Some(start + 900),
            text: text.to_string(),
        }
    }

    fn kinds(changes: &[CueChange]) -> Vec<(ChangeKind, Option<usize>, Option<usize>)> {
        changes
            .iter()
            .map(|c| (c.kind, c.before, c.after))
            .collect()
    }

    #[test]
    fn an_inserted_cue_is_one_change_however_many_follow() {
        let old: Vec<_> = (0..50)
            .map(|i| cue(i, i as u32 * 1000, &format!("line {i}")))
            .collect();
        let mut new = old.clone();
        new.insert(3, cue(3, 3500, "a new cue"));
        let got = compare(&old, &new);
        assert_eq!(kinds(&got), vec![(ChangeKind::Inserted, None, Some(3))]);
    }

    #[test]
    fn a_retimed_cue_is_timing_and_an_edited_one_text() {
        let old = vec![cue(0, 0, "a"), cue(1, 1000, "b"), cue(2, 2000, "c")];
        let mut new = old.clone();
        new[1].start_ms = 1100;
        new[2].text = "c!".into();
        let got = compare(&old, &new);
        assert_eq!(
            kinds(&got),
            vec![
                (ChangeKind::Timing, Some(1), Some(1)),
                (ChangeKind::Text, Some(2), Some(2))
            ]
        );
    }

    #[test]
    fn unaligned_stretches_pair_in_order_then_delete() {
        let old = vec![
            cue(0, 0, "a"),
            cue(1, 1000, "b"),
            cue(2, 2000, "c"),
            cue(3, 3000, "d"),
        ];
        let new = vec![cue(0, 0, "a"), cue(1, 1200, "B"), cue(2, 3000, "d")];
        let got = compare(&old, &new);
        assert_eq!(
            kinds(&got),
            vec![
                (ChangeKind::TextTiming, Some(1), Some(1)),
                (ChangeKind::Deleted, Some(2), None)
            ]
        );
        // the deleted cue sits before "d", now cue 2
        assert_eq!(got[1].at, 2);
        let gone_last = compare(&old, &old[..3]);
        assert_eq!(
            (gone_last[0].kind, gone_last[0].at),
            (ChangeKind::Deleted, 3)
        );
    }

    #[test]
    fn repeated_texts_do_not_misalign() {
        let texts = ["Yeah.", "one", "Yeah.", "two", "Yeah.", "three"];
        let old: Vec<_> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| cue(i, i as u32 * 1000, t))
            .collect();
        let mut new = old.clone();
        new.remove(2);
        let got = compare(&old, &new);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].kind, ChangeKind::Deleted);
    }

    #[test]
    fn line_endings_and_headers_are_not_changes() {
        let lf = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello\n";
        let crlf = b"\xEF\xBB\xBFWEBVTT - a title\r\n\r\nNOTE hi\r\n\r\nid1\r\n00:00:01.000 --> 00:00:02.000\r\nHello\r\n";
        let got = compare_bytes(Some(lf), Some(crlf), Format::Vtt);
        assert!(got.changes.is_empty(), "{:?}", got.changes);
    }

    #[test]
    fn identical_bytes_are_not_parsed() {
        let b = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello\n";
        let got = compare_bytes(Some(b), Some(b), Format::Vtt);
        assert!(got.before.is_empty() && got.after.is_empty());
    }

    #[test]
    fn a_missing_version_is_all_inserted_or_deleted() {
        let b = b"00:00:01 Hello\n00:00:05 World\n";
        let added = compare_bytes(None, Some(b), Format::Txt);
        assert!(added.changes.iter().all(|c| c.kind == ChangeKind::Inserted));
        assert_eq!(added.changes.len(), 2);
        let gone = compare_bytes(Some(b), None, Format::Txt);
        assert!(gone.changes.iter().all(|c| c.kind == ChangeKind::Deleted));
    }
}
