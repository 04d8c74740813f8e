// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

use cueline_desktop::launch::{self, Cli};

fn main() -> ExitCode {
    cueline_desktop::logging::init();
    let cwd = std::env::current_dir().ok();
    let cli = launch::parse_args(
        std::env::args_os().skip(1),
        cwd.as_deref(),
        launch::find_demo_from_env,
    );
    match cli {
        Cli::Help => {
            print!("{}", launch::USAGE);
            ExitCode::SUCCESS
        }
        Cli::Version => {
            println!("cueline-desktop {}", launch::VERSION);
            ExitCode::SUCCESS
        }
        Cli::Usage(message) => {
            eprintln!("cueline-desktop: {message}\n\n{}", launch::USAGE);
            ExitCode::from(2)
        }
        Cli::Run(launch) => {
            if let Err(message) = check_display() {
                eprintln!("cueline-desktop: {message}");
                return ExitCode::FAILURE;
            }
            tracing::info!(?launch, "starting");
            match cueline_desktop::run(launch, tauri::generate_context!("../tauri.conf.json")) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    tracing::error!(error = %err, "the app failed");
                    eprintln!("cueline-desktop: {err}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// GTK cannot start without a display, and the window toolkit then panics. Say so plainly instead.
#[cfg(all(unix, not(target_os = "macos")))]
fn check_display() -> Result<(), String> {
    let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("DISPLAY") || set("WAYLAND_DISPLAY") {
        Ok(())
    } else {
        Err(
            "no display: neither DISPLAY nor WAYLAND_DISPLAY is set. Run Cueline in a desktop \
             session, or headless with: xvfb-run -a cueline-desktop [FILE]"
                .to_owned(),
        )
    }
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn check_display() -> Result<(), String> {
    Ok(())
}
