//! Intent records (issue 12, items 2 and 3): a recorded multi-file write is all-or-nothing
//! across a failed rename (put back in process) and across a crash (settled by the next run),
//! and leaves no temporary file behind. The kill -9 runs are in `crates/cli/tests/killed.rs`;
//! here, faults are injected at every step and dead writers' records are settled.

#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use cueline_transcript_store::atomic::testing::{FailStep, fail_next_intent, fail_next_write};
use cueline_transcript_store::intent::{IntentFile, IntentRecord, Phase};
use cueline_transcript_store::{Outcome, StagedWrites, WriteError, settle};

fn files(dir: &Path, n: usize) -> Vec<PathBuf> {
    (0..n)
        .map(|i| {
            let p = dir.join(format!("f{i}.vtt"));
            fs::write(&p, format!("old {i}")).unwrap();
            p
        })
        .collect()
}

fn contents(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|p| fs::read_to_string(p).unwrap())
        .collect()
}

/// Every name in `dir` (recursively) that is not one of the targets.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).min_depth(1) {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if !(name.starts_with('f') && name.ends_with(".vtt")) {
            out.push(e.path().display().to_string());
        }
    }
    out
}

fn hash(b: &[u8]) -> String {
    blake3::hash(b).to_hex().to_string()
}

#[test]
fn a_recorded_batch_replaces_all_and_leaves_no_record() {
    let work = tempfile::tempdir().unwrap();
    let intents = tempfile::tempdir().unwrap();
    let paths = files(work.path(), 5);
    let mut batch = StagedWrites::recorded(Some(intents.path().to_path_buf()));
    batch
        .stage_all(paths.iter().map(|p| (p, b"new".as_slice())))
        .unwrap();
    // the record names every temporary file before the renames
    let records: Vec<_> = fs::read_dir(intents.path()).unwrap().flatten().collect();
    assert!(
        records
            .iter()
            .any(|e| e.file_name().to_string_lossy().ends_with(".json"))
    );
    batch.commit().unwrap();
    assert_eq!(contents(&paths), vec!["new"; 5]);
    assert!(leftovers(work.path()).is_empty());
    assert_eq!(fs::read_dir(intents.path()).unwrap().count(), 0);
}

#[test]
fn a_failed_rename_puts_back_every_file_already_replaced() {
    for failing in 0..5 {
        let work = tempfile::tempdir().unwrap();
        let intents = tempfile::tempdir().unwrap();
        let paths = files(work.path(), 5);
        let before = contents(&paths);
        let mut batch = StagedWrites::recorded(Some(intents.path().to_path_buf()));
        batch
            .stage_all(paths.iter().map(|p| (p, b"new".as_slice())))
            .unwrap();
        fail_next_write(&paths[failing], FailStep::Rename);
        match batch.commit().unwrap_err() {
            WriteError::Rename { replaced, .. } => assert!(replaced.is_empty(), "{replaced:?}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(contents(&paths), before, "rename {failing} failed");
        assert!(
            leftovers(work.path()).is_empty(),
            "{:?}",
            leftovers(work.path())
        );
        assert_eq!(fs::read_dir(intents.path()).unwrap().count(), 0);
    }
    cueline_transcript_store::atomic::testing::figure(
        "faults injected into a 5-file batch (each rename): 5, every file put back",
    );
}

#[test]
fn every_other_failing_step_changes_nothing() {
    for step in [FailStep::CreateTemp, FailStep::Write, FailStep::Sync] {
        let work = tempfile::tempdir().unwrap();
        let intents = tempfile::tempdir().unwrap();
        let paths = files(work.path(), 4);
        let before = contents(&paths);
        fail_next_write(&paths[2], step);
        let mut batch = StagedWrites::recorded(Some(intents.path().to_path_buf()));
        assert!(
            batch
                .stage_all(paths.iter().map(|p| (p, b"new".as_slice())))
                .is_err()
        );
        drop(batch);
        assert_eq!(contents(&paths), before, "{step:?}");
        assert!(leftovers(work.path()).is_empty(), "{step:?}");
        assert_eq!(fs::read_dir(intents.path()).unwrap().count(), 0, "{step:?}");
    }
    // the record itself cannot be written: before the first temp file (staging), and before
    // the first rename (commit)
    for at_commit in [false, true] {
        let work = tempfile::tempdir().unwrap();
        let intents = tempfile::tempdir().unwrap();
        let paths = files(work.path(), 3);
        let before = contents(&paths);
        let mut batch = StagedWrites::recorded(Some(intents.path().to_path_buf()));
        if !at_commit {
            fail_next_intent(intents.path());
            let err = batch
                .stage_all(paths.iter().map(|p| (p, b"new".as_slice())))
                .unwrap_err();
            assert!(matches!(err, WriteError::Intent { .. }), "{err}");
        } else {
            batch
                .stage_all(paths.iter().map(|p| (p, b"new".as_slice())))
                .unwrap();
            fail_next_intent(intents.path());
            let err = batch.commit().unwrap_err();
            assert!(matches!(err, WriteError::Intent { .. }), "{err}");
        }
        assert_eq!(contents(&paths), before);
        assert!(leftovers(work.path()).is_empty());
        assert_eq!(fs::read_dir(intents.path()).unwrap().count(), 0);
    }
    cueline_transcript_store::atomic::testing::figure(
        "faults injected into a batch (temp file, write, fsync, the intent record twice): 5, nothing changed",
    );
}

/// A dead writer's record as a crash leaves it: `renamed` of the files already replaced.
fn crashed(work: &Path, intents: &Path, n: usize, renamed: usize, phase: Phase) -> Vec<PathBuf> {
    let paths = files(work, n);
    let backups = intents.join("7-1.backup");
    fs::create_dir_all(&backups).unwrap();
    let mut record = IntentRecord {
        pid: 7,
        phase,
        files: Vec::new(),
    };
    for (i, p) in paths.iter().enumerate() {
        let temp = work.join(format!(".f{i}.vtt.7-1-{i}.tmp"));
        let old = fs::read(p).unwrap();
        let backup = backups.join(i.to_string());
        fs::write(&backup, &old).unwrap();
        let new = format!("new {i}");
        if i < renamed {
            fs::write(p, &new).unwrap();
        } else {
            fs::write(&temp, &new).unwrap();
        }
        record.files.push(IntentFile {
            target: p.clone(),
            temp,
            before: Some(hash(&old)),
            after: Some(hash(new.as_bytes())),
            backup: Some(backup),
        });
    }
    fs::write(
        intents.join("7-1.json"),
        serde_json::to_vec(&record).unwrap(),
    )
    .unwrap();
    fs::write(intents.join("7-1.lock"), b"").unwrap();
    paths
}

#[test]
fn a_dead_writer_half_way_through_its_renames_is_completed() {
    let work = tempfile::tempdir().unwrap();
    let intents = tempfile::tempdir().unwrap();
    let paths = crashed(work.path(), intents.path(), 6, 2, Phase::Renaming);
    let settled = settle(intents.path());
    assert_eq!(settled.len(), 1);
    assert_eq!(settled[0].outcome, Outcome::RolledForward);
    assert!(
        settled[0].to_string().contains("was completed"),
        "{}",
        settled[0]
    );
    let want: Vec<String> = (0..6).map(|i| format!("new {i}")).collect();
    assert_eq!(contents(&paths), want);
    assert!(leftovers(work.path()).is_empty());
    assert_eq!(fs::read_dir(intents.path()).unwrap().count(), 0);
}

#[test]
fn a_target_changed_since_rolls_the_whole_write_back() {
    let work = tempfile::tempdir().unwrap();
    let intents = tempfile::tempdir().unwrap();
    let paths = crashed(work.path(), intents.path(), 6, 2, Phase::Renaming);
    // someone saved f4 after the crash: completing would overwrite it
    fs::write(&paths[4], "saved by someone else").unwrap();
    let settled = settle(intents.path());
    match &settled[0].outcome {
        Outcome::RolledBack(why) => assert!(why.contains("f4.vtt changed since"), "{why}"),
        other => panic!("{other:?}"),
    }
    let mut want: Vec<String> = (0..6).map(|i| format!("old {i}")).collect();
    want[4] = "saved by someone else".into();
    assert_eq!(contents(&paths), want);
    assert!(leftovers(work.path()).is_empty());
    assert_eq!(fs::read_dir(intents.path()).unwrap().count(), 0);
}

#[test]
fn a_dead_writer_still_staging_only_loses_its_temporary_files() {
    let work = tempfile::tempdir().unwrap();
    let intents = tempfile::tempdir().unwrap();
    let paths = crashed(work.path(), intents.path(), 4, 0, Phase::Staging);
    let settled = settle(intents.path());
    assert_eq!(settled[0].outcome, Outcome::Cleaned);
    let want: Vec<String> = (0..4).map(|i| format!("old {i}")).collect();
    assert_eq!(contents(&paths), want);
    assert!(leftovers(work.path()).is_empty());
}

#[test]
fn a_live_writers_record_and_temporary_files_are_left_alone() {
    let work = tempfile::tempdir().unwrap();
    let intents = tempfile::tempdir().unwrap();
    let paths = files(work.path(), 3);
    let mut batch = StagedWrites::recorded(Some(intents.path().to_path_buf()));
    batch
        .stage_all(paths.iter().map(|p| (p, b"new".as_slice())))
        .unwrap();
    let temps = leftovers(work.path());
    assert_eq!(temps.len(), 3);
    assert!(settle(intents.path()).is_empty());
    assert_eq!(leftovers(work.path()), temps);
    batch.commit().unwrap();
    assert_eq!(contents(&paths), vec!["new"; 3]);
}
