import { describe, expect, it } from 'vitest';
import { formatMatches, formatSubscribers, timeFormatter } from './list-format';

describe('list wording', () => {
  it('counts subscribers and matches', () => {
    expect(formatSubscribers(0)).toBe('0 subscribers');
    expect(formatSubscribers(1)).toBe('1 subscriber');
    expect(formatSubscribers(1234)).toBe('1,234 subscribers');
    expect(formatMatches(3, 120)).toBe('3 of 120 match');
    expect(formatMatches(1, 120)).toBe('1 of 120 matches');
    expect(formatMatches(0, 1200)).toBe('0 of 1,200 match');
  });

  it("formats times in the viewer's language", () => {
    const iso = '2025-03-01T14:05:00.000Z';
    const expected = (locale: string) =>
      new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
        new Date(iso),
      );
    expect(timeFormatter(['de-DE'])(iso)).toBe(expected('de-DE'));
    expect(timeFormatter(['de-DE'])(iso)).toMatch(/01\.03\.2025/);
    expect(timeFormatter(['en-US'])(iso)).toBe(expected('en-US'));
    expect(timeFormatter(['en-US'])(iso)).toMatch(/2025/);
  });

  it('shows an unreadable timestamp as it is rather than throwing', () => {
    expect(timeFormatter(['en'])('yesterday')).toBe('yesterday');
  });
});
