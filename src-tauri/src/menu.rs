//! The native menu: File, Edit, View, Help, with the accelerators of the UI's keyboard map.
//!
//! A click emits the typed event `MenuCommand { id }` and the UI runs the same handler as for
//! the shortcut. Quit is the one item handled here: it goes through the same unsaved-changes
//! check as closing the window. Note that on Linux (GTK) a menu accelerator takes the key
//! before the web view sees it, so for these shortcuts the UI receives the menu event rather
//! than a `keydown`.

use tauri::menu::{Menu, MenuBuilder, MenuEvent, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event;

use crate::ipc::events::{CloseRequested, CommandId, MenuCommand};
use crate::state::{AppState, CloseDecision};

const QUIT: &str = "quit";

/// Label and accelerator of each menu command.
fn item(id: CommandId) -> (&'static str, Option<&'static str>) {
    match id {
        CommandId::OpenFile => ("Open…", Some("CmdOrCtrl+O")),
        CommandId::OpenFolder => ("Open Folder…", Some("CmdOrCtrl+Shift+O")),
        CommandId::Save => ("Save", Some("CmdOrCtrl+S")),
        CommandId::Undo => ("Undo", Some("CmdOrCtrl+Z")),
        CommandId::Redo => ("Redo", Some("CmdOrCtrl+Y")),
        CommandId::Find => ("Find", Some("CmdOrCtrl+F")),
        CommandId::FindNext => ("Find Next", Some("F3")),
        CommandId::FindPrevious => ("Find Previous", Some("Shift+F3")),
        CommandId::Replace => ("Replace", Some("CmdOrCtrl+H")),
        CommandId::GoToTime => ("Go to Time…", Some("CmdOrCtrl+G")),
        CommandId::InsertCueAfter => ("Insert Cue After", Some("CmdOrCtrl+Shift+Enter")),
        CommandId::DeleteCue => ("Delete Cue", Some("CmdOrCtrl+Shift+Delete")),
        CommandId::SplitCue => ("Split Cue", Some("CmdOrCtrl+Alt+V")),
        CommandId::MergeWithNext => ("Merge with Next", Some("CmdOrCtrl+Shift+M")),
        CommandId::NextCue => ("Next Cue", Some("Alt+Down")),
        CommandId::PreviousCue => ("Previous Cue", Some("Alt+Up")),
        CommandId::CheatSheet => ("Keyboard Shortcuts", Some("CmdOrCtrl+/")),
    }
}

fn entry<R: Runtime>(app: &AppHandle<R>, id: CommandId) -> tauri::Result<tauri::menu::MenuItem<R>> {
    let (label, accel) = item(id);
    let mut b = MenuItemBuilder::with_id(id.as_str(), label);
    if let Some(accel) = accel {
        b = b.accelerator(accel);
    }
    b.build(app)
}

/// Builds the menu bar.
pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    use CommandId as C;
    let file = SubmenuBuilder::new(app, "File")
        .item(&entry(app, C::OpenFile)?)
        .item(&entry(app, C::OpenFolder)?)
        .separator()
        .item(&entry(app, C::Save)?)
        .separator()
        .item(
            &MenuItemBuilder::with_id(QUIT, "Quit")
                .accelerator("CmdOrCtrl+Q")
                .build(app)?,
        )
        .build()?;
    let edit = SubmenuBuilder::new(app, "Edit")
        .item(&entry(app, C::Undo)?)
        .item(&entry(app, C::Redo)?)
        .separator()
        .item(&entry(app, C::Find)?)
        .item(&entry(app, C::FindNext)?)
        .item(&entry(app, C::FindPrevious)?)
        .item(&entry(app, C::Replace)?)
        .item(&entry(app, C::GoToTime)?)
        .separator()
        .item(&entry(app, C::InsertCueAfter)?)
        .item(&entry(app, C::DeleteCue)?)
        .item(&entry(app, C::SplitCue)?)
        .item(&entry(app, C::MergeWithNext)?)
        .build()?;
    let view = SubmenuBuilder::new(app, "View")
        .item(&entry(app, C::NextCue)?)
        .item(&entry(app, C::PreviousCue)?)
        .build()?;
    let help = SubmenuBuilder::new(app, "Help")
        .item(&entry(app, C::CheatSheet)?)
        .build()?;
    MenuBuilder::new(app)
        .items(&[&file, &edit, &view, &help])
        .build()
}

/// Runs a menu click.
pub fn on_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let id = event.id().as_ref();
    if id == QUIT {
        request_quit(app);
        return;
    }
    match CommandId::from_id(id) {
        Some(id) => {
            if let Err(err) = (MenuCommand { id }).emit(app) {
                tracing::error!(error = %err, "cannot send the menu command to the UI");
            }
        }
        None => tracing::warn!(id, "unknown menu item"),
    }
}

/// Quits, after the UI had its say (see [`crate::state::decide_close`]).
pub fn request_quit<R: Runtime>(app: &AppHandle<R>) {
    match app.state::<AppState>().close_requested() {
        CloseDecision::Close => app.exit(0),
        CloseDecision::AskUi => ask_before_closing(app),
    }
}

/// Asks the UI about closing: it flushes its draft, then asks about unsaved changes or calls
/// `force_close`.
pub fn ask_before_closing<R: Runtime>(app: &AppHandle<R>) {
    tracing::info!("close requested: asking the UI");
    if let Err(err) = (CloseRequested {}).emit(app) {
        tracing::error!(error = %err, "cannot ask the UI about closing");
    }
}
