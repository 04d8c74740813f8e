//! The review state of each cue, and how marks find their cues again after the cues changed.
//!
//! Why keys and not positions: the marks are kept outside the transcript, and the transcript
//! changes under them (a `git pull` that inserts a cue, retimes a run of cues, fixes a name in
//! ten of them). A mark belongs to what was heard and read, the cue's *text*, so it is keyed by
//! the hash of that text, with its neighbours' hashes to tell repeated texts ("Yeah.") apart,
//! the start time only to break a tie left by those, and the position only when the key is
//! still ambiguous. A mark whose text is found nowhere is dropped, never moved by position: a
//! cue whose text changed is *unreviewed* again.
//!
//! Inside one editing session the app's own edits keep the cue's [`CueId`]; [`carry`] follows
//! those first (an edit turns *checked* into *listened*, nothing else changes), then re-keys the
//! rest with [`rekey`]. A reload from disk keeps the ids of unchanged blocks only and gives
//! changed ones fresh ids, so an outside edit always goes through [`rekey`].
//!
//! Everything here is pure: no files, no clocks.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

use cueline_transcript::{CueId, Document};
use serde::{Deserialize, Serialize};

/// What the user has done with one cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    #[default]
    Unreviewed,
    /// Its whole span was played continuously at up to 1.5x.
    Listened,
    /// The user said it is right (Ctrl+K).
    Checked,
}

/// The hash a mark is keyed by: the first 8 bytes of the blake3 hash of the cue's text, as
/// written (stable across runs and machines).
pub fn text_hash(text: &str) -> u64 {
    let hash = blake3::hash(text.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// What the re-keying needs to know about one cue of the current document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cue {
    /// The editing session's identity of the cue (`None` when there is no session, e.g. a
    /// transcript read from disk for the sidebar).
    pub id: Option<CueId>,
    pub text: u64,
    pub start_ms: u32,
    /// `None` for TXT entries (see [`crate::listen::spans`]).
    pub end_ms: Option<u32>,
}

impl Cue {
    /// A cue of text `text` starting at `start_ms` (tests and callers without a document).
    pub fn new(text: &str, start_ms: u32) -> Cue {
        Cue {
            id: None,
            text: text_hash(text),
            start_ms,
            end_ms: None,
        }
    }
}

/// The cues of `doc`, in order.
pub fn cues_of(doc: &Document) -> Vec<Cue> {
    doc.cues()
        .map(|c| Cue {
            id: Some(c.id),
            text: text_hash(&c.text),
            start_ms: c.start_ms,
            end_ms: c.end_ms,
        })
        .collect()
}

/// A mark as it is kept on disk: the key of its cue and the mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyedMark {
    /// [`text_hash`] of the cue's text.
    #[serde(with = "hex")]
    pub text: u64,
    /// [`text_hash`] of the previous cue's text (0 for the first cue).
    #[serde(with = "hex")]
    pub prev: u64,
    /// [`text_hash`] of the next cue's text (0 for the last cue).
    #[serde(with = "hex")]
    pub next: u64,
    pub start_ms: u32,
    /// The cue's 0-based position when the mark was kept.
    pub index: u32,
    pub mark: Mark,
}

/// The neighbours' text hashes of cue `i` (0 where there is none).
fn neighbours(cues: &[Cue], i: usize) -> (u64, u64) {
    let prev = i.checked_sub(1).map_or(0, |p| cues[p].text);
    let next = cues.get(i + 1).map_or(0, |n| n.text);
    (prev, next)
}

/// The keys of every marked cue (unreviewed cues are not kept).
pub fn keyed(cues: &[Cue], marks: &[Mark]) -> Vec<KeyedMark> {
    cues.iter()
        .zip(marks)
        .enumerate()
        .filter(|(_, (_, m))| **m != Mark::Unreviewed)
        .map(|(i, (c, m))| {
            let (prev, next) = neighbours(cues, i);
            KeyedMark {
                text: c.text,
                prev,
                next,
                start_ms: c.start_ms,
                index: u32::try_from(i).unwrap_or(u32::MAX),
                mark: *m,
            }
        })
        .collect()
}

/// Above this many (mark, cue) pairs of one text, the pairs are made in order instead of by
/// score (a file of 4,000 identical texts would otherwise cost 16 million comparisons).
const MAX_PAIRS_PER_TEXT: usize = 1 << 16;

/// The marks of `cues` found from `stored` (see the module docs). Never moves a mark to a
/// cue of another text.
pub fn rekey(stored: &[KeyedMark], cues: &[Cue]) -> Vec<Mark> {
    let mut out = vec![Mark::Unreviewed; cues.len()];
    let free = vec![true; cues.len()];
    rekey_into(stored, cues, &free, &mut out);
    out
}

/// [`rekey`] onto the cues whose `free` flag is set, writing into `out`.
fn rekey_into(stored: &[KeyedMark], cues: &[Cue], free: &[bool], out: &mut [Mark]) {
    let mut by_text: HashMap<u64, Vec<usize>> = HashMap::new();
    for (j, c) in cues.iter().enumerate() {
        if free[j] {
            by_text.entry(c.text).or_default().push(j);
        }
    }
    let mut marks_by_text: HashMap<u64, Vec<&KeyedMark>> = HashMap::new();
    for m in stored.iter().filter(|m| m.mark != Mark::Unreviewed) {
        marks_by_text.entry(m.text).or_default().push(m);
    }
    for (text, marks) in marks_by_text {
        let Some(targets) = by_text.get(&text) else {
            continue; // the text is gone: its marks are dropped
        };
        if marks.len() * targets.len() > MAX_PAIRS_PER_TEXT {
            let mut marks = marks;
            marks.sort_by_key(|m| m.index);
            for (m, &j) in marks.iter().zip(targets) {
                out[j] = m.mark;
            }
            continue;
        }
        // Every pair scored: neighbours that agree, then the same start, then the nearest
        // position; the best pairs are taken first, each mark and cue once.
        let mut pairs = Vec::with_capacity(marks.len() * targets.len());
        for (mi, m) in marks.iter().enumerate() {
            for &j in targets {
                let (prev, next) = neighbours(cues, j);
                let agree = u8::from(prev == m.prev) + u8::from(next == m.next);
                let same_start = cues[j].start_ms == m.start_ms;
                let distance = (j as u64).abs_diff(u64::from(m.index));
                pairs.push(((Reverse(agree), Reverse(same_start), distance), mi, j));
            }
        }
        pairs.sort_unstable();
        let mut used_marks = HashSet::new();
        let mut used_cues = HashSet::new();
        for (_, mi, j) in pairs {
            if used_marks.contains(&mi) || used_cues.contains(&j) {
                continue;
            }
            used_marks.insert(mi);
            used_cues.insert(j);
            out[j] = marks[mi].mark;
        }
    }
}

/// The marks of `new` given the marks of `old` (the same document before a change): cues with
/// the same [`CueId`] keep their mark (a changed text turns *checked* into *listened*: it was
/// edited in this session), the others are found by [`rekey`].
pub fn carry(old: &[Cue], old_marks: &[Mark], new: &[Cue]) -> Vec<Mark> {
    let mut out = vec![Mark::Unreviewed; new.len()];
    let mut free = vec![true; new.len()];
    let by_id: HashMap<CueId, usize> = old
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.id.map(|id| (id, i)))
        .collect();
    let mut followed = vec![false; old.len()];
    for (j, c) in new.iter().enumerate() {
        let Some(&i) = c.id.and_then(|id| by_id.get(&id)) else {
            continue;
        };
        let mark = old_marks.get(i).copied().unwrap_or_default();
        out[j] = if old[i].text != c.text && mark == Mark::Checked {
            Mark::Listened
        } else {
            mark
        };
        free[j] = false;
        followed[i] = true;
    }
    let rest: Vec<KeyedMark> = keyed(old, old_marks)
        .into_iter()
        .filter(|k| !followed[k.index as usize])
        .collect();
    if !rest.is_empty() {
        rekey_into(&rest, new, &free, &mut out);
    }
    out
}

/// How many cues are in each state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub checked: u32,
    pub listened: u32,
    pub total: u32,
}

pub fn counts(marks: &[Mark]) -> Counts {
    let n = |m: Mark| u32::try_from(marks.iter().filter(|&&x| x == m).count()).unwrap_or(u32::MAX);
    Counts {
        checked: n(Mark::Checked),
        listened: n(Mark::Listened),
        total: u32::try_from(marks.len()).unwrap_or(u32::MAX),
    }
}

/// The next cue after `from` (or the first, for `None`) that is not checked, wrapping around
/// at the end; `None` when every cue is checked.
pub fn next_unchecked(marks: &[Mark], from: Option<usize>, forward: bool) -> Option<usize> {
    let n = marks.len();
    if n == 0 {
        return None;
    }
    let mut order: Box<dyn Iterator<Item = usize>> = match (from, forward) {
        (None, true) => Box::new(0..n),
        (None, false) => Box::new((0..n).rev()),
        (Some(f), true) => Box::new((f + 1..n).chain(0..=f.min(n - 1))),
        (Some(f), false) => Box::new((0..f.min(n)).rev().chain((f.min(n - 1)..n).rev())),
    };
    order.find(|&i| marks[i] != Mark::Checked)
}

/// u64 hashes as 16 hex digits (JSON numbers above 2^53 lose precision in many readers).
mod hex {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{v:016x}"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let s = String::deserialize(d)?;
        u64::from_str_radix(&s, 16).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues(texts: &[(&str, u32)]) -> Vec<Cue> {
        texts.iter().map(|(t, s)| Cue::new(t, *s)).collect()
    }

    const C: Mark = Mark::Checked;
    const L: Mark = Mark::Listened;
    const U: Mark = Mark::Unreviewed;

    #[test]
    fn marks_survive_a_cue_inserted_before_them() {
        let old = cues(&[("one", 0), ("two", 1000), ("three", 2000)]);
        let stored = keyed(&old, &[C, L, C]);
        let new = cues(&[("zero", 0), ("one", 500), ("two", 1000), ("three", 2000)]);
        assert_eq!(rekey(&stored, &new), vec![U, C, L, C]);
    }

    #[test]
    fn marks_survive_retiming_and_an_edited_cue_is_unreviewed() {
        let old = cues(&[("one", 0), ("two", 1000), ("three", 2000)]);
        let stored = keyed(&old, &[C, C, C]);
        let new = cues(&[("one", 100), ("two fixed", 1100), ("three", 2100)]);
        assert_eq!(rekey(&stored, &new), vec![C, U, C]);
    }

    #[test]
    fn a_deleted_cue_takes_its_mark_with_it() {
        let old = cues(&[("one", 0), ("two", 1000), ("three", 2000)]);
        let stored = keyed(&old, &[U, C, U]);
        let new = cues(&[("one", 0), ("three", 2000)]);
        assert_eq!(rekey(&stored, &new), vec![U, U], "never moved by position");
    }

    #[test]
    fn duplicate_texts_are_told_apart_by_neighbours_then_start_then_position() {
        // "Yeah." three times; only the middle one checked.
        let old = cues(&[
            ("a", 0),
            ("Yeah.", 1000),
            ("b", 2000),
            ("Yeah.", 3000),
            ("c", 4000),
            ("Yeah.", 5000),
            ("d", 6000),
        ]);
        let stored = keyed(&old, &[U, U, U, C, U, U, U]);
        // A cue inserted at the top and everything retimed: neighbours decide.
        let new = cues(&[
            ("new", 0),
            ("a", 10),
            ("Yeah.", 1010),
            ("b", 2010),
            ("Yeah.", 3010),
            ("c", 4010),
            ("Yeah.", 5010),
            ("d", 6010),
        ]);
        assert_eq!(rekey(&stored, &new), vec![U, U, U, U, C, U, U, U]);
        // Same neighbours everywhere ("Yeah." "Yeah." "Yeah."): the start breaks the tie.
        let old = cues(&[
            ("Yeah.", 0),
            ("Yeah.", 1000),
            ("Yeah.", 2000),
            ("Yeah.", 3000),
        ]);
        let stored = keyed(&old, &[U, U, C, U]);
        let new = cues(&[
            ("Yeah.", 0),
            ("Yeah.", 1000),
            ("Yeah.", 2000),
            ("Yeah.", 3000),
        ]);
        assert_eq!(rekey(&stored, &new), vec![U, U, C, U]);
        // All retimed alike: the position is left to decide.
        let new = cues(&[
            ("Yeah.", 7),
            ("Yeah.", 1007),
            ("Yeah.", 2007),
            ("Yeah.", 3007),
        ]);
        assert_eq!(rekey(&stored, &new), vec![U, U, C, U]);
    }

    #[test]
    fn an_edited_duplicate_does_not_steal_its_twins_mark() {
        let old = cues(&[
            ("x", 0),
            ("Yeah.", 1000),
            ("y", 2000),
            ("Yeah.", 3000),
            ("z", 4000),
        ]);
        let stored = keyed(&old, &[U, L, U, C, U]);
        // The first "Yeah." was fixed elsewhere.
        let new = cues(&[
            ("x", 0),
            ("Yeah, right.", 1000),
            ("y", 2000),
            ("Yeah.", 3000),
            ("z", 4000),
        ]);
        assert_eq!(rekey(&stored, &new), vec![U, U, U, C, U]);
    }

    #[test]
    fn thousands_of_one_text_are_paired_in_order() {
        // 400 x 400 pairs is past the scoring limit: marks go to the cues of that text in order.
        let old: Vec<Cue> = (0..400).map(|i| Cue::new("Yeah.", i * 1000)).collect();
        let marks: Vec<Mark> = (0..400).map(|i| if i % 2 == 0 { C } else { L }).collect();
        let stored = keyed(&old, &marks);
        let mut new = vec![Cue::new("Intro.", 0)];
        new.extend((0..400).map(|i| Cue::new("Yeah.", i * 1000 + 500)));
        let got = rekey(&stored, &new);
        assert_eq!(got[0], U);
        assert_eq!(&got[1..], &marks[..]);
    }

    #[test]
    fn carry_follows_ids_and_an_edit_turns_checked_into_listened() {
        let mut old = cues(&[("one", 0), ("two", 1000), ("three", 2000)]);
        for (i, c) in old.iter_mut().enumerate() {
            c.id = Some(CueId(i as u64));
        }
        let marks = [C, L, C];
        let mut new = old.clone();
        new[0].text = text_hash("one, edited");
        new[1].text = text_hash("two, edited");
        assert_eq!(carry(&old, &marks, &new), vec![L, L, C]);
        // An outside change: fresh ids for the changed blocks, the rest keep theirs.
        let mut outside = cues(&[("inserted", 0), ("one", 0), ("two!", 1000), ("three", 2500)]);
        outside[1].id = Some(CueId(0));
        outside[2].id = Some(CueId(10));
        outside[3].id = Some(CueId(11));
        assert_eq!(carry(&old, &marks, &outside), vec![U, C, U, C]);
    }

    #[test]
    fn keys_round_trip_through_json() {
        let old = cues(&[("one", 0), ("two", 1000)]);
        let stored = keyed(&old, &[C, L]);
        let json = serde_json::to_string(&stored).unwrap();
        assert!(json.contains("\"mark\":\"checked\""), "{json}");
        let back: Vec<KeyedMark> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, stored);
    }

    #[test]
    fn next_unchecked_skips_checked_cues_and_wraps() {
        let marks = [C, U, C, L, C];
        assert_eq!(next_unchecked(&marks, Some(0), true), Some(1));
        assert_eq!(next_unchecked(&marks, Some(1), true), Some(3));
        assert_eq!(next_unchecked(&marks, Some(3), true), Some(1), "wraps");
        assert_eq!(next_unchecked(&marks, None, true), Some(1));
        assert_eq!(next_unchecked(&marks, Some(3), false), Some(1));
        assert_eq!(
            next_unchecked(&marks, Some(1), false),
            Some(3),
            "wraps back"
        );
        assert_eq!(next_unchecked(&[C, C], Some(0), true), None);
        assert_eq!(next_unchecked(&[], None, true), None);
        assert_eq!(
            counts(&marks),
            Counts {
                checked: 3,
                listened: 1,
                total: 5
            }
        );
    }
}
