//! The review pass of an editor session: one dictionary, the words ignored for the session,
//! and per open document its reviewer (its project's known words), flag cache and rejections.
//!
//! Why here and not in the app: this is the editor's review logic (which words apply to which
//! document, what *Ignore all* and a rejection hide, when everything must be checked again),
//! and it is tested without a window. The desktop shell only maps it to commands.
//!
//! Locks: the session's maps are held only to look up or insert; each document's review has
//! its own mutex, held while its cues are checked (the document itself is not locked then:
//! the caller copies the cue texts first).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use crate::flags::{CueFlags, Dismissed, FlagCache, UpdateStats};
use crate::rejections::{Rejections, RejectionsError};
use crate::review::{Options, Reviewer};
use crate::words::KnownWords;

/// The default dictionary language.
pub const DEFAULT_LANG: &str = "en_US";

/// What [`ReviewSession::flags`] answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagsReport {
    /// The generation the changes are counted from: the one asked for, or 0 when the flags
    /// started over (no dictionary any more: the window drops what it shows).
    pub since: u64,
    /// The generation of the newest change included.
    pub generation: u64,
    /// Cues whose flags changed after the `since` asked for.
    pub changes: Vec<CueFlags>,
    /// Something the user should know (no dictionary, an unreadable word list).
    pub notice: Option<String>,
    pub stats: UpdateStats,
}

struct DocumentReview {
    path: Option<PathBuf>,
    /// `None` until first used, and after the known words changed.
    reviewer: Option<Option<Arc<Reviewer>>>,
    notice: Option<String>,
    cache: FlagCache,
    rejections: Rejections,
}

type Loaded = (String, Result<Arc<spellbook::Dictionary>, String>);

/// The review state of the editor session.
pub struct ReviewSession {
    review_dir: Option<PathBuf>,
    lang: RwLock<String>,
    dictionary: Mutex<Option<Loaded>>,
    ignored: RwLock<HashSet<String>>,
    docs: Mutex<HashMap<u32, Arc<Mutex<DocumentReview>>>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl ReviewSession {
    /// `review_dir`: where rejections are kept (`None`: in memory only).
    pub fn new(review_dir: Option<PathBuf>, lang: &str) -> ReviewSession {
        ReviewSession {
            review_dir,
            lang: RwLock::new(lang.to_owned()),
            dictionary: Mutex::new(None),
            ignored: RwLock::new(HashSet::new()),
            docs: Mutex::new(HashMap::new()),
        }
    }

    /// Uses the `lang` dictionary from now on (every document is checked again).
    pub fn set_lang(&self, lang: &str) {
        {
            let mut l = self.lang.write().unwrap_or_else(PoisonError::into_inner);
            if *l == lang {
                return;
            }
            *l = lang.to_owned();
        }
        self.words_changed();
    }

    fn dictionary(&self) -> Result<Arc<spellbook::Dictionary>, String> {
        let lang = self
            .lang
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let mut slot = lock(&self.dictionary);
        if let Some((l, d)) = slot.as_ref()
            && *l == lang
        {
            return d.clone();
        }
        let loaded = crate::load_dictionary(&lang)
            .map(Arc::new)
            .map_err(|e| e.to_string());
        if let Err(e) = &loaded {
            tracing::warn!(error = %e, "no spelling dictionary");
        }
        *slot = Some((lang, loaded.clone()));
        loaded
    }

    fn doc(&self, id: u32, path: Option<&Path>) -> Arc<Mutex<DocumentReview>> {
        let mut docs = lock(&self.docs);
        let doc = docs.entry(id).or_insert_with(|| {
            let rejections = match (&self.review_dir, path) {
                (Some(dir), Some(p)) => Rejections::load(dir, p),
                _ => Rejections::default(),
            };
            Arc::new(Mutex::new(DocumentReview {
                path: path.map(Path::to_path_buf),
                reviewer: None,
                notice: None,
                cache: FlagCache::new(),
                rejections,
            }))
        });
        Arc::clone(doc)
    }

    /// The reviewer of a document: its known words (project, glossary, user) and the
    /// dictionary, built on first use.
    fn reviewer(&self, doc: &mut DocumentReview) -> Option<Arc<Reviewer>> {
        if let Some(r) = &doc.reviewer {
            return r.clone();
        }
        let mut notices = Vec::new();
        let reviewer = match self.dictionary() {
            Ok(dict) => {
                let words = match doc.path.as_deref() {
                    Some(p) => KnownWords::for_path(p, None).unwrap_or_else(|e| {
                        notices.push(format!("Known words not used: {e}"));
                        KnownWords::default()
                    }),
                    None => KnownWords::default(),
                };
                let options = Options {
                    dictionary_suggestions: false,
                    ..Options::default()
                };
                Some(Arc::new(Reviewer::new(dict, &words, options)))
            }
            Err(e) => {
                notices.push(format!("Spelling is off: {e}. Editing works as usual."));
                None
            }
        };
        doc.notice = (!notices.is_empty()).then(|| notices.join(" "));
        doc.reviewer = Some(reviewer.clone());
        reviewer
    }

    /// Brings the flags of document `id` (its file at `path`) up to date with its cues
    /// `(cue id, text)` and answers what changed after generation `since`.
    pub fn flags(
        &self,
        id: u32,
        path: Option<&Path>,
        cues: &[(u64, String)],
        since: u64,
    ) -> FlagsReport {
        let doc = self.doc(id, path);
        let mut doc = lock(&doc);
        let Some(reviewer) = self.reviewer(&mut doc) else {
            doc.cache = FlagCache::new();
            return FlagsReport {
                since: 0,
                generation: doc.cache.generation(),
                changes: Vec::new(),
                notice: doc.notice.clone(),
                stats: UpdateStats::default(),
            };
        };
        let ignored = self.ignored.read().unwrap_or_else(PoisonError::into_inner);
        let doc = &mut *doc;
        let dismissed = Dismissed {
            ignored: &ignored,
            rejections: &doc.rejections,
        };
        let stats = doc.cache.update(
            &reviewer,
            dismissed,
            cues.iter().map(|(i, t)| (*i, t.as_str())),
        );
        FlagsReport {
            since,
            generation: doc.cache.generation(),
            changes: doc.cache.changes_since(since),
            notice: doc.notice.clone(),
            stats,
        }
    }

    /// Every suggestion for `word` in document `id` (known words first, then the dictionary).
    pub fn suggest(&self, id: u32, path: Option<&Path>, word: &str) -> Vec<String> {
        let doc = self.doc(id, path);
        let reviewer = self.reviewer(&mut lock(&doc));
        reviewer.map(|r| r.suggest(word)).unwrap_or_default()
    }

    /// *Ignore all*: `text` is not flagged again in this session, in any document.
    pub fn ignore(&self, text: &str) {
        self.ignored
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(text.to_owned());
        self.refilter_all();
    }

    fn refilter_all(&self) {
        let docs: Vec<_> = lock(&self.docs).values().cloned().collect();
        let ignored = self.ignored.read().unwrap_or_else(PoisonError::into_inner);
        for doc in docs {
            let mut doc = lock(&doc);
            let doc = &mut *doc;
            doc.cache.refilter(Dismissed {
                ignored: &ignored,
                rejections: &doc.rejections,
            });
        }
    }

    /// Rejects the sounds-like flag `heard` -> `name` in the cue of document `id` that says
    /// `cue_text`; kept in the review folder.
    pub fn reject(
        &self,
        id: u32,
        path: Option<&Path>,
        cue_text: &str,
        heard: &str,
        name: &str,
    ) -> Result<(), RejectionsError> {
        let doc = self.doc(id, path);
        let mut doc = lock(&doc);
        let doc = &mut *doc;
        if self.review_dir.is_some() && doc.path.is_some() {
            doc.rejections.add(cue_text, heard, name)?;
        } else {
            doc.rejections.insert_for(cue_text, heard, name);
        }
        let ignored = self.ignored.read().unwrap_or_else(PoisonError::into_inner);
        doc.cache.refilter(Dismissed {
            ignored: &ignored,
            rejections: &doc.rejections,
        });
        Ok(())
    }

    /// A word list or glossary changed: every document reloads its known words and is
    /// checked again at its next [`Self::flags`].
    pub fn words_changed(&self) {
        let docs: Vec<_> = lock(&self.docs).values().cloned().collect();
        for doc in docs {
            let mut doc = lock(&doc);
            doc.reviewer = None;
            doc.cache.invalidate();
        }
    }

    /// The document was closed.
    pub fn forget(&self, id: u32) {
        lock(&self.docs).remove(&id);
    }

    /// The flags of document `id`'s cue `cue_id` as last computed, with the text they are for.
    pub fn cue_flags(&self, id: u32, cue_id: u64) -> Option<(String, Vec<crate::Flag>)> {
        let doc = lock(&self.docs).get(&id).cloned()?;
        let doc = lock(&doc);
        doc.cache
            .cue(cue_id)
            .map(|(t, f)| (t.to_owned(), f.to_vec()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn project() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".cueline")).unwrap();
        std::fs::write(dir.path().join(".cueline/words.txt"), "Matt Makai\n").unwrap();
        let ep = dir.path().join("ep.vtt");
        std::fs::write(&ep, "WEBVTT\n").unwrap();
        (dir, ep)
    }

    fn cues(texts: &[&str]) -> Vec<(u64, String)> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| (i as u64, (*t).to_owned()))
            .collect()
    }

    #[test]
    fn a_session_checks_with_the_projects_words_and_hides_what_was_dismissed() {
        let (dir, ep) = project();
        let s = ReviewSession::new(Some(dir.path().join("data/review")), DEFAULT_LANG);
        let doc = cues(&["Matt Makai and Matt McKay", "teh Langchain"]);
        let r = s.flags(1, Some(&ep), &doc, 0);
        assert_eq!(r.notice, None);
        assert_eq!(r.changes.len(), 2);
        assert_eq!(r.changes[0].flags[0].suggestions, ["Matt Makai"]);
        let g = r.generation;
        assert!(s.suggest(1, Some(&ep), "teh").contains(&"the".to_owned()));

        s.ignore("teh");
        s.reject(1, Some(&ep), &doc[0].1, "Matt McKay", "Matt Makai")
            .unwrap();
        let r = s.flags(1, Some(&ep), &doc, g);
        assert_eq!(r.stats.reviewed, 0);
        let left: Vec<usize> = r.changes.iter().map(|c| c.flags.len()).collect();
        assert_eq!(
            left,
            [0, 1],
            "the rejection and the ignored word are hidden"
        );

        // the rejection is kept for the next session; the ignored word is not
        let s2 = ReviewSession::new(Some(dir.path().join("data/review")), DEFAULT_LANG);
        let r = s2.flags(1, Some(&ep), &doc, 0);
        assert_eq!(r.changes.len(), 1);
        assert_eq!(r.changes[0].cue_id, 1);

        // a word added to the project's list: checked again with it
        crate::lists::add_word(&dir.path().join(".cueline/words.txt"), "Langchain").unwrap();
        s2.words_changed();
        let g = r.generation;
        let r = s2.flags(1, Some(&ep), &doc, g);
        assert_eq!(r.stats.reviewed, 2);
        assert_eq!(r.changes.len(), 1);
        let spans: Vec<&str> = r.changes[0]
            .flags
            .iter()
            .map(|f| &doc[1].1[f.range.clone()])
            .collect();
        assert_eq!(spans, ["teh"]);
    }

    #[test]
    fn no_dictionary_is_a_notice_not_an_error() {
        let (dir, ep) = project();
        let s = ReviewSession::new(None, "xx_NOPE");
        let r = s.flags(1, Some(&ep), &cues(&["teh"]), 0);
        assert!(r.changes.is_empty());
        let notice = r.notice.unwrap();
        assert!(
            notice.starts_with("Spelling is off: no xx_NOPE dictionary"),
            "{notice}"
        );
        // switching: flags come, then the window is told to drop them all
        s.set_lang(DEFAULT_LANG);
        let r = s.flags(1, Some(&ep), &cues(&["teh"]), 0);
        assert_eq!((r.changes.len(), r.notice), (1, None));
        s.set_lang("xx_NOPE");
        let r = s.flags(1, Some(&ep), &cues(&["teh"]), r.generation);
        assert_eq!((r.since, r.changes.len()), (0, 0));
        assert!(r.notice.is_some());
        drop(dir);
    }
}
