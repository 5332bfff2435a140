import { domainToASCII } from 'node:url';
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
// Text where case and composition interact: Latin and Greek letters (capital, small,
// precomposed), combining marks, and the odd letter whose case mapping is special.
const caseAndComposition = fc
  .array(
    fc.oneof(
      fc.constantFrom(...'AaEeIiJjOoTtWwYyHhSsΑαΙιΥυΩωΣσςİıßſ'.split('')),
      fc.integer({ min: 0x00c0, max: 0x024f }).map((cp) => String.fromCodePoint(cp)),
      fc.integer({ min: 0x0370, max: 0x03ff }).map((cp) => String.fromCodePoint(cp)),
      fc.integer({ min: 0x1e00, max: 0x1fff }).map((cp) => String.fromCodePoint(cp)),
      fc.integer({ min: 0x0300, max: 0x036f }).map((cp) => String.fromCodePoint(cp)),
      fc.constantFrom('\u0345', '\u1dc0', '\u20d0', '\u0483', '@', '.'),
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(''));
const anything = fc.oneof(
  plausible,
  caseAndComposition,
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string(),
);

/**
 * Each character upper- or lower-cased at random, where that round-trips. Not sigma: lower-casing
 * Σ depends on its neighbours (σ, or ς at the end of a word), so it has no one lower case.
 */
const recased = (text: string, pattern: number) =>
  [...text]
    .map((char, i) => {
      const upper = char.toUpperCase();
      const wantUpper = ((pattern >> (i % 30)) & 1) === 1;
      const roundTrips = upper.toLowerCase() === char.toLowerCase() && upper !== 'Σ';
      return wantUpper && roundTrips ? upper : char;
    })
    .join('');

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

  it('normalising gives NFC text', () => {
    fc.assert(
      fc.property(anything, (input) => {
        const normal = normalizeEmail(input);
        expect(normal.normalize('NFC')).toBe(normal);
      }),
      RUNS,
    );
  });

  it('every spelling of one address, by case or by composition, normalises to one string', () => {
    fc.assert(
      fc.property(anything, fc.nat(), (input, pattern) => {
        const normal = normalizeEmail(input);
        for (const spelling of [
          input.normalize('NFD'),
          input.normalize('NFC'),
          input.toLowerCase(),
          recased(input, pattern),
          recased(input.normalize('NFD'), pattern),
        ]) {
          expect(normalizeEmail(spelling)).toBe(normal);
        }
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

  it('inserting a control, whitespace or invisible character anywhere inside makes an address invalid', () => {
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
      '\u034f',
      '\u115f',
      '\u3164',
      '\ufe0f',
      '\u2060',
      '\u00ad',
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

// One mailbox under the spellings that nodemailer delivers to the same place (it sends to the
// domain's ASCII form): a local part, and a domain of ASCII labels that may carry Latin letters
// with diacritics (so that it has a Unicode and a punycode form).
const mailbox = fc.record({
  local: fc.stringMatching(/^[a-z0-9_+\-\u00e0-\u00ff]{1,20}(\.[a-z0-9_+-]{1,10}){0,2}$/),
  labels: fc.array(
    fc.stringMatching(/^[a-z\u00e0-\u00f6\u00f8-\u00ff][a-z0-9\u00e0-\u00f6]{0,14}$/),
    {
      minLength: 1,
      maxLength: 3,
    },
  ),
  tld: fc.stringMatching(/^[a-z]{2,6}$/),
});
/** ASCII letters and digits swapped at random for their full-width forms (U+FF01–FF5E). */
const fullWidth = (text: string, pattern: number) =>
  [...text]
    .map((char, i) =>
      /[!-~]/.test(char) && ((pattern >> (i % 30)) & 1) === 1
        ? String.fromCodePoint((char.codePointAt(0) ?? 0) + 0xfee0)
        : char,
    )
    .join('');

describe('one mailbox, one stored address', () => {
  it('case, composition, full-width letters, punycode and whitespace all give the same address', () => {
    fc.assert(
      fc.property(
        mailbox,
        fc.nat(),
        fc.constantFrom('', ' ', '\t', '\n ', '\u3000'),
        ({ local, labels, tld }, pattern, pad) => {
          const unicodeDomain = [...labels, tld].join('.');
          const punycode = domainToASCII(unicodeDomain);
          const expected = checkEmail(`${local}@${unicodeDomain}`);
          expect(expected).toEqual({ ok: true, email: `${local}@${punycode}` });
          for (const spelling of [
            `${local}@${punycode}`,
            `${local}@${punycode.toUpperCase()}`,
            `${local}@${fullWidth(unicodeDomain, pattern)}`,
            `${local}@${fullWidth(punycode, pattern)}`,
            `${local}@${unicodeDomain.normalize('NFD')}`,
            `${local.normalize('NFD')}@${unicodeDomain.toUpperCase()}`,
            recased(`${local}@${unicodeDomain}`, pattern),
            `${pad}${local}@${unicodeDomain}${pad}`,
          ]) {
            expect(normalizeEmail(spelling)).toBe(`${local}@${punycode}`);
            expect(checkEmail(spelling)).toEqual(expected);
          }
        },
      ),
      RUNS,
    );
  });

  it('an accepted address has an ASCII domain and a dot-atom local part', () => {
    fc.assert(
      fc.property(anything, (input) => {
        const result = checkEmail(input);
        if (!result.ok) return;
        const [local = '', domain = ''] = result.email.split('@');
        expect(domain).toMatch(/^[\x21-\x7e]+$/);
        expect(domainToASCII(domain)).toBe(domain);
        expect(local).not.toMatch(/["(),:;<>[\]\\]|^\.|\.$|\.\./);
      }),
      RUNS,
    );
  });
});
