/** Formats milliseconds as `HH:MM:SS.mmm` (hours keep growing past 99). */
export function formatTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms));
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor(total / 60_000) % 60;
  const s = Math.floor(total / 1000) % 60;
  const milli = total % 1000;
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(milli, 3)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

const FORMAT_NAMES = { vtt: 'WebVTT', srt: 'SubRip (SRT)', txt: 'Talk Python TXT' } as const;

export function formatName(format: keyof typeof FORMAT_NAMES): string {
  return FORMAT_NAMES[format];
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/**
 * Parses a typed time: `HH:MM:SS.mmm`, `MM:SS.mmm` or `SS.mmm` (the fraction may be left out or
 * have 1–3 digits; `,` is accepted for `.`). The leading field may exceed 59. Returns
 * milliseconds, or `null` when the text is not a time.
 */
export function parseTime(input: string): number | null {
  const m = /^\s*(?:(\d+):)??(?:(\d+):)?(\d+)(?:[.,](\d{1,3}))?\s*$/.exec(input);
  if (!m) return null;
  const [, hh, mm, ss, frac] = m;
  const h = hh === undefined ? 0 : Number(hh);
  const min = mm === undefined ? 0 : Number(mm);
  const s = Number(ss);
  // A field after the leading one is a two-digit clock field.
  if (hh !== undefined && (mm === undefined || mm.length > 2 || min > 59)) return null;
  if ((hh !== undefined || mm !== undefined) && (ss.length > 2 || s > 59)) return null;
  const ms = frac === undefined ? 0 : Number(frac.padEnd(3, '0'));
  const total = ((h * 60 + min) * 60 + s) * 1000 + ms;
  return Number.isSafeInteger(total) && total <= 0xffff_ffff ? total : null;
}

/** Unicode scalar values in the first `utf16` code units of `text` (the caret for `split`). */
export function utf16ToChars(text: string, utf16: number): number {
  let chars = 0;
  for (let i = 0; i < utf16 && i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one scalar value.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        if (i + 1 >= utf16) break; // the caret cannot sit inside a pair; count it before
        i++;
      }
    }
    chars++;
  }
  return chars;
}

/** Number of Unicode scalar values in `text`. */
export function charCount(text: string): number {
  return utf16ToChars(text, text.length);
}

/**
 * The time at which to split a cue whose text is cut after `atChar` of `totalChars` characters:
 * the same fraction of its duration, rounded to ms and kept strictly inside the cue when it is
 * long enough.
 */
export function splitTime(startMs: number, endMs: number, atChar: number, totalChars: number): number {
  const duration = Math.max(0, endMs - startMs);
  const fraction = totalChars > 0 ? atChar / totalChars : 0.5;
  const t = startMs + Math.round(duration * fraction);
  if (duration < 2) return startMs;
  return Math.min(endMs - 1, Math.max(startMs + 1, t));
}
