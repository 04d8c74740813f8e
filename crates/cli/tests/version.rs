//! `cueline --version`: the workspace version and the git commit the binary was built from.

use std::path::Path;
use std::process::Command;

mod common;

include!("../build/git_commit.rs");

fn git_head() -> Option<String> {
    let out = Command::new("git")
        .args([
            "-C",
            env!("CARGO_MANIFEST_DIR"),
            "rev-parse",
            "--short",
            "HEAD",
        ])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

#[test]
fn version_names_the_workspace_version_and_the_commit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = common::cueline(dir.path(), &["--version"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Built in this checkout: the commit is HEAD's (cargo reruns build.rs when HEAD moves).
    let commit = git_head().unwrap_or_else(|| "unknown".to_owned());
    assert_eq!(
        run.stdout,
        format!("cueline {} (commit {commit})\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn the_version_is_the_workspace_version() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.toml"))
            .expect("workspace Cargo.toml");
    let line = format!("version = \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(
        manifest.lines().any(|l| l == line),
        "{line} not in the workspace manifest"
    );
    // tauri.conf.json has no version of its own: Tauri then takes the app crate's, the same one.
    let conf = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tauri.conf.json"),
    )
    .expect("tauri.conf.json");
    let conf: serde_json::Value = serde_json::from_str(&conf).expect("tauri.conf.json is JSON");
    assert!(
        conf.get("version").is_none(),
        "tauri.conf.json must not carry a version"
    );
}

#[test]
fn outside_a_repository_the_commit_is_unknown() {
    if std::env::var_os("CUELINE_GIT_COMMIT").is_some() {
        return; // an explicit override wins, by design
    }
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(git_commit(dir.path()), "unknown");
    let here = git_commit(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert_eq!(here, git_head().unwrap_or_else(|| "unknown".to_owned()));
}
