// The accent colour an owner picks (site settings): the checks are the contract's
// (packages/contracts/src/contrast.ts, which the admin's panel runs as the owner types); here, the
// sentences the API answers with, and the shades the pages use in the dark theme.
import {
  type AccentUse,
  accentFailures,
  contrastRatio,
  DARK_THEME,
  formatRatio,
  TEXT_CONTRAST,
} from '@catlist/contracts';

export { contrastRatio, DARK_THEME, LIGHT_THEME } from '@catlist/contracts';

const WHITE = '#ffffff';

const USE_NAMES: Record<AccentUse['use'], (colour: string, against: string) => string> = {
  buttonText: (colour) => `white button text on ${colour}`,
  linkText: (colour, against) => `${colour} as link text on the page background (${against})`,
  focusRing: (colour, against) =>
    `${colour} as the focus ring on the page's tinted top (${against})`,
};

/**
 * Why `accent` cannot be the site's accent, one sentence per use it fails (contracts'
 * accentUses), or none.
 */
export function accentProblems(accent: string): string[] {
  const colour = accent.toLowerCase();
  return accentFailures(colour).map(
    ({ use, against, ratio, needed }) =>
      `${USE_NAMES[use](colour, against)} has a contrast of ${formatRatio(ratio)}, below the ${needed}:1 WCAG AA asks for: pick a darker colour`,
  );
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
