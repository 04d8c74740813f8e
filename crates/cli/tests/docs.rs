//! `docs/cli.md` shows real commands with their exact output; this test runs every
//! ```` ```console ```` block and compares, so the page cannot drift from the program.
//!
//! In a block, `$ ` starts a command (continued by `> ` lines while a quote or a here-document
//! is open); the lines after it, up to the next command, are its expected output, standard
//! error included. `echo $?` prints the previous command's exit status. Each block runs in a
//! fresh temporary copy of `docs/examples/` (so writing commands cannot touch the repository),
//! from a folder laid out like the repository root, with `cueline` first on `PATH`.
//!
//! To refresh the page after changing the program on purpose:
//! `CUELINE_BLESS_DOCS=1 cargo test -p cueline-cli --test docs`, then review the diff.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Cmd {
    /// The command as the shell gets it.
    text: String,
    /// Line index in the page of the first output line.
    out_from: usize,
    /// Line index in the page after the last output line.
    out_to: usize,
    expected: String,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Whether `cmd` still waits for more lines: an open single quote or here-document.
fn incomplete(cmd: &str) -> bool {
    if cmd.matches('\'').count() % 2 == 1 {
        return true;
    }
    let Some(at) = cmd.find("<<") else {
        return false;
    };
    let word = cmd[at + 2..]
        .trim_start_matches('-')
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(['\'', '"']);
    !cmd.lines().skip(1).any(|l| l == word)
}

/// The commands of every console block, grouped by block.
fn parse(page: &[&str]) -> Vec<Vec<Cmd>> {
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < page.len() {
        if page[i] != "```console" {
            i += 1;
            continue;
        }
        i += 1;
        let mut cmds: Vec<Cmd> = Vec::new();
        while i < page.len() && page[i] != "```" {
            let line = page[i];
            let continuing = cmds
                .last()
                .is_some_and(|c| c.out_from == i && incomplete(&c.text));
            if let Some(cmd) = line.strip_prefix("$ ") {
                cmds.push(Cmd {
                    text: cmd.to_owned(),
                    out_from: i + 1,
                    out_to: i + 1,
                    expected: String::new(),
                });
            } else if continuing && (line == ">" || line.starts_with("> ")) {
                let c = cmds.last_mut().unwrap();
                c.text.push('\n');
                c.text.push_str(line.get(2..).unwrap_or(""));
                c.out_from = i + 1;
                c.out_to = i + 1;
            } else {
                let c = cmds
                    .last_mut()
                    .unwrap_or_else(|| panic!("docs/cli.md:{}: output before a command", i + 1));
                c.expected.push_str(line);
                c.expected.push('\n');
                c.out_to = i + 1;
            }
            i += 1;
        }
        blocks.push(cmds);
        i += 1;
    }
    blocks
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            fs::write(dest, fs::read(entry.path()).unwrap()).unwrap();
        }
    }
}

/// Runs one block's commands in a fresh copy of the examples; returns each output.
fn run_block(cmds: &[Cmd]) -> Vec<String> {
    let root = tempfile::tempdir().unwrap();
    for dir in ["docs/examples", "docs/spelling"] {
        copy_dir(&repo_root().join(dir), &root.path().join(dir));
    }
    // the user's own word list must not change what `cueline spell` prints
    let config = root.path().join(".config");
    let bin = root.path().join(".bin");
    fs::create_dir(&bin).unwrap();
    if fs::hard_link(common::bin(), bin.join("cueline")).is_err() {
        fs::copy(common::bin(), bin.join("cueline")).unwrap();
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut last = 0;
    cmds.iter()
        .map(|c| {
            if c.text == "echo $?" {
                return format!("{last}\n");
            }
            let out = Command::new("sh")
                .arg("-c")
                .arg(format!("exec 2>&1\n{}", c.text))
                .current_dir(root.path())
                .env("PATH", &path)
                .env("XDG_CONFIG_HOME", &config)
                .env("LC_ALL", "C")
                .env_remove("CUELINE_LOG")
                .stdin(Stdio::null())
                .output()
                .unwrap();
            last = out.status.code().unwrap_or(-1);
            let mut text = String::from_utf8(out.stdout).unwrap();
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text
        })
        .collect()
}

#[test]
fn every_example_in_the_cli_docs_prints_what_the_docs_say() {
    let page_path = repo_root().join("docs/cli.md");
    let page_text = fs::read_to_string(&page_path).unwrap();
    let page: Vec<&str> = page_text.lines().collect();
    let blocks = parse(&page);
    let commands: Vec<&Cmd> = blocks.iter().flatten().collect();
    for name in ["check", "apply", "replace", "glossary", "export"] {
        assert!(
            commands
                .iter()
                .any(|c| c.text.starts_with(&format!("cueline {name}"))),
            "docs/cli.md has no example of `cueline {name}`"
        );
    }

    let bless = std::env::var_os("CUELINE_BLESS_DOCS").is_some();
    let mut failures = Vec::new();
    // (from, to, new lines) for blessing, in page order
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for cmds in &blocks {
        let outputs = run_block(cmds);
        for (c, actual) in cmds.iter().zip(outputs) {
            if actual != c.expected {
                failures.push(format!(
                    "docs/cli.md:{}: `{}` printed\n{}--- but the page says\n{}",
                    c.out_from, c.text, actual, c.expected
                ));
                edits.push((c.out_from, c.out_to, actual));
            }
        }
    }
    if bless && !edits.is_empty() {
        let mut lines: Vec<String> = page.iter().map(|l| (*l).to_owned()).collect();
        for (from, to, actual) in edits.into_iter().rev() {
            lines.splice(from..to, actual.lines().map(str::to_owned));
        }
        fs::write(&page_path, lines.join("\n") + "\n").unwrap();
        eprintln!("rewrote docs/cli.md: review the diff");
        return;
    }
    assert!(
        failures.is_empty(),
        "{}\n(run with CUELINE_BLESS_DOCS=1 to rewrite the page)",
        failures.join("\n")
    );
}

#[test]
fn the_parser_understands_continuations() {
    let page = [
        "```console",
        "$ cueline apply a.vtt - <<'EOF'",
        "> {}",
        "> EOF",
        "out",
        "$ echo 'a",
        ">",
        "> b'",
        "a",
        "",
        "b",
        "$ diff x y",
        "> not a continuation",
        "```",
    ];
    let blocks = parse(&page);
    let c = &blocks[0];
    assert_eq!(c.len(), 3);
    assert_eq!(c[0].text, "cueline apply a.vtt - <<'EOF'\n{}\nEOF");
    assert_eq!(c[0].expected, "out\n");
    assert_eq!(c[1].text, "echo 'a\n\nb'");
    assert_eq!(c[1].expected, "a\n\nb\n");
    assert_eq!(c[2].expected, "> not a continuation\n");
}
