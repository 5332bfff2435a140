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
});
