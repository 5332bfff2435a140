import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_VARIABLES, EnvError, loadEnv } from './env.js';

const KEY = 'k'.repeat(32);

function problems(source: Record<string, string>): string[] {
  try {
    loadEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  throw new Error('expected loadEnv to fail');
}

describe('loadEnv', () => {
  it('gives working defaults on an empty environment', () => {
    expect(loadEnv({})).toEqual({
      NODE_ENV: 'development',
      PORT: 3000,
      WEB_PORT: 5173,
      HOST: '127.0.0.1',
      DATABASE_URL: 'sqlite:./data/catlist.db',
      DATABASE_POOL_SIZE: 10,
      DATABASE_STATEMENT_TIMEOUT_MS: 5000,
      SESSION_KEYS: undefined,
      ADMIN_PASSWORD: undefined,
      CORS_ORIGINS: [],
      EMBED_ORIGINS: [],
      TRUST_PROXY: false,
      LOG_LEVEL: 'info',
      SITE_NAME: 'Cats Everywhere',
      SITE_TAGLINE: 'News, photos and the occasional meow, straight to your inbox.',
      PRIVACY_URL: undefined,
      SITE_ACCENT_COLOR: undefined,
      SITE_SHOW_COUNT: true,
      SITE_LANGUAGES: ['en', 'de', 'fr', 'es'],
      SITE_DEFAULT_LANGUAGE: 'en',
      MAIL_RETRY_MS: 15_000,
      SIGNUP_CHALLENGE: false,
      SIGNUP_CHALLENGE_DIFFICULTY: 10_000,
      SIGNUP_CHALLENGE_VALID_MS: 600_000,
    });
  });

  it('reads the signup challenge, and says what a good value is', () => {
    expect(
      loadEnv({
        SIGNUP_CHALLENGE: 'on',
        SIGNUP_CHALLENGE_DIFFICULTY: '50000',
        SIGNUP_CHALLENGE_VALID_MS: '300000',
      }),
    ).toMatchObject({
      SIGNUP_CHALLENGE: true,
      SIGNUP_CHALLENGE_DIFFICULTY: 50_000,
      SIGNUP_CHALLENGE_VALID_MS: 300_000,
    });
    expect(
      problems({
        SIGNUP_CHALLENGE: 'altcha',
        SIGNUP_CHALLENGE_DIFFICULTY: '0',
        SIGNUP_CHALLENGE_VALID_MS: '5000',
      }),
    ).toEqual([
      'SIGNUP_CHALLENGE must be on, 1, true, yes or off, 0, false, no; got "altcha"',
      'SIGNUP_CHALLENGE_DIFFICULTY must be a whole number from 1 to 10000000 (the most keys a browser derives; default 10000); got "0"',
      'SIGNUP_CHALLENGE_VALID_MS must be a whole number of milliseconds from 10000 to 86400000 (how long a challenge may take to come back solved); got "5000"',
    ]);
  });

  it("reads the site's branding; a name of your own comes without the cats' tagline", () => {
    const env = loadEnv({
      SITE_NAME: '  Bake Club ',
      SITE_TAGLINE: 'Bread on Saturdays.',
      PRIVACY_URL: 'https://bake.example/privacy',
    });
    expect(env).toMatchObject({
      SITE_NAME: 'Bake Club',
      SITE_TAGLINE: 'Bread on Saturdays.',
      PRIVACY_URL: 'https://bake.example/privacy',
    });
    expect(loadEnv({ SITE_NAME: 'Bake Club' }).SITE_TAGLINE).toBe('');
  });

  it('reads the languages: every shipped one unless listed, English first unless not listed', () => {
    expect(loadEnv({ SITE_LANGUAGES: 'de, fr' })).toMatchObject({
      SITE_LANGUAGES: ['de', 'fr'],
      SITE_DEFAULT_LANGUAGE: 'de',
    });
    expect(loadEnv({ SITE_LANGUAGES: 'en,de', SITE_DEFAULT_LANGUAGE: 'de' })).toMatchObject({
      SITE_LANGUAGES: ['en', 'de'],
      SITE_DEFAULT_LANGUAGE: 'de',
    });
    expect(loadEnv({ SITE_DEFAULT_LANGUAGE: 'es' }).SITE_LANGUAGES).toEqual([
      'en',
      'de',
      'fr',
      'es',
    ]);
  });

  it('refuses a language it does not ship, and a default that is not enabled', () => {
    expect(problems({ SITE_LANGUAGES: 'en,klingon', SITE_DEFAULT_LANGUAGE: 'xx' })).toEqual([
      'SITE_LANGUAGES entry "klingon" is not a language this server ships: use codes from en, de, fr, es, separated by commas',
      'SITE_DEFAULT_LANGUAGE must be one of en, de, fr, es; got "xx"',
    ]);
    expect(problems({ SITE_LANGUAGES: 'en,de', SITE_DEFAULT_LANGUAGE: 'fr' })).toEqual([
      'SITE_DEFAULT_LANGUAGE "fr" must be one of SITE_LANGUAGES (en, de)',
    ]);
  });

  it('refuses a privacy address that is not http(s), and a name on several lines', () => {
    expect(problems({ PRIVACY_URL: 'javascript:alert(1)', SITE_NAME: 'Bake\nClub' })).toEqual([
      'SITE_NAME must be text of at most 80 characters, on one line',
      'PRIVACY_URL must be an http(s) address such as https://example.com/privacy; got "javascript:alert(1)"',
    ]);
    expect(problems({ PRIVACY_URL: 'privacy.html' })[0]).toMatch(/^PRIVACY_URL must be an http/);
    expect(problems({ SITE_TAGLINE: 'x'.repeat(201) })[0]).toMatch(/^SITE_TAGLINE must be text/);
  });

  it('reads the first accent colour and whether the count shows', () => {
    expect(loadEnv({ SITE_ACCENT_COLOR: '#1A6B4C', SITE_SHOW_COUNT: 'off' })).toMatchObject({
      SITE_ACCENT_COLOR: '#1a6b4c',
      SITE_SHOW_COUNT: false,
    });
    expect(loadEnv({ SITE_SHOW_COUNT: 'yes' }).SITE_SHOW_COUNT).toBe(true);
  });

  it('refuses an accent that is no colour, or one too light to read on, saying which use fails', () => {
    expect(problems({ SITE_ACCENT_COLOR: 'green', SITE_SHOW_COUNT: 'maybe' })).toEqual([
      'SITE_ACCENT_COLOR must be a colour like #1a6b4c; got "green"',
      'SITE_SHOW_COUNT must be on, 1, true, yes or off, 0, false, no; got "maybe"',
    ]);
    const pale = problems({ SITE_ACCENT_COLOR: '#f0a040' });
    expect(pale[0]).toBe(
      'SITE_ACCENT_COLOR: white button text on #f0a040 has a contrast of 2.1:1, below the 4.5:1 WCAG AA asks for: pick a darker colour',
    );
    expect(pale.join('\n')).toMatch(/on the page background \(#fdf6ec\)/);
  });

  it('parses lists, flags and numbers', () => {
    const env = loadEnv({
      PORT: '8080',
      SESSION_KEYS: `${KEY}, ${'o'.repeat(40)} ,`,
      CORS_ORIGINS: 'https://a.example, http://localhost:5173/',
      TRUST_PROXY: 'true',
      DATABASE_URL: 'sqlite:/var/lib/catlist/list.db',
    });
    expect(env.PORT).toBe(8080);
    expect(env.SESSION_KEYS).toEqual([KEY, 'o'.repeat(40)]);
    expect(env.CORS_ORIGINS).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(env.TRUST_PROXY).toBe(true);
    expect(loadEnv({ TRUST_PROXY: '0' }).TRUST_PROXY).toBe(false);
  });

  it('reads EMBED_ORIGINS and its alias CORS_ORIGINS into one list, each origin once', () => {
    const env = loadEnv({
      EMBED_ORIGINS: 'https://www.example.com, https://a.example/',
      CORS_ORIGINS: 'https://a.example,https://b.example:8443',
    });
    expect(env.EMBED_ORIGINS).toEqual([
      'https://www.example.com',
      'https://a.example',
      'https://b.example:8443',
    ]);
    expect(loadEnv({ CORS_ORIGINS: 'https://a.example' }).EMBED_ORIGINS).toEqual([
      'https://a.example',
    ]);
    expect(problems({ EMBED_ORIGINS: 'https://a.example/form' })).toEqual([
      'EMBED_ORIGINS entry "https://a.example/form" is not an origin: give scheme, host and ' +
        'optional port, no path (e.g. https://signup.example.com), separated by commas',
    ]);
  });

  it('treats empty strings as unset', () => {
    expect(loadEnv({ PORT: '', CORS_ORIGINS: '', SESSION_KEYS: '' }).PORT).toBe(3000);
  });

  it('refuses to start in production without SESSION_KEYS, saying how to make one', () => {
    const [problem = ''] = problems({ NODE_ENV: 'production' });
    expect(problem).toMatch(/^SESSION_KEYS is required in production; generate one with: /);
    expect(loadEnv({ NODE_ENV: 'production', SESSION_KEYS: KEY }).SESSION_KEYS).toEqual([KEY]);
  });

  it('lists every bad variable at once, each saying what a good value looks like', () => {
    const found = problems({
      NODE_ENV: 'production',
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      DATABASE_POOL_SIZE: '0',
      ADMIN_PASSWORD: 'cat',
      CORS_ORIGINS: 'https://ok.example,https://bad.example/path',
      TRUST_PROXY: 'maybe',
      LOG_LEVEL: 'loud',
    });
    expect(found).toEqual([
      'PORT must be a whole number from 1 to 65535 (or 0 for any free port); got "eighty"',
      'DATABASE_URL must be sqlite:<path> or postgres://user:password@host:5432/database ' +
        '(percent-encode special characters in the password, e.g. @ as %40)',
      'DATABASE_POOL_SIZE must be a whole number from 1 to 1000; got "0"',
      'ADMIN_PASSWORD must be at least 8 characters, or unset to turn the admin area off',
      'CORS_ORIGINS entry "https://bad.example/path" is not an origin: give scheme, host and ' +
        'optional port, no path (e.g. https://signup.example.com), separated by commas',
      'TRUST_PROXY must be 1, true, yes, on or 0, false, no, off; got "maybe"',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "loud"',
      expect.stringMatching(/^SESSION_KEYS is required in production; generate one with: /),
    ]);
  });

  it('reports PORT=abc and a short ADMIN_PASSWORD together, never echoing the password', () => {
    const found = problems({ PORT: 'abc', ADMIN_PASSWORD: 'x' });
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^PORT must be a whole number from 1 to 65535/);
    expect(found[1]).toMatch(/^ADMIN_PASSWORD must be at least 8 characters/);
    expect(found.join('\n')).not.toContain('"x"');
  });

  it('refuses fractional and out-of-range ports and short session keys', () => {
    expect(problems({ PORT: '80.5' })[0]).toMatch(/^PORT must be a whole number/);
    expect(problems({ PORT: '65536' })[0]).toMatch(/^PORT must be a whole number/);
    expect(problems({ SESSION_KEYS: 'short' })[0]).toMatch(
      /^SESSION_KEYS must be comma-separated keys of at least 32 characters each; generate/,
    );
  });

  it('refuses a postgres URL that cannot be parsed, without printing it (it may hold a password)', () => {
    const [problem = ''] = problems({ DATABASE_URL: 'postgres://cat:s3cr@t:xyz@db:port/list' });
    expect(problem).toMatch(/^DATABASE_URL must be sqlite:<path> or postgres:/);
    expect(problem).not.toContain('s3cr');
  });
});

describe('.env.example', () => {
  it('lists every variable the server reads, each with a comment above it', () => {
    const example = readFileSync(
      join(import.meta.dirname, '..', '..', '..', '..', '.env.example'),
      'utf8',
    );
    const lines = example.split('\n');
    for (const name of ENV_VARIABLES) {
      const at = lines.findIndex((line) => line.startsWith(`# ${name}=`));
      expect(at, `${name} in .env.example`).toBeGreaterThan(0);
      expect(lines[at - 1], `comment above ${name}`).toMatch(/^# (?![A-Z_]+=)\S/);
    }
  });

  describe('confirmation by email', () => {
    const MAIL = {
      MAIL_URL: 'smtp://user:secret@smtp.example.com:587',
      MAIL_FROM: 'Cats Everywhere <news@example.com>',
      PUBLIC_URL: 'https://signup.example.com/',
    };

    it('is off without MAIL_URL, and on with all three variables', () => {
      expect(loadEnv({}).MAIL_URL).toBeUndefined();
      const env = loadEnv(MAIL);
      expect(env.MAIL_URL).toBe(MAIL.MAIL_URL);
      expect(env.MAIL_FROM).toBe(MAIL.MAIL_FROM);
      expect(env.PUBLIC_URL).toBe('https://signup.example.com');
      expect(loadEnv({ ...MAIL, MAIL_URL: 'smtps://smtp.example.com' }).MAIL_URL).toBe(
        'smtps://smtp.example.com',
      );
    });

    it('stops at a partial mail configuration, naming what is missing', () => {
      expect(problems({ MAIL_URL: MAIL.MAIL_URL }).map((line) => line.split(':')[0])).toEqual([
        'MAIL_FROM',
        'PUBLIC_URL',
      ]);
      expect(problems({ MAIL_URL: MAIL.MAIL_URL, MAIL_FROM: MAIL.MAIL_FROM })[0]).toMatch(
        /^PUBLIC_URL: required with MAIL_URL/,
      );
      expect(problems({ MAIL_FROM: MAIL.MAIL_FROM })[0]).toMatch(/^MAIL_URL: required/);
      expect(problems({ ...MAIL, MAIL_URL: 'http://smtp.example.com' })[0]).toMatch(/^MAIL_URL/);
      expect(problems({ ...MAIL, PUBLIC_URL: 'signup.example.com' })[0]).toMatch(/^PUBLIC_URL/);
    });

    it.each([
      'news@example.com',
      'Cats Everywhere <news@example.com>',
      '<news@example.com>',
      '"Cats, Everywhere" <news@example.com>',
      'Katzen Überall <news@mail.example.de>',
      'Cats Ltd. <first.last+list@example.com>',
    ])('takes MAIL_FROM=%j', (from) => {
      expect(loadEnv({ ...MAIL, MAIL_FROM: from }).MAIL_FROM).toBe(from);
    });

    it.each([
      'abc',
      'news@example.com\r\nBcc: everyone@example.com',
      'Cats <news@example.com>\n',
      'Cats\r\n <news@example.com>',
      'a@example.com, b@example.com',
      'Cats, Dogs <news@example.com>',
      'Cats <news@example.com> <other@example.com>',
      'Cats <news@example.com',
      'news@',
      '@example.com',
      'news@@example.com',
      'news @example.com',
      '"unclosed <news@example.com>',
      'news@example.com (comment)',
    ])('refuses MAIL_FROM=%j, saying what a good value looks like', (from) => {
      const [problem] = problems({ ...MAIL, MAIL_FROM: from });
      expect(problem).toMatch(/^MAIL_FROM must be one sender address/);
      expect(problem).toContain('"Cats Everywhere <news@example.com>"');
    });

    it('prints mails with MAIL_URL=console, needing nothing else', () => {
      const env = loadEnv({ MAIL_URL: 'console' });
      expect(env.MAIL_FROM).toBe('Cats Everywhere <no-reply@localhost>');
      // Vite's own host and port under pnpm dev (apps/web/vite.config.ts).
      expect(env.PUBLIC_URL).toBe('http://127.0.0.1:5173');
    });

    it('points printed links at the web dev server on WEB_PORT, as pnpm dev:mail runs it', () => {
      expect(loadEnv({ MAIL_URL: 'console', WEB_PORT: '4200' }).PUBLIC_URL).toBe(
        'http://127.0.0.1:4200',
      );
      // PUBLIC_URL, when given, still wins.
      const given = loadEnv({
        MAIL_URL: 'console',
        WEB_PORT: '4200',
        PUBLIC_URL: 'http://localhost:8080',
      });
      expect(given.PUBLIC_URL).toBe('http://localhost:8080');
    });

    it.each(['0', '65536', 'abc', '42.5'])('refuses WEB_PORT=%s, saying what a port is', (port) => {
      expect(problems({ WEB_PORT: port })).toEqual([
        `WEB_PORT (pnpm dev only: the web dev server's port) must be a whole number from 1 to 65535; got "${port}"`,
      ]);
    });
  });
});
