import { describe, expect, it } from 'vitest';
import { checkEmail, EMAIL_MESSAGES, isValidEmail, normalizeEmail } from './email.js';

describe('normalizeEmail', () => {
  it('trims surrounding whitespace, including tabs and newlines', () => {
    expect(normalizeEmail('  cat@example.com\t\n')).toBe('cat@example.com');
  });

  it('lower-cases', () => {
    expect(normalizeEmail('Tom.Cat@Example.COM')).toBe('tom.cat@example.com');
  });

  it('composes to Unicode NFC so the same address is stored once', () => {
    const decomposed = 'jose\u0301@example.com';
    const composed = 'jos\u00e9@example.com';
    expect(normalizeEmail(decomposed)).toBe(composed);
    expect(normalizeEmail(composed)).toBe(composed);
  });
});

describe('checkEmail', () => {
  it('accepts ordinary addresses and returns them normalised', () => {
    expect(checkEmail(' Cat@Example.com ')).toEqual({ ok: true, email: 'cat@example.com' });
    expect(isValidEmail('first.last+tag@sub.example.co.uk')).toBe(true);
    expect(isValidEmail('"quoted"@example.com')).toBe(true);
    expect(isValidEmail('chat@exemple.fr')).toBe(true);
    expect(isValidEmail('ネコ@例え.jp')).toBe(true);
  });

  it('asks for an address when given nothing or only whitespace', () => {
    expect(checkEmail('')).toEqual({ ok: false, message: EMAIL_MESSAGES.empty });
    expect(checkEmail('   ')).toEqual({ ok: false, message: EMAIL_MESSAGES.empty });
  });

  it('accepts exactly 254 characters and refuses 255', () => {
    const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(63)}.com`; // 195 chars
    const at254 = `${'a'.repeat(254 - 1 - domain.length)}@${domain}`;
    expect(at254).toHaveLength(254);
    expect(isValidEmail(at254)).toBe(true);
    expect(checkEmail(`a${at254}`)).toEqual({ ok: false, message: EMAIL_MESSAGES.tooLong });
  });

  it('accepts a 64-character local part and refuses 65', () => {
    expect(isValidEmail(`${'a'.repeat(64)}@example.com`)).toBe(true);
    expect(checkEmail(`${'a'.repeat(65)}@example.com`)).toEqual({
      ok: false,
      message: EMAIL_MESSAGES.localTooLong,
    });
  });

  it('counts characters, not UTF-16 units', () => {
    expect(isValidEmail(`${'🐱'.repeat(64)}@example.com`)).toBe(true);
    expect(isValidEmail(`${'🐱'.repeat(65)}@example.com`)).toBe(false);
  });

  it.each([
    ['no @', 'cat.example.com'],
    ['two @', 'cat@home@example.com'],
    ['empty local part', '@example.com'],
    ['empty domain', 'cat@'],
    ['domain without a dot', 'cat@localhost'],
    ['domain starting with a dot', 'cat@.example.com'],
    ['domain ending with a dot', 'cat@example.com.'],
    ['empty domain label', 'cat@example..com'],
    ['inner space', 'tom cat@example.com'],
    ['CR LF injection', 'cat@example.com\r\nBcc: victim@example.com'],
    ['inner LF', 'cat\n@example.com'],
    ['NUL', 'cat\u0000@example.com'],
    ['DEL', 'cat\u007f@example.com'],
    ['zero-width space', 'cat\u200b@example.com'],
    ['non-breaking space', 'cat\u00a0x@example.com'],
    ['comma', 'cat,dog@example.com'],
    ['a lone surrogate', 'cat\ud800@example.com'],
    ['a replacement character (broken UTF-8)', 'ca\ufffdt@example.com'],
    ['angle brackets', '<cat@example.com>'],
  ])('refuses an address with %s', (_, input) => {
    expect(checkEmail(input)).toEqual({ ok: false, message: EMAIL_MESSAGES.invalid });
  });
});
