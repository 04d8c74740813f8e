//! The flags of one open document, kept up to date incrementally.
//!
//! Why a cache per document: the editor re-asks for flags after every edit, and a 2-hour
//! episode has thousands of cues. [`FlagCache::update`] compares each cue's text with the
//! text it last reviewed (cues are keyed by their stable id) and reviews only the cues that
//! are new or whose text changed; the words inside are checked through the [`Reviewer`]'s
//! per-word cache. Each cue's flags carry the *generation* at which they last changed, so the
//! window asks for "what changed since generation G" ([`FlagCache::changes_since`]) and gets
//! one cue after an edit, not the whole file.
//!
//! What the user dismissed (words ignored for the session, sounds-like flags rejected for a
//! cue) is applied on top ([`Dismissed`]), without reviewing again: the raw flags are kept.

use std::collections::{HashMap, HashSet};

use crate::rejections::Rejections;
use crate::review::{Flag, FlagKind, Reviewer};

/// From this many cues to check, they are checked on all cores (an open, new known words).
const PARALLEL_FROM: usize = 256;

/// What the user dismissed: flags kept out of what the window shows.
#[derive(Debug, Clone, Copy)]
pub struct Dismissed<'a> {
    /// *Ignore all*: flagged texts never shown this session.
    pub ignored: &'a HashSet<String>,
    /// Sounds-like flags rejected for one cue text.
    pub rejections: &'a Rejections,
}

impl Dismissed<'_> {
    /// Whether `flag` (in cue text `text`) is shown.
    pub fn keeps(&self, text: &str, flag: &Flag) -> bool {
        let span = text.get(flag.range.clone()).unwrap_or("");
        if self.ignored.contains(span) {
            return false;
        }
        match (flag.kind, flag.suggestions.first()) {
            (FlagKind::SoundsLike, Some(name)) => !self.rejections.contains(text, span, name),
            _ => true,
        }
    }
}

struct Entry {
    text: String,
    /// What the reviewer said.
    raw: Vec<Flag>,
    /// `raw` without what was dismissed.
    shown: Vec<Flag>,
    /// The generation at which `shown` last changed.
    changed_at: u64,
    /// The reviewer epoch `raw` was computed in.
    epoch: u64,
}

/// One cue's flags, as the window gets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueFlags {
    pub cue_id: u64,
    pub flags: Vec<Flag>,
}

/// What one [`FlagCache::update`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UpdateStats {
    /// Cues reviewed (new, edited, or all after [`FlagCache::invalidate`]).
    pub reviewed: usize,
    /// Cues whose shown flags changed.
    pub changed: usize,
    /// Cues dropped (no longer in the document).
    pub dropped: usize,
}

/// The flags of every cue of one document, by cue id.
#[derive(Default)]
pub struct FlagCache {
    entries: HashMap<u64, Entry>,
    generation: u64,
    epoch: u64,
}

impl FlagCache {
    pub fn new() -> FlagCache {
        FlagCache::default()
    }

    /// The generation of the latest change (0: nothing reviewed yet).
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Every cue must be reviewed again at the next update (the known words changed).
    pub fn invalidate(&mut self) {
        self.epoch += 1;
    }

    /// Brings the cache up to date with the document's cues `(id, text)`: reviews only cues
    /// that are new, whose text changed, or that were reviewed before [`Self::invalidate`];
    /// forgets cues that are gone.
    pub fn update<'t>(
        &mut self,
        reviewer: &Reviewer,
        dismissed: Dismissed<'_>,
        cues: impl IntoIterator<Item = (u64, &'t str)>,
    ) -> UpdateStats {
        let mut stats = UpdateStats::default();
        let next = self.generation + 1;
        let mut live: Vec<u64> = Vec::new();
        let mut todo: Vec<(u64, &'t str)> = Vec::new();
        for (id, text) in cues {
            live.push(id);
            let fresh = self
                .entries
                .get(&id)
                .is_some_and(|e| e.epoch == self.epoch && e.text == text);
            if !fresh {
                todo.push((id, text));
            }
        }
        // on open (or after new known words) every cue: on all cores
        let reviewed: Vec<Vec<Flag>> = if todo.len() >= PARALLEL_FROM {
            use rayon::prelude::*;
            todo.par_iter()
                .map(|(_, t)| reviewer.review_cue(t))
                .collect()
        } else {
            todo.iter().map(|(_, t)| reviewer.review_cue(t)).collect()
        };
        stats.reviewed = todo.len();
        for ((id, text), raw) in todo.into_iter().zip(reviewed) {
            let shown: Vec<Flag> = raw
                .iter()
                .filter(|f| dismissed.keeps(text, f))
                .cloned()
                .collect();
            match self.entries.get_mut(&id) {
                Some(e) => {
                    if e.shown != shown {
                        e.changed_at = next;
                        stats.changed += 1;
                    }
                    e.text.clear();
                    e.text.push_str(text);
                    e.raw = raw;
                    e.shown = shown;
                    e.epoch = self.epoch;
                }
                None => {
                    stats.changed += 1;
                    self.entries.insert(
                        id,
                        Entry {
                            text: text.to_owned(),
                            raw,
                            shown,
                            changed_at: next,
                            epoch: self.epoch,
                        },
                    );
                }
            }
        }
        if live.len() != self.entries.len() {
            let live: HashSet<u64> = live.into_iter().collect();
            let before = self.entries.len();
            self.entries.retain(|id, _| live.contains(id));
            stats.dropped = before - self.entries.len();
        }
        if stats.changed > 0 {
            self.generation = next;
        }
        stats
    }

    /// Applies `dismissed` again (after *Ignore all* or a rejection) without reviewing.
    pub fn refilter(&mut self, dismissed: Dismissed<'_>) -> usize {
        let next = self.generation + 1;
        let mut changed = 0;
        for e in self.entries.values_mut() {
            let shown: Vec<Flag> = e
                .raw
                .iter()
                .filter(|f| dismissed.keeps(&e.text, f))
                .cloned()
                .collect();
            if shown != e.shown {
                e.shown = shown;
                e.changed_at = next;
                changed += 1;
            }
        }
        if changed > 0 {
            self.generation = next;
        }
        changed
    }

    /// The cues whose flags changed after generation `since`, with their flags now (empty:
    /// the cue has no flags any more). From 0: every cue that has flags.
    pub fn changes_since(&self, since: u64) -> Vec<CueFlags> {
        let mut out: Vec<CueFlags> = self
            .entries
            .iter()
            .filter(|(_, e)| e.changed_at > since && (since > 0 || !e.shown.is_empty()))
            .map(|(&cue_id, e)| CueFlags {
                cue_id,
                flags: e.shown.clone(),
            })
            .collect();
        out.sort_by_key(|c| c.cue_id);
        out
    }

    /// The flags shown for cue `id` now, and the text they were computed for.
    pub fn cue(&self, id: u64) -> Option<(&str, &[Flag])> {
        self.entries
            .get(&id)
            .map(|e| (e.text.as_str(), e.shown.as_slice()))
    }

    /// How many flags are shown, of each kind.
    pub fn counts(&self) -> (usize, usize) {
        let mut spelling = 0;
        let mut sounds = 0;
        for f in self.entries.values().flat_map(|e| &e.shown) {
            match f.kind {
                FlagKind::Spelling => spelling += 1,
                FlagKind::SoundsLike => sounds += 1,
            }
        }
        (spelling, sounds)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::words::KnownWords;
    use crate::{Options, load_dictionary};
    use std::path::Path;

    fn reviewer(words: &str) -> Reviewer {
        let words = KnownWords::parse(words, Path::new("words.txt")).unwrap();
        let options = Options {
            dictionary_suggestions: false,
            ..Options::default()
        };
        Reviewer::new(load_dictionary("en_US").unwrap(), &words, options)
    }

    fn texts(cache: &FlagCache, since: u64, doc: &[(u64, &str)]) -> Vec<(u64, Vec<String>)> {
        cache
            .changes_since(since)
            .into_iter()
            .map(|c| {
                let text = doc.iter().find(|(id, _)| *id == c.cue_id).unwrap().1;
                let spans = c.flags.iter().map(|f| text[f.range.clone()].to_owned());
                (c.cue_id, spans.collect())
            })
            .collect()
    }

    #[test]
    fn an_edit_reviews_only_its_cue_and_reports_only_it() {
        let r = reviewer("Matt Makai\n");
        let ignored = HashSet::new();
        let rejections = Rejections::default();
        let d = Dismissed {
            ignored: &ignored,
            rejections: &rejections,
        };
        let mut doc = vec![
            (1, "I talked to Matt McKay."),
            (2, "All good here."),
            (3, "teh end"),
        ];
        let mut cache = FlagCache::new();
        let s = cache.update(&r, d, doc.iter().copied());
        assert_eq!((s.reviewed, s.changed), (3, 3));
        let g1 = cache.generation();
        assert_eq!(
            texts(&cache, 0, &doc),
            [(1, vec!["Matt McKay".into()]), (3, vec!["teh".into()])],
            "from 0: only cues with flags"
        );
        // nothing changed: nothing reviewed, the generation stays
        let s = cache.update(&r, d, doc.iter().copied());
        assert_eq!((s.reviewed, s.changed), (0, 0));
        assert_eq!(cache.generation(), g1);
        // one edit that adds a flag: only that cue
        doc[1].1 = "All gud here.";
        let s = cache.update(&r, d, doc.iter().copied());
        assert_eq!((s.reviewed, s.changed), (1, 1));
        assert_eq!(texts(&cache, g1, &doc), [(2, vec!["gud".into()])]);
        let g2 = cache.generation();
        // a fix: the cue is reported with no flags, so the window drops its underline
        doc[2].1 = "the end";
        cache.update(&r, d, doc.iter().copied());
        assert_eq!(texts(&cache, g2, &doc), [(3, vec![])]);
        // an edit that changes the text but not the flags: reviewed, not reported
        let g3 = cache.generation();
        doc[0].1 = "I talked to Matt McKay!";
        let s = cache.update(&r, d, doc.iter().copied());
        assert_eq!((s.reviewed, s.changed), (1, 0));
        assert!(cache.changes_since(g3).is_empty());
        // a deleted cue is forgotten
        doc.remove(1);
        let s = cache.update(&r, d, doc.iter().copied());
        assert_eq!(s.dropped, 1);
        assert!(cache.cue(2).is_none());
    }

    #[test]
    fn dismissed_flags_are_hidden_without_reviewing_again() {
        let r = reviewer("Matt Makai\n");
        let mut ignored = HashSet::new();
        let mut rejections = Rejections::default();
        let doc = [(1, "teh Matt McKay"), (2, "teh other Matt McKay")];
        let mut cache = FlagCache::new();
        let d = Dismissed {
            ignored: &ignored,
            rejections: &rejections,
        };
        cache.update(&r, d, doc.iter().copied());
        let g = cache.generation();
        ignored.insert("teh".to_owned());
        rejections.insert_for("teh Matt McKay", "Matt McKay", "Matt Makai");
        let d = Dismissed {
            ignored: &ignored,
            rejections: &rejections,
        };
        assert_eq!(cache.refilter(d), 2);
        assert_eq!(
            texts(&cache, g, &doc),
            [(1, vec![]), (2, vec!["Matt McKay".into()])],
            "ignored everywhere; the rejection holds for its cue only"
        );
        // the next update keeps them hidden and reviews nothing
        let s = cache.update(&r, d, doc.iter().copied());
        assert_eq!(s.reviewed, 0);
        // new known words: every cue is reviewed again
        cache.invalidate();
        let s = cache.update(&r, d, doc.iter().copied());
        assert_eq!((s.reviewed, s.changed), (2, 0));
        assert_eq!(cache.counts(), (0, 1));
    }
}
