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
    // each case needs one of these bytes; most chunks have none (the fast path)
    if !chunk
        .bytes()
        .any(|b| matches!(b, b'.' | b'_' | b'/' | b'@' | b':'))
    {
        return false;
    }
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

/// The words of `text`, in order. One pass without allocations besides the result (the
/// command line tokenizes every cue of a repository: issue 11 wants that within 3x of
/// parsing it).
pub fn words(text: &str) -> Vec<Word> {
    // about one word in six bytes of speech
    let mut out: Vec<Word> = Vec::with_capacity(text.len() / 6 + 1);
    // a tag or an entity breaks a sounds-like window, as punctuation does
    let mut breaks = false;
    let mut pos = 0;
    if text.bytes().any(|b| b == b'<' || b == b'&') {
        for m in masked(text) {
            segment_words(text, pos..m.start, &mut out, &mut breaks);
            breaks = true;
            pos = m.end;
        }
    }
    segment_words(text, pos..text.len(), &mut out, &mut breaks);
    out
}

/// The words of `text[seg]`, a stretch without tags or entities: its whitespace-separated
/// chunks that are not URLs, e-mails or code names.
fn segment_words(text: &str, seg: Range<usize>, out: &mut Vec<Word>, breaks: &mut bool) {
    let s = &text[seg.clone()];
    if s.is_ascii() {
        return ascii_segment_words(s.as_bytes(), seg.start, out, breaks);
    }
    let mut chunk_start = None;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            if let Some(st) = chunk_start.take() {
                chunk(&s[st..i], seg.start + st, out, breaks);
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
    if let Some(st) = chunk_start {
        chunk(&s[st..], seg.start + st, out, breaks);
    }
}

fn chunk(chunk: &str, base: usize, out: &mut Vec<Word>, breaks: &mut bool) {
    if not_words(chunk) {
        *breaks = true;
    } else {
        chunk_words(chunk, base, out, breaks);
    }
}

fn char_at(s: &str, at: usize) -> Option<char> {
    s.get(at..).and_then(|r| r.chars().next())
}

fn chunk_words(chunk: &str, base: usize, out: &mut Vec<Word>, breaks: &mut bool) {
    let mut at = 0;
    // the character before `at` (a word always follows a character that is not a letter)
    let mut prev: Option<char> = None;
    while let Some(c) = char_at(chunk, at) {
        if !c.is_alphabetic() {
            // leading punctuation other than quotes breaks a window
            if !matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’' | '-' | '(' | ')') {
                *breaks = true;
            }
            prev = Some(c);
            at += c.len_utf8();
            continue;
        }
        let start = at;
        let mut end = at;
        let (mut letters, mut all_caps) = (0usize, true);
        while let Some(c) = char_at(chunk, end) {
            let next = end + c.len_utf8();
            if c.is_alphabetic() {
                letters += 1;
                all_caps &= !c.is_lowercase();
            } else if !(is_inner(c) && char_at(chunk, next).is_some_and(char::is_alphabetic)) {
                break;
            }
            end = next;
        }
        let digit_before = prev.is_some_and(|p| p.is_ascii_digit());
        let digit_after = char_at(chunk, end).is_some_and(|c| c.is_ascii_digit());
        if digit_before || digit_after {
            *breaks = true;
        } else {
            out.push(Word {
                range: base + start..base + end,
                check: !(all_caps && letters <= 5),
                joins_previous: !*breaks && !out.is_empty(),
            });
            *breaks = false;
        }
        at = end;
    }
}

/// What a byte is to the ASCII tokenizer.
const OTHER: u8 = 0; // punctuation that breaks a sounds-like window
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const DIGIT: u8 = 3;
const SPACE: u8 = 4; // as `char::is_whitespace` has it (the vertical tab too)
const QUOTE: u8 = 5; // `"`, `(`, `)`: do not break a window
const INNER: u8 = 6; // `'` and `-`: inside a word when a letter follows, else like QUOTE
const SPECIAL: u8 = 7; // `.`, `_`, `/`, `@`, `:`: the chunk may be a URL or a code name

const CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = match c {
            b'a'..=b'z' => LOWER,
            b'A'..=b'Z' => UPPER,
            b'0'..=b'9' => DIGIT,
            b' ' | b'\t'..=b'\r' => SPACE,
            b'"' | b'(' | b')' => QUOTE,
            b'\'' | b'-' => INNER,
            b'.' | b'_' | b'/' | b'@' | b':' => SPECIAL,
            _ => OTHER,
        };
        b += 1;
    }
    t
};

fn letter(class: u8) -> bool {
    class == LOWER || class == UPPER
}

/// [`segment_words`] for ASCII text (nearly every cue) in one pass over the bytes: the same
/// words. A chunk's words are pushed as they are found and taken back in the rare case the
/// chunk turns out to be a URL, an e-mail or a code name.
fn ascii_segment_words(s: &[u8], base: usize, out: &mut Vec<Word>, breaks: &mut bool) {
    let n = s.len();
    let mut i = 0;
    // the chunk being read: where it starts, how many words there were before it, whether it
    // has a byte that may make it not words, whether the byte before is a digit
    let mut chunk: Option<usize> = None;
    let (mut words_before, mut special, mut after_digit) = (0, false, false);
    while i < n {
        let class = CLASS[usize::from(s[i])];
        if class == SPACE {
            if let Some(start) = chunk.take() {
                end_chunk(&s[start..i], special, words_before, out, breaks);
            }
            i += 1;
            continue;
        }
        if chunk.is_none() {
            chunk = Some(i);
            (words_before, special, after_digit) = (out.len(), false, false);
        }
        if !letter(class) {
            special |= class == SPECIAL;
            if class != QUOTE && class != INNER {
                *breaks = true;
            }
            after_digit = class == DIGIT;
            i += 1;
            continue;
        }
        let start = i;
        let (mut letters, mut all_caps) = (0usize, true);
        while i < n {
            let class = CLASS[usize::from(s[i])];
            if letter(class) {
                letters += 1;
                all_caps &= class == UPPER;
            } else if !(class == INNER && i + 1 < n && letter(CLASS[usize::from(s[i + 1])])) {
                break;
            }
            i += 1;
        }
        let digit_after = i < n && CLASS[usize::from(s[i])] == DIGIT;
        if after_digit || digit_after {
            *breaks = true;
        } else {
            out.push(Word {
                range: base + start..base + i,
                check: !(all_caps && letters <= 5),
                joins_previous: !*breaks && !out.is_empty(),
            });
            *breaks = false;
        }
        after_digit = false; // a word ends before a byte that is not a letter
    }
    if let Some(start) = chunk {
        end_chunk(&s[start..], special, words_before, out, breaks);
    }
}

/// A chunk of [`ascii_segment_words`] ends: if it is not words, its words are taken back.
fn end_chunk(
    chunk: &[u8],
    special: bool,
    words_before: usize,
    out: &mut Vec<Word>,
    breaks: &mut bool,
) {
    // ASCII bytes are whole characters: the slice is a `str` (checked anyway, no panic)
    if special && std::str::from_utf8(chunk).is_ok_and(not_words) {
        out.truncate(words_before);
        *breaks = true;
    }
}

/// `word` without a possessive `'s` / `’s`.
pub fn strip_possessive(word: &str) -> &str {
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .filter(|w| !w.is_empty())
        .unwrap_or(word)
}

/// The first, plainer tokenizer (a `Vec` of chars per chunk), kept to check that the fast one
/// finds exactly the same words.
#[cfg(test)]
mod reference {
    use super::{Word, is_inner, masked};
    use std::ops::Range;

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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The fast tokenizer finds the words the reference one finds, on text made of the
        /// characters that matter (letters of several scripts, digits, inner and outer
        /// punctuation, tags, entities, URL and code-name characters, whitespace).
        #[test]
        fn the_fast_tokenizer_agrees_with_the_reference(
            text in "([a-zA-Z]{1,6}|[ÉéßøÜ東京]|[0-9]|[ '’\"“”‘()\\-.,;:!?_/@&<>#]|\n|\t|\u{a0}|<i>|</v>|&amp;|&#39;|://|www\\.){0,40}"
        ) {
            proptest::prop_assert_eq!(words(&text), reference::words(&text));
        }

        /// The same for ASCII text, which takes the byte-by-byte path.
        #[test]
        fn the_ascii_tokenizer_agrees_with_the_reference(
            text in "([a-zA-Z]{1,6}|[0-9]|[ '\"()\\-.,;:!?_/@&<>#]|\n|\t|\u{b}|\r|<i>|</v>|&amp;|&#39;|://|www\\.){0,40}"
        ) {
            proptest::prop_assert_eq!(words(&text), reference::words(&text));
        }
    }

    #[test]
    fn windows_break_at_punctuation_and_tags() {
        let w = words("Cloud Code, <i>yes</i> so\nthere");
        let joins: Vec<bool> = w.iter().map(|w| w.joins_previous).collect();
        assert_eq!(joins, [false, true, false, false, true]);
        assert_eq!(strip_possessive("Python's"), "Python");
    }
}
