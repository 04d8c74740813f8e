//! `cueline` with no command, or with only paths, opens the desktop app, the way `code`
//! opens VS Code.
//!
//! Why exec and not link: the desktop binary links WebKitGTK, whose loading alone takes
//! longer than `cueline check` over a whole repository, and CI or a pre-commit hook must not
//! need GTK. So the command line stays a small binary and hands over to `cueline-desktop`,
//! found next to its own executable first (an installed bundle), then on `PATH`.
//!
//! Telling paths from commands: the first argument decides. A known command name (or
//! `help`) or anything starting with `-` (`--help`, `--version`, a typo like `--chek`) goes
//! to the command-line parser; `--` and everything else (a file or folder) goes to the app.
//! A file that happens to be named like a command can be opened as `./check`.

use std::env;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::error::Status;

/// The desktop app's executable name.
pub const DESKTOP: &str = "cueline-desktop";

/// Whether these arguments (without the program name) are meant for the desktop app.
pub fn wants_desktop(args: &[OsString], commands: &[&str]) -> bool {
    let Some(first) = args.first() else {
        return true;
    };
    if first == "--" {
        return true;
    }
    if first.as_encoded_bytes().starts_with(b"-") {
        return false;
    }
    !commands.iter().any(|c| OsStr::new(c) == first)
}

/// Replaces this process with the desktop app, passing `args` on unchanged. Only returns
/// (with exit status 2) if the app cannot be found or started.
pub fn open_desktop(args: &[OsString]) -> ExitCode {
    let Some(app) = find_desktop() else {
        let here = env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .map_or_else(|| "its own folder".to_owned(), |p| p.display().to_string());
        eprintln!(
            "cueline: cannot open the desktop app: `{DESKTOP}` was found neither in {here} nor on PATH\n\
             cueline: to work without the app, run a command: see `cueline --help`"
        );
        return Status::Failed.into();
    };
    tracing::debug!(app = %app.display(), ?args, "starting the desktop app");
    run(&app, args)
}

#[cfg(unix)]
fn run(app: &Path, args: &[OsString]) -> ExitCode {
    use std::os::unix::process::CommandExt;
    let err = Command::new(app).args(args).exec();
    eprintln!("cueline: cannot start {}: {err}", app.display());
    Status::Failed.into()
}

#[cfg(not(unix))]
fn run(app: &Path, args: &[OsString]) -> ExitCode {
    match Command::new(app).args(args).status() {
        Ok(status) => match status.code() {
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            None => ExitCode::FAILURE,
        },
        Err(err) => {
            eprintln!("cueline: cannot start {}: {err}", app.display());
            Status::Failed.into()
        }
    }
}

/// `cueline-desktop` beside the running executable, else the first one on `PATH`.
fn find_desktop() -> Option<PathBuf> {
    let name = format!("{DESKTOP}{}", env::consts::EXE_SUFFIX);
    let beside = env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(&name)));
    if let Some(path) = beside.filter(|p| is_executable(p)) {
        return Some(path);
    }
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(&name))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desktop(args: &[&str]) -> bool {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        wants_desktop(&args, &["check", "apply", "replace", "export", "help"])
    }

    #[test]
    fn commands_and_flags_go_to_the_parser() {
        assert!(!desktop(&["check", "a.vtt"]));
        assert!(!desktop(&["help"]));
        assert!(!desktop(&["--help"]));
        assert!(!desktop(&["-V"]));
        assert!(!desktop(&["--chek"]));
    }

    #[test]
    fn nothing_paths_and_double_dash_go_to_the_app() {
        assert!(desktop(&[]));
        assert!(desktop(&["talk.vtt"]));
        assert!(desktop(&["transcripts/", "check"]));
        assert!(desktop(&["./check"]));
        assert!(desktop(&["--", "-odd-name.vtt"]));
    }
}
