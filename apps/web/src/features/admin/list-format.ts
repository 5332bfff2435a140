// Counts are worded in English like the rest of the UI; signup times follow the viewer's locale.
const NUMBER = new Intl.NumberFormat('en');
// The zone's name is shown: an admin comparing times with a log or a colleague needs it.
const TIME_STYLE: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
};

/** "1,234". */
export function formatCount(count: number): string {
  return NUMBER.format(count);
}

/** "1 subscriber", "1,234 subscribers". */
export function formatSubscribers(count: number): string {
  return count === 1 ? '1 subscriber' : `${NUMBER.format(count)} subscribers`;
}

/** "3 of 120 subscribers match", "1 of 120 subscribers matches". */
export function formatMatches(matching: number, overall: number): string {
  return `${NUMBER.format(matching)} of ${formatSubscribers(overall)} ${matching === 1 ? 'matches' : 'match'}`;
}

/**
 * What the rows on screen are out of, worded as what they are: without a search or filter the
 * list ("Showing 50 of 120 subscribers"), with one the matches ("Showing all 11 matches"), so it
 * never reads as a second, different total beside "11 of 29 subscribers match".
 */
export function formatShowing(shown: number, matching: number, filtered: boolean): string {
  const noun = filtered
    ? matching === 1
      ? 'match'
      : 'matches'
    : matching === 1
      ? 'subscriber'
      : 'subscribers';
  if (shown >= matching) {
    return matching === 1
      ? `Showing the only ${noun}`
      : `Showing all ${NUMBER.format(matching)} ${noun}`;
  }
  return `Showing ${NUMBER.format(shown)} of ${NUMBER.format(matching)} ${noun}`;
}

/** "3 waiting for confirmation": signups whose link has not been opened yet. */
export function formatPending(count: number): string {
  return `${NUMBER.format(count)} waiting for confirmation`;
}

/**
 * Formats signup times in the viewer's preferred languages and time zone, naming the zone, e.g.
 * "Mar 1, 2025, 2:05 PM UTC" or "1. März 2025, 15:05 MEZ"; an unreadable timestamp is shown as
 * it came.
 */
export function timeFormatter(
  languages: readonly string[] = navigator.languages,
  timeZone: string | undefined = undefined,
) {
  const format = new Intl.DateTimeFormat([...languages], { ...TIME_STYLE, timeZone });
  return (iso: string): string => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : format.format(date);
  };
}
