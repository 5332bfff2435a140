import { describe, expect, it } from 'vitest';
import { parseEnv } from './env';

describe('parseEnv', () => {
  it('defaults to the same origin', () => {
    expect(parseEnv({})).toEqual({ apiBaseUrl: '' });
    expect(parseEnv({ VITE_API_URL: '' })).toEqual({ apiBaseUrl: '' });
  });

  it('accepts an http(s) URL and drops trailing slashes', () => {
    expect(parseEnv({ VITE_API_URL: 'http://127.0.0.1:3000/' })).toEqual({
      apiBaseUrl: 'http://127.0.0.1:3000',
    });
    expect(parseEnv({ VITE_API_URL: 'https://api.example.com/catlist' })).toEqual({
      apiBaseUrl: 'https://api.example.com/catlist',
    });
  });

  it('refuses anything that is not an http(s) URL', () => {
    expect(() => parseEnv({ VITE_API_URL: 'api.example.com' })).toThrow(/VITE_API_URL/);
    expect(() => parseEnv({ VITE_API_URL: 'ftp://example.com' })).toThrow(/VITE_API_URL/);
  });
});
