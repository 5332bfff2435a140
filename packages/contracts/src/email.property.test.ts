import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEmail, MAX_EMAIL_LENGTH, MAX_LOCAL_PART_LENGTH, normalizeEmail } from './email.js';

const RUNS = { numRuns: 2_000 };
const codePoints = (text: string) => [...text].length;

// Addresses that should mostly be valid, with case, Unicode and padding thrown in.
const plausible = fc
  .tuple(
    fc.stringMatching(/^[A-Za-z0-9._%+\-'"=]{1,70}$/),
    fc.array(fc.stringMatching(/^[A-Za-z0-9\-\u00c0-\u024f]{1,20}$/), {
      minLength: 2,
      maxLength: 5,
    }),
    fc.constantFrom('', ' ', '\t', '\n '),
  )
  .map(([local, labels, pad]) => `${pad}${local}@${labels.join('.')}${pad}`);
const anything = fc.oneof(plausible, fc.string({ unit: 'binary', maxLength: 300 }), fc.string());

describe('email rules, for any input', () => {
  it('normalising is idempotent', () => {
    fc.assert(
      fc.property(anything, (input) => {
        const once = normalizeEmail(input);
        expect(normalizeEmail(once)).toBe(once);
      }),
      RUNS,
    );
  });

  it('an accepted address is already normal and is accepted again unchanged', () => {
    fc.assert(
      fc.property(anything, (input) => {
        const result = checkEmail(input);
        if (!result.ok) return;
        expect(result.email).toBe(normalizeEmail(input));
        expect(checkEmail(result.email)).toEqual(result);
      }),
      RUNS,
    );
  });

  it('nothing accepted holds whitespace, a control character or an over-long part', () => {
    fc.assert(
      fc.property(anything, (input) => {
        const result = checkEmail(input);
        if (!result.ok) return;
        const { email } = result;
        expect(email).not.toMatch(/[\p{White_Space}\p{Cc}]/u);
        expect(codePoints(email)).toBeLessThanOrEqual(MAX_EMAIL_LENGTH);
        const [local = '', domain = '', ...rest] = email.split('@');
        expect(rest).toEqual([]);
        expect(codePoints(local)).toBeGreaterThan(0);
        expect(codePoints(local)).toBeLessThanOrEqual(MAX_LOCAL_PART_LENGTH);
        expect(domain).toMatch(/^[^.]+(\.[^.]+)+$/);
      }),
      RUNS,
    );
  });

  it('inserting a control or whitespace character anywhere inside makes an address invalid', () => {
    const bad = fc.constantFrom(
      '\u0000',
      '\u0007',
      '\r',
      '\n',
      '\u007f',
      '\u0085',
      ' ',
      '\u00a0',
      '\u2028',
      '\u200b',
      '\ud800',
      '\ufffd',
    );
    fc.assert(
      fc.property(plausible, bad, fc.nat(), (address, char, at) => {
        const inner = address.trim();
        const position = 1 + (at % Math.max(1, inner.length - 1));
        expect(checkEmail(inner.slice(0, position) + char + inner.slice(position)).ok).toBe(false);
      }),
      RUNS,
    );
  });
});
