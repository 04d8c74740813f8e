// The fake backend's rules against the real ones: every case of fixtures/backend-rules.json (the
// answers of the Rust side, checked by crates/transcript-store/tests/backend_rules.rs) through
// FakeBackend. A case that fails here means the fake answers the component tests differently
// from the app: fix the fake (src/fake/), not the fixture.
import { describe, expect, it } from 'vitest';
import { FakeBackend, makeDocument } from '../src/fake/backend';
import type { DocumentView, EditDto, PlanDto, SearchQueryDto } from '../src/lib/ipc/backend';
import rules from './fixtures/backend-rules.json';
import projectRules from './fixtures/project-rules.json';

type Cue = [number, number, string];
type Case = { name: string; cues: Cue[] };

async function open(cues: Cue[]): Promise<{ backend: FakeBackend; view: DocumentView }> {
  const doc = makeDocument(cues.map((c) => c[2]));
  doc.cues = doc.cues.map((c, i) => ({ ...c, startMs: cues[i][0], endMs: cues[i][1] }));
  const backend = new FakeBackend([doc]);
  const r = await backend.initialDocument();
  if (r.status !== 'ok') throw new Error(`cannot open: ${JSON.stringify(r.error)}`);
  return { backend, view: r.data };
}

const cuesOf = (v: DocumentView): Cue[] => v.cues.map((c) => [c.startMs, c.endMs as number, c.text]);

describe('the fake backend answers like Rust (fixtures/backend-rules.json)', () => {
  it.each((rules.find as (Case & { query: SearchQueryDto; hits?: number[][]; error?: string })[]).map((c) => [c.name, c]))(
    'find: %s',
    async (_name, c) => {
      const { backend, view } = await open(c.cues);
      const r = await backend.findInDocument(view.docId, c.query);
      if (c.error) {
        expect(r.status === 'error' && r.error.kind).toBe(c.error);
      } else {
        expect(r.status === 'ok' && r.data.map((h) => [h.cue, h.startUtf16, h.endUtf16])).toEqual(c.hits);
      }
    },
  );

  it.each(
    (rules.replace as (Case & { query: SearchQueryDto; replacement: string; target: number[] | null; texts: string[] })[]).map((c) => [c.name, c]),
  )('replace: %s', async (_name, c) => {
    const { backend, view } = await open(c.cues);
    const target = c.target ? { cue: c.target[0], startUtf16: c.target[1] } : null;
    const r = await backend.replaceInDocument(view.docId, c.query, c.replacement, target);
    expect(r.status === 'ok' && r.data.cues.map((x) => x.text)).toEqual(c.texts);
  });

  it.each((rules.edits as (Case & { edits: EditDto[]; after?: Cue[]; error?: string })[]).map((c) => [c.name, c]))(
    'edits: %s',
    async (_name, c) => {
      const { backend, view } = await open(c.cues);
      const r = await backend.applyEdits(view.docId, view.revision, c.edits);
      if (c.error) {
        expect(r.status === 'error' && r.error.kind).toBe(c.error);
        const now = await backend.getDocument(view.docId);
        expect(now.status === 'ok' && cuesOf(now.data)).toEqual(c.cues);
      } else {
        expect(r.status === 'ok' && cuesOf(r.data)).toEqual(c.after);
      }
    },
  );
});

// ----- repository mode (fixtures/project-rules.json, checked by crates/repository/tests/backend_rules.rs)

const ROOT = '/proj';

async function openProject(): Promise<FakeBackend> {
  const files = Object.entries(projectRules.files as unknown as Record<string, [number, number | null, string][]>).map(([relative, cues]) => {
    const format = relative.endsWith('.txt') ? 'txt' : 'vtt';
    const doc = makeDocument(
      cues.map((c) => c[2]),
      { path: `${ROOT}/${relative}`, format },
    );
    doc.cues = doc.cues.map((c, i) => ({ ...c, startMs: cues[i][0], endMs: cues[i][1] }));
    return doc;
  });
  const backend = new FakeBackend(files, null);
  const r = await backend.openProject(ROOT);
  if (r.status !== 'ok') throw new Error(`cannot open the project: ${JSON.stringify(r.error)}`);
  return backend;
}

function planJson(plan: PlanDto) {
  return plan.files.map((f) => [
    f.relative,
    f.partnerOnly,
    f.hits.map((h) => {
      const partner = h.partner ? plan.files[h.partner[0]] : null;
      const other = h.partner ? partner?.hits[h.partner[1]] : null;
      return [h.cueIndex, h.startUtf16, h.old, h.new, h.foundBy, partner?.relative ?? null, other?.cueIndex ?? null];
    }),
  ]);
}

type SearchCase = { name: string; query: SearchQueryDto; files: unknown[] };
type PlanCase = { name: string; query: SearchQueryDto; replacement: string; files: unknown[]; after: Record<string, string[]> };

describe('the fake project answers like Rust (fixtures/project-rules.json)', () => {
  it.each((projectRules.search as SearchCase[]).map((c) => [c.name, c]))('search: %s', async (_name, c) => {
    const backend = await openProject();
    const r = await backend.searchProject(c.query, 1);
    const got = r.status === 'ok' && r.data ? r.data.files.map((f) => [f.relative, f.hits.map((h) => [h.cueIndex, h.startUtf16, h.endUtf16, h.before, h.matched, h.after])]) : r;
    expect(got).toEqual(c.files);
  });

  it.each((projectRules.plans as PlanCase[]).map((c) => [c.name, c]))('plan and apply: %s', async (_name, c) => {
    const backend = await openProject();
    const r = await backend.planProjectReplace(c.query, c.replacement);
    if (r.status !== 'ok') throw new Error(JSON.stringify(r.error));
    expect(planJson(r.data)).toEqual(c.files);
    const applied = await backend.applyProjectPlan(r.data.planId);
    expect(applied.status).toBe('ok');
    for (const [relative, texts] of Object.entries(c.after)) expect(backend.textsOf(`${ROOT}/${relative}`)).toEqual(texts);
  });
});
