import { contrastRatio } from '@catlist/contracts';
import { describe, expect, it } from 'vitest';
import { AA_CONTRAST, accentContrast, accentReadable, formatRatio } from './accent-contrast';

describe('accent contrast in the settings panel', () => {
  it('shows the lower of the contrast with white text and with the page', () => {
    // The shipped accent passes; a light yellow and a mid grey do not.
    expect(accentContrast('#b3400b')).toBeGreaterThanOrEqual(AA_CONTRAST);
    expect(accentContrast('#ffeb3b')).toBeLessThan(AA_CONTRAST);
    // Passes on white (4.54) but not on the slightly darker page background.
    expect(accentContrast('#767676')).toBeLessThan(contrastRatio('#767676', '#ffffff'));
    expect(accentContrast('#767676')).toBeLessThan(AA_CONTRAST);
  });

  it('takes a colour only when every use reads, as the server does', () => {
    expect(accentReadable('#b3400b')).toBe(true);
    expect(accentReadable('#1a6b4c')).toBe(true);
    expect(accentReadable('#767676')).toBe(false);
    expect(accentReadable('#ffeb3b')).toBe(false);
  });

  it('rounds the shown ratio down', () => {
    expect(formatRatio(4.499)).toBe('4.49:1');
    expect(formatRatio(21)).toBe('21.00:1');
  });
});
