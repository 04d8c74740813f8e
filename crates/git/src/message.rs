//! The commit message the commit dialog starts from, made from what changed.
//!
//! Why: the repositories Cueline edits take a fix as one small commit whose subject says what
//! was fixed where (`Fix names in 064_pypi: Matt Makai`). The words a user typed are in the
//! comparison already, so the dialog can say it for them; they can still rewrite it.

use std::collections::BTreeSet;

use crate::compare::{ChangeKind, FileComparison};
use crate::words::{self, Piece};

/// At most this many fixed words or names in the subject.
const MAX_WORDS: usize = 3;

/// The message for a commit of `files` (each its path, `/`-separated, and its comparison with
/// the committed version): where (the episode, or how many), and what (the names or words
/// typed in, else timing, else added or removed cues).
pub fn commit_message(files: &[(&str, &FileComparison)]) -> String {
    let mut episodes: Vec<String> = Vec::new();
    for (path, _) in files {
        let ep = episode_of(path);
        if !episodes.contains(&ep) {
            episodes.push(ep);
        }
    }
    let place = match episodes.as_slice() {
        [] => "the transcripts".to_string(),
        [one] => one.clone(),
        many => format!("{} episodes", many.len()),
    };
    let mut names: Vec<String> = Vec::new();
    let mut other: Vec<String> = Vec::new();
    let mut timing = false;
    let mut cues_added_or_removed = false;
    for (_, cmp) in files {
        for change in &cmp.changes {
            match change.kind {
                ChangeKind::Timing => timing = true,
                ChangeKind::Inserted | ChangeKind::Deleted => cues_added_or_removed = true,
                ChangeKind::Text | ChangeKind::TextTiming => {
                    let old = change
                        .before
                        .and_then(|i| cmp.before.get(i))
                        .map(|c| c.text.as_str())
                        .unwrap_or("");
                    let new = change
                        .after
                        .and_then(|i| cmp.after.get(i))
                        .map(|c| c.text.as_str())
                        .unwrap_or("");
                    for (fixed, is_name) in typed_in(old, new) {
                        let list = if is_name { &mut names } else { &mut other };
                        if !list.contains(&fixed) {
                            list.push(fixed);
                        }
                    }
                }
            }
        }
    }
    if !names.is_empty() {
        return format!("Fix names in {place}: {}", listed(&names));
    }
    if !other.is_empty() {
        return format!("Fix words in {place}: {}", listed(&other));
    }
    if timing && !cues_added_or_removed {
        return format!("Fix timing in {place}");
    }
    if cues_added_or_removed {
        return format!("Edit cues in {place}");
    }
    format!("Update {place}")
}

fn listed(words: &[String]) -> String {
    let mut out = words[..words.len().min(MAX_WORDS)].join(", ");
    if words.len() > MAX_WORDS {
        out.push_str(", …");
    }
    out
}

/// `064_pypi` for `transcripts/064_pypi.vtt`: the file name without its extension.
fn episode_of(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ => name.to_string(),
    }
}

const PUNCTUATION: &[char] = &[
    '.', ',', ';', ':', '!', '?', '"', '\'', '(', ')', '“', '”', '‘', '’', '…',
];

fn bare(word: &str) -> &str {
    word.trim_matches(PUNCTUATION)
}

fn capitalised(word: &str) -> bool {
    let w = bare(word);
    !matches!(w, "I" | "I'm" | "I've" | "I'll" | "I'd" | "I’m")
        && w.chars().next().is_some_and(char::is_uppercase)
}

/// The words typed in for each changed group of `new`, and whether they read as a name; a name
/// takes the capitalised words around it (`Matt` before `Makai`), up to punctuation.
fn typed_in(old: &str, new: &str) -> Vec<(String, bool)> {
    let spans: Vec<(usize, usize)> = word_spans(new);
    let mut out = Vec::new();
    for piece in words::diff(old, new) {
        let Piece::Changed { new: n, .. } = piece else {
            continue;
        };
        if n.is_empty() {
            continue;
        }
        let Some(first) = spans.iter().position(|&(a, _)| a == n.start) else {
            continue;
        };
        let Some(last) = spans.iter().position(|&(_, b)| b == n.end) else {
            continue;
        };
        let word = |i: usize| &new[spans[i].0..spans[i].1];
        let is_name = (first..=last).all(|i| capitalised(word(i)));
        let (mut from, mut to) = (first, last);
        if is_name {
            while from > 0 && capitalised(word(from - 1)) && !ends_clause(word(from - 1)) {
                from -= 1;
            }
            while to + 1 < spans.len() && !ends_clause(word(to)) && capitalised(word(to + 1)) {
                to += 1;
            }
        }
        let text: Vec<&str> = (from..=to).map(|i| bare(word(i))).collect();
        let text = text.join(" ");
        if !text.is_empty() {
            out.push((text, is_name));
        }
    }
    let mut seen = BTreeSet::new();
    out.retain(|(t, _)| seen.insert(t.clone()));
    out
}

fn ends_clause(word: &str) -> bool {
    word.ends_with(['.', ',', ';', ':', '!', '?'])
}

/// Byte spans of the words (runs without whitespace) of `s`.
fn word_spans(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, ch) in s.char_indices() {
        match (ch.is_whitespace(), start) {
            (true, Some(a)) => {
                out.push((a, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(a) = start {
        out.push((a, s.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::compare_bytes;
    use cueline_transcript::Format;

    fn vtt(texts: &[(&str, &str)]) -> Vec<u8> {
        let mut s = String::from("WEBVTT\n");
        for (i, (time, text)) in texts.iter().enumerate() {
            s.push_str(&format!("\n00:00:0{i}.000 --> {time}\n{text}\n"));
        }
        s.into_bytes()
    }

    #[test]
    fn a_fixed_name_says_the_whole_name_and_the_episode() {
        let old = vtt(&[
            ("00:00:09.000", "Hi, I'm Matt McKay here."),
            ("00:00:09.000", "Yes."),
        ]);
        let new = vtt(&[
            ("00:00:09.000", "Hi, I'm Matt Makai here."),
            ("00:00:09.000", "Yes."),
        ]);
        let cmp = compare_bytes(Some(&old), Some(&new), Format::Vtt);
        let txt = compare_bytes(
            Some(b"00:00:00 Hi, I'm Matt McKay here.\n"),
            Some(b"00:00:00 Hi, I'm Matt Makai here.\n"),
            Format::Txt,
        );
        assert_eq!(
            commit_message(&[
                ("transcripts/064_pypi.vtt", &cmp),
                ("transcripts/064_pypi.txt", &txt)
            ]),
            "Fix names in 064_pypi: Matt Makai"
        );
    }

    #[test]
    fn words_timing_and_cues() {
        let old = vtt(&[("00:00:09.000", "we use rough daily")]);
        let words = vtt(&[("00:00:09.000", "we use ruff daily")]);
        let timing = vtt(&[("00:00:08.000", "we use rough daily")]);
        let cmp = compare_bytes(Some(&old), Some(&words), Format::Vtt);
        assert_eq!(
            commit_message(&[("a/001_x.vtt", &cmp), ("b/002_y.vtt", &cmp)]),
            "Fix words in 2 episodes: ruff"
        );
        let cmp = compare_bytes(Some(&old), Some(&timing), Format::Vtt);
        assert_eq!(
            commit_message(&[("001_x.vtt", &cmp)]),
            "Fix timing in 001_x"
        );
        let cmp = compare_bytes(Some(&old), None, Format::Vtt);
        assert_eq!(commit_message(&[("001_x.vtt", &cmp)]), "Edit cues in 001_x");
        assert_eq!(
            commit_message(&[("001_x.vtt", &FileComparison::default())]),
            "Update 001_x"
        );
    }

    #[test]
    fn many_names_are_cut_short() {
        let old = vtt(&[
            ("00:00:09.000", "says ann"),
            ("00:00:09.000", "says bob"),
            ("00:00:09.000", "says cy"),
            ("00:00:09.000", "says dee"),
        ]);
        let new = vtt(&[
            ("00:00:09.000", "says Ann"),
            ("00:00:09.000", "says Bob"),
            ("00:00:09.000", "says Cy"),
            ("00:00:09.000", "says Dee"),
        ]);
        let cmp = compare_bytes(Some(&old), Some(&new), Format::Vtt);
        assert_eq!(
            commit_message(&[("e.vtt", &cmp)]),
            "Fix names in e: Ann, Bob, Cy, …"
        );
    }
}
