//! Embeds the git commit this binary is built from (`cueline --version`).

include!("build/git_commit.rs");

fn main() {
    println!("cargo:rerun-if-changed=build/git_commit.rs");
    let dir = std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    println!("cargo:rustc-env=CUELINE_GIT_COMMIT={}", git_commit(&dir));
}
