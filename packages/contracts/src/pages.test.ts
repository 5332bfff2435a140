import { describe, expect, it } from 'vitest';
import { normalizePath, pageAt } from './pages.js';

describe('pages', () => {
  it('finds a page with or without trailing slashes', () => {
    expect(pageAt('/')).toBe('/');
    expect(pageAt('//')).toBe('/');
    expect(pageAt('/admin')).toBe('/admin');
    expect(pageAt('/admin/')).toBe('/admin');
  });

  it('has no page for other paths, including inherited object keys', () => {
    for (const path of ['/admin/x', '/index.html', '/constructor', '/__proto__', '/Admin']) {
      expect(pageAt(path)).toBeNull();
    }
  });

  it('normalizes as the SPA does', () => {
    expect(normalizePath('/admin///')).toBe('/admin');
  });
});
