//! The safety net with real files, a real watcher and real process kills.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cueline_transcript::{Document, Edit, Format, Session};
use cueline_transcript_store::atomic::testing::{FailStep, fail_next_write};
use cueline_transcript_store::journal::{Entry, JournalContents, journal_files};
use cueline_transcript_store::{
    AutosavePolicy, LiveConfig, LiveDocument, OpenDocument, OpenError, Recovery, SaveStatus,
    StoreEvent, journal_for, recover, write_atomic,
};

fn vtt(n: usize, tag: &str) -> Vec<u8> {
    let mut s = String::from("WEBVTT\n\n");
    for i in 0..n {
        s.push_str(&format!(
            "00:{:02}:{:02}.000 --> 00:{:02}:{:02}.900\n{tag} line {i}\n\n",
            i / 60,
            i % 60,
            i / 60,
            i % 60
        ));
    }
    s.into_bytes()
}

/// The one journal of `path` in `dir` (a test has one writer at a time).
fn the_journal(dir: &Path, path: &Path) -> PathBuf {
    let files = journal_files(dir, path);
    assert_eq!(files.len(), 1, "one journal expected: {files:?}");
    files[0].clone()
}

fn config(dir: &Path, autosave: AutosavePolicy, watch: Option<Duration>) -> LiveConfig {
    LiveConfig {
        autosave,
        journal_dir: Some(dir.join("journal")),
        watch,
    }
}

fn manual() -> AutosavePolicy {
    AutosavePolicy {
        enabled: false,
        ..AutosavePolicy::default()
    }
}

fn set_text(cue: usize, text: &str) -> Edit {
    Edit::SetText {
        cue,
        text: text.into(),
    }
}

fn setup(n: usize) -> (tempfile::TempDir, PathBuf, Vec<u8>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("t.vtt");
    let bytes = vtt(n, "orig");
    fs::write(&path, &bytes).expect("write");
    let path = fs::canonicalize(&path).expect("canonical");
    (dir, path, bytes)
}

fn wait_for(live: &LiveDocument, what: impl Fn(&StoreEvent) -> bool, limit: Duration) -> bool {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if let Some(e) = live.next_event(Duration::from_millis(20))
            && what(&e)
        {
            return true;
        }
    }
    false
}

#[test]
fn autosave_in_real_time_reaches_saved() {
    let (dir, path, _) = setup(5);
    let policy = AutosavePolicy {
        enabled: true,
        idle: Duration::from_millis(100),
        max_delay: Duration::from_secs(1),
    };
    let live = LiveDocument::open(&path, config(dir.path(), policy, None)).expect("open");
    live.apply_all(&[set_text(1, "changed")]).expect("edit");
    assert_eq!(live.status(), SaveStatus::Unsaved);
    let journal = the_journal(&dir.path().join("journal"), &path);
    assert!(journal.exists(), "journal written with the edit");
    assert!(wait_for(
        &live,
        |e| matches!(e, StoreEvent::Saved { .. }),
        Duration::from_secs(2)
    ));
    assert_eq!(live.status(), SaveStatus::Saved);
    assert_eq!(
        fs::read(&path).expect("read"),
        live.read(|d| d.document().print())
    );
    assert!(!journal.exists(), "journal removed after the save");
}

#[test]
fn journal_replays_edits_undo_and_redo_and_ignores_a_torn_tail() {
    let (dir, path, orig) = setup(6);
    let live = LiveDocument::open(&path, config(dir.path(), manual(), None)).expect("open");
    live.apply_all(&[set_text(0, "a")]).expect("edit");
    live.apply_all(&[set_text(1, "b"), set_text(2, "c")])
        .expect("edit");
    assert!(live.undo());
    live.apply_all(&[set_text(3, "d")]).expect("edit");
    assert!(live.undo());
    assert!(live.redo());
    let expected = live.read(|d| d.document().print());
    drop(live);
    assert_eq!(fs::read(&path).expect("read"), orig, "nothing saved");
    let file = the_journal(&dir.path().join("journal"), &path);
    let j = JournalContents::read(&file).expect("journal");
    assert!(!j.torn);
    assert_eq!(j.replay().document().print(), expected);
    // a torn last record (kill -9 mid-append) is detected and ignored
    let mut f = fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .expect("open");
    f.write_all(&[200, 0, 0, 0, 1, 2, 3, 4, 3, b'{'])
        .expect("append");
    drop(f);
    let j = JournalContents::read(&file).expect("journal");
    assert!(j.torn);
    assert_eq!(j.replay().document().print(), expected);
    match recover(&j).expect("recover") {
        Recovery::Restored { doc, .. } => {
            assert_eq!(doc.document().print(), expected);
            assert!(doc.is_dirty());
            assert!(doc.can_undo(), "undo history comes back with the edits");
        }
        other => panic!("expected Restored, got {other:?}"),
    }
}

#[test]
fn undo_past_a_save_is_journaled_as_a_snapshot() {
    let (dir, path, orig) = setup(4);
    let live = LiveDocument::open(&path, config(dir.path(), manual(), None)).expect("open");
    live.apply_all(&[set_text(0, "a")]).expect("edit");
    live.save_now().expect("save");
    assert!(live.undo());
    assert_eq!(live.read(|d| d.document().print()), orig);
    let j =
        JournalContents::read(&the_journal(&dir.path().join("journal"), &path)).expect("journal");
    assert!(j.entries.iter().any(|e| matches!(e, Entry::Snapshot(_))));
    assert_eq!(j.replay().document().print(), orig);
}

#[test]
fn recovery_of_a_changed_file_gives_both_versions() {
    let (dir, path, _) = setup(4);
    let live = LiveDocument::open(&path, config(dir.path(), manual(), None)).expect("open");
    live.apply_all(&[set_text(0, "mine")]).expect("edit");
    let mine = live.read(|d| d.document().print());
    drop(live);
    let theirs = vtt(4, "theirs");
    fs::write(&path, &theirs).expect("write");
    let j = journal_for(&dir.path().join("journal"), &path).expect("journal");
    match recover(&j).expect("recover") {
        Recovery::Diverged {
            theirs: Some(t),
            mine: m,
            ..
        } => {
            assert_eq!(t, theirs);
            assert_eq!(m, mine);
        }
        other => panic!("expected Diverged, got {other:?}"),
    }
}

#[test]
fn external_changes_reload_when_clean_conflict_when_dirty_and_report_deletion() {
    let (dir, path, _) = setup(8);
    let live = LiveDocument::open(
        &path,
        config(dir.path(), manual(), Some(Duration::from_millis(50))),
    )
    .expect("open");
    assert!(live.is_watching());
    let ids: Vec<_> = live.read(|d| d.document().cues().map(|c| c.id).collect());
    // rename-replace by another program, one cue changed
    let mut other = Session::new(Document::parse(&vtt(8, "orig"), Format::Vtt));
    other.apply(&set_text(3, "theirs")).expect("edit");
    let theirs = other.document().print();
    let tmp = dir.path().join("t.vtt.tmp");
    fs::write(&tmp, &theirs).expect("write");
    fs::rename(&tmp, &path).expect("rename");
    assert!(wait_for(
        &live,
        |e| matches!(
            e,
            StoreEvent::Reloaded {
                changed: 1,
                added: 0,
                removed: 0,
                ..
            }
        ),
        Duration::from_secs(3)
    ));
    assert_eq!(live.read(|d| d.document().print()), theirs);
    let after: Vec<_> = live.read(|d| d.document().cues().map(|c| c.id).collect());
    assert_eq!(after[0], ids[0], "unchanged cues keep their ids");
    assert!(
        live.read(OpenDocument::can_undo),
        "the reload is an undo step"
    );
    // our own save is recognised by its hash: no reload, no conflict
    live.apply_all(&[set_text(0, "ours")]).expect("edit");
    live.save_now().expect("save");
    assert!(!wait_for(
        &live,
        |e| matches!(e, StoreEvent::Reloaded { .. } | StoreEvent::Conflict { .. }),
        Duration::from_millis(400)
    ));
    // dirty + in-place rewrite (sed -i style) -> conflict, nothing written
    live.apply_all(&[set_text(1, "unsaved")]).expect("edit");
    let sed = vtt(8, "sed");
    fs::write(&path, &sed).expect("write");
    assert!(wait_for(
        &live,
        |e| matches!(e, StoreEvent::Conflict { .. }),
        Duration::from_secs(3)
    ));
    assert_eq!(live.status(), SaveStatus::Conflict);
    live.set_autosave(AutosavePolicy {
        enabled: true,
        idle: Duration::from_millis(10),
        max_delay: Duration::from_millis(20),
    });
    std::thread::sleep(Duration::from_millis(150));
    assert_eq!(
        fs::read(&path).expect("read"),
        sed,
        "conflict: nothing overwritten"
    );
    // keep mine overwrites deliberately
    live.keep_mine().expect("keep mine");
    assert_eq!(
        fs::read(&path).expect("read"),
        live.read(|d| d.document().print())
    );
    // deleted: reported, document kept
    fs::remove_file(&path).expect("remove");
    assert!(wait_for(
        &live,
        |e| *e == StoreEvent::Deleted,
        Duration::from_secs(3)
    ));
    assert!(live.read(|d| d.document().cue_count()) == 8);
}

#[test]
fn reload_theirs_resolves_a_conflict() {
    let (dir, path, _) = setup(3);
    let live = LiveDocument::open(&path, config(dir.path(), manual(), None)).expect("open");
    live.apply_all(&[set_text(0, "mine")]).expect("edit");
    let theirs = vtt(3, "theirs");
    fs::write(&path, &theirs).expect("write");
    live.check_disk();
    assert_eq!(live.status(), SaveStatus::Conflict);
    live.reload_theirs().expect("reload");
    assert_eq!(live.status(), SaveStatus::Saved);
    assert_eq!(live.read(|d| d.document().print()), theirs);
    assert!(journal_for(&dir.path().join("journal"), &path).is_none());
}

#[test]
fn a_failure_at_each_step_of_the_write_keeps_the_file_and_the_edits() {
    for step in [
        FailStep::CreateTemp,
        FailStep::Write,
        FailStep::Sync,
        FailStep::Rename,
    ] {
        let (dir, path, orig) = setup(5);
        let live = LiveDocument::open(&path, config(dir.path(), manual(), None)).expect("open");
        live.apply_all(&[set_text(2, "kept")]).expect("edit");
        fail_next_write(&path, step);
        let err = live.save_now().expect_err("the write fails");
        assert!(err.to_string().contains("No space left"), "{step:?}: {err}");
        assert_eq!(
            fs::read(&path).expect("read"),
            orig,
            "{step:?}: file intact"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .expect("dir")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{step:?}: no temporary file left");
        assert_eq!(live.status(), SaveStatus::Unsaved);
        let mine = live.read(|d| d.document().print());
        let j = JournalContents::read(&the_journal(&dir.path().join("journal"), &path))
            .expect("journal");
        assert_eq!(
            j.replay().document().print(),
            mine,
            "{step:?}: edits in the journal"
        );
        live.save_now().expect("the next save works");
        assert_eq!(fs::read(&path).expect("read"), mine);
    }
    cueline_transcript_store::atomic::testing::figure(
        "faults injected into a save (temp file, write, fsync, rename): 4, each refused with the file and the edits kept",
    );
}

#[test]
fn disk_full_keeps_the_file_and_the_edits() {
    use cueline_transcript_store::atomic::testing::{Rerun, rerun};
    // A full disk, made real on any machine: files limited to 64 KiB in a re-run of this test,
    // so the save's temporary file hits the limit mid-write (EFBIG, as ENOSPC would stop it).
    if rerun(
        "disk_full_keeps_the_file_and_the_edits",
        Rerun::FileSizeKib(64),
        &[],
    ) {
        return;
    }
    let (dir, path, orig) = setup(400); // about 20 KB
    assert!(orig.len() < 32 * 1024);
    let live = LiveDocument::open(&path, config(dir.path(), manual(), None)).expect("open");
    let long = "a long line of text ".repeat(3000); // 60 KB
    live.apply_all(&[set_text(0, &long)])
        .expect("the edit is kept in memory");
    let err = live.save_now().expect_err("the file would be 80 KB");
    assert!(err.to_string().contains("too large"), "{err}");
    assert_eq!(
        fs::read(&path).expect("read"),
        orig,
        "the file is as it was"
    );
    assert_eq!(live.status(), SaveStatus::Unsaved);
    assert_eq!(
        live.read(|d| d.document().cue(0).map(|c| c.text)),
        Some(long)
    );
    let left: Vec<_> = fs::read_dir(path.parent().expect("parent"))
        .expect("list")
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n != "t.vtt" && n != "journal")
        .collect();
    assert!(left.is_empty(), "temporary files left behind: {left:?}");
}

#[test]
fn folder_deleted_and_file_replaced_by_a_directory() {
    let (dir, path, _) = setup(3);
    let live = LiveDocument::open(&path, config(dir.path(), manual(), None)).expect("open");
    live.apply_all(&[set_text(0, "mine")]).expect("edit");
    fs::remove_file(&path).expect("rm");
    fs::create_dir(&path).expect("mkdir");
    live.check_disk();
    assert!(live.drain_events().contains(&StoreEvent::Deleted));
    assert!(live.save_now().is_err());
    assert!(path.is_dir(), "the directory is left alone");
    let j =
        JournalContents::read(&the_journal(&dir.path().join("journal"), &path)).expect("journal");
    assert_eq!(
        j.replay().document().print(),
        live.read(|d| d.document().print())
    );

    // the whole folder deleted
    let dir2 = tempfile::tempdir().expect("tempdir");
    let sub = dir2.path().join("sub");
    fs::create_dir(&sub).expect("mkdir");
    fs::write(sub.join("t.vtt"), vtt(3, "orig")).expect("write");
    let live2 =
        LiveDocument::open(&sub.join("t.vtt"), config(dir2.path(), manual(), None)).expect("open");
    live2.apply_all(&[set_text(0, "mine")]).expect("edit");
    fs::remove_dir_all(&sub).expect("rm -r");
    live2.check_disk();
    assert!(live2.drain_events().contains(&StoreEvent::Deleted));
    assert!(live2.save_now().is_err());
    assert_eq!(
        live2.read(|d| d.document().cue(0).map(|c| c.text)),
        Some("mine".into())
    );
    assert!(fs::read_dir(dir2.path().join("journal")).is_ok_and(|mut d| d.next().is_some()));
}

#[test]
fn huge_and_binary_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let huge = dir.path().join("huge.vtt");
    let f = fs::File::create(&huge).expect("create");
    f.set_len(51 * 1024 * 1024).expect("sparse file");
    let err = LiveDocument::open(&huge, LiveConfig::default()).expect_err("too large");
    assert!(matches!(err, OpenError::TooLarge { .. }), "{err}");
    let bin = dir.path().join("bin.vtt");
    fs::write(&bin, b"\x00\x01\x02\xff\xfe binary").expect("write");
    let live = LiveDocument::open(&bin, config(dir.path(), manual(), None)).expect("open");
    assert!(live.apply_all(&[set_text(0, "x")]).is_err());
    assert_eq!(
        fs::read(&bin).expect("read"),
        b"\x00\x01\x02\xff\xfe binary"
    );
}

#[test]
fn permission_denied_keeps_the_edits() {
    use cueline_transcript_store::atomic::testing::{Rerun, rerun};
    use std::os::unix::fs::PermissionsExt;
    // root writes into a read-only folder: the test then runs as `nobody`
    if rerun(
        "permission_denied_keeps_the_edits",
        Rerun::Unprivileged,
        &[],
    ) {
        return;
    }
    let (dir, path, orig) = setup(3);
    let folder = path.parent().expect("parent").to_path_buf();
    let live = LiveDocument::open(&path, config(dir.path(), manual(), None)).expect("open");
    live.apply_all(&[set_text(0, "mine")]).expect("edit");
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).expect("chmod");
    let probe = fs::write(folder.join("probe"), b"x");
    if probe.is_ok() {
        let _ = fs::remove_file(folder.join("probe"));
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).expect("chmod");
        panic!("this user writes into a read-only folder: the test cannot run");
    }
    let err = live.save_now().expect_err("permission denied");
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).expect("chmod");
    assert!(err.to_string().contains("ermission"), "{err}");
    assert_eq!(fs::read(&path).expect("read"), orig);
    assert_eq!(live.status(), SaveStatus::Unsaved);
}

// ---- crash harness -------------------------------------------------------------------------

const CRASH_CUES: usize = 40;

/// Edit number `i` of the scripted session: mostly text edits, sometimes an undo.
fn scripted(i: u64) -> Option<Edit> {
    (i % 11 != 10).then(|| set_text((i as usize * 7) % CRASH_CUES, &format!("edit {i}")))
}

fn run_script(session: &mut Session, i: u64) {
    match scripted(i) {
        Some(e) => {
            session.apply(&e).expect("scripted edit");
        }
        None => {
            session.undo();
        }
    }
}

/// The child: runs the real store until it is killed, printing `ack N` after edit N returned.
#[test]
fn crash_child() {
    let Some(path) = std::env::var_os("CUELINE_CRASH_CHILD") else {
        return;
    };
    let journal = std::env::var_os("CUELINE_CRASH_JOURNAL").expect("journal dir");
    let start: u64 = std::env::var("CUELINE_CRASH_START")
        .expect("start")
        .parse()
        .expect("number");
    let live = LiveDocument::open(
        Path::new(&path),
        LiveConfig {
            autosave: AutosavePolicy {
                enabled: true,
                idle: Duration::from_millis(3),
                max_delay: Duration::from_millis(15),
            },
            journal_dir: Some(PathBuf::from(journal)),
            watch: None,
        },
    )
    .expect("open");
    let mut out = std::io::stdout().lock();
    for i in start..start + 100_000 {
        match scripted(i) {
            Some(e) => live.apply_all(&[e]).expect("edit"),
            None => {
                live.undo();
            }
        }
        writeln!(out, "ack {i}").expect("stdout");
        out.flush().expect("flush");
        std::thread::sleep(Duration::from_micros(200 + (i * 7919 % 1800)));
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn crash_harness_kill_9_two_hundred_times() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("crash.vtt");
    fs::write(&path, vtt(CRASH_CUES, "orig")).expect("write");
    let path = fs::canonicalize(&path).expect("canonical");
    let jdir = dir.path().join("journal");
    let exe = std::env::current_exe().expect("exe");
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut start = 0u64;
    let mut content = fs::read(&path).expect("read");
    let started = Instant::now();
    let mut restored = 0;
    for cycle in 0..200 {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env("CUELINE_CRASH_CHILD", &path)
            .env("CUELINE_CRASH_JOURNAL", &jdir)
            .env("CUELINE_CRASH_START", start.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            let mut acks = Vec::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                // libtest prints "test crash_child ... " without a newline before the child's
                // first line, so an ack may follow other text on its line
                if let Some(n) = line.rfind("ack ").map(|at| &line[at + 4..]) {
                    acks.push((n.parse::<u64>().expect("ack"), Instant::now()));
                }
            }
            acks
        });
        // wait for the child to start editing, then kill it at a random moment
        std::thread::sleep(Duration::from_millis(8 + rng.below(40)));
        child.kill().expect("kill -9");
        let killed_at = Instant::now();
        child.wait().expect("wait");
        let acks = reader.join().expect("reader");
        let last_acked = acks.last().map(|a| a.0);
        // every state the child could have reached: start..=acked+1 edits
        let max_ops = last_acked.map_or(1, |a| a - start + 2);
        let mut session = Session::new(Document::parse(&content, Format::Vtt));
        let mut states = vec![blake3::hash(&content)];
        for k in 0..max_ops {
            run_script(&mut session, start + k);
            states.push(blake3::hash(&session.document().print()));
        }
        let disk = fs::read(&path).expect("read");
        assert!(
            states.contains(&blake3::hash(&disk)),
            "cycle {cycle}: the file is not any complete version"
        );
        // recover
        let recovered = match journal_for(&jdir, &path) {
            None => disk.clone(),
            Some(j) => match recover(&j).expect("recover") {
                Recovery::Nothing => disk.clone(),
                Recovery::Restored { doc, .. } => doc.document().print(),
                Recovery::Diverged { mine, .. } => mine,
            },
        };
        let k = states
            .iter()
            .rposition(|h| *h == blake3::hash(&recovered))
            .unwrap_or_else(|| {
                let kind = match journal_for(&jdir, &path).map(|j| recover(&j)) {
                    None => "no journal".to_owned(),
                    Some(Ok(Recovery::Nothing)) => "nothing".to_owned(),
                    Some(Ok(Recovery::Restored { .. })) => "restored".to_owned(),
                    Some(Ok(Recovery::Diverged { theirs, .. })) => format!(
                        "diverged (theirs reachable: {})",
                        theirs.is_some_and(|t| states.contains(&blake3::hash(&t)))
                    ),
                    Some(Err(e)) => format!("error {e}"),
                };
                panic!(
                    "cycle {cycle}: recovered content is no reachable state ({kind}; acks {}, max_ops {max_ops}, disk reachable at {:?})",
                    acks.len(),
                    states.iter().position(|h| *h == blake3::hash(&disk))
                )
            });
        // No acknowledged edit is lost, however close to the kill: an edit is acknowledged
        // only after its journal record is in the kernel (write returned), which kill -9
        // cannot undo. (Only a power cut can lose the last SYNC_WINDOW, which this is not.)
        let recovered_ops = k;
        if let Some(&(n, at)) = acks.last() {
            let wanted = (n - start + 1) as usize;
            if recovered_ops < wanted && states[recovered_ops] != states[wanted] {
                let age = killed_at.duration_since(at);
                panic!(
                    "cycle {cycle}: edit {n}, acknowledged {age:?} before the kill, lost \
                     ({recovered_ops} of {wanted} edits recovered)"
                );
            }
        }
        if recovered != disk {
            restored += 1;
        }
        // accept the recovery: the next run continues from it
        write_atomic(&path, &recovered).expect("write");
        for f in journal_files(&jdir, &path) {
            let _ = fs::remove_file(f);
        }
        content = recovered;
        start += k as u64;
    }
    cueline_transcript_store::atomic::testing::figure(&format!(
        "kill -9 of the store while editing: 200 kills survived in {:?}, {} edits acknowledged, \
         {restored} restores from the journal, 0 acknowledged edits lost",
        started.elapsed(),
        start
    ));
    assert!(start > 200, "the children made progress");
}

// ---- external-change interleavings ---------------------------------------------------------

fn interleaving(seed: u64) {
    let mut rng = Rng(seed | 1);
    let (dir, path, _) = setup(12);
    let live = LiveDocument::open(
        &path,
        config(
            dir.path(),
            AutosavePolicy {
                enabled: true,
                idle: Duration::from_millis(20),
                max_delay: Duration::from_millis(100),
            },
            Some(Duration::from_millis(40)),
        ),
    )
    .expect("open");
    let mut externals: Vec<Vec<u8>> = Vec::new();
    for step in 0..(3 + rng.below(4)) {
        match rng.below(4) {
            0 | 1 => {
                let cue = rng.below(12) as usize;
                let _ = live.apply_all(&[set_text(cue, &format!("mine {seed} {step}"))]);
            }
            kind => {
                let bytes = vtt(10 + rng.below(5) as usize, &format!("ext {seed} {step}"));
                match (kind, rng.below(3)) {
                    // git checkout: unlink, then write a new file
                    (_, 0) => {
                        let _ = fs::remove_file(&path);
                        fs::write(&path, &bytes).expect("write");
                    }
                    // sed -i style in-place rewrite
                    (_, 1) => fs::write(&path, &bytes).expect("write"),
                    // another editor's rename-replace save
                    _ => {
                        let tmp = dir.path().join(format!(".t.vtt.{step}"));
                        fs::write(&tmp, &bytes).expect("write");
                        fs::rename(&tmp, &path).expect("rename");
                    }
                }
                externals.push(bytes);
            }
        }
        std::thread::sleep(Duration::from_millis(rng.below(60)));
    }
    // settle: watcher batches and autosave done
    std::thread::sleep(Duration::from_millis(400));
    let events = live.drain_events();
    let disk = fs::read(&path).expect("read");
    let mine = live.read(|d| d.document().print());
    let status = live.status();
    let first_conflict = events
        .iter()
        .position(|e| matches!(e, StoreEvent::Conflict { .. }));
    if let Some(c) = first_conflict {
        assert!(
            !events[c..]
                .iter()
                .any(|e| matches!(e, StoreEvent::Saved { .. })),
            "seed {seed}: saved after a conflict"
        );
        assert_eq!(status, SaveStatus::Conflict, "seed {seed}");
    }
    if let Some(last) = externals.last() {
        let reloaded = events
            .iter()
            .any(|e| matches!(e, StoreEvent::Reloaded { hash, .. } if *hash == blake3::hash(last)));
        assert!(
            disk == *last || reloaded,
            "seed {seed}: the last outside change was overwritten without being seen"
        );
    }
    if status == SaveStatus::Conflict {
        assert!(first_conflict.is_some());
    } else {
        assert_eq!(
            disk, mine,
            "seed {seed}: clean documents match the file ({status:?})"
        );
    }
}

#[test]
fn one_hundred_external_change_interleavings() {
    let started = Instant::now();
    let threads: Vec<_> = (0..4u64)
        .map(|t| {
            std::thread::spawn(move || {
                for i in 0..25u64 {
                    interleaving(0x9e37_79b9_7f4a_7c15 ^ (t * 1000 + i).wrapping_mul(0x2545_f491));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("interleaving thread");
    }
    eprintln!("100 interleavings in {:?}", started.elapsed());
}

#[test]
fn save_as_after_the_file_was_deleted_moves_the_document_to_the_new_file() {
    let (dir, path, _) = setup(4);
    let live = LiveDocument::open(
        &path,
        config(dir.path(), manual(), Some(Duration::from_millis(50))),
    )
    .expect("open");
    live.apply_all(&[set_text(1, "kept edit")]).expect("edit");
    fs::remove_file(&path).expect("delete");
    assert!(wait_for(
        &live,
        |e| matches!(e, StoreEvent::Deleted),
        Duration::from_secs(5)
    ));
    // The wrong format and a folder are refused, and nothing is written.
    let srt = dir.path().join("moved.srt");
    assert!(matches!(
        live.save_as(&srt),
        Err(cueline_transcript_store::SaveError::BadTarget { .. })
    ));
    assert!(!srt.exists());
    fs::create_dir(dir.path().join("folder.vtt")).expect("mkdir");
    assert!(live.save_as(&dir.path().join("folder.vtt")).is_err());

    let target = dir.path().join("moved.vtt");
    let saved = live.save_as(&target).expect("save as");
    assert!(saved.written);
    let on_disk = fs::read(&target).expect("read");
    assert_eq!(on_disk, live.read(|d| d.document().print()));
    assert!(String::from_utf8_lossy(&on_disk).contains("kept edit"));
    assert!(!live.read(|d| d.is_dirty()));
    assert_eq!(
        live.read(|d| d.path().map(Path::to_path_buf)),
        Some(fs::canonicalize(&target).expect("canonical"))
    );
    // The new file is the document's now: saved there, and watched there.
    live.apply_all(&[set_text(2, "second edit")]).expect("edit");
    live.save_now().expect("save");
    assert!(String::from_utf8_lossy(&fs::read(&target).expect("read")).contains("second edit"));
    assert!(!path.exists(), "the old path stays deleted");
    assert!(live.is_watching());
    let mut theirs = String::from_utf8(fs::read(&target).expect("read")).expect("utf8");
    theirs = theirs.replace("orig line 3", "changed elsewhere");
    fs::write(&target, theirs).expect("write");
    assert!(wait_for(
        &live,
        |e| matches!(e, StoreEvent::Reloaded { changed: 1, .. }),
        Duration::from_secs(5)
    ));
}

fn cue_text(doc: &OpenDocument, cue: usize) -> String {
    doc.document().cue(cue).map(|c| c.text).unwrap_or_default()
}

fn restored(j: &JournalContents) -> Box<OpenDocument> {
    match recover(j).expect("recover") {
        Recovery::Restored { doc, .. } => doc,
        other => panic!("expected Restored, got {other:?}"),
    }
}

#[test]
fn drafts_typed_before_any_edit_come_back_as_one_last_step() {
    let (dir, path, orig) = setup(6);
    let live = LiveDocument::open(&path, config(dir.path(), manual(), None)).expect("open");
    live.journal_draft(2, "orig line 2 and mo").expect("draft");
    live.journal_draft(2, "orig line 2 and more")
        .expect("draft");
    live.journal_draft(4, "typed in four").expect("draft");
    assert_eq!(live.status(), SaveStatus::Saved, "a draft is not an edit");
    assert!(!live.read(|d| d.can_undo()), "a draft is not an undo step");
    assert_eq!(live.read(|d| d.document().print()), orig);
    drop(live); // the crash
    assert_eq!(fs::read(&path).expect("read"), orig);
    let j = journal_for(&dir.path().join("journal"), &path).expect("a journal holds the drafts");
    assert!(j.has_edits());
    let mut doc = restored(&j);
    assert_eq!(
        cue_text(&doc, 2),
        "orig line 2 and more",
        "the latest draft wins"
    );
    assert_eq!(cue_text(&doc, 4), "typed in four");
    assert!(doc.is_dirty());
    assert!(doc.undo(), "the drafts are one undo step");
    assert_eq!(doc.document().print(), orig);
    assert!(!doc.can_undo());
}

#[test]
fn a_draft_is_superseded_by_its_edit_and_kept_across_a_save() {
    let (dir, path, _) = setup(6);
    let live = LiveDocument::open(&path, config(dir.path(), manual(), None)).expect("open");
    // the window's order: drafts, then the draft's own edit, then the next command
    live.journal_draft(1, "first dra").expect("draft");
    live.apply_all(&[set_text(1, "first draft")])
        .expect("flush");
    live.apply_all(&[Edit::Delete { cue: 1 }]).expect("delete");
    let expected = live.read(|d| d.document().print());
    let j =
        JournalContents::read(&the_journal(&dir.path().join("journal"), &path)).expect("journal");
    assert_eq!(
        j.replay().document().print(),
        expected,
        "a draft followed by other operations is not applied again"
    );

    // a save (autosave or Ctrl+S) while a draft is pending: the new journal still has it
    live.journal_draft(0, "typed while saving").expect("draft");
    live.save_now().expect("save");
    let saved = fs::read(&path).expect("read");
    assert_eq!(saved, expected, "a draft is never saved");
    drop(live);
    let j = journal_for(&dir.path().join("journal"), &path).expect("the journal outlives the save");
    let doc = restored(&j);
    assert_eq!(cue_text(&doc, 0), "typed while saving");
    assert_eq!(cue_text(&doc, 1), "orig line 2", "the saved delete stays");
}

#[test]
fn a_draft_for_a_cue_that_does_not_exist_is_refused_and_changes_nothing() {
    let (dir, path, _) = setup(3);
    let live = LiveDocument::open(&path, config(dir.path(), manual(), None)).expect("open");
    let err = live.journal_draft(3, "x").expect_err("cue 3 of 3");
    assert!(err.to_string().contains("does not exist"), "{err}");
    drop(live);
    assert!(journal_for(&dir.path().join("journal"), &path).is_none());
}

#[test]
fn a_crash_journal_outlives_the_next_instance_until_the_user_chooses() {
    use cueline_transcript_store::dead_journals;
    let (dir, path, _) = setup(5);
    let jdir = dir.path().join("journal");
    let cfg = || config(dir.path(), manual(), None);
    let first = LiveDocument::open(&path, cfg()).expect("open");
    first
        .apply_all(&[set_text(0, "first crash")])
        .expect("edit");
    // a second instance with the same file open: the first's journal is live, never offered
    let second = LiveDocument::open(&path, cfg()).expect("open");
    assert!(
        journal_for(&jdir, &path).is_none(),
        "a running writer's journal is not a crash's"
    );
    second.apply_all(&[set_text(1, "second")]).expect("edit");
    assert_eq!(
        journal_files(&jdir, &path).len(),
        2,
        "two writers, two journals"
    );

    drop(first); // the first crash
    let offered = journal_for(&jdir, &path).expect("the first crash's journal is offered");
    let crashed = offered.replay().document().print();
    assert!(String::from_utf8_lossy(&crashed).contains("first crash"));

    // the next instance opens the file and edits before the user chose: a new journal of its own
    let third = LiveDocument::open(&path, cfg()).expect("open");
    third.apply_all(&[set_text(2, "third")]).expect("edit");
    drop(third); // a second crash before Restore / Discard
    let dead = dead_journals(&jdir, &path);
    assert_eq!(dead.len(), 2, "both crashes' journals are kept: {dead:?}");
    assert!(dead.contains(&offered.file));
    let again = JournalContents::read(&offered.file).expect("the first journal, untouched");
    assert_eq!(again.replay().document().print(), crashed);
    let newest = journal_for(&jdir, &path).expect("the newest crash is offered first");
    assert_ne!(newest.file, offered.file);
    drop(second);
}

#[test]
fn an_edit_made_against_an_older_revision_is_refused_after_a_reload() {
    use cueline_transcript_store::Refused;
    let (dir, path, _) = setup(4);
    let live = LiveDocument::open(&path, config(dir.path(), manual(), None)).expect("open");
    // the window's view: revision r, cue 1 is "orig line 1"
    let seen = live.read(|d| d.revision());
    // the race: the file changes on disk (a cue inserted before cue 1) and the clean document
    // reloads, between that view and the flush of a draft typed into cue 1
    let mut theirs = String::from_utf8(vtt(4, "orig")).expect("utf-8");
    theirs = theirs.replacen(
        "00:00:01.000",
        "00:00:00.500 --> 00:00:00.900\nInserted elsewhere\n\n00:00:01.000",
        1,
    );
    fs::write(&path, &theirs).expect("write");
    live.check_disk();
    assert!(
        live.drain_events()
            .iter()
            .any(|e| matches!(e, StoreEvent::Reloaded { .. })),
        "the clean document reloaded"
    );
    let now = live.read(|d| d.revision());
    assert_ne!(now, seen);
    let before = live.read(|d| d.document().print());
    match live.apply_all_at(Some(seen), &[set_text(1, "typed into cue 1")]) {
        Err(Refused::Stale { base, current }) => assert_eq!((base, current), (seen, now)),
        other => panic!("expected Stale, got {other:?}"),
    }
    assert_eq!(
        live.read(|d| d.document().print()),
        before,
        "a refused edit changes nothing (it would have landed on the inserted cue)"
    );
    // made again against the current view, it lands on the cue the user typed in
    live.apply_all_at(Some(now), &[set_text(2, "typed into cue 1")])
        .expect("current revision");
    assert_eq!(
        live.read(|d| d.document().cue(2).map(|c| c.text)),
        Some("typed into cue 1".into())
    );
    assert_eq!(
        live.read(|d| d.document().cue(1).map(|c| c.text)),
        Some("Inserted elsewhere".into())
    );
}
