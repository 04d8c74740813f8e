//! Writes the man pages and shell completions of `cueline` from its clap definitions.
//!
//! Why an example and not a subcommand: the generators (clap_mangen, clap_complete) are only
//! needed to build the package, so they stay dev-dependencies and out of the `cueline` binary,
//! and no hidden command shows up in its completions. It compiles the very `args.rs` the
//! binary uses, so every subcommand (and subcommand of one) gets its page: nothing here lists
//! them by name.
//!
//! Usage: `cargo run -p cueline-cli --example gen_assets -- OUT_DIR` writes
//! `OUT_DIR/man/cueline.1`, `OUT_DIR/man/cueline-SUB[-SUBSUB].1` and
//! `OUT_DIR/completions/{cueline.bash,_cueline,cueline.fish}` (`make deb` gzips the pages).

#[allow(dead_code)]
#[path = "../src/args.rs"]
mod args;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

/// The completion scripts: shell and file name, as Debian's packages install them.
const COMPLETIONS: [(Shell, &str); 3] = [
    (Shell::Bash, "cueline.bash"),
    (Shell::Zsh, "_cueline"),
    (Shell::Fish, "cueline.fish"),
];

fn main() -> ExitCode {
    let Some(out) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: gen_assets OUT_DIR");
        return ExitCode::from(2);
    };
    match generate(&out) {
        Ok(written) => {
            for path in written {
                println!("{}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("gen_assets: cannot write to {}: {err}", out.display());
            ExitCode::FAILURE
        }
    }
}

/// Writes every man page and completion script under `out`; returns the files written.
fn generate(out: &Path) -> io::Result<Vec<PathBuf>> {
    let man_dir = out.join("man");
    let completions_dir = out.join("completions");
    fs::create_dir_all(&man_dir)?;
    fs::create_dir_all(&completions_dir)?;
    let mut written = Vec::new();
    // Without the `help` subcommand: `cueline help X` is `cueline X --help`, not a page.
    let mut cmd = args::Cli::command().disable_help_subcommand(true);
    cmd.build();
    man_pages(&cmd, &man_dir, &mut written)?;
    for (shell, name) in COMPLETIONS {
        let path = completions_dir.join(name);
        let mut file = io::BufWriter::new(fs::File::create(&path)?);
        clap_complete::generate(shell, &mut cmd.clone(), "cueline", &mut file);
        io::Write::flush(&mut file)?;
        written.push(path);
    }
    Ok(written)
}

/// `cmd`'s page, named for its display name (`cueline-glossary-check` once built), then
/// those of its visible subcommands, depth first.
fn man_pages(cmd: &clap::Command, dir: &Path, written: &mut Vec<PathBuf>) -> io::Result<()> {
    let name = cmd.get_display_name().unwrap_or_else(|| cmd.get_name());
    let path = dir.join(format!("{name}.1"));
    let mut page = Vec::new();
    // Every page's footer names the release (clap gives subcommands no version of their own).
    clap_mangen::Man::new(cmd.clone())
        .source(format!("cueline {}", env!("CARGO_PKG_VERSION")))
        .manual("Cueline Manual")
        .render(&mut page)?;
    fs::write(&path, page)?;
    written.push(path);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        man_pages(sub, dir, written)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// Every (sub)command path of the real grammar, e.g. ["glossary", "check"].
    fn command_paths(cmd: &clap::Command, prefix: &[String], all: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut path = prefix.to_vec();
            path.push(sub.get_name().to_owned());
            all.push(path.clone());
            command_paths(sub, &path, all);
        }
    }

    #[test]
    fn every_subcommand_has_a_man_page() {
        let dir = tempfile::tempdir().unwrap();
        let written = generate(dir.path()).unwrap();
        let mut paths = Vec::new();
        command_paths(&args::Cli::command(), &[], &mut paths);
        assert!(paths.len() >= 6, "the grammar has commands: {paths:?}");
        assert!(paths.contains(&vec!["glossary".to_owned(), "check".to_owned()]));
        let mut expected = vec!["cueline".to_owned()];
        expected.extend(paths.iter().map(|p| format!("cueline-{}", p.join("-"))));
        for name in &expected {
            let page = fs::read_to_string(dir.path().join("man").join(format!("{name}.1")))
                .unwrap_or_else(|e| panic!("no man page {name}.1: {e}"));
            assert!(
                page.contains(&format!(".TH {name} 1")),
                "{name}.1 header:\n{page}"
            );
            assert!(page.contains(".SH NAME"), "{name}.1 has no NAME section");
        }
        let pages = written
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "1"));
        assert_eq!(
            pages.count(),
            expected.len(),
            "exactly one page per command"
        );
        let main = fs::read_to_string(dir.path().join("man/cueline.1")).unwrap();
        assert!(
            main.contains(env!("CARGO_PKG_VERSION")),
            "the page names the version"
        );
        let check = fs::read_to_string(dir.path().join("man/cueline-glossary-check.1")).unwrap();
        let source = format!("\"cueline {}\"", env!("CARGO_PKG_VERSION"));
        assert!(
            check.contains(&source),
            "the footer names the release:\n{check}"
        );
        assert!(
            !check.contains(".SH SUBCOMMANDS"),
            "a leaf command has no subcommands"
        );
    }

    #[test]
    fn completions_offer_every_subcommand() {
        let dir = tempfile::tempdir().unwrap();
        generate(dir.path()).unwrap();
        let mut paths = Vec::new();
        command_paths(&args::Cli::command(), &[], &mut paths);
        for (_, file) in COMPLETIONS {
            let script = fs::read_to_string(dir.path().join("completions").join(file)).unwrap();
            assert!(script.contains("cueline"), "{file}");
            for path in &paths {
                let last = path.last().unwrap();
                assert!(
                    script.contains(last.as_str()),
                    "{file} does not offer `{}`",
                    path.join(" ")
                );
            }
        }
        let fish = fs::read_to_string(dir.path().join("completions/cueline.fish")).unwrap();
        assert!(
            fish.contains("-a \"check\""),
            "fish offers check as a subcommand:\n{fish}"
        );
        let bash = fs::read_to_string(dir.path().join("completions/cueline.bash")).unwrap();
        assert!(
            bash.contains("complete -F _cueline"),
            "bash registers the function"
        );
    }
}
