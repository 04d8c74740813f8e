//! What the app was started with: `cueline-desktop [FILE]`, and where the demo transcript is.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

pub const USAGE: &str = "\
Usage: cueline-desktop [FILE | DIR]

Opens FILE (.vtt, .srt or .txt) in the Cueline editor, or DIR with its transcripts listed in
the sidebar. Without an argument it opens the bundled demo transcript (override its path
with the CUELINE_DEMO environment variable).

Options:
  -h, --help     Print this help
  -V, --version  Print the version
";

/// Environment variable naming the demo transcript to open when no file is given.
pub const DEMO_ENV: &str = "CUELINE_DEMO";

/// The demo's path inside the repository (and beside an installed binary).
pub const DEMO_RELATIVE: &str = "demo/demo-episode.vtt";

/// A copy of the demo built into the binary, used when no demo file can be found on disk.
pub const DEMO_BUILTIN: &[u8] = include_bytes!("../../demo/demo-episode.vtt");

/// What the command line asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cli {
    Run(Launch),
    Help,
    Version,
    /// A usage error, with its message.
    Usage(String),
}

/// The document the window opens first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// A file named on the command line (made absolute).
    File(PathBuf),
    /// A folder named on the command line (made absolute): its transcripts in the sidebar.
    Folder(PathBuf),
    /// The demo transcript.
    Demo(DemoSource),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoSource {
    File(PathBuf),
    Builtin,
}

/// Parses the arguments after the program name. `cwd` makes a relative FILE absolute;
/// `demo` is called only when no FILE is given.
pub fn parse_args(
    args: impl IntoIterator<Item = OsString>,
    cwd: Option<&Path>,
    demo: impl FnOnce() -> DemoSource,
) -> Cli {
    let mut files = Vec::new();
    let mut only_paths = false;
    for arg in args {
        if !only_paths {
            match arg.to_str() {
                Some("-h" | "--help") => return Cli::Help,
                Some("-V" | "--version") => return Cli::Version,
                Some("--") => {
                    only_paths = true;
                    continue;
                }
                Some(flag) if flag.starts_with('-') && flag != "-" => {
                    return Cli::Usage(format!("unknown option `{flag}`"));
                }
                _ => {}
            }
        }
        files.push(PathBuf::from(arg));
    }
    let mut files = files.into_iter();
    let Some(file) = files.next() else {
        return Cli::Run(Launch::Demo(demo()));
    };
    let extra = files.count();
    if extra > 0 {
        // Several files and folders come with the editor's sidebar; for now the first wins.
        tracing::warn!(extra, "only the first FILE is opened");
    }
    let file = match cwd {
        Some(cwd) if file.is_relative() => cwd.join(file),
        _ => file,
    };
    if file.is_dir() {
        return Cli::Run(Launch::Folder(file));
    }
    Cli::Run(Launch::File(file))
}

/// The path a second launch hands to the running window: its FILE or DIR made absolute against
/// the second launch's working folder (`argv` includes the program name, as the single-instance
/// plugin passes it). `None` when it named nothing (the running window just comes to the front).
pub fn handed_over_path(argv: &[String], cwd: &Path) -> Option<PathBuf> {
    let args = argv.iter().skip(1).map(OsString::from);
    match parse_args(args, Some(cwd), || DemoSource::Builtin) {
        Cli::Run(Launch::File(p) | Launch::Folder(p)) => Some(p),
        _ => None,
    }
}

/// Finds the demo transcript: `$CUELINE_DEMO`, else `demo/demo-episode.vtt` in the
/// executable's directory or one of its three parents (`target/debug/..` is the repository),
/// else the source tree this binary was built from, else the copy built into the binary.
pub fn find_demo(env: Option<OsString>, exe: Option<PathBuf>) -> DemoSource {
    if let Some(path) = env.filter(|p| !p.is_empty()) {
        return DemoSource::File(PathBuf::from(path));
    }
    let near_exe = exe
        .as_deref()
        .and_then(Path::parent)
        .into_iter()
        .flat_map(|dir| dir.ancestors().take(4))
        .map(|dir| dir.join(DEMO_RELATIVE));
    let source_tree = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(|root| root.join(DEMO_RELATIVE));
    near_exe
        .chain(source_tree)
        .find(|p| p.is_file())
        .map_or(DemoSource::Builtin, DemoSource::File)
}

/// `find_demo` with this process's environment and executable.
pub fn find_demo_from_env() -> DemoSource {
    find_demo(std::env::var_os(DEMO_ENV), std::env::current_exe().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<OsString> {
        a.iter().map(OsString::from).collect()
    }

    fn parse(a: &[&str]) -> Cli {
        parse_args(args(a), Some(Path::new("/home/u")), || DemoSource::Builtin)
    }

    #[test]
    fn a_second_launch_hands_over_its_file_made_absolute() {
        let cwd = Path::new("/work/repo");
        let argv = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            handed_over_path(&argv(&["cueline-desktop", "ep/515.vtt"]), cwd),
            Some(PathBuf::from("/work/repo/ep/515.vtt"))
        );
        assert_eq!(
            handed_over_path(&argv(&["cueline-desktop", "/abs/x.txt"]), cwd),
            Some(PathBuf::from("/abs/x.txt"))
        );
        assert_eq!(handed_over_path(&argv(&["cueline-desktop"]), cwd), None);
        assert_eq!(
            handed_over_path(&argv(&["cueline-desktop", "--bogus"]), cwd),
            None
        );
    }

    #[test]
    fn no_argument_opens_the_demo() {
        assert_eq!(parse(&[]), Cli::Run(Launch::Demo(DemoSource::Builtin)));
    }

    #[test]
    fn a_file_argument_is_made_absolute() {
        assert_eq!(
            parse(&["ep/a.vtt"]),
            Cli::Run(Launch::File(PathBuf::from("/home/u/ep/a.vtt")))
        );
        assert_eq!(
            parse(&["/x/b.srt", "c.txt"]),
            Cli::Run(Launch::File("/x/b.srt".into()))
        );
        assert_eq!(
            parse(&["--", "-odd.vtt"]),
            Cli::Run(Launch::File("/home/u/-odd.vtt".into()))
        );
    }

    #[test]
    fn flags() {
        assert_eq!(parse(&["--help"]), Cli::Help);
        assert_eq!(parse(&["a.vtt", "-V"]), Cli::Version);
        assert!(matches!(parse(&["--bogus"]), Cli::Usage(m) if m.contains("--bogus")));
    }

    #[test]
    fn demo_env_override_wins() {
        let got = find_demo(Some("/tmp/x.vtt".into()), None);
        assert_eq!(got, DemoSource::File("/tmp/x.vtt".into()));
    }

    #[test]
    fn demo_is_found_above_the_executable() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("demo")).unwrap();
        std::fs::create_dir_all(dir.path().join("target/debug")).unwrap();
        let demo = dir.path().join(DEMO_RELATIVE);
        std::fs::write(&demo, "WEBVTT\n").unwrap();
        let exe = dir.path().join("target/debug/cueline-desktop");
        assert_eq!(find_demo(None, Some(exe)), DemoSource::File(demo));
    }

    #[test]
    fn a_folder_argument_is_a_folder_launch() {
        let dir = tempfile::tempdir().unwrap();
        let got = parse_args(args(&["."]), Some(dir.path()), || DemoSource::Builtin);
        assert_eq!(got, Cli::Run(Launch::Folder(dir.path().join("."))));
    }

    #[test]
    fn the_demo_has_a_matching_txt() {
        // demo-episode.txt is the Talk Python TXT export of demo-episode.vtt.
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let vtt = std::fs::read(root.join("demo/demo-episode.vtt")).unwrap();
        assert_eq!(vtt, DEMO_BUILTIN);
        let txt = std::fs::read_to_string(root.join("demo/demo-episode.txt")).unwrap();
        let doc = cueline_transcript::Document::parse(&vtt, cueline_transcript::Format::Vtt);
        assert_eq!(
            cueline_transcript::export::export(&doc, cueline_transcript::Format::Txt),
            txt
        );
    }
}
