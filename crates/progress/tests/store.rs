//! The progress store on real files: marks saved (debounced and on drop), read back after a
//! "relaunch", and kept through outside changes of the transcript.

use std::path::Path;
use std::time::{Duration, Instant};

use cueline_progress::{Mark, ProgressStore, Sample, cues_of, progress_path};
use cueline_transcript::{Document, Edit, Format, Session};

const VTT: &str = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nFirst cue.\n\n00:00:02.000 --> 00:00:03.500\nYeah.\n\n00:00:03.500 --> 00:00:05.000\nThird cue.\n\n00:00:05.000 --> 00:00:06.000\nYeah.\n\n00:00:06.000 --> 00:00:07.000\nLast cue.\n";

fn parse(text: &str) -> Document {
    Document::parse(text.as_bytes(), Format::Vtt)
}

fn sync(store: &ProgressStore, key: &Path, rev: u64, doc: &Document) -> Vec<Mark> {
    store.sync(key, true, rev, || cues_of(doc)).marks
}

use Mark::{Checked as C, Listened as L, Unreviewed as U};

#[test]
fn marks_survive_a_relaunch_and_an_outside_change() {
    let dir = tempfile::tempdir().unwrap();
    let review = dir.path().join("data/cueline/review");
    let t = dir.path().join("ep.vtt");
    std::fs::write(&t, VTT).unwrap();
    {
        let store = ProgressStore::new(Some(review.clone()), Duration::from_secs(60));
        let doc = parse(VTT);
        assert_eq!(sync(&store, &t, 0, &doc), vec![U; 5]);
        store.toggle_checked(&t, 0).unwrap();
        store.toggle_checked(&t, 2).unwrap();
        store.toggle_checked(&t, 3).unwrap();
        let snap = store.toggle_checked(&t, 4).unwrap();
        assert_eq!(snap.marks, vec![C, U, C, C, C]);
        assert_eq!(snap.counts.checked, 4);
        // Checked again: listened (it was heard and read, just not confirmed).
        assert_eq!(store.toggle_checked(&t, 4).unwrap().marks[4], L);
        assert!(store.toggle_checked(&t, 99).is_none());
    } // dropped: written although the delay has not passed
    assert!(progress_path(&review, &t).is_file());
    // Outside the transcript: the folder holds only the progress file.
    let names: Vec<_> = std::fs::read_dir(&review)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    // A git pull: a cue inserted before them all, the third retimed, the last edited.
    let pulled = VTT
        .replace(
            "WEBVTT\n\n",
            "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nNew intro.\n\n",
        )
        .replace(
            "00:00:03.500 --> 00:00:05.000",
            "00:00:03.600 --> 00:00:05.100",
        )
        .replace("Last cue.", "Last cue, fixed.");
    std::fs::write(&t, &pulled).unwrap();
    let store = ProgressStore::new(Some(review.clone()), Duration::from_secs(60));
    assert_eq!(
        store.summary(&t).map(|c| (c.checked, c.listened, c.total)),
        Some((3, 0, 6)),
        "the sidebar's numbers are the re-keyed marks"
    );
    let doc = parse(&pulled);
    assert_eq!(sync(&store, &t, 0, &doc), vec![U, C, U, C, C, U]);
}

#[test]
fn edits_in_the_session_follow_the_cue_and_turn_checked_into_listened() {
    let store = ProgressStore::new(None, Duration::from_secs(60));
    let t = Path::new("/nowhere/ep.vtt");
    let mut session = Session::new(parse(VTT));
    sync(&store, t, 0, session.document());
    store.toggle_checked(t, 0);
    store.toggle_checked(t, 1);
    store.toggle_checked(t, 2);
    session
        .apply(&Edit::SetText {
            cue: 1,
            text: "Yeah, right.".into(),
        })
        .unwrap();
    // Cue 1 was edited (listened now), a cue is inserted before cue 0: the rest keep theirs.
    session
        .apply(&Edit::Insert {
            at: 0,
            start_ms: 0,
            end_ms: Some(900),
            text: "Hello.".into(),
        })
        .unwrap();
    assert_eq!(
        sync(&store, t, 2, session.document()),
        vec![U, C, L, C, U, U]
    );
    // Undo of the insert: ids come back, marks stay.
    session.undo();
    assert_eq!(sync(&store, t, 3, session.document()), vec![C, L, C, U, U]);
    // A reload from disk (the watcher's path): the edited text came from outside this time,
    // so that cue is unreviewed; a retimed cue and the cues after an insert keep their marks.
    let outside = VTT
        .replace(
            "WEBVTT\n\n",
            "WEBVTT\n\n00:00:00.000 --> 00:00:00.900\nOutside.\n\n",
        )
        .replace(
            "00:00:03.500 --> 00:00:05.000",
            "00:00:03.400 --> 00:00:05.000",
        )
        .replace("First cue.", "First cue, fixed.");
    session.reload(parse(&outside));
    assert_eq!(
        sync(&store, t, 4, session.document()),
        vec![U, U, U, C, U, U]
    );
}

#[test]
fn playing_a_cue_through_marks_it_listened_and_seeking_into_one_does_not() {
    let store = ProgressStore::new(None, Duration::from_secs(60));
    let t = Path::new("/nowhere/ep.vtt");
    sync(&store, t, 0, &parse(VTT));
    store.toggle_checked(t, 1);
    store.set_listening(Some(t.to_owned()));
    let s = |pos: u64, epoch: u64| Sample {
        playing: true,
        position_ms: pos,
        speed: 1.0,
        epoch,
    };
    // From the start of cue 0 to the middle of cue 2.
    let mut last = None;
    for pos in (1000..=4000).step_by(50) {
        if let Some(changed) = store.observe(s(pos, 1), None) {
            last = Some(changed);
        }
    }
    let (key, snap) = last.unwrap();
    assert_eq!(key, t);
    assert_eq!(snap.marks, vec![L, C, U, U, U], "checked stays checked");
    // A seek into cue 3, played past its end: it is not listened; cue 4, played from its
    // start to its end in the same run, is.
    for pos in (5500..=6050).step_by(50) {
        assert!(store.observe(s(pos, 2), None).is_none(), "at {pos}");
    }
    let mut last = None;
    for pos in (6100..=7000).step_by(50) {
        if let Some(changed) = store.observe(s(pos, 2), None) {
            last = Some(changed);
        }
    }
    assert_eq!(last.unwrap().1.marks, vec![L, C, U, U, L]);
    // Another transcript's audio: reports do not reach this one.
    store.set_listening(None);
    assert!(store.observe(s(0, 3), None).is_none());
}

#[test]
fn changes_are_written_after_the_quiet_delay() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("ep.vtt");
    let store = ProgressStore::new(Some(dir.path().to_owned()), Duration::from_millis(50));
    sync(&store, &t, 0, &parse(VTT));
    assert!(
        !progress_path(dir.path(), &t).exists(),
        "nothing to write yet"
    );
    store.toggle_checked(&t, 2);
    let file = progress_path(dir.path(), &t);
    let until = Instant::now() + Duration::from_secs(10);
    while !file.exists() {
        assert!(Instant::now() < until, "never written");
        std::thread::sleep(Duration::from_millis(10));
    }
    let read = cueline_progress::book::read(dir.path(), &t).unwrap();
    assert_eq!(read.counts.checked, 1);
    assert_eq!(read.marks.len(), 1);
    assert_eq!(read.marks[0].index, 2);
}

#[test]
fn a_txt_entry_is_listened_once_played_to_where_the_next_begins() {
    let txt = "00:00:01 First entry.\n\n00:00:04 Second entry.\n\n00:00:09 Last entry.\n";
    let doc = Document::parse(txt.as_bytes(), Format::Txt);
    let store = ProgressStore::new(None, Duration::from_secs(60));
    let t = Path::new("/nowhere/ep.txt");
    store.sync(t, true, 0, || cues_of(&doc));
    store.set_listening(Some(t.to_owned()));
    let s = |pos: u64| Sample {
        playing: true,
        position_ms: pos,
        speed: 1.0,
        epoch: 1,
    };
    for pos in (1000..=3800).step_by(50) {
        assert!(
            store.observe(s(pos), Some(12_000)).is_none(),
            "at {pos}: not yet at 4 s"
        );
    }
    let (_, snap) = store.observe(s(3950), Some(12_000)).unwrap();
    assert_eq!(snap.marks, vec![L, U, U]);
    // The last entry ends with the audio.
    for pos in (4000..=11_850).step_by(50) {
        store.observe(s(pos), Some(12_000));
    }
    assert_eq!(store.snapshot(t).unwrap().marks, vec![L, L, U]);
    let (_, snap) = store.observe(s(12_000), Some(12_000)).unwrap();
    assert_eq!(snap.marks, vec![L, L, L]);
}

#[test]
fn a_replaced_document_is_re_keyed_by_text_and_its_new_ids_are_followed() {
    let store = ProgressStore::new(None, Duration::from_secs(60));
    let t = Path::new("/nowhere/ep.vtt");
    let first = parse(VTT);
    sync(&store, t, 0, &first);
    store.toggle_checked(t, 1);
    store.toggle_checked(t, 4);
    // Another document (a restored crash journal): its ids start again and name other cues
    // (here a cue at the top, so id 1 is "First cue." there, not "Yeah.").
    let recovered = VTT.replace(
        "WEBVTT\n\n",
        "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nRecovered.\n\n",
    );
    let mut other = Session::new(parse(&recovered));
    store.forget_ids(t);
    assert_eq!(
        sync(&store, t, 100, other.document()),
        vec![U, U, C, U, U, C]
    );
    // From now on its own ids are followed: an edit turns checked into listened.
    other
        .apply(&Edit::SetText {
            cue: 5,
            text: "Last cue!".into(),
        })
        .unwrap();
    assert_eq!(
        sync(&store, t, 101, other.document()),
        vec![U, U, C, U, U, L]
    );
}
