//! Finding and replacing in cue text.
//!
//! Matching runs on a cue's text exactly as written (voice tags included) and never on timing
//! lines, headers or notes. A replacement substitutes the matched span and nothing else: the
//! characters around it, spaces included, are never touched (a real repository-wide fix once
//! turned "uv tool install rough" into "uv toolinstall ruff"; that cannot happen here).

use std::ops::Range;

use regex::{Regex, RegexBuilder};
use thiserror::Error;

use crate::document::Document;
use crate::edit::Edit;

/// What to look for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub pattern: String,
    /// The pattern is a Rust regex (`$1` in the replacement refers to its groups).
    pub regex: bool,
    /// A match may not be preceded or followed by a letter, digit or underscore.
    pub whole_word: bool,
    pub ignore_case: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SearchError {
    #[error("the search pattern is empty")]
    Empty,
    #[error("invalid regular expression: {0}")]
    Regex(String),
}

/// A compiled [`Query`].
#[derive(Debug, Clone)]
pub struct Matcher {
    re: Regex,
    whole_word: bool,
    expand: bool,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn next_boundary(text: &str, at: usize) -> usize {
    text[at..]
        .chars()
        .next()
        .map_or(at + 1, |c| at + c.len_utf8())
}

impl Matcher {
    pub fn new(query: &Query) -> Result<Matcher, SearchError> {
        if query.pattern.is_empty() {
            return Err(SearchError::Empty);
        }
        let source = if query.regex {
            query.pattern.clone()
        } else {
            regex::escape(&query.pattern)
        };
        let re = RegexBuilder::new(&source)
            .case_insensitive(query.ignore_case)
            .build()
            .map_err(|e| SearchError::Regex(e.to_string()))?;
        Ok(Matcher {
            re,
            whole_word: query.whole_word,
            expand: query.regex,
        })
    }

    /// Byte ranges of the non-overlapping, non-empty matches in `text`, left to right.
    pub fn find(&self, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(m) = self.find_from(text, at) {
            at = m.end;
            out.push(m);
        }
        out
    }

    /// The first non-empty match in `haystack` that starts at or after byte `at` and passes the
    /// whole-word rule, judged with the whole haystack as context. [`Matcher::find`] is this
    /// in a loop; a caller scanning many texts laid out in one buffer (separated by `\n`,
    /// which is not a word character) gets the same matches as `find` on each text, except
    /// for matches that would run across a separator and patterns anchored to the start or
    /// end of the text (`^`, `$`, `\A`, `\z` without the `m` flag).
    pub fn find_from(&self, haystack: &str, mut at: usize) -> Option<Range<usize>> {
        while at <= haystack.len() {
            let m = self.re.find_at(haystack, at)?;
            let before_ok = !self.whole_word
                || !haystack[..m.start()]
                    .chars()
                    .next_back()
                    .is_some_and(is_word);
            let after_ok =
                !self.whole_word || !haystack[m.end()..].chars().next().is_some_and(is_word);
            if m.is_empty() || !before_ok || !after_ok {
                at = next_boundary(haystack, m.start());
                continue;
            }
            return Some(m.range());
        }
        None
    }

    /// What `replacement` becomes for the match at `range` (regex groups expanded).
    pub fn replacement_for(&self, text: &str, range: &Range<usize>, replacement: &str) -> String {
        if !self.expand {
            return replacement.to_owned();
        }
        let mut out = String::new();
        if let Some(caps) = self.re.captures_at(text, range.start) {
            caps.expand(replacement, &mut out);
        }
        out
    }

    /// `text` with every match replaced, and the number of replacements.
    pub fn replace(&self, text: &str, replacement: &str) -> (String, usize) {
        let hits = self.find(text);
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for r in &hits {
            out.push_str(&text[last..r.start]);
            out.push_str(&self.replacement_for(text, r, replacement));
            last = r.end;
        }
        out.push_str(&text[last..]);
        (out, hits.len())
    }
}

/// The matches in one cue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueHits {
    pub cue: usize,
    pub line: usize,
    pub start_ms: u32,
    pub text: String,
    /// Byte ranges into `text`.
    pub hits: Vec<Range<usize>>,
}

/// Every cue of `doc` with at least one match.
pub fn find_in_document(doc: &Document, matcher: &Matcher) -> Vec<CueHits> {
    doc.cues()
        .filter_map(|c| {
            let hits = matcher.find(&c.text);
            (!hits.is_empty()).then_some(CueHits {
                cue: c.index,
                line: c.line,
                start_ms: c.start_ms,
                text: c.text,
                hits,
            })
        })
        .collect()
}

/// The `set_text` edits that replace every match in `doc`, and the number of replacements.
pub fn plan_replace(doc: &Document, matcher: &Matcher, replacement: &str) -> (Vec<Edit>, usize) {
    let mut count = 0;
    let edits = find_in_document(doc, matcher)
        .into_iter()
        .filter_map(|h| {
            let (text, n) = matcher.replace(&h.text, replacement);
            count += n;
            (text != h.text).then_some(Edit::SetText { cue: h.cue, text })
        })
        .collect();
    (edits, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, regex: bool, whole_word: bool, ignore_case: bool) -> Matcher {
        Matcher::new(&Query {
            pattern: pattern.into(),
            regex,
            whole_word,
            ignore_case,
        })
        .unwrap()
    }

    #[test]
    fn whole_word_skips_inside_words_but_finds_later_ones() {
        let x = m("rough", false, true, false);
        assert_eq!(
            x.replace("roughly rough, rough_ (rough)", "ruff").0,
            "roughly ruff, rough_ (ruff)"
        );
    }

    #[test]
    fn spaces_around_a_match_are_kept() {
        let x = m("rough", false, true, false);
        assert_eq!(
            x.replace("uv tool install rough", "ruff").0,
            "uv tool install ruff"
        );
    }

    #[test]
    fn regex_groups_and_case() {
        let x = m(r"matt (mc)kay", true, false, true);
        assert_eq!(
            x.replace("Matt McKay said", "Matt Makai [$1]").0,
            "Matt Makai [Mc] said"
        );
        let lit = m("$1", false, false, false);
        assert_eq!(lit.replace("costs $1", "$2").0, "costs $2");
    }

    #[test]
    fn find_from_in_a_joined_buffer_agrees_with_find_per_text() {
        let texts = [
            "rough",
            "uv tool install rough",
            "roughly (rough)",
            "through rough_",
        ];
        let buffer = texts.join("\n");
        for x in [
            m("rough", false, true, false),
            m("rough", false, false, false),
            m(r"r\w+", true, true, true),
        ] {
            let mut at = 0;
            let mut joined = Vec::new();
            while let Some(r) = x.find_from(&buffer, at) {
                at = r.end;
                joined.push(r);
            }
            let mut offset = 0;
            let mut each = Vec::new();
            for t in texts {
                each.extend(
                    x.find(t)
                        .into_iter()
                        .map(|r| r.start + offset..r.end + offset),
                );
                offset += t.len() + 1;
            }
            assert_eq!(joined, each);
        }
    }

    #[test]
    fn empty_and_bad_patterns() {
        assert!(Matcher::new(&Query::default()).is_err());
        assert!(
            Matcher::new(&Query {
                pattern: "(".into(),
                regex: true,
                ..Query::default()
            })
            .is_err()
        );
        assert!(m("x*", true, false, false).find("abc").is_empty());
    }
}
