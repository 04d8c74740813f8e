fn main() {
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
