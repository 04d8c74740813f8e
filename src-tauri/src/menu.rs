//! The native menu: File, Edit, View, Review, Playback, Help, with the accelerators of the UI's keyboard
//! map and the user's own bindings (the menu is rebuilt when they change).
//!
//! A click emits the typed event `MenuCommand { id }` and the UI runs the same handler as for
//! the shortcut. Quit is the one item handled here: it goes through the same unsaved-changes
//! check as closing the window. Note that on Linux (GTK) a menu accelerator takes the key
//! before the web view sees it, so for these shortcuts the UI receives the menu event rather
//! than a `keydown` (the settings panel, capturing a new chord, maps a menu event back to the
//! chord it has). Esc is never an accelerator: the page decides whether it closes a dialog or
//! toggles playback.

use std::collections::BTreeMap;

use tauri::menu::{
    AboutMetadata, Menu, MenuBuilder, MenuEvent, MenuItemBuilder, PredefinedMenuItem,
    SubmenuBuilder,
};
use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event;

use crate::ipc::events::{CloseRequested, CommandId, MenuCommand};
use crate::state::{AppState, CloseDecision};

const QUIT: &str = "quit";

/// Menu label and default keys (the keymap's notation, `ui/src/lib/keymap.ts`) of each command.
pub fn item(id: CommandId) -> (&'static str, &'static [&'static str]) {
    use CommandId as C;
    match id {
        C::OpenFile => ("Open…", &["Ctrl+O"]),
        C::OpenFolder => ("Open Folder…", &["Ctrl+Shift+O"]),
        C::Save => ("Save", &["Ctrl+S"]),
        C::SaveAs => ("Save As…", &["Ctrl+Shift+S"]),
        C::AttachAudio => ("Attach Audio…", &["Ctrl+Shift+A"]),
        C::Settings => ("Settings and Key Bindings…", &["Ctrl+,"]),
        C::Undo => ("Undo", &["Ctrl+Z"]),
        C::Redo => ("Redo", &["Ctrl+Y", "Ctrl+Shift+Z"]),
        C::Find => ("Find", &["Ctrl+F"]),
        C::SearchProject => ("Search Project…", &["Ctrl+Shift+F"]),
        C::FindNext => ("Find Next", &["Ctrl+F3"]),
        C::FindPrevious => ("Find Previous", &["Ctrl+Shift+F3"]),
        C::Replace => ("Replace", &["Ctrl+H"]),
        C::GoToTime => ("Go to Time…", &["Ctrl+G"]),
        C::InsertCueAfter => ("Insert Cue After", &["Ctrl+Shift+Enter", "Alt+Insert"]),
        C::DeleteCue => ("Delete Cue", &["Ctrl+Shift+Delete"]),
        C::SplitCue => ("Split Cue", &["Ctrl+Alt+V"]),
        C::MergeWithNext => ("Merge with Next", &["Ctrl+Shift+M"]),
        C::NextCue => ("Next Cue", &["Alt+Down"]),
        C::PreviousCue => ("Previous Cue", &["Alt+Up"]),
        C::JumpToPlayhead => ("Go to the Cue Under the Playhead", &["F7"]),
        C::ToggleChecked => ("Mark Checked", &["Ctrl+K"]),
        C::NextUnreviewed => ("Next Unreviewed Cue", &["Alt+Shift+PageDown"]),
        C::PreviousUnreviewed => ("Previous Unreviewed Cue", &["Alt+Shift+PageUp"]),
        C::PlayPause => ("Play / Pause", &["Esc", "Ctrl+Space", "MediaPlayPause"]),
        C::SkipBack => ("Skip Back", &["F1"]),
        C::SkipForward => ("Skip Forward", &["F2"]),
        C::Slower => ("Slower", &["F3"]),
        C::Faster => ("Faster", &["F4"]),
        C::PlayCue => ("Play the Cue", &["F5", "Ctrl+Enter"]),
        C::LoopCue => ("Loop the Cue", &["F6"]),
        C::SetStart => ("Set Start from Playhead", &["F11"]),
        C::SetEnd => ("Set End from Playhead", &["F12"]),
        C::StartEarlier => ("Start 100 ms Earlier", &["Shift+F11"]),
        C::StartLater => ("Start 100 ms Later", &["Ctrl+F11"]),
        C::EndEarlier => ("End 100 ms Earlier", &["Shift+F12"]),
        C::EndLater => ("End 100 ms Later", &["Ctrl+F12"]),
        C::InsertAtPlayhead => ("Insert Cue at Playhead", &["F8"]),
        C::SplitAtPlayhead => ("Split at Playhead", &["F9"]),
        C::NextChange => ("Next Change", &["Ctrl+Alt+PageDown"]),
        C::PreviousChange => ("Previous Change", &["Ctrl+Alt+PageUp"]),
        C::Commit => ("Commit…", &[]),
        C::ShowChanges => ("Changes Since the Last Commit", &[]),
        C::CheatSheet => ("Keyboard Shortcuts", &["Ctrl+/"]),
        C::FlagMenu => ("Spelling Suggestions…", &["Ctrl+."]),
        C::NextFlag => ("Next Flag", &["Alt+PageDown"]),
        C::PreviousFlag => ("Previous Flag", &["Alt+PageUp"]),
    }
}

/// The menu accelerator of a chord in the keymap's notation (`Ctrl+Shift+Z` -> `CmdOrCtrl+Shift+Z`);
/// `None` for Esc, which the page handles itself.
pub fn accelerator(chord: &str) -> Option<String> {
    if chord.is_empty() || chord == "Esc" || chord.ends_with("+Esc") {
        return None;
    }
    let parts: Vec<String> = chord
        .split('+')
        .enumerate()
        .map(|(i, p)| match p {
            "Ctrl" => "CmdOrCtrl".to_owned(),
            "," => "Comma".to_owned(),
            "" if i > 0 => "Plus".to_owned(),
            p => p.to_owned(),
        })
        .filter(|p| !p.is_empty())
        .collect();
    Some(parts.join("+"))
}

/// The first key of `id` with the user's `bindings` applied.
fn first_key(id: CommandId, bindings: &BTreeMap<String, Vec<String>>) -> Option<&str> {
    match bindings.get(id.as_str()) {
        Some(keys) => keys
            .iter()
            .map(String::as_str)
            .find(|k| accelerator(k).is_some()),
        None => item(id)
            .1
            .iter()
            .copied()
            .find(|k| accelerator(k).is_some()),
    }
}

fn entry<R: Runtime>(
    app: &AppHandle<R>,
    id: CommandId,
    bindings: &BTreeMap<String, Vec<String>>,
) -> tauri::Result<tauri::menu::MenuItem<R>> {
    let (label, _) = item(id);
    if let Some(accel) = first_key(id, bindings).and_then(accelerator) {
        // A chord the platform cannot take as an accelerator still works in the page.
        match MenuItemBuilder::with_id(id.as_str(), label)
            .accelerator(&accel)
            .build(app)
        {
            Ok(item) => return Ok(item),
            Err(err) => tracing::info!(%accel, error = %err, "no menu accelerator"),
        }
    }
    MenuItemBuilder::with_id(id.as_str(), label).build(app)
}

/// Builds the menu bar with the user's key bindings.
pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    use CommandId as C;
    let bindings = app
        .try_state::<AppState>()
        .map(|s| s.settings().key_bindings)
        .unwrap_or_default();
    let b = &bindings;
    let file = SubmenuBuilder::new(app, "File")
        .item(&entry(app, C::OpenFile, b)?)
        .item(&entry(app, C::OpenFolder, b)?)
        .item(&entry(app, C::AttachAudio, b)?)
        .separator()
        .item(&entry(app, C::Save, b)?)
        .item(&entry(app, C::SaveAs, b)?)
        .separator()
        .item(&entry(app, C::Commit, b)?)
        .separator()
        .item(&entry(app, C::Settings, b)?)
        .separator()
        .item(
            &MenuItemBuilder::with_id(QUIT, "Quit")
                .accelerator("CmdOrCtrl+Q")
                .build(app)?,
        )
        .build()?;
    let edit = SubmenuBuilder::new(app, "Edit")
        .item(&entry(app, C::Undo, b)?)
        .item(&entry(app, C::Redo, b)?)
        .separator()
        .item(&entry(app, C::Find, b)?)
        .item(&entry(app, C::FindNext, b)?)
        .item(&entry(app, C::FindPrevious, b)?)
        .item(&entry(app, C::Replace, b)?)
        .item(&entry(app, C::SearchProject, b)?)
        .item(&entry(app, C::GoToTime, b)?)
        .separator()
        .item(&entry(app, C::InsertCueAfter, b)?)
        .item(&entry(app, C::DeleteCue, b)?)
        .item(&entry(app, C::SplitCue, b)?)
        .item(&entry(app, C::MergeWithNext, b)?)
        .build()?;
    let view = SubmenuBuilder::new(app, "View")
        .item(&entry(app, C::NextCue, b)?)
        .item(&entry(app, C::PreviousCue, b)?)
        .item(&entry(app, C::JumpToPlayhead, b)?)
        .separator()
        .item(&entry(app, C::NextChange, b)?)
        .item(&entry(app, C::PreviousChange, b)?)
        .item(&entry(app, C::ShowChanges, b)?)
        .build()?;
    let review = review_menu(app, b)?;
    let playback = SubmenuBuilder::new(app, "Playback")
        .item(&entry(app, C::PlayPause, b)?)
        .item(&entry(app, C::SkipBack, b)?)
        .item(&entry(app, C::SkipForward, b)?)
        .item(&entry(app, C::Slower, b)?)
        .item(&entry(app, C::Faster, b)?)
        .item(&entry(app, C::PlayCue, b)?)
        .item(&entry(app, C::LoopCue, b)?)
        .separator()
        .item(&entry(app, C::SetStart, b)?)
        .item(&entry(app, C::SetEnd, b)?)
        .item(&entry(app, C::StartEarlier, b)?)
        .item(&entry(app, C::StartLater, b)?)
        .item(&entry(app, C::EndEarlier, b)?)
        .item(&entry(app, C::EndLater, b)?)
        .item(&entry(app, C::InsertAtPlayhead, b)?)
        .item(&entry(app, C::SplitAtPlayhead, b)?)
        .build()?;
    let mut about = about_metadata();
    about.icon = app.default_window_icon().cloned();
    let help = SubmenuBuilder::new(app, "Help")
        .item(&entry(app, C::CheatSheet, b)?)
        .separator()
        .item(&PredefinedMenuItem::about(
            app,
            Some("About Cueline"),
            Some(about),
        )?)
        .build()?;
    MenuBuilder::new(app)
        .items(&[&file, &edit, &view, &review, &playback, &help])
        .build()
}

/// Review: what is left to check (review progress; spelling and sounds-like flags join it).
fn review_menu<R: Runtime>(
    app: &AppHandle<R>,
    b: &BTreeMap<String, Vec<String>>,
) -> tauri::Result<tauri::menu::Submenu<R>> {
    use CommandId as C;
    SubmenuBuilder::new(app, "Review")
        .item(&entry(app, C::ToggleChecked, b)?)
        .item(&entry(app, C::NextUnreviewed, b)?)
        .item(&entry(app, C::PreviousUnreviewed, b)?)
        .separator()
        .item(&entry(app, C::FlagMenu, b)?)
        .item(&entry(app, C::NextFlag, b)?)
        .item(&entry(app, C::PreviousFlag, b)?)
        .build()
}

/// What Help > About Cueline shows (the native about dialog): the release and the git commit
/// it was built from.
fn about_metadata() -> AboutMetadata<'static> {
    AboutMetadata {
        name: Some("Cueline".to_owned()),
        version: Some(crate::launch::VERSION.to_owned()),
        comments: Some(
            "Transcript editor for WebVTT, SRT and Talk Python TXT: never loses a word, \
             touches only what you edit."
                .to_owned(),
        ),
        license: Some(env!("CARGO_PKG_LICENSE").to_owned()),
        ..AboutMetadata::default()
    }
}

/// Rebuilds the menu bar after the key bindings changed.
pub fn rebuild<R: Runtime>(app: &AppHandle<R>) {
    match build(app).and_then(|menu| app.set_menu(menu)) {
        Ok(_) => {}
        Err(err) => tracing::warn!(error = %err, "cannot rebuild the menu"),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The `keys: [...]` of command `id` in the UI's keymap table.
    fn ui_keys(keymap: &str, id: &str) -> Vec<String> {
        let at = keymap
            .find(&format!("id: '{id}'"))
            .unwrap_or_else(|| panic!("{id} is not in keymap.ts"));
        let rest = &keymap[at..];
        let open = rest.find("keys: [").expect("keys") + "keys: [".len();
        let close = open + rest[open..].find("]").expect("]");
        // The quoted strings: every other piece between single quotes.
        rest[open..close]
            .split('\'')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn about_names_the_version_and_the_commit() {
        let about = about_metadata();
        let version = about.version.unwrap_or_default();
        assert!(
            version.starts_with(concat!(env!("CARGO_PKG_VERSION"), " (commit ")),
            "{version}"
        );
        assert!(version.contains(env!("CUELINE_GIT_COMMIT")), "{version}");
        assert_ne!(env!("CUELINE_GIT_COMMIT"), "", "build.rs sets the commit");
    }

    #[test]
    fn default_keys_are_the_ui_keymaps() {
        let keymap = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/keymap.ts"),
        )
        .expect("read keymap.ts");
        for id in CommandId::ALL {
            assert_eq!(
                ui_keys(&keymap, id.as_str()),
                item(id).1,
                "default keys of {}",
                id.as_str()
            );
        }
    }

    #[test]
    fn every_command_has_a_menu_item() {
        let source = include_str!("menu.rs");
        for id in CommandId::ALL {
            let name = format!("{id:?}");
            assert!(
                source.contains(&format!("entry(app, C::{name}, b)")),
                "{name} has no menu item"
            );
        }
    }

    #[test]
    fn chords_become_accelerators_and_esc_stays_with_the_page() {
        assert_eq!(
            accelerator("Ctrl+Shift+Z").as_deref(),
            Some("CmdOrCtrl+Shift+Z")
        );
        assert_eq!(accelerator("F11").as_deref(), Some("F11"));
        assert_eq!(accelerator("Ctrl+,").as_deref(), Some("CmdOrCtrl+Comma"));
        assert_eq!(accelerator("Esc"), None);
        assert_eq!(accelerator("Ctrl+.").as_deref(), Some("CmdOrCtrl+."));
        assert_eq!(accelerator("Alt+PageDown").as_deref(), Some("Alt+PageDown"));
        let none = BTreeMap::new();
        assert_eq!(first_key(CommandId::PlayPause, &none), Some("Ctrl+Space"));
        let mine = BTreeMap::from([("skip-back".to_owned(), vec!["Ctrl+1".to_owned()])]);
        assert_eq!(first_key(CommandId::SkipBack, &mine), Some("Ctrl+1"));
        let unbound = BTreeMap::from([("skip-back".to_owned(), Vec::new())]);
        assert_eq!(first_key(CommandId::SkipBack, &unbound), None);
    }
}
