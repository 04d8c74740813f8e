// The git commit a binary is built from, for `--version` and the About dialog. Shared by the
// build scripts of crates/cli and src-tauri through `include!`. It never fails the build: without
// git or a `.git` it is `unknown`, and `CUELINE_GIT_COMMIT` overrides it (a tarball build).

/// Short hash of HEAD of the repository `dir` is in, or `unknown`. Prints the `rerun-if-changed` lines that rebuild when HEAD
/// moves (a checkout, or a commit on the current branch).
fn git_commit(dir: &std::path::Path) -> String {
    println!("cargo:rerun-if-env-changed=CUELINE_GIT_COMMIT");
    if let Some(commit) = std::env::var("CUELINE_GIT_COMMIT").ok().filter(|c| !c.is_empty()) {
        return commit;
    }
    let git = |args: &[&str]| -> Option<String> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        let text = String::from_utf8(out.stdout).ok()?;
        Some(text.trim().to_owned()).filter(|t| !t.is_empty())
    };
    let Some(commit) = git(&["rev-parse", "--short", "HEAD"]) else {
        return "unknown".to_owned();
    };
    // `--git-dir` is this worktree's (its HEAD); `--git-common-dir` holds the branch refs.
    let paths = git(&[
        "rev-parse",
        "--path-format=absolute",
        "--git-dir",
        "--git-common-dir",
        "--symbolic-full-name",
        "HEAD",
    ]);
    let lines: Vec<String> = paths.unwrap_or_default().lines().map(str::to_owned).collect();
    if let [git_dir, common_dir, rest @ ..] = lines.as_slice() {
        println!("cargo:rerun-if-changed={git_dir}/HEAD");
        println!("cargo:rerun-if-changed={common_dir}/packed-refs");
        if let Some(branch) = rest.first().filter(|b| b.starts_with("refs/")) {
            println!("cargo:rerun-if-changed={common_dir}/{branch}");
        }
    }
    commit
}
