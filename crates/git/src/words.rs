//! Which words of a cue changed, marked the way `git diff --word-diff=plain` marks them.
//!
//! Why words and not characters: a fix is a misheard word or name, and a reviewer reads
//! `Matt [-McKay-]{+Makai+}` at a glance. Words are runs without whitespace, as in git; the
//! whitespace between words is shown from the new text and never marked on its own.

use std::ops::Range;

use similar::{Algorithm, DiffOp, capture_diff_slices};

/// One run of the new text: unchanged, or a group of changed words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Unchanged words, as a byte range of the new text (with the whitespace before them).
    Same(Range<usize>),
    /// Words replaced, removed or added: byte ranges of the old and new text (either may be
    /// empty), and the whitespace before the group, as a range of the new text (or of the old
    /// text where the new one has no words here).
    Changed {
        lead: Lead,
        old: Range<usize>,
        new: Range<usize>,
        /// Whitespace of the old text shown after a removal at the very start, so the next
        /// word does not stick to the marker.
        trail: Range<usize>,
    },
}

/// Where the whitespace before a changed group comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lead {
    New(Range<usize>),
    Old(Range<usize>),
}

/// Each word of `s` with the whitespace before it: (whitespace start, word start, word end).
fn words(s: &str) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut ws_start = 0;
    let mut word_start = None;
    for (i, ch) in s.char_indices() {
        match (ch.is_whitespace(), word_start) {
            (true, Some(w)) => {
                out.push((ws_start, w, i));
                word_start = None;
                ws_start = i;
            }
            (false, None) => word_start = Some(i),
            _ => {}
        }
    }
    if let Some(w) = word_start {
        out.push((ws_start, w, s.len()));
    }
    out
}

/// The word-level difference of `old` and `new`, as pieces of the new text in order.
pub fn diff(old: &str, new: &str) -> Vec<Piece> {
    let ow = words(old);
    let nw = words(new);
    let os: Vec<&str> = ow.iter().map(|&(_, a, b)| &old[a..b]).collect();
    let ns: Vec<&str> = nw.iter().map(|&(_, a, b)| &new[a..b]).collect();
    let ops = capture_diff_slices(Algorithm::Myers, &os, &ns);
    let mut pieces = Vec::new();
    let mut group: Option<(Range<usize>, Range<usize>)> = None; // word index ranges
    let flush = |g: &mut Option<(Range<usize>, Range<usize>)>, pieces: &mut Vec<Piece>| {
        if let Some((o, n)) = g.take() {
            let old_range = if o.is_empty() {
                0..0
            } else {
                ow[o.start].1..ow[o.end - 1].2
            };
            let new_range = if n.is_empty() {
                0..0
            } else {
                nw[n.start].1..nw[n.end - 1].2
            };
            let (lead, trail) = if !n.is_empty() {
                (Lead::New(nw[n.start].0..nw[n.start].1), 0..0)
            } else {
                let lead = ow[o.start].0..ow[o.start].1;
                let trail = match ow.get(o.end) {
                    Some(&(ws, w, _)) if lead.is_empty() => ws..w,
                    _ => 0..0,
                };
                (Lead::Old(lead), trail)
            };
            pieces.push(Piece::Changed {
                lead,
                old: old_range,
                new: new_range,
                trail,
            });
        }
    };
    for op in ops {
        let (o, n) = (op.old_range(), op.new_range());
        if let DiffOp::Equal { .. } = op {
            flush(&mut group, &mut pieces);
            if !n.is_empty() {
                pieces.push(Piece::Same(nw[n.start].0..nw[n.end - 1].2));
            }
        } else {
            group = Some(match group.take() {
                None => (o, n),
                Some((go, gn)) => (go.start..o.end.max(go.end), gn.start..n.end.max(gn.end)),
            });
        }
    }
    flush(&mut group, &mut pieces);
    pieces
}

/// `old` and `new` as one line of git's plain word diff: `a [-b-]{+c+} d`. Line breaks inside
/// a cue are shown as `\n`, so a change is always one line of output.
pub fn render_plain(old: &str, new: &str) -> String {
    let mut out = String::with_capacity(new.len() + 16);
    for piece in diff(old, new) {
        match piece {
            Piece::Same(r) => out.push_str(&new[r]),
            Piece::Changed {
                lead,
                old: o,
                new: n,
                trail,
            } => {
                match lead {
                    Lead::New(r) => out.push_str(&new[r]),
                    Lead::Old(r) => out.push_str(&old[r]),
                }
                if !o.is_empty() {
                    out.push_str("[-");
                    out.push_str(&old[o]);
                    out.push_str("-]");
                }
                if !n.is_empty() {
                    out.push_str("{+");
                    out.push_str(&new[n]);
                    out.push_str("+}");
                }
                out.push_str(&old[trail]);
            }
        }
    }
    escape_breaks(&out)
}

/// A cue's text on one line: `\n` for each line break.
pub fn escape_breaks(s: &str) -> String {
    s.replace("\r\n", "\\n").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_words_like_git() {
        assert_eq!(
            render_plain("Hi, I'm Matt McKay here.", "Hi, I'm Matt Makai here."),
            "Hi, I'm Matt [-McKay-]{+Makai+} here."
        );
        assert_eq!(
            render_plain("we use Cloud Code daily", "we use Claude Code daily"),
            "we use [-Cloud-]{+Claude+} Code daily"
        );
        assert_eq!(render_plain("a b c", "a X Y c"), "a [-b-]{+X Y+} c");
        assert_eq!(render_plain("a b c", "a c"), "a [-b-] c");
        assert_eq!(render_plain("a b", "a b c"), "a b {+c+}");
        assert_eq!(render_plain("a b c", "a b"), "a b [-c-]");
        assert_eq!(render_plain("x a", "a"), "[-x-] a");
        assert_eq!(render_plain("same", "same"), "same");
    }

    #[test]
    fn line_breaks_stay_on_one_line() {
        assert_eq!(
            render_plain("one\ntwo", "one\nthree"),
            "one\\n[-two-]{+three+}"
        );
    }

    #[test]
    fn empty_sides() {
        assert_eq!(render_plain("", "new words"), "{+new words+}");
        assert_eq!(render_plain("old words", ""), "[-old words-]");
    }
}
