import { MAX_ANNOUNCEMENT_BODY, MAX_ANNOUNCEMENT_SUBJECT } from '@catlist/contracts';
import { describe, expect, it } from 'vitest';
import { checkMessages, formatProgress, percentDone } from './announcement-format';

const progress = (change: object) => ({
  recipients: 0,
  queueingDone: true,
  waiting: 0,
  sent: 0,
  failed: 0,
  skipped: 0,
  unsubscribed: 0,
  ...change,
});

describe('percentDone', () => {
  it('counts sent, failed and skipped as done, rounding down so 100% means all', () => {
    expect(percentDone(progress({ recipients: 3, sent: 1, failed: 0, skipped: 0 }))).toBe(33);
    expect(percentDone(progress({ recipients: 200, sent: 197, failed: 1, skipped: 1 }))).toBe(99);
    expect(percentDone(progress({ recipients: 4, sent: 2, failed: 1, skipped: 1 }))).toBe(100);
  });

  it('is 0 before any recipient is queued, 100 when there was none to queue', () => {
    expect(percentDone(progress({ queueingDone: false }))).toBe(0);
    expect(percentDone(progress({ queueingDone: true }))).toBe(100);
  });
});

describe('formatProgress', () => {
  it('says the queue is still growing while recipients are being queued', () => {
    expect(formatProgress(progress({ recipients: 1200, queueingDone: false, sent: 5 }))).toBe(
      '1,200 queued so far · 5 sent · 0 failed · 0 skipped',
    );
  });
});

describe('checkMessages', () => {
  const ok = { language: 'en', subject: 'Hi', body: 'Hello' };

  it('accepts a version with a subject and a body', () => {
    expect(checkMessages([ok])).toEqual([{}]);
  });

  it('refuses the contract’s limits and a language used twice', () => {
    const [long, twice] = checkMessages([
      {
        language: 'en',
        subject: 'x'.repeat(MAX_ANNOUNCEMENT_SUBJECT + 1),
        body: 'y'.repeat(MAX_ANNOUNCEMENT_BODY + 1),
      },
      { ...ok, subject: '   ' },
    ]);
    expect(long?.subject).toMatch(/^Keep the subject to 200 characters/);
    expect(long?.body).toMatch(/^Keep the message to 100,000 characters/);
    expect(twice).toEqual({
      subject: 'Write a subject.',
      language: 'Another version is in this language.',
    });
  });

  it('takes a subject of exactly the longest length', () => {
    expect(checkMessages([{ ...ok, subject: 'x'.repeat(MAX_ANNOUNCEMENT_SUBJECT) }])).toEqual([{}]);
  });
});
