// The project panel's grouping rules (project/results.ts), without the DOM: a pair's two hits
// are listed once, under the hit the query found (the `.txt` side nested when both were found),
// a file whose hits are all nested follows its partner's file, and a page holds `limit` items.
import { describe, expect, it } from 'vitest';
import { around, hms, planGroups, searchGroups } from '../src/lib/components/project/results';
import type { PlanDto, PlanFileDto, PlanHitDto, ProjectSearchDto } from '../src/lib/ipc/backend';

function hit(file: number, i: number, partner: [number, number] | null, foundBy: PlanHitDto['foundBy'] = 'query'): PlanHitDto {
  return {
    id: [file, i],
    cueIndex: i,
    startMs: i * 1000,
    line: 1,
    old: 'a',
    new: 'b',
    before: 'a',
    after: 'b',
    atUtf16: 0,
    startUtf16: 0,
    endUtf16: 1,
    note: null,
    foundBy,
    partner,
    included: true,
  };
}

function file(index: number, path: string, hits: PlanHitDto[]): PlanFileDto {
  return { index, path, relative: path, inEditor: false, partnerOnly: hits.every((h) => h.foundBy === 'partner'), included: true, hits };
}

const plan = (files: PlanFileDto[]): PlanDto => ({
  planId: 1,
  files,
  counts: { hits: 0, files: files.length, includedHits: 0, includedFiles: 0, pairs: 0 },
});

describe('planGroups', () => {
  it('lists a pair once: under the .vtt when both were found, the partner-found hit nested', () => {
    // a.txt (index 0) and a.vtt (index 1), both found by the query and paired; b.txt's hit only
    // as b.vtt's partner.
    const p = plan([
      file(0, '/p/a.txt', [hit(0, 0, [1, 0])]),
      file(1, '/p/a.vtt', [hit(1, 0, [0, 0]), hit(1, 1, null)]),
      file(2, '/p/b.vtt', [hit(2, 0, [3, 0])]),
      file(3, '/p/b.txt', [hit(3, 0, [2, 0], 'partner')]),
    ]);
    const groups = planGroups(p, 100);
    // a.txt's only hit is shown with its pair, so a.txt moves right after a.vtt.
    expect(groups.map((g) => [g.file.path, g.items.length, g.nested])).toEqual([
      ['/p/a.vtt', 2, 0],
      ['/p/a.txt', 0, 1],
      ['/p/b.vtt', 1, 0],
      ['/p/b.txt', 0, 1],
    ]);
    expect(groups[0].items[0].partner?.file.path).toBe('/p/a.txt');
    expect(groups[0].items[1].partner).toBeNull();
  });

  it('stops at the page limit and keeps counting nested hits', () => {
    const p = plan([file(0, '/p/a.vtt', [hit(0, 0, null), hit(0, 1, null), hit(0, 2, null)]), file(1, '/p/b.vtt', [hit(1, 0, null)])]);
    const groups = planGroups(p, 2);
    expect(groups.map((g) => [g.file.path, g.items.length])).toEqual([['/p/a.vtt', 2]]);
    expect(planGroups(null, 10)).toEqual([]);
  });
});

describe('searchGroups', () => {
  it('cuts the results to `limit` hits across files', () => {
    const h = (cueIndex: number) => ({ cueIndex, startMs: 0, line: 1, startUtf16: 0, endUtf16: 1, before: '', matched: 'x', after: '' });
    const results: ProjectSearchDto = {
      generation: 1,
      totalHits: 5,
      shownHits: 5,
      complete: true,
      micros: 1,
      files: [
        { path: '/a', relative: 'a', total: 3, hits: [h(0), h(1), h(2)] },
        { path: '/b', relative: 'b', total: 2, hits: [h(0), h(1)] },
      ],
    };
    expect(searchGroups(results, 4).map((g) => [g.file.path, g.hits.length])).toEqual([
      ['/a', 3],
      ['/b', 1],
    ]);
    expect(searchGroups(results, 3).map((g) => g.file.path)).toEqual(['/a']);
  });
});

describe('text around a hit', () => {
  it('cuts long context with an ellipsis and formats cue times', () => {
    expect(around('x'.repeat(60) + 'HIT' + 'y'.repeat(3), 60, 3, 10)).toEqual({ pre: '…xxxxxxxxxx', span: 'HIT', post: 'yyy' });
    expect(hms(3_723_456)).toBe('01:02:03');
  });
});
