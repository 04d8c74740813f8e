import { describe, expect, it } from 'vitest';
import { HeightIndex } from '../src/lib/components/heights';
import { formatName, formatTime, plural } from '../src/lib/time';

describe('formatTime', () => {
  it('prints HH:MM:SS.mmm', () => {
    expect(formatTime(0)).toBe('00:00:00.000');
    expect(formatTime(4_560)).toBe('00:00:04.560');
    expect(formatTime(3_723_004)).toBe('01:02:03.004');
    expect(formatTime(100 * 3_600_000)).toBe('100:00:00.000');
  });
});

describe('labels', () => {
  it('names formats and counts', () => {
    expect(formatName('txt')).toBe('Talk Python TXT');
    expect(plural(1, 'cue')).toBe('1 cue');
    expect(plural(5536, 'cue')).toBe('5,536 cues');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
  });
});

describe('HeightIndex', () => {
  it('sums estimated and measured heights and finds rows by position', () => {
    const h = new HeightIndex(4, () => 10);
    expect(h.total).toBe(40);
    expect(h.indexAt(0)).toBe(0);
    expect(h.indexAt(25)).toBe(2);
    expect(h.indexAt(1e9)).toBe(3);
    expect(h.set(1, 30)).toBe(20);
    expect(h.set(1, 30)).toBe(0);
    expect(h.offsetOf(2)).toBe(40);
    expect(h.total).toBe(60);
    expect(h.indexAt(39)).toBe(1);
    expect(h.indexAt(40)).toBe(2);
  });

  it('handles an empty list', () => {
    const h = new HeightIndex(0, () => 10);
    expect(h.total).toBe(0);
    expect(h.indexAt(100)).toBe(0);
  });
});
