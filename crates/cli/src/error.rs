//! Errors and exit codes, in one place so every command maps them the same way.
//!
//! The contract (see `cueline --help`): 0 success; 1 the work found errors (`check` found
//! error diagnostics, an edit or a replacement is invalid); 2 usage errors and files that
//! cannot be read or written. Messages go to stderr as `cueline: FILE[:LINE]: message`.

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cueline_transcript_store::WriteError;
use thiserror::Error;

/// How a command ended; the worst status wins when a command reports several problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Success = 0,
    /// The work found errors (exit 1).
    Found = 1,
    /// Usage errors, unreadable or unwritable files (exit 2).
    Failed = 2,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        ExitCode::from(s as u8)
    }
}

#[derive(Debug, Error)]
pub enum CliError {
    /// Bad arguments that clap cannot see (an empty pattern, a path of the wrong kind).
    #[error("{0}")]
    Usage(String),
    #[error("{}: cannot read: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error(transparent)]
    Write(#[from] WriteError),
    /// git is missing, refused, or was asked for something that does not exist.
    #[error(transparent)]
    Git(#[from] cueline_git::GitError),
    /// The work found errors: invalid edits, a refused replacement, a read-only document.
    #[error("{0}")]
    Invalid(String),
    #[error("cannot write to standard output: {0}")]
    Stdout(io::Error),
    /// Files changed on disk between planning and writing (nothing was written).
    #[error("{0}")]
    Conflict(String),
}

impl CliError {
    pub fn read(path: &Path, source: io::Error) -> CliError {
        CliError::Read {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn status(&self) -> Status {
        match self {
            CliError::Invalid(_) => Status::Found,
            _ => Status::Failed,
        }
    }
}

impl From<io::Error> for CliError {
    /// Plain I/O errors inside commands come from writing their output.
    fn from(e: io::Error) -> CliError {
        CliError::Stdout(e)
    }
}

/// Prints `e` to stderr and returns its status.
pub fn report(e: &CliError) -> Status {
    eprintln!("cueline: {e}");
    e.status()
}
