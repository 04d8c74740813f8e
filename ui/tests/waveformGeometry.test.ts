// The waveform strip's geometry (a canvas has no DOM to test, so its decisions are tested here).
import { describe, expect, it } from 'vitest';
import type { CueDto } from '../src/lib/ipc/backend';
import {
  DEFAULT_SPAN_MS,
  MAX_COLUMNS,
  MAX_SPAN_MS,
  MIN_SPAN_MS,
  boundariesIn,
  clampBoundary,
  clampSpan,
  covers,
  fetchRange,
  followStart,
  hitBoundary,
  msToX,
  nextStart,
  peakAt,
  regionEnd,
  regionsIn,
  xToMs,
  zoomAround,
  type Columns,
  type View,
} from '../src/lib/components/waveformGeometry';

const cue = (index: number, startMs: number, endMs: number | null): CueDto => ({
  id: 100 + index,
  index,
  line: 1,
  startMs,
  endMs,
  text: `cue ${index}`,
});

/** Three VTT cues: 1–3 s, 3–5 s (touching the first), 6–8 s. */
const CUES = [cue(0, 1000, 3000), cue(1, 3000, 5000), cue(2, 6000, 8000)];
/** 10 s across 1000 px: 10 ms per px. */
const VIEW: View = { startMs: 0, spanMs: 10_000, width: 1000 };

describe('time and x', () => {
  it('maps ms to x and back', () => {
    expect(msToX(VIEW, 0)).toBe(0);
    expect(msToX(VIEW, 2500)).toBe(250);
    expect(msToX(VIEW, 10_000)).toBe(1000);
    expect(xToMs(VIEW, 250)).toBe(2500);
    const v = { startMs: 61_000, spanMs: 20_000, width: 800 };
    for (const ms of [61_000, 65_432, 80_999]) expect(xToMs(v, msToX(v, ms))).toBeCloseTo(ms, 6);
    expect(msToX(v, 60_000)).toBeLessThan(0);
  });

  it('keeps the zoom within 5 s and 120 s', () => {
    expect(clampSpan(1000)).toBe(MIN_SPAN_MS);
    expect(clampSpan(500_000)).toBe(MAX_SPAN_MS);
    expect(clampSpan(30_000.4)).toBe(30_000);
    expect(clampSpan(Number.NaN)).toBe(DEFAULT_SPAN_MS);
  });

  it('puts the playhead at 30 %, never showing time before 0', () => {
    expect(followStart(60_000, 20_000)).toBe(54_000);
    expect(followStart(1000, 20_000)).toBe(0);
  });

  it('zooms around an anchor, keeping the time under it in place', () => {
    const v = { startMs: 50_000, spanMs: 20_000, width: 1000 };
    const anchor = 400; // 58 s
    const start = zoomAround(v, 10_000, anchor);
    expect(xToMs({ startMs: start, spanMs: 10_000, width: 1000 }, anchor)).toBeCloseTo(58_000, 6);
    expect(zoomAround({ startMs: 0, spanMs: 20_000, width: 1000 }, 120_000, 500)).toBe(0);
  });
});

describe('following the playhead', () => {
  it('pins the playhead at 30 % while playing, easing there and jumping from far away', () => {
    const span = 20_000;
    // Already there: stays there.
    expect(nextStart(54_000, span, 60_000, { playing: true, moved: true, dtMs: 16 })).toBe(54_000);
    // A little off: moves part of the way, then all of it.
    const eased = nextStart(50_000, span, 60_000, { playing: true, moved: true, dtMs: 16 });
    expect(eased).toBeGreaterThan(50_000);
    expect(eased).toBeLessThan(54_000);
    expect(nextStart(50_000, span, 60_000, { playing: true, moved: true, dtMs: 500 })).toBe(54_000);
    // More than a screen away (a seek to another place): jumps.
    expect(nextStart(0, span, 600_000, { playing: true, moved: true, dtMs: 16 })).toBe(594_000);
  });

  it('stays put while paused unless the playhead moved out of the view', () => {
    const span = 20_000;
    // A click inside the view moves the playhead, not the view.
    expect(nextStart(40_000, span, 55_000, { playing: false, moved: true, dtMs: 16 })).toBe(40_000);
    // Zoomed or scrolled away from a playhead that did not move: the view stays.
    expect(nextStart(40_000, span, 90_000, { playing: false, moved: false, dtMs: 16 })).toBe(40_000);
    // The playhead moved outside (skip, go to): the view follows.
    expect(nextStart(40_000, span, 90_000, { playing: false, moved: true, dtMs: 16 })).toBe(84_000);
  });
});

describe('cues and boundaries', () => {
  it('finds the cues in a range, TXT entries lasting until the next one', () => {
    expect(regionsIn(CUES, 2000, 5500).map((r) => r.index)).toEqual([0, 1]);
    expect(regionsIn(CUES, 5500, 5900)).toEqual([]);
    expect(regionsIn(CUES, 0, 100_000).map((r) => r.index)).toEqual([0, 1, 2]);
    const txt = [cue(0, 1000, null), cue(1, 4000, null)];
    expect(regionEnd(txt, 0)).toBe(4000);
    expect(regionEnd(txt, 1)).toBe(6000); // the last one: 2 s
    expect(regionsIn(txt, 4500, 4600)).toEqual([{ index: 1, startMs: 4000, endMs: 6000 }]);
  });

  it('lists each start and end in the range; TXT entries have only a start', () => {
    expect(boundariesIn(CUES, 2000, 6500)).toEqual([
      { index: 0, edge: 'end', ms: 3000 },
      { index: 1, edge: 'start', ms: 3000 },
      { index: 1, edge: 'end', ms: 5000 },
      { index: 2, edge: 'start', ms: 6000 },
    ]);
    const txt = [cue(0, 1000, null), cue(1, 4000, null)];
    expect(boundariesIn(txt, 0, 10_000)).toEqual([
      { index: 0, edge: 'start', ms: 1000 },
      { index: 1, edge: 'start', ms: 4000 },
    ]);
  });

  it('hits a boundary within ±4 px, and nothing farther', () => {
    const bs = boundariesIn(CUES, 0, 10_000);
    expect(hitBoundary(bs, VIEW, 100)).toEqual({ index: 0, edge: 'start', ms: 1000 });
    expect(hitBoundary(bs, VIEW, 104)).toEqual({ index: 0, edge: 'start', ms: 1000 });
    expect(hitBoundary(bs, VIEW, 96)).toEqual({ index: 0, edge: 'start', ms: 1000 });
    expect(hitBoundary(bs, VIEW, 105)).toBeNull();
    expect(hitBoundary(bs, VIEW, 150)).toBeNull();
    expect(hitBoundary(bs, VIEW, 798)).toEqual({ index: 2, edge: 'end', ms: 8000 });
    // The nearest of two close ones.
    const close = boundariesIn([cue(0, 1000, 1050)], 0, 10_000); // 100 px and 105 px
    expect(hitBoundary(close, VIEW, 101)?.edge).toBe('start');
    expect(hitBoundary(close, VIEW, 104)?.edge).toBe('end');
  });

  it('resolves touching boundaries by the pointer side, then the current cue', () => {
    const bs = boundariesIn(CUES, 0, 10_000); // cue 0 ends and cue 1 starts at 300 px
    expect(hitBoundary(bs, VIEW, 298)).toEqual({ index: 0, edge: 'end', ms: 3000 });
    expect(hitBoundary(bs, VIEW, 302)).toEqual({ index: 1, edge: 'start', ms: 3000 });
    // The current cue wins at the same distance, whatever the side.
    expect(hitBoundary(bs, VIEW, 298, 1)).toEqual({ index: 1, edge: 'start', ms: 3000 });
    expect(hitBoundary(bs, VIEW, 302, 0)).toEqual({ index: 0, edge: 'end', ms: 3000 });
    // ...but not over a nearer one.
    const near = boundariesIn([cue(0, 1000, 3000), cue(1, 3020, 5000)], 0, 10_000); // 300 and 302 px
    expect(hitBoundary(near, VIEW, 302.2, 0)).toEqual({ index: 1, edge: 'start', ms: 3020 });
  });

  it('clamps a dragged start to its own end and an end to its own start, and to the audio', () => {
    expect(clampBoundary(CUES, 1, 'start', 4200)).toBe(4200);
    expect(clampBoundary(CUES, 1, 'start', 9000)).toBe(5000);
    expect(clampBoundary(CUES, 1, 'start', -500)).toBe(0);
    // Past the previous cue is allowed (an overlap is a warning, not an error).
    expect(clampBoundary(CUES, 1, 'start', 2000)).toBe(2000);
    expect(clampBoundary(CUES, 1, 'end', 1000)).toBe(3000);
    expect(clampBoundary(CUES, 1, 'end', 5555.6)).toBe(5556);
    expect(clampBoundary(CUES, 2, 'end', 99_000, 10_000)).toBe(10_000);
    expect(clampBoundary(CUES, 2, 'end', 99_000)).toBe(99_000);
  });

  it('keeps a TXT entry between the entries around it', () => {
    const txt = [cue(0, 1000, null), cue(1, 4000, null), cue(2, 9000, null)];
    expect(clampBoundary(txt, 1, 'start', 500)).toBe(1000);
    expect(clampBoundary(txt, 1, 'start', 12_000)).toBe(9000);
    expect(clampBoundary(txt, 1, 'start', 5000)).toBe(5000);
    expect(clampBoundary(txt, 0, 'start', -10)).toBe(0);
    expect(clampBoundary(txt, 2, 'start', 50_000)).toBe(50_000);
  });
});

describe('columns', () => {
  it('asks for three screens from half a screen before, one column per device pixel', () => {
    expect(fetchRange(54_000, 20_000, 1000)).toEqual({ startMs: 44_000, endMs: 104_000, columns: 3000 });
    expect(fetchRange(0, 20_000, 1000)).toEqual({ startMs: 0, endMs: 60_000, columns: 3000 });
    // A wide HiDPI window: no more than Rust sends.
    expect(fetchRange(0, 20_000, 5120).columns).toBe(MAX_COLUMNS);
  });

  it('reuses columns while the view is inside them at the same zoom', () => {
    const req = fetchRange(54_000, 20_000, 1000);
    const have: Columns = { startMs: req.startMs, endMs: req.endMs, columns: [], msPerPx: 20 };
    expect(covers(have, 54_000, 20_000, 1000)).toBe(true);
    expect(covers(have, 84_000, 20_000, 1000)).toBe(true); // playback moved on a screen and a half
    expect(covers(have, 84_001, 20_000, 1000)).toBe(false);
    expect(covers(have, 43_999, 20_000, 1000)).toBe(false);
    expect(covers(have, 54_000, 30_000, 1000)).toBe(false); // zoomed
    expect(covers(have, 54_000, 20_000, 1200)).toBe(false); // wider window
    expect(covers(null, 54_000, 20_000, 1000)).toBe(false);
    expect(covers(have, 54_000, 20_000, 0)).toBe(false);
  });

  it('folds or stretches columns to any zoom, and has nothing outside them', () => {
    // 10 columns over 0..1000 ms: column c is [-10c, 100c].
    const have: Columns = {
      startMs: 0,
      endMs: 1000,
      columns: Array.from({ length: 10 }, (_, c) => [c === 0 ? 0 : -c * 10, c * 100] as [number, number]),
      msPerPx: 100,
    };
    expect(peakAt(have, 0, 100)).toEqual([0, 0]);
    expect(peakAt(have, 250, 350)).toEqual([-30, 300]); // straddles columns 2 and 3
    expect(peakAt(have, 0, 1000)).toEqual([-90, 900]); // zoomed out: all folded
    expect(peakAt(have, 510, 520)).toEqual([-50, 500]); // zoomed in: one column repeats
    expect(peakAt(have, 1000, 1100)).toBeNull();
    expect(peakAt(have, -200, -100)).toBeNull();
    expect(peakAt(have, -50, 50)).toEqual([0, 0]);
    expect(peakAt({ ...have, columns: [] }, 0, 100)).toBeNull();
  });
});
