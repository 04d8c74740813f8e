// The git commit of the build, for `--version` and Help > About (shared with crates/cli).
include!("../crates/cli/build/git_commit.rs");

fn main() {
    println!("cargo:rerun-if-changed=../crates/cli/build/git_commit.rs");
    let dir = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    println!("cargo:rustc-env=CUELINE_GIT_COMMIT={}", git_commit(&dir));
    // The real config lives at the project root. tauri-build only uses the *parent directory*
    // of this path, so it also picks up platform overlays (tauri.linux.conf.json, ...) there.
    // `capabilities/` is still read from this crate's directory.
    if let Err(err) =
        tauri_build::try_build(tauri_build::Attributes::new().config_path("../tauri.conf.json"))
    {
        eprintln!("tauri-build failed: {err:#}");
        std::process::exit(1);
    }
}
