import { describe, expect, it } from 'vitest';
import {
  accentFailures,
  accentUses,
  contrastRatio,
  formatRatio,
  LIGHT_THEME,
  luminance,
  NON_TEXT_CONTRAST,
  TEXT_CONTRAST,
} from './contrast.js';

describe('contrastRatio (WCAG 2)', () => {
  it('is 21:1 for black on white, 1:1 for a colour on itself, in either order', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#1a6b4c', '#1a6b4c')).toBe(1);
    // The grey that is famously just enough on white.
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('weighs green most and blue least, and treats dark channels linearly', () => {
    expect(luminance('#ffffff')).toBeCloseTo(1, 5);
    expect(luminance('#00ff00')).toBeCloseTo(0.7152, 4);
    expect(luminance('#ff0000')).toBeCloseTo(0.2126, 4);
    expect(luminance('#0000ff')).toBeCloseTo(0.0722, 4);
    // Below the sRGB knee (10/255 = 0.039) a channel is divided by 12.92.
    expect(luminance('#0a0000')).toBeCloseTo((10 / 255 / 12.92) * 0.2126, 8);
    expect(luminance('#808080')).toBeCloseTo(0.2159, 4);
  });
});

describe('accentUses', () => {
  it('checks white button text, link text on the page and the focus ring on the tinted top', () => {
    const uses = accentUses('#1A6B4C');
    expect(uses.map(({ use, against, needed }) => [use, against, needed])).toEqual([
      ['buttonText', '#ffffff', TEXT_CONTRAST],
      ['linkText', LIGHT_THEME.bg, TEXT_CONTRAST],
      ['focusRing', LIGHT_THEME.bgAccent, NON_TEXT_CONTRAST],
    ]);
    expect(uses[0]?.ratio).toBeCloseTo(contrastRatio('#1a6b4c', '#ffffff'), 8);
    expect(uses[1]?.ratio).toBeCloseTo(contrastRatio('#1a6b4c', '#fdf6ec'), 8);
    expect(uses[2]?.ratio).toBeCloseTo(contrastRatio('#1a6b4c', '#f8e3c8'), 8);
  });

  it.each(['#b3400b', '#1a6b4c', '#0b57d0', '#717171', '#000000', '#2B1D14'])(
    'finds nothing wrong with %s',
    (colour) => expect(accentFailures(colour)).toEqual([]),
  );

  it('fails a colour just under 4.5:1 with white text, and one fine there but not on the page', () => {
    expect(accentFailures('#777777').map(({ use }) => use)).toEqual(['buttonText', 'linkText']);
    expect(accentFailures('#767676').map(({ use }) => use)).toEqual(['linkText']);
  });

  it('fails a light colour everywhere, the focus ring below its own 3:1 too', () => {
    expect(accentFailures('#f0a040').map(({ use }) => use)).toEqual([
      'buttonText',
      'linkText',
      'focusRing',
    ]);
    // A colour above 3:1 on the tinted top but under 4.5:1 elsewhere fails only as text.
    const mid = accentFailures('#a07050');
    expect(mid.map(({ use }) => use)).not.toContain('focusRing');
  });
});

describe('formatRatio', () => {
  it('rounds down to one decimal, so 4.49 never reads as 4.5', () => {
    expect(formatRatio(4.49)).toBe('4.4:1');
    expect(formatRatio(4.5)).toBe('4.5:1');
    expect(formatRatio(21)).toBe('21:1');
  });
});
