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

  it("formats times in the viewer's language, naming the time zone", () => {
    const iso = '2025-03-01T14:05:00.000Z';
    expect(timeFormatter(['en-US'], 'UTC')(iso)).toBe('Mar 1, 2025, 2:05 PM UTC');
    expect(timeFormatter(['de-DE'], 'Europe/Berlin')(iso)).toBe('1. März 2025, 15:05 MEZ');
    expect(timeFormatter(['en-US'], 'America/New_York')(iso)).toBe('Mar 1, 2025, 9:05 AM EST');
  });

  it('shows an unreadable timestamp as it is rather than throwing', () => {
    expect(timeFormatter(['en'])('yesterday')).toBe('yesterday');
  });
});
