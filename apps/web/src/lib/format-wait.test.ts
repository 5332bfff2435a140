import { describe, expect, it } from 'vitest';
import { inEnglish } from '../features/admin/describe-admin-error';
import { formatWait } from './format-wait';

describe('formatWait', () => {
  it('rounds up to whole seconds, minutes or hours', () => {
    expect(formatWait(0, inEnglish)).toBe('1 second');
    expect(formatWait(1, inEnglish)).toBe('1 second');
    expect(formatWait(42, inEnglish)).toBe('42 seconds');
    expect(formatWait(60, inEnglish)).toBe('1 minute');
    expect(formatWait(61, inEnglish)).toBe('2 minutes');
    expect(formatWait(900, inEnglish)).toBe('15 minutes');
    expect(formatWait(3600, inEnglish)).toBe('1 hour');
    expect(formatWait(7201, inEnglish)).toBe('3 hours');
  });
});
