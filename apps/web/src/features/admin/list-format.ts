// Counts are worded in English like the rest of the UI; signup times follow the viewer's locale.
const NUMBER = new Intl.NumberFormat('en');
const TIME_STYLE: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };

/** "1 subscriber", "1,234 subscribers". */
export function formatSubscribers(count: number): string {
  return count === 1 ? '1 subscriber' : `${NUMBER.format(count)} subscribers`;
}

/** "3 of 120 match", "1 of 120 matches". */
export function formatMatches(matching: number, overall: number): string {
  return `${NUMBER.format(matching)} of ${NUMBER.format(overall)} ${matching === 1 ? 'matches' : 'match'}`;
}

/**
 * Formats signup times in the viewer's preferred languages and time zone, e.g. "Mar 1, 2025,
 * 2:05 PM" or "01.03.2025, 14:05"; an unreadable timestamp is shown as it came.
 */
export function timeFormatter(languages: readonly string[] = navigator.languages) {
  const format = new Intl.DateTimeFormat([...languages], TIME_STYLE);
  return (iso: string): string => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : format.format(date);
  };
}
