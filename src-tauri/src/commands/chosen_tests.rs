//! Every command that takes a path from the page refuses one the user never chose, before it
//! reads or writes anything (issue 12, item 9). The state is built as the app builds it: its
//! launch argument, and its recent list once the window has shown it, are the user's choices;
//! nothing else is.

use std::path::{Path, PathBuf};

use cueline_transcript_store::{RecentFiles, Settings, SettingsFile};

use crate::commands::{audio, document, folder, git, project};
use crate::ipc::error::IpcError;
use crate::launch::Launch;
use crate::state::AppState;

const VTT: &str = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello\n";

struct Fixture {
    dir: tempfile::TempDir,
    state: AppState,
}

impl Fixture {
    /// `show/ep1.vtt` is the launch file, `recent/old.vtt` is on the recent list, `secret/`
    /// holds files the user never chose.
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        for f in [
            "show/ep1.vtt",
            "show/ep2.vtt",
            "recent/old.vtt",
            "secret/a.vtt",
        ] {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().expect("folder")).expect("mkdir");
            std::fs::write(&p, VTT).expect("write");
        }
        std::fs::write(dir.path().join("secret/a.wav"), b"RIFF").expect("write");
        let recent = RecentFiles::at(dir.path().join("conf/recent.json"));
        recent
            .add(&dir.path().join("recent/old.vtt"))
            .expect("recent");
        let settings = SettingsFile::at(dir.path().join("conf/settings.json"));
        settings
            .store(&Settings {
                autosave: false,
                ..Settings::default()
            })
            .expect("settings");
        let state = AppState::new(
            Launch::File(dir.path().join("show/ep1.vtt")),
            Some(recent),
            Some(settings),
            Some(dir.path().join("data/journal")),
        );
        Fixture { dir, state }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn launch_doc(&self) -> u32 {
        document::open_initial(&self.state)
            .expect("open the launch file")
            .doc_id
    }
}

fn refused(err: IpcError, path: &Path) {
    match err {
        IpcError::PathNotAllowed { path: p, message } => {
            assert_eq!(p, path.display().to_string());
            assert!(message.contains("was not chosen"), "{message}");
        }
        other => panic!(
            "expected PathNotAllowed for {}, got {other:?}",
            path.display()
        ),
    }
}

/// Every file below the fixture's folder with its bytes, to show nothing changed.
fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).expect("read");
                out.push((p, bytes));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn open_document_refuses_an_unchosen_file_and_allows_the_chosen_ones() {
    let fx = Fixture::new();
    let secret = fx.path("secret/a.vtt");
    refused(
        document::open_chosen(&fx.state, &secret).unwrap_err(),
        &secret,
    );
    // `..` does not lead out of a chosen folder
    let sneaky = fx.path("show/../secret/a.vtt");
    refused(
        document::open_chosen(&fx.state, &sneaky).unwrap_err(),
        &sneaky,
    );
    assert_eq!(
        fx.state.open().iter_with_ids().count(),
        0,
        "nothing was opened"
    );
    assert!(
        !folder::recent(&fx.state)
            .iter()
            .any(|p| p.contains("secret")),
        "nor remembered"
    );

    // the launch file, its neighbour and the recent file are the user's
    for ok in ["show/ep1.vtt", "show/ep2.vtt", "recent/old.vtt"] {
        document::open_chosen(&fx.state, &fx.path(ok)).unwrap_or_else(|e| panic!("{ok}: {e:?}"));
    }
    // a chosen file that is gone says so
    std::fs::remove_file(fx.path("recent/old.vtt")).expect("rm");
    let state = AppState::new(
        Launch::File(fx.path("show/ep1.vtt")),
        Some(RecentFiles::at(fx.path("conf/recent.json"))),
        None,
        None,
    );
    folder::recent(&state); // the sidebar shows the list
    let gone = document::open_chosen(&state, &fx.path("recent/old.vtt")).unwrap_err();
    assert!(matches!(gone, IpcError::NotFound { .. }), "{gone:?}");
}

#[test]
fn a_file_granted_later_can_be_opened() {
    let fx = Fixture::new();
    let secret = fx.path("secret/a.vtt");
    assert!(document::open_chosen(&fx.state, &secret).is_err());
    fx.state.grants.grant(&secret); // what a dialog, a drop or a hand-off does
    document::open_chosen(&fx.state, &secret).expect("chosen now");
}

#[test]
fn save_as_refuses_an_unpicked_target_and_writes_nothing() {
    let fx = Fixture::new();
    let id = fx.launch_doc();
    let before = snapshot(fx.dir.path());
    for target in ["secret/out.vtt", "secret/a.vtt", "elsewhere/out.vtt"] {
        let target = fx.path(target);
        refused(
            document::save_as_chosen(&fx.state, id, &target).unwrap_err(),
            &target,
        );
    }
    assert_eq!(snapshot(fx.dir.path()), before, "nothing was written");

    // a target picked in the Save dialog is written
    let picked = fx.path("secret/out.vtt");
    fx.state.grants.grant_save_target(&picked);
    document::save_as_chosen(&fx.state, id, &picked).expect("save as");
    assert_eq!(std::fs::read_to_string(&picked).expect("saved"), VTT);
}

#[test]
fn folders_projects_audio_and_git_refuse_what_was_not_chosen() {
    let fx = Fixture::new();
    let secret = fx.path("secret");
    refused(
        folder::open_chosen(&fx.state, &secret).unwrap_err(),
        &secret,
    );
    refused(
        project::open_chosen(&fx.state, &secret).unwrap_err(),
        &secret,
    );
    assert!(fx.state.project().is_none(), "no project was opened");
    refused(git::chosen(&fx.state, "/").unwrap_err(), Path::new("/"));
    let near = secret.display().to_string();
    refused(git::chosen(&fx.state, &near).unwrap_err(), &secret);

    let id = fx.launch_doc();
    let wav = fx.path("secret/a.wav");
    refused(audio::attach(&fx.state, id, &wav).unwrap_err(), &wav);

    // the launch file's folder is the user's
    let show = fx.path("show");
    assert_eq!(
        folder::open_chosen(&fx.state, &show)
            .expect("folder")
            .episodes
            .len(),
        2
    );
    assert!(git::chosen(&fx.state, &show.display().to_string()).is_ok());
}

#[test]
fn progress_summaries_leave_out_unchosen_paths() {
    let fx = Fixture::new();
    let id = fx.launch_doc();
    crate::progress::toggle_checked(&fx.state, id, 0).expect("check cue 0");
    let ours = fx.path("show/ep1.vtt").display().to_string();
    let secret = fx.path("secret/a.vtt").display().to_string();
    let shown = crate::progress::summaries(&fx.state, vec![ours.clone(), secret]);
    let paths: Vec<&str> = shown.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(paths, [ours.as_str()]);
}
