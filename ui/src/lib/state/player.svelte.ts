// The transport as the UI sees it: the audio attached to the open document, the player's state
// (from Rust's `PlaybackChanged` events, about 20 a second while playing) and a playhead that
// moves smoothly between those events, so the follow-along highlight changes within a frame of
// the audio crossing a cue boundary.
//
// Rust owns the audio and the true position (media time at every speed); this class only
// extrapolates from the last state it received and never runs ahead of it by more than a tick.

import type { AudioView, Backend, CueDto, PlaybackChanged, PlaybackCommand } from '../ipc/backend';

export const MIN_SPEED = 0.5;
export const MAX_SPEED = 2;
/** How far the smooth playhead may run ahead of the last state (a missed tick or two). */
const MAX_EXTRAPOLATION_MS = 250;

/** The transport before any audio is loaded. */
export const IDLE_PLAYBACK: PlaybackChanged = {
  playing: false,
  positionMs: 0,
  durationMs: null,
  speedPercent: 100,
  volumePercent: 100,
  file: null,
  loopRange: null,
  ended: false,
  error: null,
  epoch: 0,
};

/** The cue under `ms`: the last one starting at or before it that has not ended (TXT entries,
 * which have no end, last until the next one starts). `null` in a gap or before the first. */
export function cueAt(cues: readonly CueDto[], ms: number): number | null {
  // Cues are in file order, which is nearly always time order: binary search on the start,
  // then look back a few cues for an overlapping or out-of-order one that still covers `ms`.
  let lo = 0;
  let hi = cues.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cues[mid].startMs <= ms) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0 && i >= lo - 8; i--) {
    const c = cues[i];
    if (c.startMs > ms) continue;
    const end = c.endMs ?? cues[i + 1]?.startMs ?? Infinity;
    if (ms < end) return i;
  }
  return null;
}

/** `ms` as `HH:MM:SS.mmm`. */
export function clock(ms: number): string {
  const t = Math.max(0, Math.round(ms));
  const h = Math.floor(t / 3_600_000);
  const m = Math.floor(t / 60_000) % 60;
  const s = Math.floor(t / 1000) % 60;
  const f = t % 1000;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(h)}:${two(m)}:${two(s)}.${String(f).padStart(3, '0')}`;
}

export class PlayerState {
  /** The audio of the open document (null before it was asked). */
  audio = $state.raw<AudioView | null>(null);
  /** The player's last state. */
  state = $state.raw<PlaybackChanged>(IDLE_PLAYBACK);
  /** The smooth playhead in ms of media time (updated every animation frame while playing). */
  positionMs = $state(0);
  /** The last thing that went wrong (no audio, no sound output, a bad file). */
  error = $state<string | null>(null);
  /** The document the audio belongs to. */
  docId: number | null = null;

  private anchorAt = 0;
  private frame: number | null = null;

  constructor(private readonly backend: Backend) {}

  readonly hasAudio = $derived(this.state.file !== null && this.audio?.path != null);
  readonly playing = $derived(this.state.playing);

  /** A state from Rust (event or command answer). */
  receive(s: PlaybackChanged) {
    this.state = s;
    this.anchorAt = performance.now();
    this.positionMs = s.positionMs;
    if (s.error) this.error = s.error;
    if (s.playing) this.animate();
  }

  /** The smooth playhead now (also between frames). */
  now(): number {
    const s = this.state;
    if (!s.playing) return s.positionMs;
    const speed = s.speedPercent / 100;
    const ahead = Math.min((performance.now() - this.anchorAt) * speed, MAX_EXTRAPOLATION_MS * speed);
    const pos = s.positionMs + Math.max(0, ahead);
    return s.durationMs !== null ? Math.min(pos, s.durationMs) : pos;
  }

  private animate() {
    if (this.frame !== null || typeof requestAnimationFrame === 'undefined') return;
    const step = () => {
      this.frame = null;
      this.positionMs = Math.round(this.now());
      if (this.state.playing) this.frame = requestAnimationFrame(step);
    };
    this.frame = requestAnimationFrame(step);
  }

  /** The newest `loadFor` (resolved once the audio of the shown document is loaded). */
  loading: Promise<AudioView | null> = Promise.resolve(null);

  /** Loads the audio of document `docId` (chosen earlier, or beside the transcript). */
  loadFor(docId: number): Promise<AudioView | null> {
    this.loading = this.load(docId);
    return this.loading;
  }

  private async load(docId: number): Promise<AudioView | null> {
    this.docId = docId;
    const result = await this.backend.audioForDocument(docId);
    if (this.docId !== docId) return null;
    if (result.status === 'error') {
      this.audio = null;
      this.error = result.error.detail && 'message' in result.error.detail ? result.error.detail.message : 'No audio';
      return null;
    }
    this.audio = result.data;
    this.error = result.data.error;
    this.receive(result.data.playback);
    return result.data;
  }

  /** The audio open dialog, then attach what was chosen. */
  async pickAndAttach(docId: number): Promise<boolean> {
    const path = await this.backend.pickAudio();
    if (!path) return false;
    return this.attach(docId, path);
  }

  async attach(docId: number, path: string): Promise<boolean> {
    const result = await this.backend.attachAudio(docId, path);
    if (result.status === 'error') {
      this.error = 'message' in result.error.detail ? result.error.detail.message : 'Cannot attach that audio';
      return false;
    }
    this.docId = docId;
    this.audio = result.data;
    this.error = result.data.error;
    this.receive(result.data.playback);
    return true;
  }

  /** Runs a transport command; a failure is shown, never thrown. */
  async run(command: PlaybackCommand): Promise<boolean> {
    if (!this.audio?.path) {
      this.error = this.audio?.error ?? 'No audio is attached to this transcript: attach one with Ctrl+Shift+A.';
      return false;
    }
    const result = await this.backend.playback(command);
    if (result.status === 'error') {
      this.error = 'message' in result.error.detail ? result.error.detail.message : 'Playback failed';
      return false;
    }
    this.error = null;
    this.receive(result.data);
    return true;
  }

  toggle() {
    return this.run({ op: 'toggle' });
  }

  /** Click-to-seek: to `ms`, playing. */
  playFrom(ms: number) {
    return this.run({ op: 'seek', ms: Math.max(0, Math.round(ms)), play: true });
  }

  seek(ms: number) {
    return this.run({ op: 'seek', ms: Math.max(0, Math.round(ms)), play: false });
  }

  skip(deltaMs: number) {
    return this.run({ op: 'skip', delta_ms: Math.round(deltaMs) });
  }

  /** Speed up (+1) or down (-1) by 0.1, within 0.5..2.0. Nudges run in turn, each from the
   * speed the one before it set: presses faster than the backend answers all count (each
   * used to start from the same, not yet updated, speed). */
  nudgeSpeed(direction: 1 | -1): Promise<boolean> {
    const run = this.speedTurn.then(() => {
      const next = Math.round(this.state.speedPercent / 10) * 10 + direction * 10;
      return this.setSpeed(Math.min(MAX_SPEED, Math.max(MIN_SPEED, next / 100)));
    });
    this.speedTurn = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
  private speedTurn: Promise<void> = Promise.resolve();

  /** Speed as a ratio (0.5..2.0). */
  setSpeed(speed: number) {
    return this.run({ op: 'speed', percent: Math.round(speed * 100) });
  }

  /** Volume as a ratio (0..2). */
  setVolume(volume: number) {
    return this.run({ op: 'volume', percent: Math.round(Math.min(2, Math.max(0, volume)) * 100) });
  }

  setLoop(range: [number, number] | null) {
    return this.run({ op: 'loop', range });
  }

  dispose() {
    if (this.frame !== null && typeof cancelAnimationFrame !== 'undefined') cancelAnimationFrame(this.frame);
    this.frame = null;
  }
}
