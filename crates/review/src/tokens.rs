//! Which parts of a cue's text are words to check.
//!
//! Words are letters with inner apostrophes or hyphens. Never checked: WebVTT tags
//! (`<v Name>`, `<i>`, timestamps), entities (`&amp;`), numbers and words with digits,
//! URLs and domains (`talkpython.fm`), e-mail addresses, `snake_case` and `dotted.names`.
//! All-caps words of up to 5 letters are words (they take part in sounds-like windows) but
//! are not spell-checked.

use std::ops::Range;

/// One word of cue text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte range in the cue text.
    pub range: Range<usize>,
    /// Spell-check it (false for short all-caps words).
    pub check: bool,
    /// A sounds-like window may run from the word before into this one (only spaces,
    /// hyphens, line breaks or quotes between them).
    pub joins_previous: bool,
}

fn is_inner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-')
}

/// Byte ranges of `text` that are not words at all: tags and entities.
fn masked(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => {
                if let Some(end) = text[i..].find('>') {
                    out.push(i..i + end + 1);
                    i += end + 1;
                    continue;
                }
            }
            b'&' => {
                let rest = &text[i + 1..];
                let len = rest
                    .find(';')
                    .filter(|&n| {
                        n > 0
                            && n <= 10
                            && rest[..n]
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || c == '#')
                    })
                    .map(|n| n + 2);
                if let Some(len) = len {
                    out.push(i..i + len);
                    i += len;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// A whitespace-separated chunk that is not words: a URL, an e-mail, a domain or
/// `dotted.name`, a `snake_case` name.
fn not_words(chunk: &str) -> bool {
    if chunk.contains("://") || chunk.starts_with("www.") || chunk.contains('@') {
        return true;
    }
    let t = chunk.trim_matches(|c: char| !c.is_alphanumeric());
    let inner = |sep: char| {
        t.char_indices().any(|(i, c)| {
            c == sep
                && t[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
                && t[i + 1..].chars().next().is_some_and(char::is_alphanumeric)
        })
    };
    inner('.') || inner('_') || inner('/')
}

/// The words of `text`, in order.
pub fn words(text: &str) -> Vec<Word> {
    let mask = masked(text);
    let mut out: Vec<Word> = Vec::new();
    // Replace masked bytes by spaces conceptually: walk chunks between whitespace and masks.
    let mut breaks_since_last = false;
    let mut pos = 0;
    let mut segments: Vec<Range<usize>> = Vec::new();
    for m in &mask {
        segments.push(pos..m.start);
        segments.push(m.end..m.end); // marker: a break
        pos = m.end;
    }
    segments.push(pos..text.len());
    for seg in segments {
        if seg.is_empty() {
            breaks_since_last = true;
            continue;
        }
        let s = &text[seg.clone()];
        let mut chunk_start = None;
        let mut chunks = Vec::new();
        for (i, c) in s.char_indices() {
            if c.is_whitespace() {
                if let Some(st) = chunk_start.take() {
                    chunks.push(st..i);
                }
            } else if chunk_start.is_none() {
                chunk_start = Some(i);
            }
        }
        if let Some(st) = chunk_start {
            chunks.push(st..s.len());
        }
        for ch in chunks {
            let chunk = &s[ch.clone()];
            let base = seg.start + ch.start;
            if not_words(chunk) {
                breaks_since_last = true;
                continue;
            }
            chunk_words(chunk, base, &mut out, &mut breaks_since_last);
        }
    }
    out
}

fn chunk_words(chunk: &str, base: usize, out: &mut Vec<Word>, breaks: &mut bool) {
    let chars: Vec<(usize, char)> = chunk.char_indices().collect();
    let mut i = 0;
    // leading punctuation other than quotes breaks a window
    while i < chars.len() {
        let (at, c) = chars[i];
        if !c.is_alphabetic() {
            if !matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’' | '-' | '(' | ')') {
                *breaks = true;
            }
            i += 1;
            continue;
        }
        let start = at;
        let mut j = i;
        while j < chars.len() {
            let c = chars[j].1;
            let inner = is_inner(c) && chars.get(j + 1).is_some_and(|n| n.1.is_alphabetic());
            if c.is_alphabetic() || (inner && j > i) {
                j += 1;
            } else {
                break;
            }
        }
        let end = chars.get(j).map_or(chunk.len(), |c| c.0);
        let digit_before = i > 0 && chars[i - 1].1.is_ascii_digit();
        let digit_after = chars.get(j).is_some_and(|c| c.1.is_ascii_digit());
        if digit_before || digit_after {
            *breaks = true;
        } else {
            let word = &chunk[start..end];
            let letters = word.chars().filter(|c| c.is_alphabetic()).count();
            let all_caps = word.chars().all(|c| !c.is_lowercase());
            out.push(Word {
                range: base + start..base + end,
                check: !(all_caps && letters <= 5),
                joins_previous: !*breaks && !out.is_empty(),
            });
            *breaks = false;
        }
        i = j;
    }
}

/// `word` without a possessive `'s` / `’s`.
pub fn strip_possessive(word: &str) -> &str {
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .filter(|w| !w.is_empty())
        .unwrap_or(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        words(text).into_iter().map(|w| &text[w.range]).collect()
    }

    #[test]
    fn words_and_what_is_not() {
        assert_eq!(
            texts(
                "<v Michael>I'm at talkpython.fm, e-mail me@x.io; snake_case os.path 3rd Python3 &amp; it’s"
            ),
            ["I'm", "at", "e-mail", "it’s"]
        );
        assert_eq!(texts("rock-'n-roll -- well-"), ["rock", "n-roll", "well"]);
        let w = words("NASA said AWESOMENESS");
        assert_eq!(
            w.iter().map(|w| w.check).collect::<Vec<_>>(),
            [false, true, true]
        );
    }

    #[test]
    fn windows_break_at_punctuation_and_tags() {
        let w = words("Cloud Code, <i>yes</i> so\nthere");
        let joins: Vec<bool> = w.iter().map(|w| w.joins_previous).collect();
        assert_eq!(joins, [false, true, false, false, true]);
        assert_eq!(strip_possessive("Python's"), "Python");
    }
}
