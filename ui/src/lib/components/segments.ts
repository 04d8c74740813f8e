// How a cue's mirror is cut: find hits (marks) and review flags (underlines) over the same
// text. Pure, so the rules are unit-tested: a flag is drawn only while the text under it is
// still the text it was computed for (a draft that shifted it hides it until Rust answers).

import type { FlagDto, FlagKindDto } from '../ipc/backend';

export type Segment = {
  text: string;
  /** 0 none, 1 a find hit, 2 the current find hit. */
  mark: 0 | 1 | 2;
  /** The flag drawn under this piece, and its index in the cue's flag list. */
  flag: FlagKindDto | null;
  flagIndex: number;
};

export type HitSpan = { start: number; end: number; current: boolean };

/** The flags of `flags` that still hold for `text`. */
export function validFlags(text: string, flags: readonly FlagDto[] | undefined): FlagDto[] {
  return (flags ?? []).filter((f) => f.endUtf16 <= text.length && text.slice(f.startUtf16, f.endUtf16) === f.text);
}

/** Cuts `text` at every hit and flag boundary. `flags` should be `validFlags` already. */
export function segmentsOf(text: string, hits: readonly HitSpan[], flags: readonly FlagDto[]): Segment[] {
  if (hits.length === 0 && flags.length === 0) return [{ text, mark: 0, flag: null, flagIndex: -1 }];
  const cuts = new Set<number>([0, text.length]);
  const inText = (n: number) => n >= 0 && n <= text.length;
  for (const h of hits) if (inText(h.start) && inText(h.end)) cuts.add(h.start).add(h.end);
  for (const f of flags) if (inText(f.startUtf16) && inText(f.endUtf16)) cuts.add(f.startUtf16).add(f.endUtf16);
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    if (a === b) continue;
    const hit = hits.find((h) => h.start <= a && b <= h.end);
    const flagIndex = flags.findIndex((f) => f.startUtf16 <= a && b <= f.endUtf16);
    const seg: Segment = {
      text: text.slice(a, b),
      mark: hit ? (hit.current ? 2 : 1) : 0,
      flag: flagIndex >= 0 ? flags[flagIndex].kind : null,
      flagIndex,
    };
    const last = out[out.length - 1];
    if (last && last.mark === seg.mark && last.flagIndex === seg.flagIndex) last.text += seg.text;
    else out.push(seg);
  }
  return out;
}
