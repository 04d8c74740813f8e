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
            println!("cueline-desktop {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Cli::Usage(message) => {
            eprintln!("cueline-desktop: {message}\n\n{}", launch::USAGE);
            ExitCode::from(2)
        }
        Cli::Run(launch) => {
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
