// Review progress for the fake backend: marks by document and cue id, with the app's rules in
// their simplest form (an edit that changes a cue's text turns checked into listened; Ctrl+K
// toggles; "next unreviewed" is the next cue not checked, wrapping). Re-keying after outside
// changes and listening are Rust's (crates/progress) and are tested there and end to end.

import type { CueDto, MarkDto, ProgressView } from '../lib/ipc/backend';

export class FakeProgress {
  /** Marks and the text each was given for, by document id and cue id. */
  private readonly marks = new Map<number, Map<number, { mark: MarkDto; text: string }>>();

  private of(docId: number) {
    let m = this.marks.get(docId);
    if (!m) this.marks.set(docId, (m = new Map()));
    return m;
  }

  /** The marks of a document with these cues (edits since the last call applied). */
  view(docId: number, cues: CueDto[]): ProgressView {
    const m = this.of(docId);
    const marks = cues.map((c) => {
      const got = m.get(c.id);
      if (!got) return 'unreviewed' as MarkDto;
      if (got.text !== c.text) {
        if (got.mark === 'checked') got.mark = 'listened';
        got.text = c.text;
      }
      return got.mark;
    });
    const count = (x: MarkDto) => marks.filter((k) => k === x).length;
    return { docId, marks, checked: count('checked'), listened: count('listened'), total: marks.length };
  }

  /** Sets the mark of cue `index` (a test helper; Ctrl+K goes through `toggle`). */
  set(docId: number, cues: CueDto[], index: number, mark: MarkDto) {
    const c = cues[index];
    if (c) this.of(docId).set(c.id, { mark, text: c.text });
  }

  toggle(docId: number, cues: CueDto[], index: number): ProgressView | null {
    const before = this.view(docId, cues);
    const c = cues[index];
    if (!c) return null;
    this.set(docId, cues, index, before.marks[index] === 'checked' ? 'listened' : 'checked');
    return this.view(docId, cues);
  }

  next(docId: number, cues: CueDto[], from: number | null, forward: boolean): number | null {
    const marks = this.view(docId, cues).marks;
    const n = marks.length;
    for (let step = 1; step <= n; step++) {
      const start = from ?? (forward ? -1 : n);
      const i = (((start + (forward ? step : -step)) % n) + n) % n;
      if (marks[i] !== 'checked') return i;
    }
    return null;
  }
}
