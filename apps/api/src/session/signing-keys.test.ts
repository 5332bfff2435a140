import { createHmac } from 'node:crypto';
import Keygrip from 'keygrip';
import { describe, expect, it } from 'vitest';
import { SigningKeys } from './signing-keys.js';

const NEW = 'new-key-0123456789abcdefghijklmnopqrstuv';
const OLD = 'old-key-0123456789abcdefghijklmnopqrstuv';

describe('SigningKeys', () => {
  it('signs with the newest key exactly as Keygrip with sha256 does', () => {
    const keys = new SigningKeys([NEW, OLD]);
    const keygrip = new Keygrip([NEW, OLD], 'sha256');
    for (const data of ['sid=abc', 'sid=', 'sid=ünïcode']) {
      expect(keys.sign(data)).toBe(keygrip.sign(data));
      expect(keys.sign(data)).toBe(createHmac('sha256', NEW).update(data).digest('base64url'));
    }
  });

  it('verifies signatures of every key', () => {
    const keys = new SigningKeys([NEW, OLD]);
    const byOld = new SigningKeys([OLD]).sign('sid=abc');
    expect(keys.index('sid=abc', keys.sign('sid=abc'))).toBe(0);
    expect(keys.index('sid=abc', byOld)).toBe(0);
    expect(keys.verify('sid=abc', byOld)).toBe(true);
  });

  it.each([
    ['another value', (k: SigningKeys) => k.sign('sid=abd')],
    [
      'a retired key',
      () => new SigningKeys(['retired-key-0123456789abcdefghijklm']).sign('sid=abc'),
    ],
    ['a truncated signature', (k: SigningKeys) => k.sign('sid=abc').slice(0, -1)],
    ['an empty signature', () => ''],
    ['non-ASCII', () => 'ü'.repeat(43)],
  ])('refuses %s', (_, digest) => {
    const keys = new SigningKeys([NEW, OLD]);
    expect(keys.index('sid=abc', digest(keys))).toBe(-1);
  });
});

describe('SigningKeys remembering what it verified', () => {
  it('still refuses a wrong signature for data whose right one it remembers', () => {
    const keys = new SigningKeys([NEW]);
    const right = keys.sign('sid=abc');
    expect(keys.index('sid=abc', right)).toBe(0); // now remembered
    expect(keys.index('sid=abc', keys.sign('sid=abd'))).toBe(-1);
    expect(keys.index('sid=abc', `${right.slice(0, -1)}${right.endsWith('A') ? 'B' : 'A'}`)).toBe(
      -1,
    );
    expect(keys.index('sid=abc', '')).toBe(-1);
    expect(keys.index('sid=abd', right)).toBe(-1);
    expect(keys.index('sid=abc', right)).toBe(0);
  });

  it('accepts the old key’s signature beside a remembered new one', () => {
    const keys = new SigningKeys([NEW, OLD]);
    const byOld = new SigningKeys([OLD]).sign('sid=abc');
    expect(keys.index('sid=abc', keys.sign('sid=abc'))).toBe(0);
    expect(keys.index('sid=abc', byOld)).toBe(0);
    expect(keys.index('sid=abc', keys.sign('sid=abc'))).toBe(0);
  });

  it('keeps verifying correctly past its capacity, oldest forgotten first', () => {
    const keys = new SigningKeys([NEW], { remember: 3 });
    const data = ['sid=1', 'sid=2', 'sid=3', 'sid=4', 'sid=5'];
    for (const item of data) expect(keys.index(item, keys.sign(item))).toBe(0);
    for (const item of data) {
      expect(keys.index(item, keys.sign(item))).toBe(0);
      expect(keys.index(item, keys.sign(`${item}x`))).toBe(-1);
    }
  });
});
