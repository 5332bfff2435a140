import { describe, expect, it } from 'vitest';
import { AA_CONTRAST, accentContrast, contrastRatio, formatRatio } from './accent-contrast';

describe('accent contrast', () => {
  it('measures WCAG contrast: black on white is 21:1, a colour on itself 1:1', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#1a6b4c', '#1a6b4c')).toBe(1);
    // #767676 on white is the well-known lightest grey that passes AA (4.54:1).
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });

  it('takes the lower of the contrast with white text and with the page', () => {
    // The shipped accent passes; a light yellow and a mid grey do not.
    expect(accentContrast('#b3400b')).toBeGreaterThanOrEqual(AA_CONTRAST);
    expect(accentContrast('#ffeb3b')).toBeLessThan(AA_CONTRAST);
    // Passes on white (4.54) but not on the slightly darker page background.
    expect(accentContrast('#767676')).toBeLessThan(contrastRatio('#767676', '#ffffff'));
    expect(accentContrast('#767676')).toBeLessThan(AA_CONTRAST);
  });

  it('rounds the shown ratio down', () => {
    expect(formatRatio(4.499)).toBe('4.49:1');
    expect(formatRatio(21)).toBe('21.00:1');
  });
});
