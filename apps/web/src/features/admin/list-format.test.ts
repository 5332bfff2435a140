import { describe, expect, it } from 'vitest';
import {
  formatMatches,
  formatPending,
  formatShowing,
  formatSubscribers,
  timeFormatter,
} from './list-format';

describe('list wording', () => {
  it('counts subscribers and matches', () => {
    expect(formatSubscribers(0)).toBe('0 subscribers');
    expect(formatSubscribers(1)).toBe('1 subscriber');
    expect(formatSubscribers(1234)).toBe('1,234 subscribers');
    expect(formatMatches(3, 120)).toBe('3 of 120 subscribers match');
    expect(formatMatches(1, 120)).toBe('1 of 120 subscribers matches');
    expect(formatMatches(0, 1200)).toBe('0 of 1,200 subscribers match');
    expect(formatPending(3)).toBe('3 waiting for confirmation');
    expect(formatPending(1234)).toBe('1,234 waiting for confirmation');
  });

  it('says what the rows on screen are out of: the list, or the matches of a search', () => {
    expect(formatShowing(50, 120, false)).toBe('Showing 50 of 120 subscribers');
    expect(formatShowing(29, 29, false)).toBe('Showing all 29 subscribers');
    expect(formatShowing(1, 1, false)).toBe('Showing the only subscriber');
    // Beside "11 of 29 subscribers match": the same 11, not a second total.
    expect(formatShowing(11, 11, true)).toBe('Showing all 11 matches');
    expect(formatShowing(50, 1200, true)).toBe('Showing 50 of 1,200 matches');
    expect(formatShowing(1, 1, true)).toBe('Showing the only match');
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
