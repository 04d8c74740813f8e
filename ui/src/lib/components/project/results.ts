// What the project panel's lists show, as plain data: search hits grouped by file and cut to a
// page, a replace plan's hits grouped by file with each pair's two hits together, and the bits of
// text around a hit. Pure functions (no DOM, no stores), so the grouping rules are tested alone.

import type { PlanDto, PlanFileDto, PlanHitDto, ProjectFileHitsDto, ProjectHitDto, ProjectSearchDto } from '../../ipc/backend';

/** Hits rendered at most per page (the rest behind "Show more"): typing stays fast on huge answers. */
export const PAGE = 300;

export const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

/** `ms` as `HH:MM:SS` (a cue's start). */
export function hms(ms: number): string {
  const t = Math.floor(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(t / 3600))}:${two(Math.floor(t / 60) % 60)}:${two(t % 60)}`;
}

/** The text around a span of `line`, cut to `ctx` characters each side. */
export function around(line: string, at: number, length: number, ctx = 48) {
  let pre = line.slice(0, at);
  let post = line.slice(at + length);
  if (pre.length > ctx) pre = `…${pre.slice(-ctx)}`;
  if (post.length > ctx) post = `${post.slice(0, ctx)}…`;
  return { pre, span: line.slice(at, at + length), post };
}

export type SearchGroup = { file: ProjectFileHitsDto; hits: ProjectHitDto[] };

/** The search results by file, at most `limit` hits in all. */
export function searchGroups(results: ProjectSearchDto | null, limit: number): SearchGroup[] {
  const out: SearchGroup[] = [];
  let left = limit;
  for (const file of results?.files ?? []) {
    if (left <= 0) break;
    const hits = file.hits.slice(0, left);
    left -= hits.length;
    out.push({ file, hits });
  }
  return out;
}

export type PlanItem = { file: PlanFileDto; hit: PlanHitDto; partner: { file: PlanFileDto; hit: PlanHitDto } | null };
/** A file of a plan: the hits listed under it, and how many of its hits are listed under their partner instead. */
export type PlanGroup = { file: PlanFileDto; items: PlanItem[]; nested: number };

const isTxt = (f: PlanFileDto) => /\.txt$/i.test(f.path);

export function partnerOf(plan: PlanDto, hit: PlanHitDto): { file: PlanFileDto; hit: PlanHitDto } | null {
  if (!hit.partner) return null;
  const file = plan.files[hit.partner[0]];
  const other = file?.hits[hit.partner[1]];
  return file && other ? { file, hit: other } : null;
}

/** A hit shown under its partner rather than in its own file: the one the query did not find,
 * else the `.txt` side of a `.vtt`/`.txt` pair. */
export function nestedUnderPartner(plan: PlanDto, file: PlanFileDto, hit: PlanHitDto): boolean {
  const p = partnerOf(plan, hit);
  if (!p) return false;
  if (hit.foundBy !== p.hit.foundBy) return hit.foundBy === 'partner';
  if (isTxt(file) !== isTxt(p.file)) return isTxt(file);
  return file.index > p.file.index;
}

/** The plan's files with their hits (each pair once, under one of its files), at most `max` items. */
export function planGroups(plan: PlanDto | null, max: number): PlanGroup[] {
  if (!plan) return [];
  const out: PlanGroup[] = [];
  let left = max;
  for (const file of plan.files) {
    const items: PlanItem[] = [];
    let nested = 0;
    for (const hit of file.hits) {
      if (nestedUnderPartner(plan, file, hit)) {
        nested++;
        continue;
      }
      if (left <= 0) continue;
      left--;
      items.push({ file, hit, partner: partnerOf(plan, hit) });
    }
    if (items.length > 0 || left > 0) out.push({ file, items, nested });
  }
  // A file whose hits are all shown with their pairs comes right after the file of those pairs.
  for (const g of out.filter((g) => g.items.length === 0 && g.nested > 0)) {
    const partner = g.file.hits[0]?.partner;
    const host = partner ? out.findIndex((o) => o.file.index === partner[0]) : -1;
    const at = out.indexOf(g);
    if (host < 0 || !g.file.hits.every((h) => h.partner?.[0] === partner?.[0])) continue;
    out.splice(at, 1);
    out.splice(out.findIndex((o) => o.file.index === partner?.[0]) + 1, 0, g);
  }
  return out;
}
