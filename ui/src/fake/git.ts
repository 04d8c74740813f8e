// The fake backend's git (issue 14): a "last commit" per path, set by the test, compared with
// the document's cues the way cueline-git's `compare` does (align on text, an aligned pair with
// other times is `timing`; inside an unaligned stretch pair in order as `text`/`text_timing`,
// the rest `deleted`/`inserted`). A longest common subsequence stands in for the patience diff:
// the same answers for the small documents of the component tests.

import type { CueDto, GitChangeKind, GitMarkDto, WordRunDto } from '../lib/ipc/backend';

/** A committed cue. */
export type FakeHeadCue = { startMs: number; endMs: number | null; text: string };

export type FakeChange = {
  kind: GitChangeKind;
  before: number | null;
  after: number | null;
  /** The cue it marks; for a deleted cue the one that now follows it. */
  at: number;
};

export function headOf(cues: CueDto[]): FakeHeadCue[] {
  return cues.map((c) => ({ startMs: c.startMs, endMs: c.endMs, text: c.text }));
}

export function compareCues(head: FakeHeadCue[], now: CueDto[]): FakeChange[] {
  const n = head.length;
  const m = now.length;
  // lcs[i][j]: common length of head[i..] and now[j..]
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = head[i].text === now[j].text ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: FakeChange[] = [];
  let old: number[] = [];
  let neu: number[] = [];
  const sameTime = (o: number, k: number) => head[o].startMs === now[k].startMs && head[o].endMs === now[k].endMs;
  const flush = (end: number) => {
    const paired = Math.min(old.length, neu.length);
    for (let k = 0; k < paired; k++)
      out.push({ kind: sameTime(old[k], neu[k]) ? 'text' : 'text_timing', before: old[k], after: neu[k], at: neu[k] });
    for (const o of old.slice(paired)) out.push({ kind: 'deleted', before: o, after: null, at: end });
    for (const k of neu.slice(paired)) out.push({ kind: 'inserted', before: null, after: k, at: k });
    old = [];
    neu = [];
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && head[i].text === now[j].text && lcs[i][j] === lcs[i + 1][j + 1] + 1) {
      flush(j);
      if (!sameTime(i, j)) out.push({ kind: 'timing', before: i, after: j, at: j });
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      neu.push(j++);
    } else {
      old.push(i++);
    }
  }
  flush(m);
  return out;
}

export function markOf(c: FakeChange): GitMarkDto {
  return {
    kind: c.kind,
    at: c.at,
    change: c.kind === 'deleted' ? { deleted: true, cue: c.before ?? c.at } : { deleted: false, cue: c.after ?? c.at },
  };
}

/** Word runs: words (runs without whitespace) aligned by a longest common subsequence. */
export function wordRuns(old: string, neu: string): WordRunDto[] {
  const split = (s: string) => s.match(/\s*\S+/g) ?? [];
  const a = split(old);
  const b = split(neu);
  const word = (t: string) => t.trim();
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i][j] = word(a[i]) === word(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: WordRunDto[] = [];
  const push = (kind: WordRunDto['kind'], text: string) => {
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += text;
    else out.push({ kind, text });
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && word(a[i]) === word(b[j])) {
      push('same', b[j]);
      i++;
      j++;
    } else if (i < a.length && (j >= b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      const lead = a[i].match(/^\s*/)?.[0] ?? '';
      if (lead) push('same', lead);
      push('removed', word(a[i++]));
    } else {
      const lead = b[j].match(/^\s*/)?.[0] ?? '';
      if (lead) push('same', lead);
      push('added', word(b[j++]));
    }
  }
  return out;
}
