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
