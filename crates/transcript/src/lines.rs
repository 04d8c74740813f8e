//! Splitting text into lines without losing a byte.
//!
//! Real transcripts mix `\n`, `\r\n` and a lone `\r`, sometimes within one file, and may end
//! without a final newline. Every consumer in this crate walks lines through [`lines`] so the
//! rule for what a line ending is lives in one place.

use std::ops::Range;

/// One physical line: `content` excludes the ending, `full` includes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    pub content: Range<usize>,
    pub full: Range<usize>,
}

impl Line {
    pub fn ending<'a>(&self, text: &'a str) -> &'a str {
        &text[self.content.end..self.full.end]
    }
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.content.clone()]
    }
    pub fn is_blank(&self) -> bool {
        self.content.is_empty()
    }
    /// Blank for the TXT format: a separator line may hold spaces or tabs, and it belongs to the
    /// entry before it (so deleting the entry removes it, as a person's fix does).
    pub fn is_blank_txt(&self, text: &str) -> bool {
        self.text(text).bytes().all(|b| b == b' ' || b == b'\t')
    }
    /// The same line with offsets relative to `base` (a block's start).
    pub fn rebased(&self, base: usize) -> Line {
        Line {
            content: self.content.start - base..self.content.end - base,
            full: self.full.start - base..self.full.end - base,
        }
    }
}

/// Iterates the lines of `text`, starting at byte `from`.
pub(crate) fn lines(text: &str) -> LineIter<'_> {
    LineIter {
        bytes: text.as_bytes(),
        pos: 0,
    }
}

pub(crate) struct LineIter<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Iterator for LineIter<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        let start = self.pos;
        if start >= self.bytes.len() {
            return None;
        }
        let rest = &self.bytes[start..];
        let (content_end, full_end) = match memchr::memchr2(b'\n', b'\r', rest) {
            None => (self.bytes.len(), self.bytes.len()),
            Some(i) => {
                let at = start + i;
                if self.bytes[at] == b'\r' && self.bytes.get(at + 1) == Some(&b'\n') {
                    (at, at + 2)
                } else {
                    (at, at + 1)
                }
            }
        };
        self.pos = full_end;
        Some(Line {
            content: start..content_end,
            full: start..full_end,
        })
    }
}

/// Every line of a text, indexed, with the helpers the WebVTT and SRT splitters share.
pub(crate) struct LineTable {
    pub all: Vec<Line>,
}

impl LineTable {
    pub fn new(text: &str) -> LineTable {
        let mut all = Vec::with_capacity(count_breaks(text) + 1);
        all.extend(lines(text));
        LineTable { all }
    }

    pub fn len(&self) -> usize {
        self.all.len()
    }

    /// The first non-blank line at or after `j` (or the end).
    pub fn skip_blank(&self, mut j: usize) -> usize {
        while j < self.all.len() && self.all[j].is_blank() {
            j += 1;
        }
        j
    }

    /// The first blank line at or after `j` (or the end): where a paragraph ends.
    pub fn para_end(&self, mut j: usize) -> usize {
        while j < self.all.len() && !self.all[j].is_blank() {
            j += 1;
        }
        j
    }

    /// Byte offset where line `j` starts (the end of line `j - 1`).
    pub fn end_of(&self, j: usize) -> usize {
        if j == 0 { 0 } else { self.all[j - 1].full.end }
    }

    /// Hands a leading run of blank lines to `out` as one verbatim block; returns the index of
    /// the first non-blank line.
    pub fn leading_blank(
        &self,
        out: &mut dyn FnMut(Range<usize>, crate::block::BlockKind),
    ) -> usize {
        if self.all.first().is_some_and(Line::is_blank) {
            let i = self.skip_blank(0);
            out(0..self.end_of(i), crate::block::BlockKind::Verbatim);
            i
        } else {
            0
        }
    }

    /// Line `j` relative to byte offset `base`.
    pub fn rebased(&self, j: usize, base: usize) -> Line {
        self.all[j].rebased(base)
    }

    /// The byte range of text lines `from..to` relative to `base` (empty, just after line
    /// `from - 1`, when there are none).
    pub fn text_span(&self, from: usize, to: usize, base: usize) -> Range<usize> {
        if to > from {
            self.all[from].full.start - base..self.all[to - 1].full.end - base
        } else {
            let at = self.all[from - 1].full.end - base;
            at..at
        }
    }
}

/// Number of line breaks in `text` (used to turn block positions into line numbers).
pub(crate) fn count_breaks(text: &str) -> usize {
    let b = text.as_bytes();
    let lf = memchr::memchr_iter(b'\n', b).count();
    // a `\r` is a break of its own unless a `\n` follows it (then the pair counts once)
    let lone_cr = memchr::memchr_iter(b'\r', b)
        .filter(|&i| b.get(i + 1) != Some(&b'\n'))
        .count();
    lf + lone_cr
}

/// The line ending used most often in `text`, or `\n` when it has none.
pub(crate) fn dominant_ending(text: &str) -> &'static str {
    let (mut lf, mut crlf, mut cr) = (0usize, 0usize, 0usize);
    for line in lines(text) {
        match line.ending(text) {
            "\n" => lf += 1,
            "\r\n" => crlf += 1,
            "\r" => cr += 1,
            _ => {}
        }
    }
    if crlf > lf && crlf >= cr {
        "\r\n"
    } else if cr > lf && cr > crlf {
        "\r"
    } else {
        "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_every_ending_kind() {
        let t = "a\r\nb\nc\rd";
        let got: Vec<_> = lines(t).map(|l| (l.text(t), l.ending(t))).collect();
        assert_eq!(
            got,
            vec![("a", "\r\n"), ("b", "\n"), ("c", "\r"), ("d", "")]
        );
        assert_eq!(count_breaks(t), 3);
    }

    #[test]
    fn blank_lines_and_trailing_newline() {
        let t = "\n\nx\n";
        let got: Vec<_> = lines(t).map(|l| l.text(t).to_owned()).collect();
        assert_eq!(got, vec!["", "", "x"]);
    }

    #[test]
    fn dominant() {
        assert_eq!(dominant_ending("a\r\nb\r\nc\n"), "\r\n");
        assert_eq!(dominant_ending("abc"), "\n");
    }
}
