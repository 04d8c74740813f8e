// Repository mode for the in-memory backend (`backend.ts`): a project over the fake's files, with
// the Rust side's rules in small: search with the find bar's matching, grouped by file in path
// order with context; a replace plan with before/after per hit and pairs (`X.vtt` + `X.txt`)
// linked by time and text; include/exclude; the new cue texts of an applied plan.

import type {
  CueDto,
  FormatDto,
  PlanCountsDto,
  PlanDto,
  PlanFileDto,
  PlanHitDto,
  ProjectEpisodeDto,
  ProjectFileDto,
  ProjectSearchDto,
  ProjectView,
} from '../lib/ipc/backend';

/** One transcript of the fake project as search and plans see it (open documents: their text). */
export type ProjectFile = {
  path: string;
  relative: string;
  format: FormatDto;
  cues: CueDto[];
  errors: number;
  warnings: number;
  problem: string | null;
  modified: boolean;
  conflict: boolean;
  /** Open in the window: a replace goes through its editor. */
  inEditor: boolean;
};

/** An entry of the fake glossary (`.cueline/glossary.toml`). */
export type FakeGlossaryEntry = {
  from: string;
  to: string;
  regex?: boolean;
  /** Default true, like the real glossary. */
  wholeWord?: boolean;
  /** Default false. */
  matchCase?: boolean;
};

/** What a plan replaces: a compiled pattern and what a match becomes. */
export type PlanSource = { re: RegExp; replace: (matched: string) => string };

const CONTEXT = 40;

const split = (path: string) => {
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  return { dir: path.slice(0, Math.max(0, slash)), base: dot > 0 ? name.slice(0, dot) : name };
};

const timed = (f: { format: FormatDto }) => f.format !== 'txt';

/** The partner of each file of a pair (same folder, same basename, one timed and one `.txt`). */
export function pairs(files: readonly ProjectFile[]): Map<string, string> {
  const byEpisode = new Map<string, ProjectFile[]>();
  for (const f of files) {
    const { dir, base } = split(f.path);
    const key = `${dir}/${base}`;
    byEpisode.set(key, [...(byEpisode.get(key) ?? []), f]);
  }
  const out = new Map<string, string>();
  for (const group of byEpisode.values()) {
    const t = group.find(timed);
    const x = group.find((f) => f.format === 'txt');
    if (t && x) {
      out.set(t.path, x.path);
      out.set(x.path, t.path);
    }
  }
  return out;
}

export function projectView(
  root: string,
  files: readonly ProjectFile[],
  hasGlossary: boolean,
  /** Audio beside a transcript, by transcript path. */
  audioBeside: ReadonlyMap<string, string> = new Map(),
): ProjectView {
  const episodes = new Map<string, ProjectEpisodeDto>();
  for (const f of files) {
    const { dir, base } = split(f.path);
    const key = `${dir}/${base}`;
    let ep = episodes.get(key);
    if (!ep) {
      const folder = dir.length > root.length ? dir.slice(root.length + 1) : '';
      ep = { name: base, folder, files: [], audio: [], pair: null };
      episodes.set(key, ep);
    }
    const audio = audioBeside.get(f.path);
    if (audio && !ep.audio.includes(audio)) ep.audio.push(audio);
    const dto: ProjectFileDto = {
      path: f.path,
      relative: f.relative,
      format: f.format,
      cues: f.cues.length,
      errors: f.errors,
      warnings: f.warnings,
      problem: f.problem,
      modified: f.modified,
      conflict: f.conflict,
    };
    ep.files.push(dto);
  }
  for (const ep of episodes.values()) {
    const t = ep.files.findIndex(timed);
    const x = ep.files.findIndex((f) => f.format === 'txt');
    if (t >= 0 && x >= 0) ep.pair = [t, x];
  }
  return { root, episodes: [...episodes.values()], fileCount: files.length, hasGlossary };
}

/** Up to CONTEXT characters on each side of a hit, line breaks as spaces, `…` where cut. */
function snippet(text: string, start: number, end: number) {
  const flat = (s: string) => s.replace(/\r?\n/g, ' ');
  const before = text.slice(Math.max(0, start - CONTEXT), start);
  const after = text.slice(end, end + CONTEXT);
  return {
    before: (start > CONTEXT ? '…' : '') + flat(before),
    matched: flat(text.slice(start, end)),
    after: flat(after) + (end + CONTEXT < text.length ? '…' : ''),
  };
}

function* matches(re: RegExp, text: string): Generator<{ start: number; end: number; text: string }> {
  re.lastIndex = 0;
  for (const m of text.matchAll(re)) {
    if (m[0].length === 0) continue;
    yield { start: m.index, end: m.index + m[0].length, text: m[0] };
  }
}

export function search(
  files: readonly ProjectFile[],
  re: RegExp,
  generation: number,
  limits: { maxHits: number; maxCount: number },
): ProjectSearchDto {
  const out: ProjectSearchDto = { generation, totalHits: 0, shownHits: 0, complete: true, files: [], micros: 120 };
  for (const f of files) {
    if (f.problem !== null) continue;
    const hits: ProjectSearchDto['files'][number]['hits'] = [];
    let total = 0;
    for (const cue of f.cues) {
      for (const m of matches(re, cue.text)) {
        if (out.totalHits >= limits.maxCount) {
          out.complete = false;
          break;
        }
        total++;
        out.totalHits++;
        if (out.shownHits < limits.maxHits) {
          out.shownHits++;
          hits.push({
            cueIndex: cue.index,
            startMs: cue.startMs,
            line: cue.line + 1 + cue.text.slice(0, m.start).split('\n').length - 1,
            startUtf16: m.start,
            endUtf16: m.end,
            ...snippet(cue.text, m.start, m.end),
          });
        }
      }
    }
    if (total > 0) out.files.push({ path: f.path, relative: f.relative, total, hits });
    if (!out.complete) break;
  }
  return out;
}

type RawHit = {
  file: number;
  cue: number;
  start: number;
  end: number;
  old: string;
  new: string;
  foundBy: 'query' | 'partner';
  partner: RawHit | null;
};

/** A plan under review, as the fake keeps it: the DTO (mutated by include/exclude) and the
 * cue texts it was made from, by path (apply refuses when they changed). */
export type FakePlan = { dto: PlanDto; made: Map<string, string>; hits: Map<string, RawHit> };

/** Where `old` occurs in `text`, from `from`. */
function occurrences(text: string, old: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(old); at >= 0; at = text.indexOf(old, at + 1)) out.push(at);
  return out;
}

export function plan(files: readonly ProjectFile[], sources: readonly PlanSource[], planId: number): FakePlan {
  const raw: RawHit[][] = files.map(() => []);
  const taken = (file: number, cue: number, start: number, end: number) =>
    raw[file].some((h) => h.cue === cue && h.start < end && start < h.end);
  for (const source of sources) {
    files.forEach((f, file) => {
      if (f.problem !== null) return;
      for (const cue of f.cues) {
        for (const m of matches(source.re, cue.text)) {
          const replaced = source.replace(m.text);
          if (replaced === m.text || taken(file, cue.index, m.start, m.end)) continue;
          raw[file].push({ file, cue: cue.index, start: m.start, end: m.end, old: m.text, new: replaced, foundBy: 'query', partner: null });
        }
      }
    });
  }

  // Pairs: the same span in the paired file, found by time and text.
  const partnerOf = pairs(files);
  const indexOf = new Map(files.map((f, i) => [f.path, i]));
  for (let file = 0; file < files.length; file++) {
    const other = indexOf.get(partnerOf.get(files[file].path) ?? '');
    if (other === undefined || files[other].problem !== null) continue;
    for (const h of [...raw[file]]) {
      if (h.partner || h.foundBy !== 'query') continue;
      const spot = findPartner(files[file], h, files[other], raw[other]);
      if (!spot) continue;
      const existing = raw[other].find((p) => p.cue === spot.cue && p.start === spot.start && p.old === h.old);
      if (existing) {
        if (existing.partner) continue;
        existing.partner = h;
        h.partner = existing;
      } else {
        const p: RawHit = { file: other, cue: spot.cue, start: spot.start, end: spot.start + h.old.length, old: h.old, new: h.new, foundBy: 'partner', partner: h };
        h.partner = p;
        raw[other].push(p);
      }
    }
  }

  const planFiles: PlanFileDto[] = [];
  const made = new Map<string, string>();
  const byId = new Map<string, RawHit>();
  const ids = new Map<RawHit, [number, number]>();
  files.forEach((f, file) => {
    const hits = raw[file].sort((a, b) => a.cue - b.cue || a.start - b.start);
    if (hits.length === 0) return;
    const index = planFiles.length;
    hits.forEach((h, i) => ids.set(h, [index, i]));
    planFiles.push({
      index,
      path: f.path,
      relative: f.relative,
      inEditor: f.inEditor,
      partnerOnly: hits.every((h) => h.foundBy === 'partner'),
      included: true,
      hits: [],
    });
    made.set(f.path, JSON.stringify(f.cues.map((c) => c.text)));
  });
  for (const pf of planFiles) {
    const file = files.findIndex((f) => f.path === pf.path);
    pf.hits = raw[file].map((h): PlanHitDto => {
      const text = files[file].cues[h.cue].text;
      const lineStart = text.lastIndexOf('\n', h.start - 1) + 1;
      const nl = text.indexOf('\n', h.end);
      const lineEnd = nl < 0 ? text.length : nl;
      const before = text.slice(lineStart, lineEnd);
      const at = h.start - lineStart;
      const id = ids.get(h) as [number, number];
      byId.set(id.join(':'), h);
      return {
        id,
        cueIndex: h.cue,
        startMs: files[file].cues[h.cue].startMs,
        line: files[file].cues[h.cue].line + 1 + text.slice(0, h.start).split('\n').length - 1,
        old: h.old,
        new: h.new,
        before,
        after: before.slice(0, at) + h.new + before.slice(at + h.old.length),
        atUtf16: at,
        startUtf16: h.start,
        endUtf16: h.end,
        note: null,
        foundBy: h.foundBy,
        partner: h.partner ? (ids.get(h.partner) ?? null) : null,
        included: true,
      };
    });
  }
  const dto: PlanDto = { planId, files: planFiles, counts: counts(planFiles) };
  return { dto, made, hits: byId };
}

/** The partner span of hit `h` of `from` in `to`: by time (a TXT entry starts at or before the
 * cue, in whole seconds; a cue starts within the entry's span) and by text. */
function findPartner(from: ProjectFile, h: RawHit, to: ProjectFile, claimed: RawHit[]): { cue: number; start: number } | null {
  const cue = from.cues[h.cue];
  const free = (c: number, start: number) => !claimed.some((p) => p.cue === c && p.start === start && p.partner);
  let candidates: CueDto[];
  if (timed(from)) {
    const at = Math.floor(cue.startMs / 1000) * 1000;
    candidates = to.cues.filter((c) => c.startMs <= at).slice(-3).reverse();
  } else {
    const next = from.cues[h.cue + 1]?.startMs ?? Infinity;
    candidates = to.cues.filter((c) => c.startMs >= cue.startMs && c.startMs < Math.max(next, cue.startMs + 1000));
  }
  for (const c of candidates) {
    for (const start of occurrences(c.text, h.old)) if (free(c.index, start)) return { cue: c.index, start };
  }
  return null;
}

export function counts(files: readonly PlanFileDto[]): PlanCountsDto {
  const c: PlanCountsDto = { hits: 0, files: 0, includedHits: 0, includedFiles: 0, pairs: 0 };
  for (const f of files) {
    c.files++;
    c.hits += f.hits.length;
    const n = f.included ? f.hits.filter((h) => h.included).length : 0;
    c.includedHits += n;
    c.includedFiles += n > 0 ? 1 : 0;
    c.pairs += f.hits.filter((h) => h.partner !== null).length;
  }
  c.pairs = Math.floor(c.pairs / 2);
  return c;
}

/** Includes or excludes a hit and its partner; false when there is no such hit. */
export function setHit(p: PlanDto, id: [number, number], included: boolean): boolean {
  const hit = p.files[id[0]]?.hits[id[1]];
  if (!hit) return false;
  hit.included = included;
  if (hit.partner) {
    const partner = p.files[hit.partner[0]]?.hits[hit.partner[1]];
    if (partner) partner.included = included;
  }
  p.counts = counts(p.files);
  return true;
}

export function setFile(p: PlanDto, index: number, included: boolean): boolean {
  const file = p.files[index];
  if (!file) return false;
  file.included = included;
  p.counts = counts(p.files);
  return true;
}

/** The new cue texts of each file the plan changes (included hits of included files). */
export function replaced(p: FakePlan, files: readonly ProjectFile[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pf of p.dto.files) {
    if (!pf.included) continue;
    const f = files.find((x) => x.path === pf.path);
    if (!f) continue;
    const texts = f.cues.map((c) => c.text);
    const byCue = new Map<number, RawHit[]>();
    pf.hits.forEach((h) => {
      if (!h.included) return;
      const r = p.hits.get(h.id.join(':'));
      if (r) byCue.set(h.cueIndex, [...(byCue.get(h.cueIndex) ?? []), r]);
    });
    if (byCue.size === 0) continue;
    for (const [cue, hits] of byCue) {
      let text = texts[cue];
      for (const h of [...hits].sort((a, b) => b.start - a.start)) text = text.slice(0, h.start) + h.new + text.slice(h.end);
      texts[cue] = text;
    }
    out.set(pf.path, texts);
  }
  return out;
}

/** The fake glossary's entries as plan sources (whole word by default, case-insensitive). */
export function glossarySources(entries: readonly FakeGlossaryEntry[]): PlanSource[] {
  return entries.map((e) => {
    let source = e.regex ? e.from : e.from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (e.wholeWord ?? true) source = `(?<![\\p{L}\\p{N}_])(?:${source})(?![\\p{L}\\p{N}_])`;
    const flags = `gu${e.matchCase ? '' : 'i'}`;
    const re = new RegExp(source, flags);
    const one = new RegExp(source, flags.replace('g', ''));
    return { re, replace: (m: string) => (e.regex ? m.replace(one, e.to) : e.to) };
  });
}
