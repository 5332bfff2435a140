import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from './env.js';

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
      HOST: '127.0.0.1',
      DATABASE_URL: 'sqlite:./data/catlist.db',
      DATABASE_POOL_SIZE: 10,
      DATABASE_STATEMENT_TIMEOUT_MS: 5000,
      SESSION_KEYS: undefined,
      ADMIN_PASSWORD: undefined,
      CORS_ORIGINS: [],
      TRUST_PROXY: false,
      LOG_LEVEL: 'info',
      MAIL_RETRY_MS: 15_000,
    });
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

  it('treats empty strings as unset', () => {
    expect(loadEnv({ PORT: '', CORS_ORIGINS: '', SESSION_KEYS: '' }).PORT).toBe(3000);
  });

  it('refuses to start in production without SESSION_KEYS, saying how to make one', () => {
    const [problem = ''] = problems({ NODE_ENV: 'production' });
    expect(problem).toMatch(/^SESSION_KEYS: required in production; generate one with: /);
    expect(loadEnv({ NODE_ENV: 'production', SESSION_KEYS: KEY }).SESSION_KEYS).toEqual([KEY]);
  });

  it('lists every bad variable at once', () => {
    const found = problems({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      SESSION_KEYS: 'short',
      CORS_ORIGINS: 'https://ok.example,https://bad.example/path',
      TRUST_PROXY: 'maybe',
      LOG_LEVEL: 'loud',
    });
    expect(found.map((line) => line.split(':')[0])).toEqual([
      'PORT',
      'DATABASE_URL',
      'SESSION_KEYS',
      'CORS_ORIGINS.1',
      'TRUST_PROXY',
      'LOG_LEVEL',
    ]);
  });

  it('refuses a too-short admin password rather than running with it', () => {
    expect(problems({ ADMIN_PASSWORD: 'cat' })[0]).toMatch(/^ADMIN_PASSWORD/);
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

    it('prints mails with MAIL_URL=console, needing nothing else', () => {
      const env = loadEnv({ MAIL_URL: 'console' });
      expect(env.MAIL_FROM).toBe('Cats Everywhere <no-reply@localhost>');
      expect(env.PUBLIC_URL).toBe('http://localhost:5173');
    });
  });
});
