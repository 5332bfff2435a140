/// <reference types="node" />
// Read from disk: the test runner hands CSS imports (even ?raw) over as empty strings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(join(import.meta.dirname, 'global.css'), 'utf8');

/** The custom properties set in the block that starts at `selector` (first match). */
function variables(block: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [, name, value] of block.matchAll(/(--[\w-]+):\s*([^;]+);/g)) {
    if (name && value) found[name] = value.trim();
  }
  return found;
}

function resolve(vars: Record<string, string>, name: string): string {
  const value = vars[name] ?? '';
  const reference = /^var\((--[\w-]+)\)$/.exec(value);
  return reference?.[1] ? resolve(vars, reference[1]) : value;
}

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const light = variables(
  css.slice(css.indexOf(':root {'), css.indexOf('@media (prefers-color-scheme: dark)')),
);
const dark = {
  ...light,
  ...variables(css.slice(css.indexOf('@media (prefers-color-scheme: dark)'))),
};

describe('the focus ring', () => {
  it.each([
    ['light', light],
    ['dark', dark],
  ])('is the brand colour and stands out 3:1 from every background (%s)', (_, vars) => {
    expect(css.length).toBeGreaterThan(1000);
    expect(resolve(vars, '--focus')).toBe(resolve(vars, '--accent'));
    const ring = resolve(vars, '--focus');
    expect(ring).toMatch(/^#[0-9a-f]{6}$/i);
    for (const background of ['--bg', '--bg-accent', '--surface']) {
      expect(contrast(ring, resolve(vars, background))).toBeGreaterThanOrEqual(3);
    }
  });
});
