import { describe, expect, it } from 'vitest';
import { checkEmail, isValidEmail, normalizeEmail } from './email.js';

describe('normalizeEmail', () => {
  it('trims surrounding whitespace, including tabs and newlines', () => {
    expect(normalizeEmail('  cat@example.com\t\n')).toBe('cat@example.com');
  });

  it('lower-cases', () => {
    expect(normalizeEmail('Tom.Cat@Example.COM')).toBe('tom.cat@example.com');
  });

  it('lower-cases before composing, so a capital with a combining mark meets its precomposed form', () => {
    // T + U+0308 has no precomposed capital; t + U+0308 is U+1E97 (ẗ). NFC first left two spellings.
    expect(normalizeEmail('T\u0308ee@x.com')).toBe('\u1e97ee@x.com');
    expect(normalizeEmail('\u1e97ee@x.com')).toBe('\u1e97ee@x.com');
    expect(normalizeEmail('J\u030cOSE@X.COM')).toBe('\u01f0ose@x.com');
    expect(normalizeEmail('\u0399\u0308\u0301@x.gr')).toBe('\u0390@x.gr');
  });

  it('composes to Unicode NFC so the same address is stored once', () => {
    const decomposed = 'jose\u0301@example.com';
    const composed = 'jos\u00e9@example.com';
    expect(normalizeEmail(decomposed)).toBe(composed);
    expect(normalizeEmail(composed)).toBe(composed);
  });
});

describe('normalizeEmail: the domain in its ASCII form (UTS #46 ToASCII)', () => {
  it('folds full-width letters in the domain', () => {
    expect(normalizeEmail('v@\uff45xample.com')).toBe('v@example.com');
    expect(normalizeEmail('v@example.\uff43om')).toBe('v@example.com');
    expect(normalizeEmail('V@\uff25XAMPLE.COM')).toBe('v@example.com');
  });

  it('puts a Unicode domain in punycode, and leaves punycode as it is', () => {
    expect(normalizeEmail('v@ex\u00e4mple.com')).toBe('v@xn--exmple-cua.com');
    expect(normalizeEmail('v@exa\u0308mple.com')).toBe('v@xn--exmple-cua.com');
    expect(normalizeEmail('v@EX\u00c4MPLE.COM')).toBe('v@xn--exmple-cua.com');
    expect(normalizeEmail('v@xn--exmple-cua.com')).toBe('v@xn--exmple-cua.com');
    expect(normalizeEmail('ネコ@例え.jp')).toBe('ネコ@xn--r8jz45g.jp');
  });

  it('leaves the local part in Unicode', () => {
    expect(normalizeEmail('J\u00d6RG@example.com')).toBe('j\u00f6rg@example.com');
  });

  it('leaves text without an @ as it is, and converts a domain after a bare @', () => {
    // An admin search for part of an address.
    expect(normalizeEmail('Ex\u00c4mple')).toBe('ex\u00e4mple');
    expect(normalizeEmail('@Ex\u00c4mple.com')).toBe('@xn--exmple-cua.com');
    expect(normalizeEmail('v@w@ex\u00e4mple.com')).toBe('v@w@ex\u00e4mple.com');
  });

  it('refuses a domain whose last label is a number (an IPv4 address to URL parsing), only that', () => {
    for (const input of ['v@1.23', 'v@10.0.0.1', 'v@example.0x1f', 'v@\uff11.\uff12']) {
      expect(checkEmail(input), input).toEqual({
        ok: false,
        problem: 'invalid',
      });
    }
    for (const input of ['v@example.1com', 'v@example.c1', 'v@example.1.com', 'v@12.example.com']) {
      expect(checkEmail(input), input).toEqual({ ok: true, email: input });
    }
  });

  it('hands URL parsing nothing but a host name', () => {
    // Each would be a path, user info, a port, a percent-escape or an IPv4 address to `new URL`.
    for (const input of [
      'v@example.com/x',
      'v@example.com?x',
      'v@example.com#x',
      'v@example.com:25',
      'v@ex%61mple.com',
      'v@[127.0.0.1]',
      'v@1.2',
      'v@example.0x1f',
      'v@exa\\mple.com',
    ]) {
      expect(normalizeEmail(input)).toBe(input);
      expect(checkEmail(input)).toEqual({
        ok: false,
        problem: 'invalid',
      });
    }
  });
});

describe('checkEmail', () => {
  it('stores one address for the spellings of one mailbox', () => {
    for (const spelling of [
      'v@example.com',
      ' V@EXAMPLE.COM ',
      'v@\uff45xample.com',
      'v@example.\uff43om',
      'v@\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25.com',
    ]) {
      expect(checkEmail(spelling)).toEqual({ ok: true, email: 'v@example.com' });
    }
    expect(checkEmail('v@ex\u00e4mple.com')).toEqual({ ok: true, email: 'v@xn--exmple-cua.com' });
    expect(checkEmail('v@XN--EXMPLE-CUA.com')).toEqual({ ok: true, email: 'v@xn--exmple-cua.com' });
  });

  it('refuses local parts that are not a dot-atom', () => {
    for (const input of [
      '"v@example.com',
      'v@example.com"',
      'v"@example.com',
      '"v"@example.com',
      '"quoted"@example.com',
      'x@attacker"victim.example',
      'v(comment)@example.com',
      '(v)@example.com',
      '<v>@example.com',
      'v,w@example.com',
      'v:w@example.com',
      'v;w@example.com',
      'v\\w@example.com',
      'v[w]@example.com',
      '.v@example.com',
      'v.@example.com',
      'v..w@example.com',
    ]) {
      expect(checkEmail(input), input).toEqual({
        ok: false,
        problem: 'invalid',
      });
    }
  });

  it('refuses a domain that ToASCII refuses', () => {
    for (const input of [
      'v@xn--a.com',
      'v@exa"mple.com',
      'v@exa^mple.com',
      'v@exa|mple.com',
      'v@example.com.',
      'v@.example.com',
      'v@example..com',
      'v@',
      '@example.com',
      'v@\u037e.com',
    ]) {
      expect(checkEmail(input), input).toEqual({
        ok: false,
        problem: 'invalid',
      });
    }
  });

  it('accepts ordinary addresses and returns them normalised', () => {
    expect(checkEmail(' Cat@Example.com ')).toEqual({ ok: true, email: 'cat@example.com' });
    expect(isValidEmail('first.last+tag@sub.example.co.uk')).toBe(true);
    expect(isValidEmail("o'brien!#$%&*+/=?^_`{|}~-@example.com")).toBe(true);
    expect(isValidEmail('chat@exemple.fr')).toBe(true);
    expect(isValidEmail('ネコ@例え.jp')).toBe(true);
  });

  it('asks for an address when given nothing or only whitespace', () => {
    expect(checkEmail('')).toEqual({ ok: false, problem: 'empty' });
    expect(checkEmail('   ')).toEqual({
      ok: false,
      problem: 'empty',
    });
  });

  it('accepts exactly 254 characters and refuses 255', () => {
    const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(63)}.com`; // 195 chars
    const at254 = `${'a'.repeat(254 - 1 - domain.length)}@${domain}`;
    expect(at254).toHaveLength(254);
    expect(isValidEmail(at254)).toBe(true);
    expect(checkEmail(`a${at254}`)).toEqual({
      ok: false,
      problem: 'tooLong',
    });
  });

  it('accepts a 64-character local part and refuses 65', () => {
    expect(isValidEmail(`${'a'.repeat(64)}@example.com`)).toBe(true);
    expect(checkEmail(`${'a'.repeat(65)}@example.com`)).toEqual({
      ok: false,
      problem: 'localTooLong',
    });
  });

  it('counts characters, not UTF-16 units', () => {
    expect(isValidEmail(`${'🐱'.repeat(64)}@example.com`)).toBe(true);
    expect(isValidEmail(`${'🐱'.repeat(65)}@example.com`)).toBe(false);
  });

  it.each([
    ['no @', 'cat.example.com'],
    ['two @', 'cat@home@example.com'],
    // Each side of each @ is a valid part on its own: only the count of @ refuses it.
    ['two @ between valid parts', 'a@b.c@d.e'],
    ['two @ in a row', 'cat@@example.com'],
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
    // Default-ignorable code points: invisible, so they make look-alikes of real addresses.
    ['a Hangul filler (U+3164)', 'cat\u3164@example.com'],
    ['a Hangul choseong filler (U+115F)', 'cat@exa\u115fmple.com'],
    ['a halfwidth Hangul filler (U+FFA0)', '\uffa0cat@example.com'],
    ['a combining grapheme joiner (U+034F)', 'ca\u034ft@example.com'],
    ['a variation selector (U+FE0F)', 'cat\ufe0f@example.com'],
    ['a variation selector supplement (U+E0100)', 'cat@example.com\u{e0100}x'],
    ['a word joiner (U+2060)', 'cat\u2060@example.com'],
    ['a soft hyphen (U+00AD)', 'ca\u00adt@example.com'],
    ['a Mongolian vowel separator (U+180E)', 'cat@exam\u180eple.com'],
    ['a left-to-right mark (U+200E)', 'cat\u200e@example.com'],
    ['a tag character (U+E0041)', 'cat@example.com\u{e0041}'],
  ])('refuses an address with %s', (_, input) => {
    expect(checkEmail(input)).toEqual({
      ok: false,
      problem: 'invalid',
    });
  });
});
