//! `cueline spell` and `cueline glossary suggest` on real files with the real Hunspell
//! dictionary (`hunspell-en-us`, installed by `make deps`): a repository with a
//! `.cueline/words.txt` where the mishearings of the Talk Python transcripts are flagged with
//! the right name first, the exact text and JSON outputs, exit codes, and the corpus's rate
//! of flags per 1,000 cues.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

const WORDS: &str = "# names of the show\nMatt Makai\nClaude Code\nLangChain\nruff ~\nPydantic\nDonald Stufft\nuv\n!rough idea\n";

const EPISODE_VTT: &str = "WEBVTT

00:00:01.000 --> 00:00:04.000
<v Michael>Welcome, I talked to Matt McKay
about Cloud Code and Langchain.

00:00:04.000 --> 00:00:07.000
uv tool install rough, a rough idea.

00:00:07.000 --> 00:00:09.000
Pidantic by Donald Stuffed? See talkpython.fm
";

const EPISODE_TXT: &str = "00:00:01 Welcome, I talked to Matt McKay about CloudCode and Langchain.\n00:00:04 Matt Makai uses Claude Code.\n";

/// Runs `cueline ARGS` in `dir` with an empty user configuration (and `env` set).
fn spell(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Run {
    let config = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .current_dir(dir)
        .env_remove("CUELINE_LOG")
        .env_remove("CUELINE_DICT_DIR")
        .env("XDG_CONFIG_HOME", config.path());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn repository() -> tempfile::TempDir {
    folder(&[
        (".cueline/words.txt", WORDS),
        ("episodes/ep.vtt", EPISODE_VTT),
        ("episodes/ep.txt", EPISODE_TXT),
        // configuration is never a transcript
        (".cueline/old.vtt", EPISODE_VTT),
    ])
}

#[test]
fn the_mishearings_are_flagged_with_the_right_name() {
    let repo = repository();
    let run = spell(repo.path(), &["spell", "--no-suggest", "episodes"], &[]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "\
episodes/ep.txt:1:31: sounds-like: Matt McKay -> Matt Makai
episodes/ep.txt:1:48: sounds-like: CloudCode -> Claude Code
episodes/ep.txt:1:62: spelling: Langchain (did you mean: LangChain)
episodes/ep.vtt:4:33: sounds-like: Matt McKay -> Matt Makai
episodes/ep.vtt:5:7: sounds-like: Cloud Code -> Claude Code
episodes/ep.vtt:5:22: spelling: Langchain (did you mean: LangChain)
episodes/ep.vtt:8:17: sounds-like: rough -> ruff
episodes/ep.vtt:11:1: sounds-like: Pidantic -> Pydantic
episodes/ep.vtt:11:13: sounds-like: Donald Stuffed -> Donald Stufft
9 flags (2 spelling, 7 sounds-like) in 2 files; 2 files checked
",
        "{}",
        run.stderr
    );
}

#[test]
fn json_output_and_only() {
    let repo = repository();
    let run = spell(
        repo.path(),
        &["spell", "--json", "--only", "spelling", "episodes/ep.vtt"],
        &[],
    );
    run.expect_code(1);
    let flags: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let flags = flags.as_array().unwrap();
    assert_eq!(flags.len(), 1, "{flags:?}");
    let f = &flags[0];
    assert_eq!(f["path"], "episodes/ep.vtt");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(5), Some(22))
    );
    assert_eq!(f["cue"], 0);
    assert_eq!(f["kind"], "spelling");
    assert_eq!(f["text"], "Langchain");
    // dictionary suggestions after the project's word, at most 5
    let s = f["suggestions"].as_array().unwrap();
    assert_eq!(s[0], "LangChain");
    assert!(s.len() > 1 && s.len() <= 5, "{s:?}");

    let run = spell(
        repo.path(),
        &[
            "spell",
            "--json",
            "--only",
            "sounds-like",
            "episodes/ep.txt",
        ],
        &[],
    );
    let flags: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let texts: Vec<&str> = flags
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["Matt McKay", "CloudCode"]);
}

#[test]
fn a_span_across_lines_of_a_cue_keeps_its_line_break() {
    let repo = folder(&[
        (".cueline/words.txt", "Matt Makai\n"),
        (
            "a.vtt",
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nthanks Matt\nMcKay\n",
        ),
    ]);
    let run = spell(repo.path(), &["spell", "--json", "a.vtt"], &[]);
    let flags: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(flags[0]["text"], "Matt\nMcKay");
    assert_eq!(
        (flags[0]["line"].as_u64(), flags[0]["column"].as_u64()),
        (Some(4), Some(8))
    );
    let run = spell(repo.path(), &["spell", "a.vtt"], &[]);
    assert!(
        run.stdout
            .starts_with("a.vtt:4:8: sounds-like: Matt McKay -> Matt Makai\n")
    );
}

#[test]
fn clean_files_exit_0_and_json_is_an_empty_array() {
    let repo = folder(&[("a.srt", SRT), (".cueline/words.txt", "")]);
    let run = spell(repo.path(), &["spell", "."], &[]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "0 flags (0 spelling, 0 sounds-like) in 0 files; 1 files checked\n"
    );
    let run = spell(repo.path(), &["spell", "--json", "."], &[]);
    run.expect_code(0);
    assert_eq!(run.stdout, "[]\n");
}

#[test]
fn the_repositorys_own_fixtures_with_the_glossary_and_the_users_words() {
    // common::VTT has "uv tool install rough"; the glossary's `right` terms are known words
    let repo = folder(&[
        ("ep.vtt", VTT),
        ("ep.txt", TXT),
        (
            ".cueline/glossary.toml",
            "[[entry]]\nwrong = \"Matt McKay\"\nright = \"Matt Makai\"\n",
        ),
    ]);
    let run = spell(repo.path(), &["spell", "--only", "sounds-like", "."], &[]);
    run.expect_code(0);
    // the user's list adds `ruff ~`
    let config = tempfile::tempdir().unwrap();
    write(config.path(), "cueline/words.txt", b"ruff ~\n");
    let run = spell(
        repo.path(),
        &["spell", "--only", "sounds-like", "ep.vtt"],
        &[("XDG_CONFIG_HOME", config.path())],
    );
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "ep.vtt:11:17: sounds-like: rough -> ruff\n1 flags (0 spelling, 1 sounds-like) in 1 files; 1 files checked\n"
    );
}

#[test]
fn errors_exit_2() {
    let repo = repository();
    // no dictionary
    let empty = tempfile::tempdir().unwrap();
    let run = spell(
        repo.path(),
        &["spell", "--lang", "xx_XX", "episodes"],
        &[("CUELINE_DICT_DIR", empty.path())],
    );
    run.expect_code(2);
    assert!(run.stderr.contains("no xx_XX dictionary"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    // CUELINE_DICT_DIR comes first
    write(empty.path(), "xx_XX.aff", b"SET UTF-8\n");
    write(empty.path(), "xx_XX.dic", b"1\nhello\n");
    let run = spell(
        repo.path(),
        &[
            "spell",
            "--only",
            "spelling",
            "--lang",
            "xx_XX",
            "episodes/ep.txt",
        ],
        &[("CUELINE_DICT_DIR", empty.path())],
    );
    run.expect_code(1);
    assert!(run.stdout.contains(": spelling: Welcome"), "{}", run.stdout);
    // a bad words.txt
    write(repo.path(), ".cueline/words.txt", b"ok\n!\n");
    let run = spell(repo.path(), &["spell", "episodes"], &[]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("words.txt:2: `!` with no span after it"),
        "{}",
        run.stderr
    );
    // a bad glossary
    write(repo.path(), ".cueline/words.txt", b"ok\n");
    write(
        repo.path(),
        ".cueline/glossary.toml",
        b"[[entry]]\nwrong = 1\n",
    );
    spell(repo.path(), &["spell", "episodes"], &[]).expect_code(2);
    // an unreadable path, a usage error
    spell(repo.path(), &["spell", "missing.vtt"], &[]).expect_code(2);
    spell(repo.path(), &["spell", "--only", "grammar", "."], &[]).expect_code(2);
}

#[test]
fn files_that_are_not_text_are_skipped_with_a_warning() {
    let repo = folder(&[(".cueline/words.txt", "")]);
    write(
        repo.path(),
        "bin.vtt",
        b"WEBVTT\n\n\xff\xfe\x00\x01 --> x\n",
    );
    write(repo.path(), "ok.txt", b"00:00:01 hello there\n");
    let run = spell(repo.path(), &["spell", "."], &[]);
    run.expect_code(0);
    assert!(run.stderr.contains("bin.vtt: skipped"), "{}", run.stderr);
    assert!(
        run.stdout.ends_with("; 1 files checked\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn glossary_suggest_prints_entries_by_count() {
    let repo = repository();
    write(
        repo.path(),
        "episodes/two.txt",
        b"00:00:01 Matt McKay again, and Matt McKay.\n",
    );
    let run = spell(repo.path(), &["glossary", "suggest", "episodes"], &[]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with(
            "[[entry]]\nwrong = \"Matt McKay\"\nright = \"Matt Makai\"\nnote = \"4 times in 3 files\"\n\n[[entry]]\n"
        ),
        "{}",
        run.stdout
    );
    // what the glossary already catches is not suggested again
    write(
        repo.path(),
        ".cueline/glossary.toml",
        b"[[entry]]\nwrong = \"Matt McKay\"\nright = \"Matt Makai\"\n",
    );
    let run = spell(repo.path(), &["glossary", "suggest", "episodes"], &[]);
    run.expect_code(0);
    assert!(!run.stdout.contains("Matt McKay"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("wrong = \"Cloud Code\"\nright = \"Claude Code\"")
    );
}

/// The corrected corpus with the show's names as project words: every flag there is a false
/// flag or a real unknown word; printed per 1,000 cues.
#[test]
fn corpus_flags_per_thousand_cues() {
    let Some(corpus) = corpus() else { return };
    let words = tempfile::tempdir().unwrap();
    write(words.path(), "cueline/words.txt", WORDS.as_bytes());
    let run = spell(
        &corpus,
        &["spell", "--json", "--no-suggest", "transcripts"],
        &[("XDG_CONFIG_HOME", words.path())],
    );
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let flags: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let check = cueline(&corpus, &["check", "--json", "transcripts"]);
    let summary: serde_json::Value =
        serde_json::from_str(check.stdout.lines().last().unwrap()).unwrap();
    let cues = summary["cues"].as_u64().unwrap() as f64;
    let sounds = flags.iter().filter(|f| f["kind"] == "sounds-like").count() as f64;
    let spelling = flags.len() as f64 - sounds;
    let per_k = |n: f64| n * 1000.0 / cues;
    eprintln!(
        "corpus: {cues} cues; {spelling} spelling flags ({:.2} per 1,000 cues), {sounds} sounds-like flags ({:.3} per 1,000 cues)",
        per_k(spelling),
        per_k(sounds)
    );
    assert!(
        per_k(sounds) < 1.0,
        "too many sounds-like flags: {:.3} per 1,000 cues",
        per_k(sounds)
    );
}
