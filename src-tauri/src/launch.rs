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

/// The release and the git commit of the build (`unknown` without `.git`; see build.rs), as
/// `--version` and Help > About show them.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("CUELINE_GIT_COMMIT"),
    ")"
);

/// Environment variable naming the demo transcript to open when no file is given.
pub const DEMO_ENV: &str = "CUELINE_DEMO";

/// The demo's path inside the repository (and beside an installed binary).
pub const DEMO_RELATIVE: &str = "demo/demo-episode.vtt";

/// Where an installed package keeps the demo episode, relative to the executable's folder
/// (`/usr/bin/../share/cueline/`). It is read-only: the app works on a copy of it.
pub const INSTALLED_DEMO_DIR: &str = "../share/cueline";

/// The demo episode's files: the transcript that opens, its TXT twin and its audio.
pub const DEMO_FILES: [&str; 3] = ["demo-episode.vtt", "demo-episode.txt", "demo-episode.mp3"];

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
    /// A demo file opened in place: editable, never saved.
    File(PathBuf),
    /// The user's own copy of the installed demo (`$XDG_DATA_HOME/cueline/demo/`): an
    /// ordinary document, saved like any other.
    Copy(PathBuf),
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

/// Where to look for the demo, and where its copy goes.
#[derive(Debug, Clone, Default)]
pub struct DemoPlaces {
    /// `$CUELINE_DEMO`: opened in place, wins over everything.
    pub env: Option<OsString>,
    /// This executable.
    pub exe: Option<PathBuf>,
    /// `$XDG_DATA_HOME/cueline` (or `~/.local/share/cueline`): the copy goes to `demo/` in it.
    pub data_dir: Option<PathBuf>,
    /// Built by Tauri's bundler (a .deb): never falls back to the source tree.
    pub packaged: bool,
}

/// Finds the demo transcript: `$CUELINE_DEMO`; else the installed one in
/// `EXE/../share/cueline/`, copied on first use to `DATA/demo/` (the copy is opened); else, in
/// an unpackaged build, `demo/demo-episode.vtt` in the executable's directory or one of its
/// three parents (`target/debug/..` is the repository) or the source tree this binary was built
/// from; else the copy built into the binary.
pub fn find_demo(places: DemoPlaces) -> DemoSource {
    if let Some(path) = places.env.filter(|p| !p.is_empty()) {
        return DemoSource::File(PathBuf::from(path));
    }
    let exe_dir = places.exe.as_deref().and_then(Path::parent);
    let installed = exe_dir.map(|dir| dir.join(INSTALLED_DEMO_DIR));
    if let Some(installed) = installed.filter(|d| d.join(DEMO_FILES[0]).is_file()) {
        let Some(data_dir) = places.data_dir else {
            return DemoSource::File(installed.join(DEMO_FILES[0]));
        };
        let copy = data_dir.join("demo");
        return match copy_demo(&installed, &copy) {
            Ok(()) => DemoSource::Copy(copy.join(DEMO_FILES[0])),
            Err(err) => {
                tracing::warn!(to = %copy.display(), error = %err, "cannot copy the demo; opening the installed one");
                DemoSource::File(installed.join(DEMO_FILES[0]))
            }
        };
    }
    if places.packaged {
        return DemoSource::Builtin;
    }
    let near_exe = exe_dir
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

/// Copies the demo's files from `from` to `to` (made if missing), leaving a file that is
/// already there alone: after the first launch the copy is the user's, edits and all. Each
/// file is written beside its place and renamed, so a crash never leaves half a demo.
fn copy_demo(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for name in DEMO_FILES {
        let (src, dest) = (from.join(name), to.join(name));
        if dest.exists() || !src.is_file() {
            continue;
        }
        let tmp = to.join(format!(".{name}.part"));
        std::fs::copy(&src, &tmp)?;
        make_owner_writable(&tmp)?;
        std::fs::rename(&tmp, &dest)?;
    }
    Ok(())
}

/// The installed files may be read-only (`fs::copy` keeps the mode); the copy is the user's to
/// edit. Only the owner's write bit is added.
#[cfg(unix)]
fn make_owner_writable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)?.permissions().mode();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode | 0o200))
}

#[cfg(not(unix))]
fn make_owner_writable(path: &Path) -> std::io::Result<()> {
    let mut perms = std::fs::metadata(path)?.permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(path, perms)
}

/// `find_demo` with this process's environment and executable.
pub fn find_demo_from_env() -> DemoSource {
    find_demo(DemoPlaces {
        env: std::env::var_os(DEMO_ENV),
        exe: std::env::current_exe().ok(),
        data_dir: cueline_transcript_store::data_dir(
            std::env::var_os("XDG_DATA_HOME"),
            std::env::var_os("HOME"),
        ),
        packaged: tauri::utils::platform::bundle_type().is_some(),
    })
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
        let got = find_demo(DemoPlaces {
            env: Some("/tmp/x.vtt".into()),
            ..DemoPlaces::default()
        });
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
        let places = DemoPlaces {
            exe: Some(exe),
            ..DemoPlaces::default()
        };
        assert_eq!(find_demo(places.clone()), DemoSource::File(demo));
        // A packaged build never looks into a source tree.
        let packaged = DemoPlaces {
            packaged: true,
            ..places
        };
        assert_eq!(find_demo(packaged), DemoSource::Builtin);
    }

    /// An installed layout: `ROOT/bin/cueline-desktop` and `ROOT/share/cueline/demo-episode.*`.
    fn installed(root: &Path) -> PathBuf {
        let share = root.join("share/cueline");
        std::fs::create_dir_all(&share).unwrap();
        std::fs::create_dir_all(root.join("bin")).unwrap();
        for name in DEMO_FILES {
            std::fs::write(share.join(name), format!("installed {name}")).unwrap();
        }
        root.join("bin/cueline-desktop")
    }

    #[test]
    fn the_installed_demo_is_copied_once_and_the_copy_opens() {
        let dir = tempfile::tempdir().unwrap();
        let exe = installed(&dir.path().join("usr"));
        let data = dir.path().join("home/.local/share/cueline");
        let places = DemoPlaces {
            exe: Some(exe),
            data_dir: Some(data.clone()),
            packaged: true,
            ..DemoPlaces::default()
        };
        let copy = data.join("demo/demo-episode.vtt");
        assert_eq!(find_demo(places.clone()), DemoSource::Copy(copy.clone()));
        for name in DEMO_FILES {
            let text = std::fs::read_to_string(data.join("demo").join(name)).unwrap();
            assert_eq!(text, format!("installed {name}"));
        }
        // The user edits the copy; the next launch opens it as it is.
        std::fs::write(&copy, "edited").unwrap();
        std::fs::remove_file(data.join("demo/demo-episode.mp3")).unwrap();
        assert_eq!(find_demo(places), DemoSource::Copy(copy.clone()));
        assert_eq!(std::fs::read_to_string(&copy).unwrap(), "edited");
        assert!(
            data.join("demo/demo-episode.mp3").is_file(),
            "a missing file is copied again"
        );
        let leftovers: Vec<_> = std::fs::read_dir(data.join("demo"))
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
            .collect();
        assert!(leftovers.is_empty(), "no temporary file is left");
    }

    #[test]
    fn a_read_only_installed_demo_gives_a_writable_copy() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let exe = installed(&dir.path().join("usr"));
        let vtt = dir.path().join("usr/share/cueline/demo-episode.vtt");
        std::fs::set_permissions(&vtt, std::fs::Permissions::from_mode(0o444)).unwrap();
        let data = dir.path().join("data");
        let got = find_demo(DemoPlaces {
            exe: Some(exe),
            data_dir: Some(data.clone()),
            ..DemoPlaces::default()
        });
        let copy = data.join("demo/demo-episode.vtt");
        assert_eq!(got, DemoSource::Copy(copy.clone()));
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644, "writable by its owner only: {mode:o}");
    }

    #[test]
    fn without_a_place_for_the_copy_the_installed_demo_opens_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let exe = installed(&dir.path().join("usr"));
        // A data folder that cannot be made: a file is in the way.
        let blocked = dir.path().join("file");
        std::fs::write(&blocked, "").unwrap();
        let got = find_demo(DemoPlaces {
            exe: Some(exe.clone()),
            data_dir: Some(blocked.join("cueline")),
            packaged: true,
            ..DemoPlaces::default()
        });
        let installed_vtt = dir.path().join("usr/bin/../share/cueline/demo-episode.vtt");
        assert_eq!(got, DemoSource::File(installed_vtt.clone()));
        let got = find_demo(DemoPlaces {
            exe: Some(exe),
            packaged: true,
            ..DemoPlaces::default()
        });
        assert_eq!(got, DemoSource::File(installed_vtt));
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
