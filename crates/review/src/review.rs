//! Spelling and sounds-like flags for one cue's text.
//!
//! Spelling: a word is known when the project's or user's words hold it exactly (case
//! matters for names: with `LangChain` known, `Langchain` is flagged, `LangChain` first), or
//! when the dictionary accepts it. Suggestions: known words first (case variants, then
//! sounds-like), then the dictionary's. Checks and suggestions are cached per distinct word.
//!
//! Sounds-like: every known name is compared with every window of 1 to (its words + 1)
//! words by full-length Double Metaphone codes (`rphonetic`, primary and alternate; each
//! word's code cached, a window's code the concatenation of its words', so windows cross
//! word boundaries: `CloudCode` and `Cloud Code` both sound like `Claude Code`) and an edit
//! distance on the codes (`strsim`). A window made only of dictionary words is flagged only
//! against a multi-word name or one marked ` ~`; `!` spans are never flagged; a spelling
//! flag inside a sounds-like span is dropped.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, RwLock};

use rphonetic::DoubleMetaphone;

use crate::tokens::{self, Word};
use crate::words::KnownWords;

/// Suggestions kept per flag.
pub const MAX_SUGGESTIONS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FlagKind {
    Spelling,
    SoundsLike,
}

impl FlagKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FlagKind::Spelling => "spelling",
            FlagKind::SoundsLike => "sounds-like",
        }
    }
}

/// One flag in a cue's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub kind: FlagKind,
    /// Byte range in the cue text.
    pub range: Range<usize>,
    /// Best first, at most [`MAX_SUGGESTIONS`]; for sounds-like, the name first.
    pub suggestions: Vec<String>,
}

/// What to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub spelling: bool,
    pub sounds_like: bool,
    /// Ask the dictionary for suggestions (slow); known-word suggestions are always made.
    pub dictionary_suggestions: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            spelling: true,
            sounds_like: true,
            dictionary_suggestions: true,
        }
    }
}

struct Name {
    text: String,
    /// Letters only, lower case: "spelled like it" compares these.
    plain: String,
    words: usize,
    loose: bool,
    codes: [String; 2],
}

/// At most this many words spelled right are remembered per thread (a few MB).
const KNOWN_HERE_MAX: usize = 200_000;

/// The words one thread found spelled right, for the reviewer `id`. A word of up to 16 bytes
/// (nearly all) is kept as one `u128`, so a lookup hashes and compares a number instead of
/// following a pointer to the key.
#[derive(Default)]
struct KnownHere {
    id: u64,
    short: HashSet<u128, foldhash::fast::RandomState>,
    long: HashSet<Box<str>, foldhash::fast::RandomState>,
}

/// `word`'s bytes as a number, if it has at most 16 (zero bytes fill the rest: a word never
/// holds a NUL, so no two words share a key).
fn short_key(word: &str) -> Option<u128> {
    let b = word.as_bytes();
    if b.len() > 16 || b.contains(&0) {
        return None;
    }
    let mut key = [0u8; 16];
    key[..b.len()].copy_from_slice(b);
    Some(u128::from_le_bytes(key))
}

thread_local! {
    static KNOWN_HERE: std::cell::RefCell<KnownHere> = std::cell::RefCell::new(KnownHere::default());
}

/// Each reviewer's id (never 0), which keys the per-thread cache.
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// The loaded words and dictionary, and the caches. Share it between threads.
pub struct Reviewer {
    /// Keys [`KNOWN_HERE`]: a reviewer's verdicts are its own (its known words).
    id: u64,
    /// Shared: the app loads the dictionary once and builds a reviewer per set of known words.
    dictionary: Arc<spellbook::Dictionary>,
    known: HashSet<String>,
    /// The same, in the order of the lists (suggestions are made in this order).
    known_list: Vec<String>,
    /// Lower-cased known single words -> their spellings.
    by_lower: HashMap<String, Vec<String>>,
    names: Vec<Name>,
    /// Names by the first character of each of their codes.
    by_first: HashMap<char, Vec<usize>>,
    never: Vec<String>,
    max_window: usize,
    options: Options,
    metaphone: DoubleMetaphone,
    /// word -> (is it known, suggestions if not)
    spell_cache: RwLock<HashMap<String, Option<Vec<String>>>>,
    /// word -> every suggestion, dictionary included ([`Reviewer::suggest`])
    suggest_cache: RwLock<HashMap<String, Vec<String>>>,
    code_cache: RwLock<HashMap<String, [String; 2]>>,
    /// word as written -> what sounds-like windows need of it
    info_cache: RwLock<HashMap<String, Arc<WordInfo>>>,
}

/// What a sounds-like window needs of one word, computed once per distinct word.
struct WordInfo {
    /// Primary and alternate Double Metaphone codes (the alternate is the primary when the
    /// word has none).
    codes: [String; 2],
    /// Letters only, lower case.
    plain: String,
    /// In the dictionary and no known word.
    ordinary: bool,
}

fn plain(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect()
}

/// `word` in ASCII letters for Double Metaphone (which only handles ASCII): accents are
/// dropped from Latin letters, other letters are left out.
fn ascii_letters(word: &str) -> String {
    word.chars()
        .filter_map(|c| {
            if c.is_ascii_alphabetic() {
                return Some(c);
            }
            let base = match c.to_lowercase().next().unwrap_or(c) {
                'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
                'ç' | 'ć' | 'č' => 'c',
                'ď' | 'đ' => 'd',
                'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
                'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' => 'i',
                'ł' | 'ľ' | 'ĺ' => 'l',
                'ñ' | 'ń' | 'ň' => 'n',
                'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
                'ŕ' | 'ř' => 'r',
                'ś' | 'š' | 'ş' | 'ß' => 's',
                'ť' | 'ţ' => 't',
                'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
                'ý' | 'ÿ' => 'y',
                'ź' | 'ż' | 'ž' => 'z',
                _ => return None,
            };
            Some(base)
        })
        .collect()
}

impl Reviewer {
    /// `dictionary` may be shared (`Arc`) between reviewers of different known words.
    pub fn new(
        dictionary: impl Into<Arc<spellbook::Dictionary>>,
        words: &KnownWords,
        options: Options,
    ) -> Self {
        let mut r = Reviewer {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            dictionary: dictionary.into(),
            known: HashSet::new(),
            known_list: Vec::new(),
            by_lower: HashMap::new(),
            names: Vec::new(),
            by_first: HashMap::new(),
            never: words.never.iter().map(|s| s.to_lowercase()).collect(),
            max_window: 0,
            options,
            metaphone: DoubleMetaphone::new(None),
            spell_cache: RwLock::default(),
            suggest_cache: RwLock::default(),
            code_cache: RwLock::default(),
            info_cache: RwLock::default(),
        };
        for k in &words.words {
            for w in k.text.split_whitespace() {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                if w.is_empty() {
                    continue;
                }
                if r.known.insert(w.to_owned()) {
                    r.known_list.push(w.to_owned());
                }
                let spellings = r.by_lower.entry(w.to_lowercase()).or_default();
                if !spellings.iter().any(|s| s == w) {
                    spellings.push(w.to_owned());
                }
            }
        }
        for k in words.words.iter().filter(|k| k.is_name()) {
            let codes = r.window_codes(k.text.split_whitespace());
            if codes[0].is_empty() {
                continue;
            }
            let i = r.names.len();
            for c in &codes {
                if let Some(first) = c.chars().next() {
                    let list = r.by_first.entry(first).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
            r.max_window = r.max_window.max(k.words() + 1);
            r.names.push(Name {
                text: k.text.clone(),
                plain: plain(&k.text),
                words: k.words(),
                loose: k.loose,
                codes,
            });
        }
        r
    }

    fn codes(&self, word: &str) -> [String; 2] {
        if let Ok(cache) = self.code_cache.read()
            && let Some(c) = cache.get(word)
        {
            return c.clone();
        }
        let r = self.metaphone.double_metaphone(&ascii_letters(word));
        let codes = [r.primary(), r.alternate()];
        if let Ok(mut cache) = self.code_cache.write() {
            cache.insert(word.to_owned(), codes.clone());
        }
        codes
    }

    fn window_codes<'a>(&self, words: impl Iterator<Item = &'a str>) -> [String; 2] {
        let mut out = [String::new(), String::new()];
        for w in words {
            let [p, a] = self.codes(&plain(tokens::strip_possessive(w)));
            out[0].push_str(&p);
            out[1].push_str(if a.is_empty() { &p } else { &a });
        }
        out
    }

    fn known_exactly(&self, word: &str) -> bool {
        if self.known.contains(word) {
            return true;
        }
        // a lower-case known word may start a sentence or be shouted
        let lower = word.to_lowercase();
        self.known.contains(&lower)
            && (word.chars().skip(1).all(|c| !c.is_uppercase())
                || !word.chars().any(char::is_lowercase))
    }

    /// The sounds-like facts of `raw` (a word as written). Cached per word.
    fn word_info(&self, raw: &str) -> Arc<WordInfo> {
        if let Ok(cache) = self.info_cache.read()
            && let Some(v) = cache.get(raw)
        {
            return Arc::clone(v);
        }
        let stripped = tokens::strip_possessive(raw);
        let [p, a] = self.codes(&plain(stripped));
        let a = if a.is_empty() { p.clone() } else { a };
        let info = Arc::new(WordInfo {
            codes: [p, a],
            plain: plain(raw),
            ordinary: self.in_dictionary(stripped) && !self.known_exactly(stripped),
        });
        if let Ok(mut cache) = self.info_cache.write() {
            cache.insert(raw.to_owned(), Arc::clone(&info));
        }
        info
    }

    /// Whether the dictionary alone accepts `word`.
    fn in_dictionary(&self, word: &str) -> bool {
        self.dictionary.check(word)
    }

    /// `None` when `word` is spelled right, else its suggestions.
    ///
    /// Words spelled right (nearly all) are also remembered per thread, without a lock and with
    /// a fast hash: the command line checks every word of a repository on all cores, and a
    /// shared lock's counter bouncing between them cost more than the check it guards.
    fn spell(&self, word: &str) -> Option<Vec<String>> {
        let short = short_key(word);
        let known_here = KNOWN_HERE.with_borrow_mut(|k| {
            if k.id != self.id {
                *k = KnownHere {
                    id: self.id,
                    ..KnownHere::default()
                };
            }
            match short {
                Some(key) => k.short.contains(&key),
                None => k.long.contains(word),
            }
        });
        if known_here {
            return None;
        }
        let verdict = self.spell_shared(word);
        if verdict.is_none() {
            KNOWN_HERE.with_borrow_mut(|k| {
                if k.id == self.id && k.short.len() + k.long.len() < KNOWN_HERE_MAX {
                    match short {
                        Some(key) => k.short.insert(key),
                        None => k.long.insert(word.into()),
                    };
                }
            });
        }
        verdict
    }

    fn spell_shared(&self, word: &str) -> Option<Vec<String>> {
        if let Ok(cache) = self.spell_cache.read()
            && let Some(v) = cache.get(word)
        {
            return v.clone();
        }
        let verdict = self.spell_uncached(word);
        if let Ok(mut cache) = self.spell_cache.write() {
            cache.insert(word.to_owned(), verdict.clone());
        }
        verdict
    }

    fn spell_uncached(&self, word: &str) -> Option<Vec<String>> {
        if self.known_exactly(word) {
            return None;
        }
        let case_variants = self.by_lower.get(&word.to_lowercase());
        if self.in_dictionary(word) {
            return None;
        }
        if word.contains('-')
            && word
                .split('-')
                .all(|p| p.is_empty() || self.known_exactly(p) || self.in_dictionary(p))
        {
            return None;
        }
        let mut out = self.known_suggestions(word, case_variants);
        if self.options.dictionary_suggestions {
            self.add_dictionary_suggestions(word, &mut out);
        }
        Some(out)
    }

    /// Known words that are case variants of `word`, then known words that sound like it.
    fn known_suggestions(&self, word: &str, case_variants: Option<&Vec<String>>) -> Vec<String> {
        let mut out: Vec<String> = case_variants.cloned().unwrap_or_default();
        let [p, a] = self.codes(&plain(word));
        for w in &self.known_list {
            if out.len() >= MAX_SUGGESTIONS {
                break;
            }
            let [wp, wa] = self.codes(&plain(w));
            let close = [&p, &a]
                .iter()
                .any(|c| !c.is_empty() && (**c == wp || **c == wa));
            if close && !out.contains(w) {
                out.push(w.clone());
            }
        }
        out
    }

    fn add_dictionary_suggestions(&self, word: &str, out: &mut Vec<String>) {
        if out.len() >= MAX_SUGGESTIONS {
            return;
        }
        let mut dict = Vec::new();
        self.dictionary.suggest(word, &mut dict);
        for s in dict {
            if out.len() >= MAX_SUGGESTIONS {
                break;
            }
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }

    /// Every suggestion for `word`, best first, at most [`MAX_SUGGESTIONS`]: known words
    /// (case variants, then sounds-like), then the dictionary's, whatever the [`Options`] say
    /// (the app checks without dictionary suggestions, which are slow, and asks for them
    /// here when the user opens a flag). Cached per word.
    pub fn suggest(&self, word: &str) -> Vec<String> {
        let word = tokens::strip_possessive(word);
        if let Ok(cache) = self.suggest_cache.read()
            && let Some(v) = cache.get(word)
        {
            return v.clone();
        }
        let mut out = self.known_suggestions(word, self.by_lower.get(&word.to_lowercase()));
        out.retain(|s| s != word);
        self.add_dictionary_suggestions(word, &mut out);
        out.retain(|s| s != word);
        if let Ok(mut cache) = self.suggest_cache.write() {
            cache.insert(word.to_owned(), out.clone());
        }
        out
    }

    /// The flags of one cue's text, in text order.
    pub fn review_cue(&self, text: &str) -> Vec<Flag> {
        let words = tokens::words(text);
        let mut sounds = if self.options.sounds_like || self.options.spelling {
            self.sounds_like(text, &words)
        } else {
            Vec::new()
        };
        let mut flags = Vec::new();
        if self.options.spelling {
            for w in words.iter().filter(|w| w.check) {
                let span = &text[w.range.clone()];
                let word = tokens::strip_possessive(span);
                if let Some(suggestions) = self.spell(word) {
                    let range = w.range.start..w.range.start + word.len();
                    if sounds
                        .iter()
                        .any(|s: &Flag| s.range.start <= range.start && range.end <= s.range.end)
                    {
                        continue;
                    }
                    flags.push(Flag {
                        kind: FlagKind::Spelling,
                        range,
                        suggestions,
                    });
                }
            }
        }
        if self.options.sounds_like {
            flags.append(&mut sounds);
        }
        flags.sort_by_key(|f| (f.range.start, f.kind));
        flags
    }

    fn sounds_like(&self, text: &str, words: &[Word]) -> Vec<Flag> {
        if self.names.is_empty() {
            return Vec::new();
        }
        let lower = if self.never.is_empty() {
            String::new()
        } else {
            text.to_lowercase()
        };
        let never: Vec<Range<usize>> = if !self.never.is_empty() && lower.len() == text.len() {
            self.never
                .iter()
                .flat_map(|n| lower.match_indices(n.as_str()).map(|(i, m)| i..i + m.len()))
                .collect()
        } else {
            Vec::new()
        };
        // (distance, word-count difference, start, end, name)
        let mut candidates: Vec<(usize, usize, usize, usize, usize)> = Vec::new();
        let longest_code = self
            .names
            .iter()
            .flat_map(|n| n.codes.iter().map(String::len))
            .max()
            .unwrap_or(0);
        // per word, once: its codes, letters, and whether it is an ordinary dictionary word
        let info: Vec<Arc<WordInfo>> = words
            .iter()
            .map(|w| self.word_info(&text[w.range.clone()]))
            .collect();
        for start in 0..words.len() {
            let mut ordinary = true;
            let mut codes = [String::new(), String::new()];
            let mut window_plain = String::new();
            for len in 1..=self.max_window {
                let end = start + len;
                if end > words.len() || (len > 1 && !words[end - 1].joins_previous) {
                    break;
                }
                let last = &words[end - 1];
                let WordInfo {
                    codes: last_codes,
                    plain: last_plain,
                    ordinary: last_ordinary,
                } = &*info[end - 1];
                ordinary &= *last_ordinary;
                let span = words[start].range.start..last.range.end;
                codes[0].push_str(&last_codes[0]);
                codes[1].push_str(&last_codes[1]);
                // codes only grow with the window: past the longest name's, nothing matches
                if codes[0].len().min(codes[1].len()) > longest_code + 1 {
                    break;
                }
                window_plain.push_str(last_plain);
                let mut firsts: Vec<char> = codes.iter().filter_map(|c| c.chars().next()).collect();
                firsts.dedup();
                for first in firsts {
                    let Some(list) = self.by_first.get(&first) else {
                        continue;
                    };
                    for &n in list {
                        let name = &self.names[n];
                        if len > name.words + 1 || window_plain.contains(&name.plain) {
                            continue;
                        }
                        if ordinary && !(name.loose || name.words > 1) {
                            continue;
                        }
                        let code_len = name.codes[0].chars().count();
                        let allowed = if code_len >= 6 { 1 } else { 0 };
                        // the edit distance is at least the difference in length: only
                        // codes of about the name's length are compared
                        let d = codes
                            .iter()
                            .flat_map(|c| {
                                name.codes
                                    .iter()
                                    .filter(move |nc| c.len().abs_diff(nc.len()) <= allowed)
                                    .map(move |nc| strsim::levenshtein(c, nc))
                            })
                            .min()
                            .unwrap_or(usize::MAX);
                        // ordinary words only: the same primary sound, and spelled at
                        // least somewhat alike ("rough" ~ "ruff", not "review" ~ "ruff")
                        let alike = !ordinary
                            || (codes[0] == name.codes[0]
                                && strsim::normalized_levenshtein(&window_plain, &name.plain)
                                    >= 0.4);
                        if d <= allowed
                            && alike
                            && !never
                                .iter()
                                .any(|r| r.start < span.end && span.start < r.end)
                        {
                            candidates.push((d, len.abs_diff(name.words), span.start, span.end, n));
                        }
                    }
                }
            }
        }
        candidates.sort();
        candidates.dedup();
        let mut out: Vec<Flag> = Vec::new();
        for (_, _, s, e, n) in candidates {
            if out.iter().any(|f| f.range.start < e && s < f.range.end) {
                continue;
            }
            let suggestions = vec![self.names[n].text.clone()];
            out.push(Flag {
                kind: FlagKind::SoundsLike,
                range: s..e,
                suggestions,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::path::Path;

    fn reviewer(words: &str) -> Reviewer {
        let dict = crate::load_dictionary("en_US").unwrap();
        let words = KnownWords::parse(words, Path::new("words.txt")).unwrap();
        Reviewer::new(dict, &words, Options::default())
    }

    fn flags(r: &Reviewer, text: &str) -> Vec<(&'static str, String, String)> {
        r.review_cue(text)
            .into_iter()
            .map(|f| {
                let first = f.suggestions.first().cloned().unwrap_or_default();
                (f.kind.as_str(), text[f.range].to_owned(), first)
            })
            .collect()
    }

    const WORDS: &str = "Matt Makai\nClaude Code\nLangChain\nruff ~\nPydantic\nDonald Stufft\nClaude\n!rough idea\n";

    #[test]
    fn the_mishearings_are_flagged_with_the_name_first() {
        let r = reviewer(WORDS);
        assert_eq!(
            flags(&r, "I talked to Matt McKay about Cloud Code."),
            [
                ("sounds-like", "Matt McKay".into(), "Matt Makai".into()),
                ("sounds-like", "Cloud Code".into(), "Claude Code".into()),
            ]
        );
        assert_eq!(
            flags(&r, "CloudCode and Langchain"),
            [
                ("sounds-like", "CloudCode".into(), "Claude Code".into()),
                ("spelling", "Langchain".into(), "LangChain".into()),
            ]
        );
        assert_eq!(
            flags(&r, "use rough, and Pidantic, said Donald Stuffed"),
            [
                ("sounds-like", "rough".into(), "ruff".into()),
                ("sounds-like", "Pidantic".into(), "Pydantic".into()),
                (
                    "sounds-like",
                    "Donald Stuffed".into(),
                    "Donald Stufft".into()
                ),
            ]
        );
    }

    #[test]
    fn what_is_never_flagged() {
        let r = reviewer(WORDS);
        // spelled right; an ordinary word alone against a one-word name; a `!` span
        assert!(flags(&r, "Matt Makai uses Claude Code with LangChain and ruff.").is_empty());
        assert!(flags(&r, "a cloud of code, a rough idea").is_empty());
        // Double Metaphone sees ASCII only: accented words are folded, never a panic
        assert!(flags(&r, "blasé Sandøy NÚKASTÚL naïve 東京").len() <= 5);
        assert!(
            flags(
                &r,
                "<v Michael>See talkpython.fm &amp; NASA's 3rd os.path</v>"
            )
            .is_empty()
        );
        assert_eq!(
            flags(&r, "teh Python's"),
            [("spelling", "teh".into(), "the".into())]
        );
    }
}
