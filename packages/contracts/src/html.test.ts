import { describe, expect, it } from 'vitest';
import { escapeHtml } from './html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
  });

  it('leaves every other character as it is, and escapes each occurrence', () => {
    expect(escapeHtml('Chats & chiens & 猫 — ok')).toBe('Chats &amp; chiens &amp; 猫 — ok');
    expect(escapeHtml('')).toBe('');
  });
});
