//! When a cue counts as *listened*: its whole span was played continuously at up to 1.5x.
//!
//! Why on the Rust side: the player already reports its state about 20 times a second (the
//! `watch` channel of `cueline-player`), with an `epoch` that changes on every load and seek.
//! [`ListenTracker`] turns that stream into the one range of media time played without a
//! break so far; [`heard`] names the cues that range covers. Both are pure, so the rule is
//! tested with made-up samples and without a window.
//!
//! A run of continuous playback ends at a pause, a seek or load (a new epoch), a jump
//! backwards (a loop coming round), and any speed above [`MAX_SPEED`]; seeking into the middle
//! of a cue therefore never counts it. A TXT entry has no end time: it ends where the next
//! begins ([`spans`]), the last one at the end of the audio.

/// The fastest playback that still counts as listening.
pub const MAX_SPEED: f32 = 1.5;

/// Slack at both edges of a cue: the player reports its position every 50 ms, and a cue
/// played "from its start" starts within a few ms of it.
pub const EDGE_MS: u64 = 100;

/// One report of the player.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub playing: bool,
    pub position_ms: u64,
    pub speed: f32,
    /// Changes on every load and seek.
    pub epoch: u64,
}

/// Media time `[from_ms, to_ms]` played without a break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub from_ms: u64,
    pub to_ms: u64,
    epoch: u64,
}

/// Follows the player's reports (see the module docs).
#[derive(Debug, Default, Clone)]
pub struct ListenTracker {
    run: Option<Run>,
}

impl ListenTracker {
    /// Takes one report; returns the run it extended (`None`: nothing new was heard).
    pub fn observe(&mut self, s: Sample) -> Option<Run> {
        let fast = s.speed > MAX_SPEED + 0.001;
        let same_run = self
            .run
            .filter(|r| r.epoch == s.epoch && s.position_ms >= r.to_ms);
        match same_run {
            Some(mut run) if !fast => {
                // A pause reports where it stopped: what was played up to there counts.
                run.to_ms = s.position_ms;
                self.run = s.playing.then_some(run);
                Some(run)
            }
            _ => {
                self.run = (s.playing && !fast).then_some(Run {
                    from_ms: s.position_ms,
                    to_ms: s.position_ms,
                    epoch: s.epoch,
                });
                None
            }
        }
    }

    /// Forgets the current run (another transcript's audio was loaded).
    pub fn reset(&mut self) {
        self.run = None;
    }
}

/// Each cue's span in ms: its own end, or for a TXT entry the next entry's start (the last
/// one ends at `media_end_ms`, when known). `None` for a span that is not known.
pub fn spans(cues: &[(u32, Option<u32>)], media_end_ms: Option<u64>) -> Vec<Option<(u64, u64)>> {
    cues.iter()
        .enumerate()
        .map(|(i, &(start, end))| {
            let end = match end {
                Some(e) => Some(u64::from(e)),
                None => cues.get(i + 1).map(|n| u64::from(n.0)).or(media_end_ms),
            };
            end.map(|e| (u64::from(start), e.max(u64::from(start))))
        })
        .collect()
}

/// The cues whose whole span lies in `run` (give or take [`EDGE_MS`]).
pub fn heard(spans: &[Option<(u64, u64)>], run: Run) -> Vec<usize> {
    spans
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let (start, end) = (*s)?;
            (run.from_ms <= start + EDGE_MS && end <= run.to_ms + EDGE_MS && end > run.from_ms)
                .then_some(i)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn play(pos: u64, epoch: u64) -> Sample {
        Sample {
            playing: true,
            position_ms: pos,
            speed: 1.0,
            epoch,
        }
    }

    /// Plays from `from` to `to` in 50 ms steps and returns every cue heard on the way.
    fn run_through(
        t: &mut ListenTracker,
        spans: &[Option<(u64, u64)>],
        from: u64,
        to: u64,
        speed: f32,
    ) -> Vec<usize> {
        let mut out = Vec::new();
        let mut pos = from;
        while pos <= to {
            if let Some(run) = t.observe(Sample {
                speed,
                ..play(pos, 1)
            }) {
                for i in heard(spans, run) {
                    if !out.contains(&i) {
                        out.push(i);
                    }
                }
            }
            pos += 50;
        }
        out
    }

    const SPANS: [Option<(u64, u64)>; 3] =
        [Some((0, 1000)), Some((1000, 2500)), Some((2500, 4000))];

    #[test]
    fn playing_through_cues_hears_them_and_seeking_into_one_does_not() {
        let mut t = ListenTracker::default();
        assert_eq!(run_through(&mut t, &SPANS, 0, 2600, 1.0), vec![0, 1]);
        // A seek into the middle of cue 2 (a new epoch) and playing to its end: not heard.
        let mut t = ListenTracker::default();
        t.observe(play(3000, 2));
        let run = t.observe(play(4100, 2)).unwrap();
        assert_eq!(heard(&SPANS, run), Vec::<usize>::new());
        // Starting a few ms into a cue (a click-to-seek at its start) still counts.
        let mut t = ListenTracker::default();
        assert_eq!(run_through(&mut t, &SPANS, 1030, 2600, 1.0), vec![1]);
    }

    #[test]
    fn a_pause_or_a_seek_breaks_the_run() {
        let mut t = ListenTracker::default();
        t.observe(play(0, 1));
        t.observe(play(500, 1));
        // Paused at 600: the run up to there counts, then ends.
        let paused = Sample {
            playing: false,
            ..play(600, 1)
        };
        assert_eq!(t.observe(paused).map(|r| r.to_ms), Some(600));
        // Resumed: a new run from 600, so cue 0 is never whole.
        t.observe(play(600, 1));
        let run = t.observe(play(1200, 1)).unwrap();
        assert_eq!(heard(&SPANS, run), Vec::<usize>::new());
        // A seek back to 0 in the same run: a new epoch starts a new run there.
        t.observe(play(0, 2));
        let run = t.observe(play(1100, 2)).unwrap();
        assert_eq!(heard(&SPANS, run), vec![0]);
        // A loop coming round (position backwards, same epoch): a new run.
        assert_eq!(t.observe(play(50, 2)), None);
    }

    #[test]
    fn up_to_one_and_a_half_times_counts_and_faster_does_not() {
        let mut t = ListenTracker::default();
        assert_eq!(run_through(&mut t, &SPANS, 0, 1100, 1.5), vec![0]);
        let mut t = ListenTracker::default();
        assert_eq!(
            run_through(&mut t, &SPANS, 0, 4000, 1.6),
            Vec::<usize>::new()
        );
        // Speeding up half-way breaks the run.
        let mut t = ListenTracker::default();
        t.observe(play(0, 1));
        t.observe(play(500, 1));
        assert_eq!(
            t.observe(Sample {
                speed: 2.0,
                ..play(700, 1)
            }),
            None
        );
        t.observe(play(800, 1));
        let run = t.observe(play(1100, 1)).unwrap();
        assert_eq!(heard(&SPANS, run), Vec::<usize>::new());
    }

    #[test]
    fn a_txt_entry_ends_where_the_next_begins() {
        let s = spans(&[(0, None), (3000, None), (5000, None)], Some(9000));
        assert_eq!(
            s,
            vec![Some((0, 3000)), Some((3000, 5000)), Some((5000, 9000))]
        );
        assert_eq!(spans(&[(0, None)], None), vec![None]);
        assert_eq!(spans(&[(10, Some(20))], None), vec![Some((10, 20))]);
    }
}
