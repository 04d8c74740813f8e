//! The editor's file logic on real temporary files: open, edit, dirty state, save with a
//! minimal diff, conflicts, the registry, folder scans, recent files and find/replace offsets.

use std::path::Path;

use cueline_transcript::search::Query;
use cueline_transcript::{Edit, Format};
use cueline_transcript_store::{
    DocId, Documents, MAX_FILE_BYTES, MAX_RECENT, OpenDocument, OpenError, RecentFiles, SaveError,
    config_dir, scan_folder,
};

const VTT: &str = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nHello world\n\n2\n00:00:03.000 --> 00:00:04.000\nSecond cue\n\n3\n00:00:05.000 --> 00:00:06.000\nThird cue\n";

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("create the folder");
    }
    std::fs::write(&p, text).expect("write the file");
    p
}

fn set_text(cue: usize, text: &str) -> Edit {
    Edit::SetText {
        cue,
        text: text.into(),
    }
}

fn query(pattern: &str) -> Query {
    Query {
        pattern: pattern.into(),
        ..Query::default()
    }
}

#[test]
fn save_writes_a_minimal_diff() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "ep.vtt", VTT);
    let mut doc = OpenDocument::open(&p).unwrap();
    assert_eq!(doc.format(), Format::Vtt);
    assert_eq!(doc.file_name(), "ep.vtt");
    doc.apply_all(&[set_text(1, "Second line, edited")])
        .unwrap();
    let saved = doc.save().unwrap();
    assert!(saved.written);
    assert!(!doc.is_dirty());

    let after = std::fs::read_to_string(&p).unwrap();
    let before: Vec<&str> = VTT.lines().collect();
    let now: Vec<&str> = after.lines().collect();
    assert_eq!(before.len(), now.len());
    let changed: Vec<usize> = (0..before.len()).filter(|&i| before[i] != now[i]).collect();
    assert_eq!(changed, [8], "only the edited text line differs");
    assert_eq!(now[8], "Second line, edited");
    assert_eq!(after.replace("Second line, edited", "Second cue"), VTT);
}

#[test]
fn save_refuses_when_the_file_changed_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "ep.vtt", VTT);
    let mut doc = OpenDocument::open(&p).unwrap();
    doc.apply_all(&[set_text(0, "Mine")]).unwrap();

    let theirs = VTT.replace("Third cue", "Their edit");
    std::fs::write(&p, &theirs).unwrap();
    let err = doc.save().unwrap_err();
    assert!(matches!(err, SaveError::Conflict { .. }), "{err:?}");
    assert!(err.to_string().contains("nothing was written"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        theirs,
        "nothing written"
    );
    assert!(doc.is_dirty(), "still dirty after a refused save");

    // Deleted on disk: also a conflict, and nothing is recreated.
    std::fs::remove_file(&p).unwrap();
    assert!(matches!(doc.save(), Err(SaveError::Conflict { .. })));
    assert!(!p.exists());
}

#[test]
fn a_second_save_checks_against_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "ep.srt",
        "1\n00:00:01,000 --> 00:00:02,000\nA\n\n",
    );
    let mut doc = OpenDocument::open(&p).unwrap();
    doc.apply_all(&[set_text(0, "B")]).unwrap();
    doc.save().unwrap();
    doc.apply_all(&[set_text(0, "C")]).unwrap();
    doc.save().unwrap();
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        "1\n00:00:01,000 --> 00:00:02,000\nC\n\n"
    );
    // A clean save writes nothing.
    let saved = doc.save().unwrap();
    assert!(!saved.written);
}

#[test]
fn dirty_follows_undo_redo_and_save() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "ep.vtt", VTT);
    let mut doc = OpenDocument::open(&p).unwrap();
    assert!(!doc.is_dirty() && !doc.can_undo() && !doc.can_redo());
    assert_eq!(doc.revision(), 0);

    doc.apply_all(&[set_text(0, "One")]).unwrap();
    assert!(doc.is_dirty());
    assert_eq!(doc.revision(), 1);
    doc.apply_all(&[set_text(0, "Two")]).unwrap();
    assert!(doc.undo());
    assert!(doc.undo());
    assert!(!doc.is_dirty(), "undone back to the loaded state");
    assert!(!doc.undo(), "nothing left to undo");
    assert_eq!(doc.revision(), 4, "no revision for a no-op undo");
    assert!(doc.redo());
    assert!(doc.is_dirty());

    doc.save().unwrap();
    assert!(!doc.is_dirty());
    assert!(doc.redo());
    assert!(doc.is_dirty());
    assert!(doc.undo());
    assert!(!doc.is_dirty(), "back at the saved state");
    assert!(doc.undo());
    assert!(doc.is_dirty(), "before the saved state is dirty too");

    // A refused edit changes nothing, revision included.
    let rev = doc.revision();
    let err = doc
        .apply_all(&[set_text(0, "ok"), set_text(99, "no")])
        .unwrap_err();
    assert_eq!(err.0, 1);
    assert_eq!(doc.revision(), rev);
}

#[test]
fn prepare_write_finish_with_an_edit_in_between() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "ep.vtt", VTT);
    let mut doc = OpenDocument::open(&p).unwrap();
    doc.apply_all(&[set_text(0, "Saved")]).unwrap();
    let plan = doc.prepare_save().unwrap();
    doc.apply_all(&[set_text(0, "Typed during the save")])
        .unwrap();
    let saved = plan.write().unwrap();
    doc.finish_save(saved);
    assert!(doc.is_dirty(), "the edit made during the save is unsaved");
    assert!(std::fs::read_to_string(&p).unwrap().contains("Saved"));
    doc.save().unwrap();
    assert!(!doc.is_dirty());
}

#[test]
fn documents_without_a_file_or_refusing_saves_are_read_only_for_saving() {
    let mut doc = OpenDocument::from_bytes(VTT.as_bytes(), Format::Vtt, "demo.vtt".into());
    assert!(matches!(doc.save(), Err(SaveError::ReadOnly { .. })));

    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "demo.vtt", VTT);
    let mut doc = OpenDocument::open(&p).unwrap();
    doc.refuse_saves("it is the demo");
    doc.apply_all(&[set_text(0, "x")]).unwrap();
    let err = doc.save().unwrap_err();
    assert!(err.to_string().contains("it is the demo"), "{err}");
    assert_eq!(std::fs::read_to_string(&p).unwrap(), VTT);

    // a file that is read-only on disk opens editable and says why it cannot be saved
    use std::os::unix::fs::PermissionsExt;
    let ro = write(dir.path(), "ro.vtt", VTT);
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    let mut doc = OpenDocument::open(&ro).unwrap();
    doc.apply_all(&[set_text(0, "x")]).unwrap();
    let err = doc.save().unwrap_err();
    assert!(matches!(err, SaveError::ReadOnly { .. }), "{err:?}");
    assert!(err.to_string().contains("read-only"), "{err}");
    assert_eq!(std::fs::read_to_string(&ro).unwrap(), VTT);
    // Save As to a writable file works and clears the refusal
    let copy = dir.path().join("copy.vtt");
    doc.save_as(&copy).unwrap();
    assert!(std::fs::read_to_string(&copy).unwrap().contains("\nx\n"));
}

#[test]
fn open_errors() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        OpenDocument::open(&dir.path().join("missing.vtt")),
        Err(OpenError::NotFound { .. })
    ));
    assert!(matches!(
        OpenDocument::open(dir.path()),
        Err(OpenError::IsAFolder { .. })
    ));
    let md = write(dir.path(), "notes.md", "# hi");
    let err = OpenDocument::open(&md).unwrap_err();
    assert!(matches!(err, OpenError::NotATranscript { .. }));
    assert!(err.to_string().contains("notes.md"), "{err}");

    #[cfg(unix)]
    {
        let fifo = dir.path().join("pipe.vtt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let err = OpenDocument::open(&fifo).unwrap_err();
            assert!(matches!(err, OpenError::NotAFile { .. }), "{err:?}");
        }
    }

    let big = dir.path().join("big.vtt");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(MAX_FILE_BYTES + 1).unwrap();
    let err = OpenDocument::open(&big).unwrap_err();
    assert!(matches!(err, OpenError::TooLarge { .. }), "{err:?}");
    assert!(err.to_string().contains("too large"), "{err}");

    // Binary content opens read-only; edits are refused and it is never dirty.
    let bin = dir.path().join("bin.vtt");
    std::fs::write(&bin, [0xff, 0xfe, 0x00, 0xd8, 0x00, 0x00, 0x80, 0x81]).unwrap();
    let mut doc = OpenDocument::open(&bin).unwrap();
    assert!(doc.document().read_only_reason().is_some());
    assert!(doc.apply_all(&[set_text(0, "x")]).is_err());
    assert!(!doc.is_dirty());
}

#[test]
fn the_registry_opens_each_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "ep.vtt", VTT);
    let mut docs = Documents::new();
    let a = docs.insert(OpenDocument::open(&p).unwrap());
    // Same file through another spelling of its path.
    let other = dir.path().join(".").join("ep.vtt");
    assert_eq!(docs.find_path(&other), Some(a));
    docs.get_mut(a)
        .unwrap()
        .apply_all(&[set_text(0, "kept")])
        .unwrap();
    let b = docs.insert(OpenDocument::open(&other).unwrap());
    assert_eq!(a, b, "the open document (with its edits) is kept");
    assert!(docs.any_dirty());
    assert_eq!(docs.len(), 1);

    let q = write(
        dir.path(),
        "two.srt",
        "1\n00:00:01,000 --> 00:00:02,000\nA\n\n",
    );
    let c = docs.insert(OpenDocument::open(&q).unwrap());
    assert_ne!(c, a);
    assert!(docs.remove(a).is_some());
    assert!(!docs.any_dirty());
    assert!(docs.get(a).is_none());
    let d = docs.insert(OpenDocument::open(&p).unwrap());
    assert!(d > c, "ids are not reused: {d:?} after {c:?}");
    assert_eq!(docs.find_path(&dir.path().join("nothing.vtt")), None);
    assert_eq!(docs.get(DocId(999)).map(|_| ()), None);
}

#[test]
fn folders_group_episodes_by_basename() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "b-episode.vtt", VTT);
    write(root, "b-episode.txt", "00:00:01 Hi.\n");
    write(root, "b-episode.srt", "");
    write(root, "a-episode.txt", "");
    write(root, "notes.md", "");
    write(root, "season2/c-episode.vtt", VTT);
    write(root, ".git/d.vtt", VTT);
    write(root, "node_modules/e.vtt", VTT);
    write(root, "season2/.hidden/f.vtt", VTT);

    let folder = scan_folder(root).unwrap();
    assert_eq!(folder.root, std::fs::canonicalize(root).unwrap());
    let names: Vec<&str> = folder.episodes.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["a-episode", "b-episode", "c-episode"]);
    let b = &folder.episodes[1];
    let formats: Vec<Format> = b.files.iter().map(|f| f.format).collect();
    assert_eq!(formats, [Format::Vtt, Format::Srt, Format::Txt]);
    assert!(b.files[0].path.ends_with("b-episode.vtt"));
    assert!(
        folder.episodes[2].files[0]
            .path
            .ends_with("season2/c-episode.vtt")
    );

    assert!(scan_folder(&root.join("missing")).is_err());
    let file = root.join("b-episode.vtt");
    assert!(scan_folder(&file).is_err());
}

#[test]
fn recent_files_persist_most_recent_first() {
    let dir = tempfile::tempdir().unwrap();
    let recent = RecentFiles::at(dir.path().join("cueline/recent.json"));
    assert!(recent.load().is_empty(), "a missing file is an empty list");

    recent.add(Path::new("/a.vtt")).unwrap();
    recent.add(Path::new("/b.vtt")).unwrap();
    let list = recent.add(Path::new("/a.vtt")).unwrap();
    assert_eq!(list, ["/a.vtt", "/b.vtt"]);
    // Read back by a fresh handle (another run of the app).
    assert_eq!(RecentFiles::at(recent.file()).load(), ["/a.vtt", "/b.vtt"]);

    for i in 0..15 {
        recent.add(Path::new(&format!("/f{i}.vtt"))).unwrap();
    }
    let list = recent.load();
    assert_eq!(list.len(), MAX_RECENT);
    assert_eq!(list[0], "/f14.vtt");
    assert_eq!(list[9], "/f5.vtt");

    std::fs::write(recent.file(), "{not json").unwrap();
    assert!(recent.load().is_empty(), "a corrupt file is an empty list");
    assert_eq!(recent.add(Path::new("/z.vtt")).unwrap(), ["/z.vtt"]);
}

#[test]
fn the_config_folder_follows_xdg() {
    assert_eq!(
        config_dir(Some("/x/conf".into()), Some("/home/u".into())),
        Some("/x/conf/cueline".into())
    );
    assert_eq!(
        config_dir(None, Some("/home/u".into())),
        Some("/home/u/.config/cueline".into())
    );
    // A relative XDG_CONFIG_HOME is ignored, as the spec says.
    assert_eq!(
        config_dir(Some("rel".into()), Some("/home/u".into())),
        Some("/home/u/.config/cueline".into())
    );
    assert_eq!(config_dir(None, None), None);
}

#[test]
fn find_reports_utf16_offsets_past_emoji() {
    // 😀 and 🎙 are outside the BMP: two UTF-16 units each, four UTF-8 bytes.
    let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n😀 rust 🎙️ rust\n\n00:00:03.000 --> 00:00:04.000\nno match\n\n00:00:05.000 --> 00:00:06.000\né Rust\n";
    let doc = OpenDocument::from_bytes(vtt.as_bytes(), Format::Vtt, "a.vtt".into());
    let hits: Vec<(usize, usize, usize)> = doc
        .find(&Query {
            ignore_case: true,
            ..query("rust")
        })
        .unwrap()
        .into_iter()
        .map(|h| (h.cue, h.start_utf16, h.end_utf16))
        .collect();
    let js_index = |s: &str, sub: &str, from: usize| {
        let units: Vec<u16> = s.encode_utf16().collect();
        let needle: Vec<u16> = sub.encode_utf16().collect();
        (from..units.len())
            .find(|&i| units[i..].starts_with(&needle))
            .unwrap()
    };
    let text = "😀 rust 🎙️ rust";
    let first = js_index(text, "rust", 0);
    let second = js_index(text, "rust", first + 1);
    assert_eq!(first, 3);
    assert_eq!(
        hits,
        [(0, first, first + 4), (0, second, second + 4), (2, 2, 6)]
    );

    assert!(
        doc.find(&query("")).unwrap().is_empty(),
        "empty pattern finds nothing"
    );
    assert!(
        doc.find(&Query {
            regex: true,
            ..query("(")
        })
        .is_err()
    );
}

#[test]
fn replace_one_hit_by_utf16_offset_or_all_as_one_step() {
    let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n😀 rough and rough\n\n00:00:03.000 --> 00:00:04.000\nrough again\n";
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "r.vtt", vtt);
    let mut doc = OpenDocument::open(&p).unwrap();

    // The second hit of cue 0 starts at UTF-16 offset 13 (emoji = 2 units).
    let n = doc.replace(&query("rough"), "ruff", Some((0, 13))).unwrap();
    assert_eq!(n, 1);
    assert_eq!(doc.document().cue(0).unwrap().text, "😀 rough and ruff");
    assert!(
        doc.replace(&query("rough"), "ruff", Some((0, 4))).is_err(),
        "no hit there"
    );

    let rev = doc.revision();
    let n = doc.replace(&query("rough"), "ruff", None).unwrap();
    assert_eq!(n, 2);
    assert_eq!(doc.revision(), rev + 1, "replace all is one step");
    assert_eq!(doc.document().cue(1).unwrap().text, "ruff again");
    assert!(doc.undo());
    assert_eq!(doc.document().cue(1).unwrap().text, "rough again");
    assert_eq!(doc.document().cue(0).unwrap().text, "😀 rough and ruff");

    // Regex groups expand in a single replacement too.
    let re = Query {
        regex: true,
        ..query(r"(r)ough")
    };
    doc.replace(&re, "${1}uff!", Some((1, 0))).unwrap();
    assert_eq!(doc.document().cue(1).unwrap().text, "ruff! again");
}
