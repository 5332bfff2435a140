/**
 * WCAG 2 contrast, for the accent colour the owner picks: the button's white text sits on it, and
 * it sits (as links and focus rings) on the page's light background. Both must reach AA for normal
 * text, 4.5:1, as the server checks before it saves (`low_contrast`); saying so here first saves
 * a round trip and shows the number while the owner picks.
 */

/** WCAG AA for normal-size text. */
export const AA_CONTRAST = 4.5;

/** What the accent is drawn against: the button's text, the page's background (global.css). */
const BUTTON_TEXT = '#ffffff';
const PAGE_BACKGROUND = '#fdf6ec';

const channel = (value: number) => {
  const s = value / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
};

/** Relative luminance of `#rrggbb` (WCAG 2.2, "relative luminance"). */
export function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  return (
    0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255)
  );
}

/** The contrast ratio of two `#rrggbb` colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The lower of the accent's two contrasts: with the button's text and with the page. */
export function accentContrast(accent: string): number {
  return Math.min(contrastRatio(accent, BUTTON_TEXT), contrastRatio(accent, PAGE_BACKGROUND));
}

/**
 * "4.49:1": rounded down, so that a ratio just under 4.5 never reads as 4.5 while it is refused.
 */
export const formatRatio = (ratio: number) => `${(Math.floor(ratio * 100) / 100).toFixed(2)}:1`;
