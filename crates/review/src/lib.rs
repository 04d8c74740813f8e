//! The review pass: words the dictionary does not know, and spans that *sound like* a known
//! name but are not spelled like it.
//!
//! Why a crate of its own: the same checks run in the `cueline spell` command (pre-commit
//! hooks, CI) and in the desktop app, and neither may link Tauri. It is a functional core:
//! [`Reviewer::review_cue`] is a pure function of one cue's text (plus the loaded words and
//! dictionary) returning [`Flag`]s with byte spans into that text; reading files lives in
//! [`words`] and [`dictionary`] only.
//!
//! - [`words`]: `.cueline/words.txt`, the glossary's `right` terms, the user's list.
//! - [`tokens`]: which parts of a cue are words to check.
//! - [`dictionary`]: finding and loading the Hunspell dictionary (`spellbook`).
//! - [`review`]: spelling and sounds-like flags, with a per-distinct-word cache.
//! - [`flags`]: one document's flags, re-checked incrementally (only edited cues).
//! - [`rejections`]: sounds-like flags the user rejected, per cue, outside the transcript.
//! - [`lists`]: adding to `words.txt` and the glossary with a minimal diff.
//! - [`session`]: the editor's review state (dictionary, *Ignore all*, each open document).

pub mod dictionary;
pub mod flags;
pub mod lists;
pub mod rejections;
pub mod review;
pub mod session;
pub mod tokens;
pub mod words;

pub use dictionary::{DictionaryError, load_dictionary};
pub use flags::{CueFlags, Dismissed, FlagCache, UpdateStats};
pub use lists::ListError;
pub use rejections::{Rejections, RejectionsError};
pub use review::{Flag, FlagKind, Options, Reviewer};
pub use session::{DEFAULT_LANG, FlagsReport, ReviewSession};
pub use words::{KnownWords, WORDS_PATH, WordsError, user_words_path};
