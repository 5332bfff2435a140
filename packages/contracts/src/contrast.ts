// The accent colour an owner picks (site settings) must stay readable wherever the pages use it:
// WCAG 2 contrast (relative luminance) against the web app's own colours
// (apps/web/src/styles/global.css; the API's settings/contrast.test.ts holds these to that file).
// Here once for both sides: the admin's settings panel checks as the owner types, the API checks
// again before it saves (`low_contrast`).

/** The light theme's backgrounds and text, as global.css sets them. */
export const LIGHT_THEME = {
  bg: '#fdf6ec',
  bgAccent: '#f8e3c8',
  surface: '#ffffff',
  text: '#2b1d14',
} as const;

/** The dark theme's, likewise. */
export const DARK_THEME = {
  bg: '#1c1511',
  bgAccent: '#2a1f18',
  surface: '#2a211b',
  text: '#f6ebe0',
} as const;

/** Normal text (a button's label, a link) needs 4.5:1 (WCAG 2 AA, 1.4.3). */
export const TEXT_CONTRAST = 4.5;
/** A focus ring or a mark needs 3:1 against what it is drawn on (WCAG 2.1 1.4.11). */
export const NON_TEXT_CONTRAST = 3;

/** WCAG relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const channel = (offset: number) => {
    const value = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** The WCAG contrast ratio of two `#rrggbb` colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [lighter, darker] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}

/** One use of the accent in the light theme, its contrast there, and what that use needs. */
export interface AccentUse {
  use: 'buttonText' | 'linkText' | 'focusRing';
  /** What the accent meets there. */
  against: string;
  ratio: number;
  needed: number;
}

/**
 * The accent's uses in the light theme: the buttons' background under white text (4.5:1), the
 * colour of links and secondary buttons' text on the page (4.5:1), and the focus ring on the
 * page's tinted top (3:1). The dark theme takes a lighter shade of it that passes there (the
 * API's accentPalette), so a colour is never refused for the dark theme's sake.
 */
export function accentUses(accent: string): AccentUse[] {
  const colour = accent.toLowerCase();
  const use = (name: AccentUse['use'], against: string, needed: number): AccentUse => ({
    use: name,
    against,
    ratio: contrastRatio(colour, against),
    needed,
  });
  return [
    use('buttonText', '#ffffff', TEXT_CONTRAST),
    use('linkText', LIGHT_THEME.bg, TEXT_CONTRAST),
    use('focusRing', LIGHT_THEME.bgAccent, NON_TEXT_CONTRAST),
  ];
}

/** The uses `accent` fails; none: it can be the site's accent. */
export const accentFailures = (accent: string) =>
  accentUses(accent).filter(({ ratio, needed }) => ratio < needed);

/** A ratio as people read it: rounded down to one decimal (4.49 is not 4.5). */
export const formatRatio = (value: number) => `${Math.floor(value * 10) / 10}:1`;
