//! `cueline`: the headless command line over the lossless transcript core, and the launcher
//! of the desktop app.
//!
//! Why a separate binary: it must start in a millisecond, run in CI and pre-commit hooks
//! without GTK or WebKit, and never link Tauri. Each command lives in its own module; this
//! file only routes arguments and turns results into exit codes (see `error`).

mod apply;
mod args;
mod check;
mod diff;
mod error;
mod export;
mod glossary;
mod launch;
mod load;
mod output;
mod replace;
mod repo;
mod spell;
mod walk;

use std::ffi::OsString;
use std::io;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::args::{Cli, Command};
use crate::error::{CliError, report};

/// `check` parses a whole repository and allocates one small block per cue; mimalloc makes
/// that allocation about twice as cheap as glibc's allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let argv: Vec<OsString> = std::env::args_os().collect();
    let rest = argv.get(1..).unwrap_or_default();
    let spec = Cli::command();
    let mut commands: Vec<&str> = spec.get_subcommands().map(|c| c.get_name()).collect();
    commands.push("help");
    if launch::wants_desktop(rest, &commands) {
        init_logging();
        return launch::open_desktop(rest);
    }
    let cli = Cli::parse_from(argv);
    init_logging();
    settle_interrupted_writes();
    let result = match &cli.command {
        Command::Check(a) => check::run(a),
        Command::Apply(a) => apply::run(a),
        Command::Replace(a) => replace::run(a),
        Command::Export(a) => export::run(a),
        Command::Glossary(a) => glossary::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Spell(a) => spell::run(a),
    };
    match result {
        Ok(status) => status.into(),
        // `cueline check | head`: the reader has all it wanted
        Err(CliError::Stdout(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => report(&e).into(),
    }
}

/// Before any command: a multi-file write that a killed `cueline` (or app) left half-done is
/// completed or undone, and the user is told which.
fn settle_interrupted_writes() {
    for settled in cueline_transcript_store::settle_default() {
        eprintln!("cueline: {settled}");
    }
}

/// Logs go to stderr, filtered by `CUELINE_LOG` (default: warnings only).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CUELINE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .without_time()
        .with_target(false)
        .init();
}
