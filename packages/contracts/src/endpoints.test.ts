import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { SubscriberParams, SubscribersQuery } from './endpoints.js';

describe('admin inputs', () => {
  it.each([
    ['a NUL', '\u0000'],
    ['a NUL inside', 'cat\u0000dog'],
    ['a line feed', 'cat\n'],
    ['an escape', '\u001b[31m'],
    ['a C1 control', '\u0085'],
  ])('refuses %s in the search, the cursor and the address to delete', (_, text) => {
    expect(z.safeParse(SubscribersQuery, { q: text }).success).toBe(false);
    expect(z.safeParse(SubscribersQuery, { cursor: text }).success).toBe(false);
    expect(z.safeParse(SubscriberParams, { email: text }).success).toBe(false);
  });

  it('takes ordinary text, Unicode included', () => {
    expect(
      z.parse(SubscribersQuery, { q: 'gmail', cursor: 'WzEsImFAYi5jIl0', limit: '20' }),
    ).toEqual({ q: 'gmail', cursor: 'WzEsImFAYi5jIl0', limit: 20 });
    expect(z.parse(SubscriberParams, { email: 'ネコ@例え.jp' })).toEqual({ email: 'ネコ@例え.jp' });
  });
});
