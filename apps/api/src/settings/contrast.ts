// The accent colour an owner picks (site settings) must stay readable wherever the pages use it.
// WCAG 2 contrast (relative luminance), against the web app's own colours
// (apps/web/src/styles/global.css; contrast.test.ts holds these to that file).

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

const WHITE = '#ffffff';

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

/** A ratio as people read it: rounded down to one decimal (4.49 is not 4.5). */
const ratio = (value: number) => `${Math.floor(value * 10) / 10}:1`;

/**
 * Why `accent` cannot be the site's accent, one sentence per use it fails, or none. In the light
 * theme it is the buttons' background under white text (4.5:1), the colour of links and secondary
 * buttons' text on the cards and the page (4.5:1), and the focus ring on the page's tinted top
 * (3:1). The dark theme takes a lighter shade of it that passes there (`accentPalette`), so a
 * colour is never refused for the dark theme's sake.
 */
export function accentProblems(accent: string): string[] {
  const colour = accent.toLowerCase();
  const problems: string[] = [];
  const onWhite = contrastRatio(WHITE, colour);
  if (onWhite < TEXT_CONTRAST) {
    problems.push(
      `white button text on ${colour} has a contrast of ${ratio(onWhite)}, below the ${TEXT_CONTRAST}:1 WCAG AA asks for: pick a darker colour`,
    );
  }
  const onPage = contrastRatio(colour, LIGHT_THEME.bg);
  if (onPage < TEXT_CONTRAST) {
    problems.push(
      `${colour} as link text on the page background (${LIGHT_THEME.bg}) has a contrast of ${ratio(onPage)}, below the ${TEXT_CONTRAST}:1 WCAG AA asks for: pick a darker colour`,
    );
  }
  const ring = contrastRatio(colour, LIGHT_THEME.bgAccent);
  if (ring < NON_TEXT_CONTRAST) {
    problems.push(
      `${colour} as the focus ring on the page's tinted top (${LIGHT_THEME.bgAccent}) has a contrast of ${ratio(ring)}, below the ${NON_TEXT_CONTRAST}:1 WCAG AA asks for: pick a darker colour`,
    );
  }
  return problems;
}

/** `a` mixed with `b`, `share` (0 to 1) of `b`, per sRGB channel. */
export function mix(a: string, b: string, share: number): string {
  const channel = (offset: number) => {
    const from = Number.parseInt(a.slice(offset, offset + 2), 16);
    const to = Number.parseInt(b.slice(offset, offset + 2), 16);
    return Math.round(from + (to - from) * share)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(1)}${channel(3)}${channel(5)}`;
}

/** The accent's colours in one theme, as global.css names them. */
export interface AccentColours {
  accent: string;
  hover: string;
  text: string;
}

/** What the pages use for an accent: the light theme's, and a lighter shade for the dark theme. */
export interface AccentPalette {
  light: AccentColours;
  dark: AccentColours;
}

/**
 * The pages' colours for an accent that `accentProblems` passed. Light: the colour itself, white
 * text, a darker hover (more contrast still). Dark: the colour lightened with white in steps of
 * 5 % until it reads 4.5:1 on the dark cards and page, with the dark page colour as its text (as
 * the shipped dark accent has), and a lighter hover.
 */
export function accentPalette(accent: string): AccentPalette {
  const colour = accent.toLowerCase();
  const readsInDark = (shade: string) =>
    [DARK_THEME.bg, DARK_THEME.surface, DARK_THEME.bgAccent].every(
      (background) => contrastRatio(shade, background) >= TEXT_CONTRAST,
    );
  let share = 0;
  while (share < 1 && !readsInDark(mix(colour, WHITE, share))) share += 0.05;
  const dark = mix(colour, WHITE, Math.min(share, 1));
  return {
    light: { accent: colour, hover: mix(colour, '#000000', 0.2), text: WHITE },
    dark: { accent: dark, hover: mix(dark, WHITE, 0.25), text: DARK_THEME.bg },
  };
}
