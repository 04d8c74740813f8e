// The waveform strip's geometry as pure functions: time <-> x, which time range to show around
// the playhead, which cue boundaries are in it and which one a pointer is on, how far a dragged
// boundary may go, which columns to ask Rust for and how to draw them at another zoom. A canvas
// has no DOM to test against, so everything that decides something lives here, tested on its own
// (tests/waveformGeometry.test.ts); Waveform.svelte only draws and wires events.

import type { CueDto } from '../ipc/backend';

/** The zoom range: the width of the strip in media time. */
export const MIN_SPAN_MS = 5_000;
export const MAX_SPAN_MS = 120_000;
export const DEFAULT_SPAN_MS = 20_000;
/** Where the playhead sits while following it, as a fraction of the width from the left. */
export const PLAYHEAD_AT = 0.3;
/** How near (CSS px) the pointer must be to a boundary to grab it. */
export const HIT_PX = 4;
/** Rust answers at most this many columns per request. */
export const MAX_COLUMNS = 8192;
/** Screens of columns asked for at once, so playback redraws from them for a while. */
export const FETCH_SCREENS = 3;

/** A time range drawn across `width` CSS pixels. */
export interface View {
  startMs: number;
  spanMs: number;
  width: number;
}

export function msToX(view: View, ms: number): number {
  return ((ms - view.startMs) / view.spanMs) * view.width;
}

export function xToMs(view: View, x: number): number {
  return view.startMs + (x / view.width) * view.spanMs;
}

/** A zoom span kept within 5..120 s. */
export function clampSpan(spanMs: number): number {
  if (!Number.isFinite(spanMs)) return DEFAULT_SPAN_MS;
  return Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, Math.round(spanMs)));
}

/** The start of a view that puts `positionMs` at `PLAYHEAD_AT` (never before 0). */
export function followStart(positionMs: number, spanMs: number): number {
  return Math.max(0, positionMs - spanMs * PLAYHEAD_AT);
}

/**
 * Zooms to `spanMs` keeping the time under `anchorX` (CSS px) where it is, e.g. the pointer on
 * Ctrl+wheel or the playhead for the buttons. Returns the new start (never before 0).
 */
export function zoomAround(view: View, spanMs: number, anchorX: number): number {
  const at = xToMs(view, anchorX);
  const fraction = view.width > 0 ? anchorX / view.width : PLAYHEAD_AT;
  return Math.max(0, at - fraction * spanMs);
}

/**
 * The next view start while the strip follows the playhead. Playing: eases towards the playhead
 * at `PLAYHEAD_AT` (jumping when it is more than a screen away). Paused: stays put unless the
 * playhead moved out of the view. `dtMs` is the time since the last frame.
 */
export function nextStart(
  current: number,
  spanMs: number,
  positionMs: number,
  { playing, moved, dtMs }: { playing: boolean; moved: boolean; dtMs: number },
): number {
  const target = followStart(positionMs, spanMs);
  if (!playing) {
    const inside = positionMs >= current && positionMs <= current + spanMs;
    return moved && !inside ? target : current;
  }
  const gap = target - current;
  if (Math.abs(gap) > spanMs) return target;
  const step = gap * Math.min(1, Math.max(0, dtMs) / 200);
  const next = current + step;
  // Close enough to be pinned: a fraction of a pixel at any width.
  return Math.abs(target - next) < spanMs / 10_000 ? target : next;
}

// ----- cues and boundaries -------------------------------------------------------------------

export type Edge = 'start' | 'end';

export interface Boundary {
  /** Index of the cue in the view's list. */
  index: number;
  edge: Edge;
  ms: number;
}

/** A cue's shaded region: TXT entries (no end) last until the next entry starts (or 2 s). */
export interface Region {
  index: number;
  startMs: number;
  endMs: number;
}

const TXT_DEFAULT_MS = 2000;

/** The end of cue `i` for drawing: its end, else the next cue's start, else +2 s. */
export function regionEnd(cues: readonly CueDto[], i: number): number {
  const c = cues[i];
  if (c.endMs !== null) return c.endMs;
  const next = cues[i + 1];
  return next && next.startMs > c.startMs ? next.startMs : c.startMs + TXT_DEFAULT_MS;
}

/** The cues that overlap `startMs..endMs` (all of them are scanned: 4,000 cues take microseconds). */
export function regionsIn(cues: readonly CueDto[], startMs: number, endMs: number): Region[] {
  const out: Region[] = [];
  for (let i = 0; i < cues.length; i++) {
    const s = cues[i].startMs;
    if (s > endMs) continue;
    const e = regionEnd(cues, i);
    if (e < startMs) continue;
    out.push({ index: i, startMs: s, endMs: e });
  }
  return out;
}

/** The boundaries of the cues in the range: each start, and each end (TXT entries have none). */
export function boundariesIn(cues: readonly CueDto[], startMs: number, endMs: number): Boundary[] {
  const out: Boundary[] = [];
  for (const r of regionsIn(cues, startMs, endMs)) {
    const c = cues[r.index];
    if (c.startMs >= startMs && c.startMs <= endMs) out.push({ index: r.index, edge: 'start', ms: c.startMs });
    if (c.endMs !== null && c.endMs >= startMs && c.endMs <= endMs) out.push({ index: r.index, edge: 'end', ms: c.endMs });
  }
  return out;
}

/**
 * The boundary under `x` (CSS px), within `HIT_PX`. Boundaries often coincide (one cue ends where
 * the next starts): the nearest wins; at the same distance the current cue's wins, then the one
 * whose cue lies on the pointer's side (left of the line: the end of the cue before; right: the
 * start of the cue after).
 */
export function hitBoundary(
  boundaries: readonly Boundary[],
  view: View,
  x: number,
  currentIndex: number | null = null,
  tolerance = HIT_PX,
): Boundary | null {
  let best: Boundary | null = null;
  let bestScore = Infinity;
  for (const b of boundaries) {
    const bx = msToX(view, b.ms);
    const d = Math.abs(bx - x);
    if (d > tolerance) continue;
    // Distance in whole half-pixels decides first; ties go to the current cue, then the side.
    let score = Math.round(d * 2) * 4;
    if (b.index !== currentIndex) score += 2;
    const onSide = x < bx ? b.edge === 'end' : x > bx ? b.edge === 'start' : true;
    if (!onSide) score += 1;
    if (score < bestScore) {
      best = b;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Where a dragged boundary may go: a start not after the cue's own end, an end not before its
 * own start, nothing before 0 (or after `durationMs` when known). A TXT entry has no end, so its
 * start stays between the starts of the entries around it (the file's time order).
 */
export function clampBoundary(
  cues: readonly CueDto[],
  index: number,
  edge: Edge,
  ms: number,
  durationMs: number | null = null,
): number {
  const c = cues[index];
  let lo = 0;
  let hi = durationMs ?? Infinity;
  if (edge === 'start') {
    if (c.endMs !== null) hi = Math.min(hi, c.endMs);
    else {
      const prev = cues[index - 1];
      const next = cues[index + 1];
      if (prev && prev.startMs <= c.startMs) lo = Math.max(lo, prev.startMs);
      if (next && next.startMs >= c.startMs) hi = Math.min(hi, next.startMs);
    }
  } else {
    lo = Math.max(lo, c.startMs);
    hi = Math.max(hi, lo);
  }
  return Math.round(Math.min(hi, Math.max(lo, ms)));
}

// ----- columns ---------------------------------------------------------------------------------

/** Columns Rust sent for a range: `[min, max]` each, ±32767. */
export interface Columns {
  startMs: number;
  endMs: number;
  columns: readonly (readonly [number, number])[];
  /** The ms per device pixel they were asked for (the zoom they serve). */
  msPerPx: number;
}

export interface Request {
  startMs: number;
  endMs: number;
  columns: number;
}

/** What to ask for: `FETCH_SCREENS` screens from half a screen before the view (playback moves
 * forward) at one column per device pixel (fewer when that is more than Rust sends; drawing then
 * stretches them). */
export function fetchRange(viewStartMs: number, spanMs: number, devicePx: number): Request {
  const startMs = Math.max(0, Math.floor(viewStartMs - spanMs / 2));
  const endMs = Math.ceil(startMs + spanMs * FETCH_SCREENS);
  const columns = Math.min(MAX_COLUMNS, Math.max(0, Math.round(devicePx * FETCH_SCREENS)));
  return { startMs, endMs, columns };
}

/** Whether `have` can draw the view (covers it, at this zoom) or new columns are needed. */
export function covers(have: Columns | null, viewStartMs: number, spanMs: number, devicePx: number): boolean {
  if (!have || devicePx <= 0) return false;
  const msPerPx = spanMs / devicePx;
  if (Math.abs(have.msPerPx - msPerPx) > msPerPx * 0.01) return false;
  return viewStartMs >= have.startMs && viewStartMs + spanMs <= have.endMs;
}

/**
 * The `[min, max]` of the columns under media time `t0..t1`, or null when none are (outside
 * what was fetched). Works at any zoom: several columns per pixel are folded, one column
 * spanning several pixels repeats.
 */
export function peakAt(have: Columns, t0: number, t1: number): [number, number] | null {
  const n = have.columns.length;
  const span = have.endMs - have.startMs;
  if (n === 0 || span <= 0) return null;
  const per = span / n;
  let c0 = Math.floor((t0 - have.startMs) / per);
  let c1 = Math.ceil((t1 - have.startMs) / per);
  if (c1 <= c0) c1 = c0 + 1;
  if (c1 <= 0 || c0 >= n) return null;
  c0 = Math.max(0, c0);
  c1 = Math.min(n, c1);
  let lo = Infinity;
  let hi = -Infinity;
  for (let c = c0; c < c1; c++) {
    const [a, b] = have.columns[c];
    if (a < lo) lo = a;
    if (b > hi) hi = b;
  }
  return [lo, hi];
}
