/** The units a wait is told in. */
export type WaitUnit = 'second' | 'minute' | 'hour';

/**
 * "42 seconds", "3 minutes", "2 hours": rounded up, so nobody retries too early; `say` puts the
 * number and its unit into words (the page's language, or the admin's English).
 */
export function formatWait(seconds: number, say: (n: number, unit: WaitUnit) => string): string {
  if (seconds < 60) return say(Math.max(1, Math.ceil(seconds)), 'second');
  if (seconds < 3600) return say(Math.ceil(seconds / 60), 'minute');
  return say(Math.ceil(seconds / 3600), 'hour');
}
