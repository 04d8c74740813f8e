//! The command-line grammar and every word of `--help`.
//!
//! Why one module: the help text is the reference users read first, so it sits next to the
//! options it documents and cannot drift from them. `docs/cli.md` shows the same commands
//! with their real output. The man pages and shell completions are generated from it too:
//! `examples/gen_assets.rs` compiles this file on its own, so it may use other crates but not
//! `crate::` paths.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use cueline_transcript::Format;

const ABOUT: &str = "Check, edit, search-and-replace and convert transcripts (WebVTT, SRT, Talk Python TXT) \
without changing a byte you did not edit";

const LONG_ABOUT: &str = "\
Check, edit, search-and-replace and convert transcripts: WebVTT (.vtt), SubRip (.srt)
and Talk Python (.txt, `HH:MM:SS text` entries). Only the bytes an edit is about ever
change: other cues, line endings, blank lines and a byte-order mark stay as they were.

With a COMMAND, cueline runs headless. With no command, or with only files and folders
(`cueline FILE_OR_DIR...`), it opens the Cueline desktop app instead: it runs
`cueline-desktop` from its own folder (then from PATH) with the same arguments.";

/// `cueline --version`: the workspace version and the git commit of the build (`unknown` without
/// `.git`; see build.rs).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("CUELINE_GIT_COMMIT"),
    ")"
);

const USAGE: &str = "cueline <COMMAND> [OPTIONS] [ARGS]...
       cueline [FILE_OR_DIR]...   (opens the desktop app)";

const AFTER_LONG_HELP: &str = "\
Exit status:
  0  success
  1  the work found errors: `check` found error diagnostics, or an edit or a
     replacement is invalid (then nothing is written)
  2  usage errors, and files that cannot be read or written (nothing is written)

Writes are atomic: each file is written to a temporary file beside it, flushed to
disk and renamed over the original; permissions are kept, and a symbolic link is
followed and its target replaced. A `replace` over many files writes every temporary
file before it renames any. A command that fails leaves every file as it was.
Problems already in a file (see `cueline check`) never block an edit elsewhere in it.

Examples:
  cueline check transcripts/
  cueline apply episode.vtt edits.json
  cueline replace --word 'Matt Makai' 'Matt McKay' transcripts/
  cueline replace --pairs --word 'Matt McKay' 'Matt Makai' transcripts/
  cueline glossary check transcripts/
  cueline export episode.vtt --to txt -o episode.txt
  cueline episode.vtt            (opens episode.vtt in the desktop app)

Set CUELINE_LOG=debug to log what cueline does to stderr.
Run `cueline <COMMAND> --help` for the details of each command.";

#[derive(Debug, Parser)]
#[command(
    name = "cueline",
    version = VERSION,
    about = ABOUT,
    long_about = LONG_ABOUT,
    override_usage = USAGE,
    after_long_help = AFTER_LONG_HELP,
    after_help = "Run `cueline --help` for exit codes and examples, `cueline <COMMAND> --help` for a command.",
    subcommand_required = true,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Check(CheckArgs),
    Apply(ApplyArgs),
    Replace(ReplaceArgs),
    Export(ExportArgs),
    Glossary(GlossaryArgs),
    Diff(DiffArgs),
    Spell(SpellArgs),
}

const CHECK_LONG: &str = "\
Report problems in transcripts.

Parses every .vtt, .srt and .txt file under each PATH (folders recursively; hidden
files and folders, node_modules and symbolic links inside folders are skipped) and
prints one line per problem, files in path order:

  PATH:LINE: warning|error: message

and then a summary as the last line:

  N files, N cues, N errors, N warnings

Errors: blocks that do not parse (every command keeps them byte for byte), a WebVTT
file without its `WEBVTT` header, files that are not text (invalid UTF-8, binary).
Warnings: zero-length, negative-duration, overlapping and out-of-order cues.
For TXT files, `cues` counts entries.

Pairs: when both files of an episode are checked (X.vtt, or X.srt, with X.txt in the
same folder), their texts are compared word by word, and each pair that disagrees gets
one line of information before the summary (at most 50 pairs; --json leaves them out):

  info: X.vtt and X.txt disagree at HH:MM:SS: \"...\" vs \"...\" (and N more)

Information never changes the exit status.";

const CHECK_AFTER: &str = "\
Exit status: 0 no errors (warnings allowed), 1 errors found, 2 a PATH cannot be read.

Examples:
  cueline check episode.vtt
  cueline check transcripts/ youtube_transcripts/
  cueline check --json transcripts/ | jq -c 'select(.diagnostics != [])'";

/// Report problems in transcripts: one line per warning or error, then a summary.
#[derive(Debug, Args)]
#[command(long_about = CHECK_LONG, after_long_help = CHECK_AFTER)]
pub struct CheckArgs {
    /// Print JSON lines instead: one object per file,
    /// {"path","format","cues","diagnostics":[{"severity","line","message"}]},
    /// then {"files","cues","errors","warnings"} as the last line
    #[arg(long)]
    pub json: bool,

    /// Transcript files, or folders to search for .vtt, .srt and .txt files
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
}

const APPLY_LONG: &str = r#"Apply edits to a transcript and save it with a minimal diff.

EDITS is a JSON file (or `-` to read it from standard input) like this:

  {"edits": [
    {"op": "set_text",   "cue": 12, "text": "line one\nline two"},
    {"op": "set_timing", "cue": 12, "start_ms": 61000, "end_ms": 65500},
    {"op": "insert",     "at": 13, "start_ms": 66000, "end_ms": 67000, "text": "new cue"},
    {"op": "delete",     "cue": 13},
    {"op": "split",      "cue": 5, "at_char": 17, "at_ms": 30500},
    {"op": "merge",      "cue": 5},
    {"op": "renumber"}
  ]}

Edits run in order. `cue` and `at` are 0-based indexes of cues (VTT, SRT) or entries
(TXT) in the document as it is when that edit runs; `at` equal to the number of cues
appends. `text` is the cue text with its lines joined by `\n` (for TXT, the entry text
after `HH:MM:SS `; it may not contain `\n`).

  set_text    replaces the cue's text lines, and only them
  set_timing  moves the start and/or the end (give one or both), written in the
              cue's own timestamp style; a cue may not end before it starts
  insert      adds a cue before cue `at`, laid out like the cue before it
              (TXT entries have no end time: `end_ms` is ignored)
  delete      removes the cue and the blank lines after it
  split       keeps text[..at_char] in the cue, which now ends at `at_ms`, and puts
              text[at_char..] in a new cue from `at_ms` to the old end; whitespace at
              the split point is dropped; `at_char` counts Unicode scalar values
  merge       appends the next cue's text (joined by one space), takes its end time
              and removes it
  renumber    renumbers SRT blocks from 1 (the only edit that touches other cues)

The edits apply all or nothing. If one is invalid (an index out of range, a bad value,
malformed JSON), cueline names it, like

  cueline: episode.vtt:57: edit 3 (set_timing): the cue would end before it starts (...)

(edits are counted from 0, like cues), exits with 1 and writes nothing. The file is
written in place, atomically, only if it changed; with -o the input is left untouched.
Files that are not text (see `cueline check`) cannot be edited."#;

const APPLY_AFTER: &str = r#"Examples:
  cueline apply episode.vtt edits.json
  cueline apply episode.srt edits.json -o fixed.srt
  echo '{"edits": [{"op": "delete", "cue": 0}]}' | cueline apply episode.vtt -
  cueline apply episode.vtt edits.json -o - | diff episode.vtt -"#;

/// Apply a list of JSON edits to a transcript, all or nothing.
#[derive(Debug, Args)]
#[command(long_about = APPLY_LONG, after_long_help = APPLY_AFTER)]
pub struct ApplyArgs {
    /// The transcript to edit (.vtt, .srt or .txt)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The JSON edits: a file, or `-` for standard input
    #[arg(value_name = "EDITS")]
    pub edits: PathBuf,

    /// Write the result to OUT (`-` for standard output) instead of FILE
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

const REPLACE_LONG: &str = "\
Find and replace in cue text across transcripts.

Searches the text lines of every cue (as written, voice tags like <v Name> included)
in every .vtt, .srt and .txt file under each PATH (folders as in `cueline check`),
and never timing lines, headers, notes, identifiers or file names. Only the matched
characters change: the text around a match, spaces included, is never altered, and
only the text lines that contain a match are rewritten. A match does not span cues.

Prints `N replacements in M files`. With --dry-run, lists every cue text line with a
match instead and writes nothing:

  PATH:LINE: HH:MM:SS.mmm TEXT

where HH:MM:SS.mmm is the cue's start and TEXT is the line with each hit marked like
git's word diff: [-old-]{+new+}. --json prints one JSON object per hit,
{\"path\",\"line\",\"cue\",\"start\",\"start_ms\",\"text\",\"match\",\"replacement\",\"at_char\",\"end_char\"}
(`text` is the whole cue text, lines joined by `\\n`; at_char and end_char locate the
match in it, counted in Unicode scalar values), then {\"replacements\",\"files\",\"dry_run\"}.

All files are prepared first; if any replacement would be invalid (say it would put an
empty line or `-->` into a cue), nothing is written and the exit status is 1. Then
every changed file is written to a temporary file before any is renamed into place.
Files that are not text are skipped with a warning.

With --pairs, a fix reaches both files of an episode's pair (X.vtt or X.srt, and X.txt,
in one folder), also when only one of them is named: for a hit in a cue, the entry of
X.txt whose time is at or before the cue's start and whose text holds the same span
(where the text around it agrees best) gets the same replacement, and the other way
round for a hit in an entry. A .txt is never regenerated from its .vtt: only the span
changes. Hits whose replacement equals the matched text are not counted.";

const REPLACE_AFTER: &str = r#"Examples:
  cueline replace --word 'Matt Makai' 'Matt McKay' transcripts/
  cueline replace --pairs --word 'Matt McKay' 'Matt Makai' episode.vtt
  cueline replace --dry-run -i 'pycharm' 'PyCharm' episode.vtt
  cueline replace --regex 'Python (\d)\.(\d+)' 'Python $1.$2' transcripts/
  cueline replace -- '--force' '--yes' transcripts/     (FIND starts with `-`)"#;

/// Find and replace in cue text across transcripts (never timing lines or headers).
#[derive(Debug, Args)]
#[command(long_about = REPLACE_LONG, after_long_help = REPLACE_AFTER)]
pub struct ReplaceArgs {
    /// Match whole words only: a match may not be preceded or followed by a letter,
    /// digit or underscore
    #[arg(short, long)]
    pub word: bool,

    /// Match without regard to case
    #[arg(short, long)]
    pub ignore_case: bool,

    /// FIND is a Rust regular expression (https://docs.rs/regex); REPLACEMENT may refer
    /// to its groups as $1, $2 or ${name} ($$ for a literal $)
    #[arg(short, long)]
    pub regex: bool,

    /// List every hit with the cue's start and the hit marked, and write nothing
    #[arg(short = 'n', long)]
    pub dry_run: bool,

    /// Print each hit as a JSON object, then a summary object
    #[arg(long)]
    pub json: bool,

    /// Fix both files of a pair: a hit in X.vtt (or X.srt) also replaces the same span in
    /// the matching entry of X.txt (the entry at or before the cue's start that holds it),
    /// and a hit in X.txt the same span in the matching cue of X.vtt
    #[arg(short, long)]
    pub pairs: bool,

    /// The text to find (literal unless --regex)
    #[arg(value_name = "FIND")]
    pub find: String,

    /// The text to put in its place (may be empty: '')
    #[arg(value_name = "REPLACEMENT")]
    pub replacement: String,

    /// Transcript files, or folders to search for .vtt, .srt and .txt files
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
}

const EXPORT_LONG: &str = "\
Convert a transcript to another format, as a new file.

To VTT: a `WEBVTT` header, then each cue's timing line and text lines. To SRT:
numbered blocks with `HH:MM:SS,mmm` times. To TXT: the Talk Python rule: every
cue text line, trimmed, is appended to the open entry (joined by one space) or
opens an entry stamped with its cue's start (whole seconds, truncated); an entry
closes when it ends with `.`, `?`, `!` or `-` or reaches 72 characters. TXT entries
have no end time: a cue made from one ends where the next entry starts.

Only cues are exported: notes, styles and blocks that do not parse are left out.
The result goes to standard output, or atomically to OUT with -o.";

const EXPORT_AFTER: &str = "\
Examples:
  cueline export episode.vtt --to txt -o episode.txt
  cueline export episode.srt --to vtt > episode.vtt";

/// Convert a transcript to VTT, SRT or TXT (to stdout, or to a file with -o).
#[derive(Debug, Args)]
#[command(long_about = EXPORT_LONG, after_long_help = EXPORT_AFTER)]
pub struct ExportArgs {
    /// The transcript to convert (.vtt, .srt or .txt)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The format to write
    #[arg(long, value_name = "FORMAT")]
    pub to: ExportFormat,

    /// Write to OUT instead of standard output
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

/// The formats `export --to` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// WebVTT
    Vtt,
    /// SubRip
    Srt,
    /// Talk Python `HH:MM:SS text`
    Txt,
}

impl From<ExportFormat> for Format {
    fn from(f: ExportFormat) -> Format {
        match f {
            ExportFormat::Vtt => Format::Vtt,
            ExportFormat::Srt => Format::Srt,
            ExportFormat::Txt => Format::Txt,
        }
    }
}

const GLOSSARY_LONG: &str = "\
Check or apply the repository's glossary of known mishearings.

The glossary is `.cueline/glossary.toml`, found in the folder of each PATH or the
nearest folder above it (or given with --glossary). Each entry names a wrong spelling
and its fix:

  [[entry]]
  wrong = \"Matt McKay\"       # literal text, or a Rust regex with regex = true
  right = \"Matt Makai\"       # the fix; a regex fix may use $1
  note = \"guest, Full Stack Python\"
  # whole_word = true  (default)   match_case = false  (default)   regex = false

Matching is in cue text only, as `cueline replace` does it. A hit that already reads
exactly like its fix is not a hit (so `langchain` -> `LangChain` with match_case = false
leaves `LangChain` alone); where two entries overlap, the earlier one wins.";

const GLOSSARY_AFTER: &str = "\
Examples:
  cueline glossary check transcripts/          (in a pre-commit hook or CI)
  cueline glossary apply transcripts/
  cueline glossary check --glossary team.toml episode.vtt";

/// Check transcripts against the repository's glossary, or apply its fixes.
#[derive(Debug, Args)]
#[command(long_about = GLOSSARY_LONG, after_long_help = GLOSSARY_AFTER)]
pub struct GlossaryArgs {
    #[command(subcommand)]
    pub command: GlossaryCommand,
}

#[derive(Debug, Subcommand)]
pub enum GlossaryCommand {
    /// List every glossary hit as PATH:LINE: wrong -> right (note); exit 1 when there are any
    #[command(long_about = GLOSSARY_CHECK_LONG, after_long_help = GLOSSARY_CHECK_AFTER)]
    Check(GlossaryPaths),
    /// Apply every fix of the glossary, pairs included, to all files at once
    #[command(long_about = GLOSSARY_APPLY_LONG, after_long_help = GLOSSARY_APPLY_AFTER)]
    Apply(GlossaryPaths),
    /// Print glossary entries (TOML) for the sounds-like flags found, most frequent first
    #[command(long_about = GLOSSARY_SUGGEST_LONG)]
    Suggest(GlossaryPaths),
}

const GLOSSARY_SUGGEST_LONG: &str = "\
Print one TOML [[entry]] per distinct HEARD -> NAME pair that `cueline spell` flags as
sounds-like (pairs whose HEARD already is a `wrong` of the glossary are left out),
most frequent first, ready to paste into `.cueline/glossary.toml`:

  [[entry]]
  wrong = \"Matt McKay\"
  right = \"Matt Makai\"
  note = \"3 times in 2 files\"

Exit status: 0, also when there is nothing to suggest; 2 on usage errors, unreadable
files, no dictionary, or a bad words.txt or glossary.";

const GLOSSARY_CHECK_LONG: &str = "\
List every glossary hit, one line each, in path order:

  PATH:LINE: wrong -> right (note)

then `N glossary hits in M files` as the last line. For pre-commit hooks and CI.";

const GLOSSARY_CHECK_AFTER: &str = "\
Exit status: 0 no hits, 1 hits found, 2 usage errors, an unreadable file or glossary.

Examples:
  cueline glossary check transcripts/
  cueline glossary check --glossary team.toml episode.vtt episode.txt";

const GLOSSARY_APPLY_LONG: &str = "\
Apply every fix of the glossary and print `N replacements in M files`.

Pairs are followed as with `cueline replace --pairs`: a fix in X.vtt (or X.srt) also
fixes the matching entry of X.txt, and the other way round, even when only one of the
two is named. All files are prepared first; if one replacement would be invalid,
nothing is written (exit status 1). Every changed file is written to a temporary file
before any is renamed into place.";

const GLOSSARY_APPLY_AFTER: &str = "\
Examples:
  cueline glossary apply transcripts/
  cueline glossary apply --glossary team.toml episode.vtt";

/// The PATHs a glossary command works on, and where the glossary is.
#[derive(Debug, Args)]
pub struct GlossaryPaths {
    /// The glossary file (default: `.cueline/glossary.toml` in or above each PATH)
    #[arg(short, long, value_name = "FILE")]
    pub glossary: Option<PathBuf>,

    /// Transcript files, or folders to search for .vtt, .srt and .txt files
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
}

const DIFF_LONG: &str = "\
Show what changed in transcripts since a commit, cue by cue.

Compares the .vtt, .srt and .txt files under each PATH (default: the current folder;
the same walking rule as `check`) that `git diff --name-status --no-renames REV`
reports with their version in REV (default HEAD), and prints, per file, its path and
one line per changed cue:

  PATH:LINE: HH:MM:SS.mmm TEXT

LINE is the line of the cue's timing line (of a TXT entry) in the working file, or in
REV for a deleted cue. Changed words are marked as `git diff --word-diff=plain` marks
them, `[-old-]{+new+}`; a retimed cue shows `OLD START --> OLD END => NEW START --> NEW END`
before its text (a TXT entry has no end: `OLD START => NEW START`). Line breaks inside a
cue are shown as \\n.

Cues are aligned on their text, so an inserted cue is one change however many cues
follow it. A change only in a header, NOTE, identifier, line endings or byte-order mark
is not a cue change, and a file without cue changes is not listed. Untracked files are
not compared (as in `git diff`); a file deleted from the working tree has every cue
deleted, a file added since REV every cue inserted.

With --files OLD NEW, the two files are compared outside git (same format only), so
cueline works as a git difftool: git difftool -y -x 'cueline diff --files'";

const DIFF_AFTER: &str = "\
Exit status: 0 with or without changes; 2 outside a git work tree, without git, when
REV is not a commit, a PATH is outside the work tree, HEAD has no commit yet (and no
--against), or a file cannot be read.

Examples:
  cueline diff
  cueline diff --against HEAD~3 transcripts/
  cueline diff --json | jq '.[].changes | length'
  cueline diff --files old/episode.vtt episode.vtt";

/// Show what changed in transcripts since a commit (or between two files), cue by cue.
#[derive(Debug, Args)]
#[command(long_about = DIFF_LONG, after_long_help = DIFF_AFTER)]
pub struct DiffArgs {
    /// Print one JSON array of {"path","changes":[{"kind","cue","before","after",
    /// "before_start_ms","before_end_ms","after_start_ms","after_end_ms"}]}
    #[arg(long)]
    pub json: bool,

    /// Compare with this commit instead of HEAD
    #[arg(long, value_name = "REV", conflicts_with = "files")]
    pub against: Option<String>,

    /// Compare two files outside git
    #[arg(long, num_args = 2, value_names = ["OLD", "NEW"], conflicts_with = "paths")]
    pub files: Option<Vec<PathBuf>>,

    /// Files and folders to compare (default: the current folder)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

const SPELL_LONG: &str = "\
Flag unknown words and spans that sound like a known name in transcripts.

Checks the cue text of every .vtt, .srt and .txt file under each PATH (folders as in
`cueline check`) with the Hunspell dictionary LANG (LANG.aff and LANG.dic, searched in
$CUELINE_DICT_DIR, then /usr/share/hunspell) and the known words: the project's
`.cueline/words.txt` and the `right` terms of `.cueline/glossary.toml` (found in the
folder of each PATH or the nearest folder above it), and $XDG_CONFIG_HOME/cueline/words.txt.

words.txt: one word or phrase a line, trimmed; `#` starts a comment line; a line ending in
` ~` is a name matched by sound even against ordinary words (`ruff ~`); a line starting
with `!` is a span never flagged as sounds-like (`!rough idea`).

Prints one line per flag, in path, line and column order, then a summary:

  PATH:LINE:COL: spelling: WORD (did you mean: A, B, C)
  PATH:LINE:COL: sounds-like: HEARD -> NAME
  N flags (S spelling, K sounds-like) in M files; F files checked

COL counts Unicode scalar values from the start of the file line (a TXT entry's stamp
included). Files that are not text are skipped with a warning.";

const SPELL_AFTER: &str = "\
Exit status: 0 nothing flagged, 1 flags found, 2 usage errors, unreadable files, no
dictionary, or a bad words.txt or glossary.

Examples:
  cueline spell transcripts/
  cueline spell --only sounds-like --no-suggest transcripts/
  cueline spell --json episode.vtt | jq -r '.[].text' | sort | uniq -c";

/// Flag unknown words and spans that sound like a known name (a review pass).
#[derive(Debug, Args)]
#[command(long_about = SPELL_LONG, after_long_help = SPELL_AFTER)]
pub struct SpellArgs {
    /// Print one JSON array of {"path","line","column","cue","kind","text","suggestions"}
    #[arg(long)]
    pub json: bool,

    /// Only this kind of flag
    #[arg(long, value_name = "KIND")]
    pub only: Option<SpellKind>,

    /// The Hunspell dictionary
    #[arg(long, value_name = "LANG", default_value = "en_US")]
    pub lang: String,

    /// Skip the dictionary's suggestions (known-word suggestions and names stay)
    #[arg(long)]
    pub no_suggest: bool,

    /// Transcript files, or folders to search for .vtt, .srt and .txt files
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
}

/// The kinds `spell --only` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SpellKind {
    Spelling,
    SoundsLike,
}
