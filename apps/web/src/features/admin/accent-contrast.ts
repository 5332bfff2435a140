import { accentUses, TEXT_CONTRAST } from '@catlist/contracts';

// The accent colour the owner picks, checked as they type with the contract's checks (the API
// runs the same before it saves, `low_contrast`): saying so here first saves a round trip and
// shows the number while the owner picks.

/** WCAG AA for normal-size text. */
export const AA_CONTRAST = TEXT_CONTRAST;

/**
 * The accent's contrast as the panel shows it: the lower of white text on it and it on the page
 * (both need 4.5:1).
 */
export const accentContrast = (accent: string) =>
  Math.min(...accentUses(accent).flatMap(({ use, ratio }) => (use === 'focusRing' ? [] : [ratio])));

/** Whether the accent passes every use (the focus ring's 3:1 too), as the server will check. */
export const accentReadable = (accent: string) =>
  accentUses(accent).every(({ ratio, needed }) => ratio >= needed);

/**
 * "4.49:1": rounded down, so that a ratio just under 4.5 never reads as 4.5 while it is refused.
 */
export const formatRatio = (ratio: number) => `${(Math.floor(ratio * 100) / 100).toFixed(2)}:1`;
