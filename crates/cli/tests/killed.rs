//! `kill -9` of a real `cueline replace` at random moments of its write (issue 12, items 2
//! and 3): after the next command, every file of the tree is either all before or all after
//! (never a mixed repository), no temporary file is left, and that command says what it
//! recovered. A generated tree of a few hundred fixture copies, so it runs without the corpus.

#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::bin;

const FILES: usize = 300;
const KILLS: usize = 100;
/// Each loop is short; the whole test stops adding kills after this.
const BUDGET: Duration = Duration::from_secs(120);

fn episode(i: usize) -> String {
    let mut s = format!("WEBVTT\n\nNOTE episode {i}\n\n");
    for c in 0..120 {
        let t = c * 2;
        s.push_str(&format!(
            "00:{:02}:{:02}.000 --> 00:{:02}:{:02}.500\n{}\n\n",
            t / 60,
            t % 60,
            t / 60,
            t % 60,
            if c % 7 == 0 {
                format!("Cue {c}: Matt McKay on Python packaging")
            } else {
                format!("Cue {c} of episode {i}, some ordinary words")
            }
        ));
    }
    s
}

fn names(tree: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walk(tree);
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A tiny xorshift: the kill moments vary from run to run, and the seed is printed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn replace(tree: &Path, data: &Path) -> Command {
    let mut cmd = Command::new(bin());
    cmd.args(["replace", "Matt McKay", "Matt Makai"])
        .arg(tree)
        .env("XDG_DATA_HOME", data)
        .env_remove("CUELINE_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

#[test]
fn a_killed_replace_leaves_all_before_or_all_after_and_no_temporary_file() {
    let root = tempfile::tempdir().unwrap();
    let tree = root.path().join("tree");
    let data = root.path().join("data");
    let before: Vec<(PathBuf, Vec<u8>)> = (0..FILES)
        .map(|i| {
            (
                tree.join(format!("season{}/ep{i:03}.vtt", i % 4)),
                episode(i).into_bytes(),
            )
        })
        .collect();
    let restore = || {
        for (p, b) in &before {
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, b).unwrap();
        }
    };
    // the reference: one run to the end
    restore();
    let t = Instant::now();
    assert!(replace(&tree, &data).status().unwrap().success());
    let full_run = t.elapsed();
    let after: Vec<Vec<u8>> = before.iter().map(|(p, _)| fs::read(p).unwrap()).collect();
    assert!(after.iter().zip(&before).all(|(a, (_, b))| a != b));
    let listed: Vec<PathBuf> = before.iter().map(|(p, _)| p.clone()).collect();
    let mut sorted = listed.clone();
    sorted.sort();

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1)
        | 1;
    let mut rng = Rng(seed);
    let window = full_run.as_micros() as u64 * 12 / 10 + 1;
    let (mut kills, mut all_before, mut all_after, mut mixed_before_settle) = (0, 0, 0, 0);
    let (mut forward, mut back, mut cleaned) = (0, 0, 0);
    let started = Instant::now();
    while kills < KILLS && started.elapsed() < BUDGET {
        restore();
        let mut child = replace(&tree, &data).spawn().unwrap();
        std::thread::sleep(Duration::from_micros(rng.next() % window));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        kills += 1;

        let state: Vec<Vec<u8>> = listed.iter().map(|p| fs::read(p).unwrap()).collect();
        let n_after = state.iter().zip(&after).filter(|(s, a)| s == a).count();
        let mixed = n_after != 0 && n_after != FILES;
        if mixed {
            mixed_before_settle += 1;
        }
        // the next command settles what the killed one left
        let out = Command::new(bin())
            .args(["check", "--json"])
            .arg(&tree)
            .env("XDG_DATA_HOME", &data)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        if said.contains("was completed") {
            forward += 1;
        } else if said.contains("was undone") {
            back += 1;
        } else if said.contains("had not begun") {
            cleaned += 1;
        } else {
            assert!(
                !mixed,
                "seed {seed}: a mixed tree was not recovered, and nothing was said: {said}"
            );
        }
        let state: Vec<Vec<u8>> = listed.iter().map(|p| fs::read(p).unwrap()).collect();
        if state.iter().zip(&before).all(|(s, (_, b))| s == b) {
            all_before += 1;
        } else if state == after {
            all_after += 1;
        } else {
            panic!("seed {seed}, kill {kills}: a mixed tree after recovery ({said})");
        }
        let now = names(&tree);
        let extra: Vec<&PathBuf> = now.iter().filter(|p| !sorted.contains(p)).collect();
        assert!(
            extra.is_empty() && now.len() == sorted.len(),
            "seed {seed}, kill {kills}: {} files left behind, e.g. {:?}",
            extra.len(),
            extra.iter().take(3).collect::<Vec<_>>()
        );
        let records: Vec<_> = fs::read_dir(data.join("cueline/intents"))
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        assert!(
            records
                .iter()
                .all(|p: &PathBuf| p.extension().is_none_or(|x| x != "json")),
            "seed {seed}: records left: {records:?}"
        );
    }
    cueline_transcript_store::atomic::testing::figure(&format!(
        "kill -9 of cueline replace ({FILES} files, full run {full_run:?}, seed {seed}): {kills} kills; \
         {mixed_before_settle} left the tree mixed before the next command; settled: {forward} completed, \
         {back} undone, {cleaned} cleaned; after: {all_before} all before, {all_after} all after; bytes lost: 0"
    ));
    assert!(kills >= 20, "only {kills} kills in the time budget");
}
