import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  accentPalette,
  accentProblems,
  contrastRatio,
  DARK_THEME,
  LIGHT_THEME,
  mix,
} from './contrast.js';

describe('accentProblems', () => {
  it.each(['#b3400b', '#1a6b4c', '#0b57d0', '#717171', '#000000', '#2B1D14'])(
    'takes %s: white text on it, it on the page, its focus ring all read',
    (colour) => {
      expect(accentProblems(colour)).toEqual([]);
    },
  );

  it('refuses a colour under white text below 4.5:1, saying so and by how much', () => {
    expect(accentProblems('#777777')[0]).toBe(
      'white button text on #777777 has a contrast of 4.4:1, below the 4.5:1 WCAG AA asks for: pick a darker colour',
    );
  });

  it('refuses a colour fine under white text but below 4.5:1 as link text on the page', () => {
    // 4.54:1 with white, 4.23:1 on the page's #fdf6ec.
    expect(accentProblems('#767676')).toEqual([
      '#767676 as link text on the page background (#fdf6ec) has a contrast of 4.2:1, below the 4.5:1 WCAG AA asks for: pick a darker colour',
    ]);
  });

  it('names every use a light colour fails, the focus ring too', () => {
    const problems = accentProblems('#F0A040');
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^white button text on #f0a040 has a contrast of 2\.1:1/);
    expect(problems[1]).toMatch(/link text on the page background/);
    expect(problems[2]).toMatch(/^#f0a040 as the focus ring .* 1\.7:1, below the 3:1/);
  });
});

describe('accentPalette', () => {
  it.each(['#b3400b', '#1a6b4c', '#0b57d0', '#000000', '#2b1d14', '#5a0d7a'])(
    'keeps %s for the light theme and finds a dark-theme shade that reads 4.5:1 there',
    (colour) => {
      const { light, dark } = accentPalette(colour);
      expect(light).toMatchObject({ accent: colour, text: '#ffffff' });
      expect(contrastRatio(light.text, light.hover)).toBeGreaterThanOrEqual(4.5);
      for (const background of [DARK_THEME.bg, DARK_THEME.surface, DARK_THEME.bgAccent]) {
        expect(contrastRatio(dark.accent, background)).toBeGreaterThanOrEqual(4.5);
      }
      expect(contrastRatio(dark.text, dark.accent)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(dark.text, dark.hover)).toBeGreaterThanOrEqual(4.5);
    },
  );

  it('mixes per channel', () => {
    expect(mix('#000000', '#ffffff', 0.5)).toBe('#808080');
    expect(mix('#102030', '#102030', 0.3)).toBe('#102030');
  });
});

describe("the web app's colours", () => {
  it('are the ones the checks use (apps/web/src/styles/global.css)', () => {
    const css = readFileSync(
      join(import.meta.dirname, '..', '..', '..', 'web', 'src', 'styles', 'global.css'),
      'utf8',
    );
    const darkAt = css.indexOf('@media (prefers-color-scheme: dark)');
    const value = (block: string, name: string) =>
      new RegExp(`${name}:\\s*(#[0-9a-f]{6});`).exec(block)?.[1];
    for (const [block, theme] of [
      [css.slice(0, darkAt), LIGHT_THEME],
      [css.slice(darkAt), DARK_THEME],
    ] as const) {
      expect(value(block, '--bg')).toBe(theme.bg);
      expect(value(block, '--bg-accent')).toBe(theme.bgAccent);
      expect(value(block, '--surface')).toBe(theme.surface);
      expect(value(block, '--text')).toBe(theme.text);
    }
  });
});
