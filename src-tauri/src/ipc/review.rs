//! Wire types of the review pass (spelling and sounds-like flags): mapped from
//! `cueline-review`, with the flags' byte spans turned into UTF-16 offsets of the cue text
//! (what a textarea counts in).

use cueline_review::{CueFlags, Flag, FlagKind};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::ipc::dto::wire;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum FlagKindDto {
    /// A word the dictionary and the known words do not have.
    Spelling,
    /// A span that sounds like a known name but is not spelled like it.
    SoundsLike,
}

impl From<FlagKind> for FlagKindDto {
    fn from(k: FlagKind) -> Self {
        match k {
            FlagKind::Spelling => FlagKindDto::Spelling,
            FlagKind::SoundsLike => FlagKindDto::SoundsLike,
        }
    }
}

/// One flag in a cue's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FlagDto {
    pub kind: FlagKindDto,
    /// The span in the cue's text, UTF-16 offsets.
    pub start_utf16: u32,
    pub end_utf16: u32,
    /// The span's text.
    pub text: String,
    /// Known words first (for sounds-like: the name); dictionary suggestions come from
    /// `flag_suggestions` when the user opens the flag.
    pub suggestions: Vec<String>,
}

impl FlagDto {
    pub fn from_flag(text: &str, f: &Flag) -> Self {
        let utf16 = |b: usize| wire(text.get(..b).map_or(0, |s| s.encode_utf16().count()));
        FlagDto {
            kind: f.kind.into(),
            start_utf16: utf16(f.range.start),
            end_utf16: utf16(f.range.end),
            text: text.get(f.range.clone()).unwrap_or("").to_owned(),
            suggestions: f.suggestions.clone(),
        }
    }
}

/// One cue's flags (empty: the cue has none any more).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CueFlagsDto {
    pub cue_id: u32,
    pub flags: Vec<FlagDto>,
}

impl CueFlagsDto {
    pub fn from_cue(c: CueFlags, text: &str) -> Self {
        CueFlagsDto {
            cue_id: wire(c.cue_id),
            flags: c
                .flags
                .iter()
                .map(|f| FlagDto::from_flag(text, f))
                .collect(),
        }
    }
}

/// The flags that changed in a document after generation `since`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FlagsView {
    pub doc_id: u32,
    /// The generation the answer counts from: the one asked for, or 0 when the flags started
    /// over (drop every flag shown, then apply `cues`).
    pub since: u32,
    /// The generation of this answer: ask from it next time.
    pub generation: u32,
    /// The cues whose flags changed (from 0: every cue with flags).
    pub cues: Vec<CueFlagsDto>,
    /// Something to tell the user (no dictionary: spelling is off, editing goes on).
    pub notice: Option<String>,
    /// The project word list *Add to project words* writes, or null when the document is in
    /// no project (no `.cueline/` folder or git repository above it).
    pub project_words: Option<String>,
    /// The glossary a sounds-like fix can be added to, or null (no project).
    pub glossary: Option<String>,
}

/// Which word list a word goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "kebab-case")]
pub enum WordListDto {
    /// The project's `.cueline/words.txt`.
    Project,
    /// The user's `$XDG_CONFIG_HOME/cueline/words.txt`.
    User,
}

/// A word list or the glossary after an addition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ListChanged {
    /// The file written (or that already held it).
    pub file: String,
    /// False when it was already there (nothing written).
    pub added: bool,
}
