//! The window's side of the comparison: one change named so the window can ask about it again,
//! its committed version word by word, and the edits that put it back.
//!
//! Why here and not in the app: the marks, the side-by-side look at a change and *Revert to
//! last commit* are rules about cues (which edit undoes an `inserted`, where a `deleted` cue
//! goes back), and the desktop shell only maps them to the wire. Everything is a pure function
//! of the committed cues and the document, so it is tested without git or a window.

use cueline_transcript::{Document, Edit};

use crate::compare::{ChangeKind, CueChange, CueSnapshot, compare, snapshot};
use crate::head::HeadVersion;
use crate::words::{self, Lead, Piece};

/// How the window names a change between two calls: a deleted cue by its index in the
/// committed version, any other change by the cue's index in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeRef {
    pub deleted: bool,
    pub cue: usize,
}

impl ChangeRef {
    pub fn of(change: &CueChange) -> ChangeRef {
        match change.kind {
            ChangeKind::Deleted => ChangeRef {
                deleted: true,
                cue: change.before.unwrap_or(change.at),
            },
            _ => ChangeRef {
                deleted: false,
                cue: change.after.unwrap_or(change.at),
            },
        }
    }
}

/// The document's cues with their changes against the committed version.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// The document's cues now.
    pub now: Vec<CueSnapshot>,
    pub changes: Vec<CueChange>,
}

impl Marks {
    /// Compares `doc` with the committed cues `head`.
    pub fn of(head: &[CueSnapshot], doc: &Document) -> Marks {
        let now = snapshot(doc);
        let changes = compare(head, &now);
        Marks { now, changes }
    }

    /// The change `r` names, if it is still a change.
    pub fn find(&self, r: ChangeRef) -> Option<&CueChange> {
        self.changes.iter().find(|c| ChangeRef::of(c) == r)
    }
}

impl HeadVersion {
    /// The document's marks against this committed version.
    pub fn marks(&self, doc: &Document) -> Marks {
        Marks::of(self.cues(), doc)
    }
}

/// One run of a cue's text as the look at a change shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordRun {
    /// In both versions.
    Same(String),
    /// Only in the committed version.
    Removed(String),
    /// Only in the document.
    Added(String),
}

/// `old` and `new` as runs: unchanged text, removed words, added words, in reading order (the
/// same grouping as `git diff --word-diff=plain`, see [`words::diff`]).
pub fn word_runs(old: &str, new: &str) -> Vec<WordRun> {
    let mut out: Vec<WordRun> = Vec::new();
    let push_same = |out: &mut Vec<WordRun>, s: &str| {
        if s.is_empty() {
            return;
        }
        if let Some(WordRun::Same(prev)) = out.last_mut() {
            prev.push_str(s);
        } else {
            out.push(WordRun::Same(s.to_string()));
        }
    };
    for piece in words::diff(old, new) {
        match piece {
            Piece::Same(r) => push_same(&mut out, &new[r]),
            Piece::Changed {
                lead,
                old: o,
                new: n,
                trail,
            } => {
                match lead {
                    Lead::New(r) => push_same(&mut out, &new[r]),
                    Lead::Old(r) => push_same(&mut out, &old[r]),
                }
                if !o.is_empty() {
                    out.push(WordRun::Removed(old[o].to_string()));
                }
                if !n.is_empty() {
                    out.push(WordRun::Added(new[n].to_string()));
                }
                push_same(&mut out, &old[trail]);
            }
        }
    }
    out
}

/// A change with both versions of its cue, for the look beside the cue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeDetail {
    pub kind: ChangeKind,
    /// The committed cue (absent for `inserted`).
    pub before: Option<CueSnapshot>,
    /// The document's cue (absent for `deleted`).
    pub after: Option<CueSnapshot>,
    /// The text word by word: removed words from `before`, added ones from `after`.
    pub runs: Vec<WordRun>,
}

/// Both versions of the cue of `change`.
pub fn detail(head: &[CueSnapshot], marks: &Marks, change: &CueChange) -> ChangeDetail {
    let before = change.before.and_then(|i| head.get(i)).cloned();
    let after = change.after.and_then(|i| marks.now.get(i)).cloned();
    let old = before.as_ref().map(|c| c.text.as_str()).unwrap_or("");
    let new = after.as_ref().map(|c| c.text.as_str()).unwrap_or("");
    ChangeDetail {
        kind: change.kind,
        runs: word_runs(old, new),
        before,
        after,
    }
}

/// The edits (one undo step) that put the cue of `change` back as committed: the committed
/// text and/or times for a changed cue (so the printed bytes are the committed ones), a
/// delete for an inserted cue, and where a deleted cue stood, its committed lines
/// (`committed_lines`, from [`crate::HeadVersion::checkout_lines`]) or, without them, an insert
/// of its times and text laid out like its neighbour. `None` when the change names a cue that
/// is not there (the caller's marks are stale).
pub fn revert_edits(
    head: &[CueSnapshot],
    change: &CueChange,
    committed_lines: Option<String>,
) -> Option<Vec<Edit>> {
    let before = change.before.and_then(|i| head.get(i));
    let edits = match (change.kind, before, change.after) {
        (ChangeKind::Inserted, _, Some(cue)) => vec![Edit::Delete { cue }],
        (ChangeKind::Deleted, Some(b), _) => vec![match committed_lines {
            Some(lines) => Edit::InsertLines {
                at: change.at,
                lines,
            },
            None => Edit::Insert {
                at: change.at,
                start_ms: b.start_ms,
                end_ms: b.end_ms,
                text: b.text.clone(),
            },
        }],
        (ChangeKind::Text, Some(b), Some(cue)) => vec![Edit::SetText {
            cue,
            text: b.text.clone(),
        }],
        (ChangeKind::Timing, Some(b), Some(cue)) => vec![set_timing(cue, b)],
        (ChangeKind::TextTiming, Some(b), Some(cue)) => vec![
            Edit::SetText {
                cue,
                text: b.text.clone(),
            },
            set_timing(cue, b),
        ],
        _ => return None,
    };
    Some(edits)
}

fn set_timing(cue: usize, b: &CueSnapshot) -> Edit {
    Edit::SetTiming {
        cue,
        start_ms: Some(b.start_ms),
        end_ms: b.end_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cueline_transcript::{Format, Session};

    const HEAD: &str = "WEBVTT\r\n\r\n1\r\n00:00:01.000 --> 00:00:02.000\r\nHi, I'm Matt McKay here.\r\n\r\n2\r\n00:00:03.000 --> 00:00:04.000\r\nWe use Cloud Code daily.\r\n\r\n3\r\n00:00:05.000 --> 00:00:06.000\r\nThe end.\r\n";

    fn head_cues() -> Vec<CueSnapshot> {
        snapshot(&Document::parse(HEAD.as_bytes(), Format::Vtt))
    }

    fn session() -> Session {
        Session::new(Document::parse(HEAD.as_bytes(), Format::Vtt))
    }

    /// The committed lines of cue `i`, as `HeadVersion::checkout_lines` gives them.
    fn committed(i: Option<usize>) -> Option<String> {
        let doc = Document::parse(HEAD.as_bytes(), Format::Vtt);
        i.and_then(|i| doc.cue_lines(i)).map(str::to_owned)
    }

    /// Applies `edits`, then reverts every change one at a time (through the same session, as
    /// the window does) and checks the printed bytes are the committed ones again.
    fn revert_all(edits: &[Edit]) -> Vec<ChangeKind> {
        let head = head_cues();
        let mut s = session();
        s.apply_all(edits).unwrap();
        let kinds: Vec<ChangeKind> = Marks::of(&head, s.document())
            .changes
            .iter()
            .map(|c| c.kind)
            .collect();
        while let Some(change) = Marks::of(&head, s.document()).changes.first().copied() {
            let edits = revert_edits(&head, &change, committed(change.before)).unwrap();
            s.apply_all(&edits).unwrap();
        }
        assert_eq!(String::from_utf8(s.document().print()).unwrap(), HEAD);
        kinds
    }

    #[test]
    fn reverting_a_text_or_timing_change_gives_the_committed_bytes() {
        let kinds = revert_all(&[
            Edit::SetText {
                cue: 0,
                text: "Hi, I'm Matt Makai here.".into(),
            },
            Edit::SetTiming {
                cue: 1,
                start_ms: Some(3100),
                end_ms: Some(4200),
            },
        ]);
        assert_eq!(kinds, vec![ChangeKind::Text, ChangeKind::Timing]);
        let kinds = revert_all(&[
            Edit::SetText {
                cue: 2,
                text: "The very end.".into(),
            },
            Edit::SetTiming {
                cue: 2,
                start_ms: Some(5500),
                end_ms: None,
            },
        ]);
        assert_eq!(kinds, vec![ChangeKind::TextTiming]);
    }

    #[test]
    fn reverting_an_insert_or_a_delete() {
        let kinds = revert_all(&[Edit::Insert {
            at: 1,
            start_ms: 2000,
            end_ms: Some(2500),
            text: "A new cue".into(),
        }]);
        assert_eq!(kinds, vec![ChangeKind::Inserted]);
        let head = head_cues();
        let mut s = session();
        s.apply_all(&[Edit::Delete { cue: 1 }]).unwrap();
        let marks = Marks::of(&head, s.document());
        assert_eq!(marks.changes.len(), 1);
        let change = marks.changes[0];
        assert_eq!((change.kind, change.at), (ChangeKind::Deleted, 1));
        assert_eq!(
            marks.find(ChangeRef {
                deleted: true,
                cue: 1
            }),
            Some(&change)
        );
        s.apply_all(&revert_edits(&head, &change, committed(change.before)).unwrap())
            .unwrap();
        assert!(Marks::of(&head, s.document()).changes.is_empty());
        // with its committed lines, the deleted cue is back byte for byte: its identifier too
        assert_eq!(String::from_utf8(s.document().print()).unwrap(), HEAD);
        // without them (no checkout), its times and text come back laid out like its neighbour
        let mut s = session();
        s.apply_all(&[Edit::Delete { cue: 1 }]).unwrap();
        s.apply_all(&revert_edits(&head, &change, None).unwrap())
            .unwrap();
        assert!(Marks::of(&head, s.document()).changes.is_empty());
    }

    #[test]
    fn a_deleted_cue_comes_back_with_its_identifier_and_settings() {
        const WITH: &str = "WEBVTT\n\nintro\n00:00:01.000 --> 00:00:02.000 align:start line:10%\n<v Matt>Hello</v>\nsecond line\n\n00:03.000 --> 00:04.000\nNo id here.\n\nlast\n00:00:05.000 --> 00:00:06.000\nThe end.";
        let doc = Document::parse(WITH.as_bytes(), Format::Vtt);
        let head = snapshot(&doc);
        for cue in 0..3 {
            let mut s = Session::new(doc.clone());
            s.apply_all(&[Edit::Delete { cue }]).unwrap();
            let marks = Marks::of(&head, s.document());
            let change = marks.changes[0];
            let lines = doc.cue_lines(cue).map(str::to_owned);
            s.apply_all(&revert_edits(&head, &change, lines).unwrap())
                .unwrap();
            assert_eq!(
                String::from_utf8(s.document().print()).unwrap(),
                WITH,
                "cue {cue}"
            );
        }
    }

    #[test]
    fn the_look_at_a_change_marks_words() {
        let head = head_cues();
        let mut s = session();
        s.apply_all(&[Edit::SetText {
            cue: 1,
            text: "We use Claude Code daily.".into(),
        }])
        .unwrap();
        let marks = Marks::of(&head, s.document());
        let d = detail(&head, &marks, &marks.changes[0]);
        assert_eq!(d.kind, ChangeKind::Text);
        let text: String = d
            .runs
            .iter()
            .map(|r| match r {
                WordRun::Same(s) => s.clone(),
                WordRun::Removed(s) => format!("[-{s}-]"),
                WordRun::Added(s) => format!("{{+{s}+}}"),
            })
            .collect();
        assert_eq!(text, "We use [-Cloud-]{+Claude+} Code daily.");
        assert_eq!(d.before.unwrap().text, "We use Cloud Code daily.");
    }
}
