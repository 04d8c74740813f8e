//! The `cueline` commands end to end: the real binary on real files in temporary folders.
//! Every exit code, the exact output formats, and that a failed command changes nothing.

#![allow(clippy::unwrap_used)]

mod common;

use std::fs;

use common::*;

// ---------------------------------------------------------------- check

#[test]
fn check_prints_diagnostics_and_a_summary_and_exits_1_on_errors() {
    let dir = folder(&[("odd.vtt", ODD_VTT), ("a/clean.srt", SRT), ("b.txt", TXT)]);
    let run = cueline(dir.path(), &["check", "."]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "./odd.vtt:3: warning: zero-length cue at 00:00:01.000\n\
         ./odd.vtt:9: warning: cue overlaps the previous one: starts at 00:00:04.000, before it ends at 00:00:05.000\n\
         ./odd.vtt:12: error: not a cue: no timing line (`-->`) in this block\n\
         3 files, 8 cues, 1 errors, 2 warnings\n"
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn check_exits_0_with_warnings_only() {
    let warn_only = "WEBVTT\n\n00:00:01.000 --> 00:00:01.000\nZero.\n";
    let dir = folder(&[("w.vtt", warn_only), ("ok.vtt", VTT)]);
    let run = cueline(dir.path(), &["check", "w.vtt", "ok.vtt"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "w.vtt:3: warning: zero-length cue at 00:00:01.000\n2 files, 4 cues, 0 errors, 1 warnings\n"
    );
}

#[test]
fn check_json_prints_one_object_per_file_then_the_summary() {
    let dir = folder(&[("odd.vtt", ODD_VTT), ("clean.srt", SRT)]);
    let run = cueline(dir.path(), &["check", "--json", "clean.srt", "odd.vtt"]);
    run.expect_code(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0],
        r#"{"path":"clean.srt","format":"srt","cues":2,"diagnostics":[]}"#
    );
    let odd: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(odd["path"], "odd.vtt");
    assert_eq!(odd["format"], "vtt");
    assert_eq!(odd["cues"], 4);
    assert_eq!(
        odd["diagnostics"][2],
        serde_json::json!({"severity": "error", "line": 12,
            "message": "not a cue: no timing line (`-->`) in this block"})
    );
    assert!(lines[1].starts_with(r#"{"path":"odd.vtt","format":"vtt","cues":4,"diagnostics":[{"severity":"warning","line":3,"message":"#));
    assert_eq!(lines[2], r#"{"files":2,"cues":6,"errors":1,"warnings":2}"#);
}

#[test]
fn check_walks_folders_in_path_order_follows_file_links_and_skips_the_rest() {
    let dir = folder(&[
        ("z.vtt", VTT),
        ("a/b.srt", SRT),
        ("a/A.txt", TXT),
        ("a/notes.md", "not a transcript"),
        ("UPPER.VTT", VTT),
        (".git/x.vtt", "garbage"),
        (".hidden.vtt", "garbage"),
        ("node_modules/pkg/x.vtt", "garbage"),
        ("sub/node_modules/y.srt", "garbage"),
        ("target/debug/t.vtt", "garbage"),
        (".cueline/old.vtt", "garbage"),
    ]);
    // the one project rule (transcript_store::project_files): a link to a file is followed,
    // a link to a folder is not
    #[cfg(unix)]
    {
        let outside = folder(&[("bad.vtt", "garbage"), ("good.vtt", VTT)]);
        std::os::unix::fs::symlink(outside.path(), dir.path().join("linked-dir")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("good.vtt"), dir.path().join("l.vtt"))
            .unwrap();
        std::mem::forget(outside); // keep it alive for the run; the OS cleans /tmp
    }
    let run = cueline(dir.path(), &["check", "--json", "."]);
    run.expect_code(0);
    let paths: Vec<String> = run
        .stdout
        .lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["path"].as_str().map(str::to_owned)
        })
        .collect();
    assert_eq!(
        paths,
        if cfg!(unix) {
            vec![
                "./UPPER.VTT",
                "./a/A.txt",
                "./a/b.srt",
                "./l.vtt",
                "./z.vtt",
            ]
        } else {
            vec!["./UPPER.VTT", "./a/A.txt", "./a/b.srt", "./z.vtt"]
        },
        "{}",
        run.stdout
    );
}

#[test]
fn check_exits_2_for_a_missing_path_and_still_checks_the_others() {
    let dir = folder(&[("ok.vtt", VTT)]);
    let run = cueline(dir.path(), &["check", "missing.vtt", "ok.vtt"]);
    run.expect_code(2);
    assert!(
        run.stderr
            .starts_with("cueline: missing.vtt: cannot read: "),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "1 files, 3 cues, 0 errors, 0 warnings\n");
}

#[test]
fn check_exits_2_for_a_file_that_is_not_a_transcript() {
    let dir = folder(&[("notes.md", "# notes")]);
    let run = cueline(dir.path(), &["check", "notes.md"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("notes.md: not a transcript"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_reports_a_binary_file_as_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bin.vtt", b"WEBVTT\n\n\xff\xfe\x00");
    let run = cueline(dir.path(), &["check", "bin.vtt"]);
    run.expect_code(1);
    assert!(
        run.stdout.starts_with("bin.vtt:1: error: not valid UTF-8"),
        "{}",
        run.stdout
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = folder(&[]);
    cueline(dir.path(), &["check"]).expect_code(2);
    cueline(dir.path(), &["check", "--nope", "x.vtt"]).expect_code(2);
    cueline(dir.path(), &["export", "x.vtt", "--to", "doc"]).expect_code(2);
    cueline(dir.path(), &["replace", "a"]).expect_code(2);
    cueline(dir.path(), &["--chek"]).expect_code(2);
}

#[test]
fn help_explains_every_command_and_exits_0() {
    let dir = folder(&[]);
    let top = cueline(dir.path(), &["--help"]);
    top.expect_code(0);
    for needle in [
        "check",
        "apply",
        "replace",
        "export",
        "Exit status",
        "cueline-desktop",
        "FILE_OR_DIR",
        "Examples",
    ] {
        assert!(top.stdout.contains(needle), "--help lacks {needle}");
    }
    for (cmd, needles) in [
        (
            "check",
            &["PATH:LINE: warning|error: message", "--json"][..],
        ),
        (
            "apply",
            &["set_timing", "renumber", "at_char", "-o, --output"][..],
        ),
        (
            "replace",
            &["--word", "--dry-run", "[-old-]{+new+}", "$1"][..],
        ),
        ("export", &["--to", "72 characters", "srt: SubRip"][..]),
    ] {
        let run = cueline(dir.path(), &[cmd, "--help"]);
        run.expect_code(0);
        for needle in needles {
            assert!(run.stdout.contains(needle), "`{cmd} --help` lacks {needle}");
        }
        assert!(
            run.stdout.contains("Examples:"),
            "`{cmd} --help` has no examples"
        );
    }
    let v = cueline(dir.path(), &["--version"]);
    v.expect_code(0);
    assert!(v.stdout.starts_with("cueline "));
}

// ---------------------------------------------------------------- apply

const EDITS: &str = r#"{"edits": [
  {"op": "set_text", "cue": 0, "text": "Welcome, Matt McKay.\nThis is Talk Python."},
  {"op": "set_timing", "cue": 1, "end_ms": 7000},
  {"op": "insert", "at": 3, "start_ms": 9000, "end_ms": 10000, "text": "The end."}
]}"#;

#[test]
fn apply_edits_in_place_with_a_minimal_diff() {
    let dir = folder(&[("t.vtt", VTT), ("e.json", EDITS)]);
    let run = cueline(dir.path(), &["apply", "t.vtt", "e.json"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "3 edits applied to t.vtt\n");
    let expected = format!(
        "{}\n00:00:09.000 --> 00:00:10.000\nThe end.\n",
        VTT.replace("Welcome, Matt Makai.", "Welcome, Matt McKay.")
            .replace("00:00:07.500 align:start", "00:00:07.000 align:start")
    );
    assert_eq!(read(dir.path(), "t.vtt"), expected);
}

#[test]
fn apply_with_output_leaves_the_input_untouched() {
    let dir = folder(&[("t.vtt", VTT), ("e.json", EDITS)]);
    let run = cueline(dir.path(), &["apply", "t.vtt", "e.json", "-o", "out.vtt"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "3 edits applied to t.vtt, written to out.vtt\n");
    assert_eq!(read(dir.path(), "t.vtt"), VTT);
    assert!(read(dir.path(), "out.vtt").contains("Matt McKay"));
    // `-o -` prints the document instead
    let run = cueline(dir.path(), &["apply", "t.vtt", "e.json", "-o", "-"]);
    run.expect_code(0);
    assert_eq!(run.stdout, read(dir.path(), "out.vtt"));
    assert_eq!(read(dir.path(), "t.vtt"), VTT);
}

#[test]
fn apply_reads_edits_from_stdin() {
    let dir = folder(&[("s.srt", SRT)]);
    let run = cueline_stdin(
        dir.path(),
        &["apply", "s.srt", "-"],
        r#"{"edits": [{"op": "delete", "cue": 0}, {"op": "renumber"}]}"#,
    );
    run.expect_code(0);
    assert_eq!(
        read(dir.path(), "s.srt"),
        "1\n00:00:02,000 --> 00:00:04,000\nSecond subtitle,\ntwo lines.\n"
    );
}

#[test]
fn apply_on_txt_edits_entries() {
    let dir = folder(&[("t.txt", TXT)]);
    let run = cueline_stdin(
        dir.path(),
        &["apply", "t.txt", "-"],
        r#"{"edits": [{"op": "set_timing", "cue": 1, "start_ms": 3999},
                      {"op": "set_text", "cue": 0, "text": "Hello."}]}"#,
    );
    run.expect_code(0);
    assert_eq!(
        read(dir.path(), "t.txt"),
        "00:00:00 Hello.\n\n00:00:03 Matt Makai works on Full Stack Python.\n\n"
    );
}

#[test]
fn apply_split_and_merge_follow_the_json_contract() {
    let dir = folder(&[("s.srt", SRT)]);
    let run = cueline_stdin(
        dir.path(),
        &["apply", "s.srt", "-", "-o", "split.srt"],
        r#"{"edits": [{"op": "split", "cue": 1, "at_char": 16, "at_ms": 3000}, {"op": "renumber"}]}"#,
    );
    run.expect_code(0);
    assert_eq!(
        read(dir.path(), "split.srt"),
        "1\n00:00:01,000 --> 00:00:02,000\nHello there.\n\n\
         2\n00:00:02,000 --> 00:00:03,000\nSecond subtitle,\n\n\
         3\n00:00:03,000 --> 00:00:04,000\ntwo lines.\n"
    );
    let run = cueline_stdin(
        dir.path(),
        &["apply", "split.srt", "-"],
        r#"{"edits": [{"op": "merge", "cue": 1}, {"op": "renumber"}]}"#,
    );
    run.expect_code(0);
    assert_eq!(
        read(dir.path(), "split.srt"),
        "1\n00:00:01,000 --> 00:00:02,000\nHello there.\n\n\
         2\n00:00:02,000 --> 00:00:04,000\nSecond subtitle, two lines.\n\n",
        "merge removes exactly the next cue's bytes, so cue 1's blank line now ends the file"
    );
    assert_eq!(read(dir.path(), "s.srt"), SRT);
}

#[test]
fn apply_an_invalid_edit_exits_1_names_it_and_writes_nothing() {
    let dir = folder(&[("t.vtt", VTT)]);
    let before = snapshot(dir.path());
    // the first edit is fine, the second is not: all or nothing
    let run = cueline_stdin(
        dir.path(),
        &["apply", "t.vtt", "-"],
        r#"{"edits": [{"op": "set_text", "cue": 0, "text": "x"},
                      {"op": "set_timing", "cue": 1, "end_ms": 1000}]}"#,
    );
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "cueline: t.vtt:10: edit 1 (set_timing): the cue would end before it starts \
         (00:00:04.000 --> 00:00:01.000)\n"
    );
    assert_eq!(run.stdout, "");
    assert_eq!(snapshot(dir.path()), before);

    let run = cueline_stdin(
        dir.path(),
        &["apply", "t.vtt", "-", "-o", "out.vtt"],
        r#"{"edits": [{"op": "delete", "cue": 7}]}"#,
    );
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "cueline: t.vtt: edit 0 (delete): cue 7 does not exist (the document has 3 cues)\n"
    );
    assert_eq!(
        snapshot(dir.path()),
        before,
        "-o must not be written either"
    );

    let run = cueline_stdin(
        dir.path(),
        &["apply", "t.vtt", "-"],
        r#"{"edits": [{"op": "set_text", "cue": 2, "text": "a\n\nb"}]}"#,
    );
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("t.vtt:13: edit 0 (set_text): invalid text"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn apply_malformed_json_exits_1_with_its_line_and_column() {
    let dir = folder(&[
        ("t.vtt", VTT),
        (
            "bad.json",
            "{\"edits\": [\n  {\"op\": \"set_txt\", \"cue\": 0}\n]}",
        ),
    ]);
    let before = snapshot(dir.path());
    let run = cueline(dir.path(), &["apply", "t.vtt", "bad.json"]);
    run.expect_code(1);
    assert!(
        run.stderr
            .starts_with("cueline: bad.json:2:18: invalid edits: unknown variant `set_txt`"),
        "{}",
        run.stderr
    );
    let run = cueline_stdin(dir.path(), &["apply", "t.vtt", "-"], "{\"edits\": [");
    run.expect_code(1);
    assert!(
        run.stderr.starts_with("cueline: <stdin>:1:"),
        "{}",
        run.stderr
    );
    let run = cueline_stdin(
        dir.path(),
        &["apply", "t.vtt", "-"],
        r#"{"edits": [{"op": "delete", "cue": -1}]}"#,
    );
    run.expect_code(1);
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn apply_exits_2_when_a_file_cannot_be_read_or_written() {
    let dir = folder(&[("t.vtt", VTT), ("e.json", EDITS), ("out.vtt/keep", "")]);
    let before = snapshot(dir.path());
    let run = cueline(dir.path(), &["apply", "missing.vtt", "e.json"]);
    run.expect_code(2);
    assert!(
        run.stderr
            .starts_with("cueline: missing.vtt: cannot read: "),
        "{}",
        run.stderr
    );
    let run = cueline(dir.path(), &["apply", "t.vtt", "missing.json"]);
    run.expect_code(2);
    assert!(
        run.stderr
            .starts_with("cueline: missing.json: cannot read: "),
        "{}",
        run.stderr
    );
    let run = cueline(dir.path(), &["apply", "t.vtt", "e.json", "-o", "out.vtt"]);
    run.expect_code(2);
    assert_eq!(run.stderr, "cueline: out.vtt: is a directory\n");
    let run = cueline(
        dir.path(),
        &["apply", "t.vtt", "e.json", "-o", "no/such/dir/out.vtt"],
    );
    run.expect_code(2);
    assert!(
        run.stderr
            .starts_with("cueline: no/such/dir/out.vtt: cannot create a temporary file"),
        "{}",
        run.stderr
    );
    let run = cueline(dir.path(), &["apply", "e.json", "e.json"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("e.json: unknown transcript format"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn apply_refuses_a_file_that_is_not_text() {
    let dir = folder(&[("e.json", r#"{"edits": []}"#)]);
    write(dir.path(), "bin.vtt", b"WEBVTT\n\n\xff\xfe");
    let before = snapshot(dir.path());
    let run = cueline(dir.path(), &["apply", "bin.vtt", "e.json"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "cueline: bin.vtt: cannot edit: not valid UTF-8 (invalid byte at offset 8); opened read-only\n"
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn apply_is_not_blocked_by_problems_elsewhere_in_the_file() {
    let dir = folder(&[("odd.vtt", ODD_VTT)]);
    let run = cueline_stdin(
        dir.path(),
        &["apply", "odd.vtt", "-"],
        r#"{"edits": [{"op": "set_text", "cue": 3, "text": "Fixed."}]}"#,
    );
    run.expect_code(0);
    let after = read(dir.path(), "odd.vtt");
    assert_eq!(after, ODD_VTT.replace("After the broken block.", "Fixed."));
}

#[test]
fn apply_without_a_change_does_not_write() {
    let dir = folder(&[("t.vtt", VTT)]);
    let run = cueline_stdin(dir.path(), &["apply", "t.vtt", "-"], r#"{"edits": []}"#);
    run.expect_code(0);
    assert_eq!(run.stdout, "0 edits applied to t.vtt: no change\n");
    assert_eq!(read(dir.path(), "t.vtt"), VTT);
}

#[cfg(unix)]
#[test]
fn apply_keeps_permissions_and_writes_through_a_symlink() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder(&[("real.vtt", VTT)]);
    fs::set_permissions(
        dir.path().join("real.vtt"),
        fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    std::os::unix::fs::symlink("real.vtt", dir.path().join("link.vtt")).unwrap();
    let run = cueline_stdin(
        dir.path(),
        &["apply", "link.vtt", "-"],
        r#"{"edits": [{"op": "delete", "cue": 2}]}"#,
    );
    run.expect_code(0);
    let link = fs::symlink_metadata(dir.path().join("link.vtt")).unwrap();
    assert!(link.file_type().is_symlink());
    let real = fs::metadata(dir.path().join("real.vtt")).unwrap();
    assert_eq!(real.permissions().mode() & 0o777, 0o640);
    assert!(!read(dir.path(), "real.vtt").contains("Makaiville"));
}

// ---------------------------------------------------------------- replace

#[test]
fn replace_changes_only_the_text_lines_that_contain_a_match() {
    let dir = folder(&[("t.vtt", VTT), ("s.srt", SRT), ("Matt Makai.txt", TXT)]);
    let run = cueline(
        dir.path(),
        &["replace", "--word", "Matt Makai", "Matt McKay", "."],
    );
    run.expect_code(0);
    assert_eq!(run.stdout, "4 replacements in 2 files\n");
    let vtt = read(dir.path(), "t.vtt");
    assert_eq!(
        changed_lines(VTT, &vtt),
        [
            (
                7,
                "Welcome, Matt Makai.\n".into(),
                "Welcome, Matt McKay.\n".into()
            ),
            (
                14,
                "Matt Makaiville is a place, Matt Makai is a person.\n".into(),
                "Matt Makaiville is a place, Matt McKay is a person.\n".into()
            ),
        ],
        "the note and the identifier must stay"
    );
    let txt = read(dir.path(), "Matt Makai.txt");
    assert_eq!(changed_lines(TXT, &txt).len(), 2);
    assert!(!txt.contains("Makai"));
    assert_eq!(read(dir.path(), "s.srt"), SRT);
    assert!(
        dir.path().join("Matt Makai.txt").exists(),
        "file names are never touched"
    );
}

#[test]
fn replace_keeps_the_spaces_around_a_match() {
    let dir = folder(&[("t.vtt", VTT)]);
    cueline(dir.path(), &["replace", "--word", "rough", "ruff", "t.vtt"]).expect_code(0);
    assert!(read(dir.path(), "t.vtt").contains("\nuv tool install ruff\n"));
}

#[test]
fn replace_ignore_case_and_regex_groups() {
    let dir = folder(&[("t.vtt", VTT)]);
    let run = cueline(
        dir.path(),
        &["replace", "-i", "TALK python", "Talk Python To Me", "t.vtt"],
    );
    run.expect_code(0);
    assert_eq!(run.stdout, "1 replacements in 1 files\n");
    assert!(read(dir.path(), "t.vtt").contains("This is Talk Python To Me.\n"));
    let run = cueline(
        dir.path(),
        &[
            "replace",
            "--regex",
            r"(\w+) tool install",
            "$1 tool add",
            "t.vtt",
        ],
    );
    run.expect_code(0);
    assert!(read(dir.path(), "t.vtt").contains("\nuv tool add rough\n"));
}

#[test]
fn replace_dry_run_lists_every_hit_and_writes_nothing() {
    let dir = folder(&[("t.vtt", VTT), ("b.txt", TXT)]);
    let before = snapshot(dir.path());
    let run = cueline(
        dir.path(),
        &[
            "replace",
            "--dry-run",
            "Matt Makai",
            "Matt McKay",
            "t.vtt",
            "b.txt",
        ],
    );
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "b.txt:1: 00:00:00.000 Welcome to Talk Python, with [-Matt Makai-]{+Matt McKay+}.\n\
         b.txt:3: 00:00:02.000 [-Matt Makai-]{+Matt McKay+} works on Full Stack Python.\n\
         t.vtt:7: 00:00:01.000 Welcome, [-Matt Makai-]{+Matt McKay+}.\n\
         t.vtt:14: 00:00:07.500 [-Matt Makai-]{+Matt McKay+}ville is a place, [-Matt Makai-]{+Matt McKay+} is a person.\n\
         5 replacements in 2 files (dry run: nothing written)\n"
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn replace_json_prints_hits_then_a_summary() {
    let dir = folder(&[("t.vtt", VTT)]);
    let before = snapshot(dir.path());
    let run = cueline(
        dir.path(),
        &[
            "replace",
            "--json",
            "-n",
            "-w",
            "Matt Makai",
            "Matt McKay",
            "t.vtt",
        ],
    );
    run.expect_code(0);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0],
        serde_json::json!({"path": "t.vtt", "line": 7, "cue": 0, "start": "00:00:01.000",
            "start_ms": 1000, "text": "Welcome, Matt Makai.\nThis is Talk Python.",
            "match": "Matt Makai", "replacement": "Matt McKay", "at_char": 9, "end_char": 19})
    );
    assert_eq!(lines[1]["line"], 14);
    assert_eq!(lines[1]["at_char"], 28);
    assert_eq!(
        lines[2],
        serde_json::json!({"replacements": 2, "files": 1, "dry_run": true})
    );
    assert_eq!(snapshot(dir.path()), before);
    // without --dry-run the same lines are printed and the files written
    let run = cueline(
        dir.path(),
        &[
            "replace",
            "--json",
            "-w",
            "Matt Makai",
            "Matt McKay",
            "t.vtt",
        ],
    );
    run.expect_code(0);
    assert!(
        run.stdout
            .ends_with("{\"replacements\":2,\"files\":1,\"dry_run\":false}\n")
    );
    assert!(read(dir.path(), "t.vtt").contains("\nWelcome, Matt McKay.\n"));
}

#[test]
fn replace_that_would_break_a_cue_exits_1_and_writes_no_file() {
    let dir = folder(&[("a.vtt", VTT), ("b.txt", TXT)]);
    let before = snapshot(dir.path());
    // a newline is fine in VTT text but not in a TXT entry: the whole replace is refused
    let run = cueline(dir.path(), &["replace", "Matt Makai", "Matt\nMcKay", "."]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "cueline: ./b.txt:1: cannot replace in cue 0: invalid text: a TXT entry is one line: `\\n` is not allowed\n\
         cueline: nothing was written\n"
    );
    assert_eq!(run.stdout, "");
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn replace_exits_2_for_a_missing_path_or_a_bad_pattern_and_writes_nothing() {
    let dir = folder(&[("a.vtt", VTT)]);
    let before = snapshot(dir.path());
    let run = cueline(dir.path(), &["replace", "Matt", "Jim", "a.vtt", "missing"]);
    run.expect_code(2);
    assert!(
        run.stderr.starts_with("cueline: missing: cannot read: "),
        "{}",
        run.stderr
    );
    let run = cueline(dir.path(), &["replace", "--regex", "(", "x", "a.vtt"]);
    run.expect_code(2);
    assert!(
        run.stderr
            .starts_with("cueline: invalid regular expression"),
        "{}",
        run.stderr
    );
    let run = cueline(dir.path(), &["replace", "", "x", "a.vtt"]);
    run.expect_code(2);
    assert_eq!(run.stderr, "cueline: the search pattern is empty\n");
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn replace_that_cannot_write_one_file_writes_none() {
    use cueline_transcript_store::atomic::testing::{Rerun, rerun};
    // root writes into a read-only folder: the test then runs as `nobody`
    if rerun(
        "replace_that_cannot_write_one_file_writes_none",
        Rerun::Unprivileged,
        &[&bin()],
    ) {
        return;
    }
    let dir = folder(&[("a.vtt", VTT), ("locked/b.vtt", VTT), ("z.vtt", VTT)]);
    let before = snapshot(dir.path());
    let lock = lock_folder(&dir.path().join("locked"))
        .expect("a folder without write permission stops this user");
    let run = cueline(dir.path(), &["replace", "Matt Makai", "Matt McKay", "."]);
    drop(lock);
    run.expect_code(2);
    assert!(
        run.stderr
            .starts_with("cueline: ./locked/b.vtt: cannot create a temporary file"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("\ncueline: nothing was written\n"),
        "{}",
        run.stderr
    );
    assert_eq!(
        snapshot(dir.path()),
        before,
        "no file may change, no temporary file may stay"
    );
}

#[test]
fn replace_writes_a_file_named_twice_once_and_skips_files_that_are_not_text() {
    let dir = folder(&[("a.vtt", VTT)]);
    write(dir.path(), "bin.vtt", b"WEBVTT\n\n\xff Matt Makai");
    let run = cueline(
        dir.path(),
        &[
            "replace",
            "-w",
            "Matt Makai",
            "Matt McKay",
            ".",
            "a.vtt",
            "./a.vtt",
        ],
    );
    run.expect_code(0);
    assert_eq!(run.stdout, "2 replacements in 1 files\n");
    assert!(
        run.stderr.contains("./bin.vtt: skipped: not valid UTF-8"),
        "{}",
        run.stderr
    );
}

#[test]
fn replace_with_no_match_exits_0() {
    let dir = folder(&[("a.vtt", VTT)]);
    let before = snapshot(dir.path());
    let run = cueline(dir.path(), &["replace", "Guido", "Guido van Rossum", "."]);
    run.expect_code(0);
    assert_eq!(run.stdout, "0 replacements in 0 files\n");
    assert_eq!(snapshot(dir.path()), before);
}

// ---------------------------------------------------------------- export

#[test]
fn export_to_stdout_and_to_a_file() {
    let dir = folder(&[("t.vtt", VTT)]);
    let run = cueline(dir.path(), &["export", "t.vtt", "--to", "txt"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "00:00:01 Welcome, Matt Makai.\n\n\
         00:00:01 This is Talk Python.\n\n\
         00:00:04 uv tool install rough Matt Makaiville is a place, Matt Makai is a person.\n\n"
    );
    let run = cueline(
        dir.path(),
        &["export", "t.vtt", "--to", "srt", "-o", "t.srt"],
    );
    run.expect_code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(
        read(dir.path(), "t.srt"),
        "1\n00:00:01,000 --> 00:00:04,000\nWelcome, Matt Makai.\nThis is Talk Python.\n\n\
         2\n00:00:04,000 --> 00:00:07,500\nuv tool install rough\n\n\
         3\n00:00:07,500 --> 00:00:09,000\nMatt Makaiville is a place, Matt Makai is a person.\n\n"
    );
    assert_eq!(read(dir.path(), "t.vtt"), VTT);
    let run = cueline(dir.path(), &["export", "t.srt", "--to", "vtt"]);
    run.expect_code(0);
    assert!(
        run.stdout
            .starts_with("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n")
    );
}

#[test]
fn export_warns_about_errors_and_refuses_binary_files() {
    let dir = folder(&[("odd.vtt", ODD_VTT)]);
    let run = cueline(dir.path(), &["export", "odd.vtt", "--to", "srt"]);
    run.expect_code(0);
    assert!(
        run.stderr
            .contains("odd.vtt: warning: 1 errors in the file"),
        "{}",
        run.stderr
    );
    write(dir.path(), "bin.srt", b"1\n\xff");
    let run = cueline(
        dir.path(),
        &["export", "bin.srt", "--to", "vtt", "-o", "out.vtt"],
    );
    run.expect_code(1);
    assert!(
        run.stderr.starts_with("cueline: bin.srt: cannot export: "),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("out.vtt").exists());
    let run = cueline(dir.path(), &["export", "missing.vtt", "--to", "srt"]);
    run.expect_code(2);
    let run = cueline(dir.path(), &["export", "odd.vtt", "--to", "srt", "-o", "."]);
    run.expect_code(2);
    assert_eq!(
        run.stderr.lines().last().unwrap(),
        "cueline: .: is a directory"
    );
}
