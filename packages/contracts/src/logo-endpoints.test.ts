import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ERROR_MESSAGES } from './error-messages.js';
import {
  LOGO_FORMATS,
  LOGO_PATH,
  LogoResponse,
  logoEndpoints,
  MAX_LOGO_BYTES,
} from './logo-endpoints.js';
import { SiteResponse } from './public-endpoints.js';

// The logo's part of the contract: what the admin uploads and reads back, where a logo is served,
// and what the site says about it.

const HASH = 'a'.repeat(64);

describe('the logo', () => {
  it('is at most 256 KiB, a PNG, JPEG or WebP, each served with its own media type', () => {
    expect(MAX_LOGO_BYTES).toBe(262_144);
    expect(LOGO_FORMATS).toEqual({ png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' });
  });

  it('is served under /logo/<sha-256 in hex>.<png|jpg|webp> and nowhere else', () => {
    for (const ext of ['png', 'jpg', 'webp']) {
      expect(LOGO_PATH.exec(`/logo/${HASH}.${ext}`)?.slice(1)).toEqual([HASH, ext]);
    }
    for (const path of [
      `/logo/${HASH}.svg`,
      `/logo/${HASH}.PNG`,
      `/logo/${'a'.repeat(63)}.png`,
      `/logo/${'a'.repeat(65)}.png`,
      `/logo/${'A'.repeat(64)}.png`,
      `/logo/${HASH}.png/x`,
      `/x/logo/${HASH}.png`,
      `/logo/${HASH}png`,
    ]) {
      expect(LOGO_PATH.test(path), path).toBe(false);
    }
  });

  it('answers the address of the logo in force, or null', () => {
    expect(z.parse(LogoResponse, { logoUrl: `/logo/${HASH}.png` })).toEqual({
      logoUrl: `/logo/${HASH}.png`,
    });
    expect(z.parse(LogoResponse, { logoUrl: null })).toEqual({ logoUrl: null });
    expect(z.safeParse(LogoResponse, {}).success).toBe(false);
    const site = {
      name: 'Bake Club',
      tagline: '',
      privacyUrl: null,
      adminEnabled: true,
      challenge: false,
      languages: ['en'],
      defaultLanguage: 'en',
    };
    expect(z.safeParse(SiteResponse, { ...site, logoUrl: null }).success).toBe(true);
    expect(z.safeParse(SiteResponse, { ...site, logoUrl: `/logo/${HASH}.webp` }).success).toBe(
      true,
    );
    // A server that predates the logo says nothing of it: no logo.
    expect(z.parse(SiteResponse, site).logoUrl).toBeUndefined();
    expect(z.safeParse(SiteResponse, { ...site, logoUrl: 1 }).success).toBe(false);
  });

  it('is uploaded as the raw image by the admin, and removed by DELETE', () => {
    const { uploadLogo, deleteLogo } = logoEndpoints;
    expect(uploadLogo).toMatchObject({
      method: 'POST',
      path: '/api/admin/logo',
      admin: true,
      upload: 'image/*',
    });
    expect(Object.keys(uploadLogo.responses)).toEqual([
      '200',
      '400',
      '401',
      '403',
      '413',
      '415',
      '503',
    ]);
    expect(z.safeParse(uploadLogo.responses[415], errorOf('svg_image')).success).toBe(true);
    expect(z.safeParse(uploadLogo.responses[415], errorOf('unsupported_image')).success).toBe(true);
    expect(z.safeParse(uploadLogo.responses[415], errorOf('unsupported_media_type')).success).toBe(
      false,
    );
    expect(deleteLogo).toMatchObject({ method: 'DELETE', path: '/api/admin/logo', admin: true });
    expect(Object.keys(deleteLogo.responses)).toEqual(['200', '401', '403', '503']);
  });

  it('says why SVG is refused', () => {
    expect(ERROR_MESSAGES.svg_image).toMatch(/SVG.*scripts/);
    expect(ERROR_MESSAGES.unsupported_image).toBe('A logo must be a PNG, JPEG or WebP image.');
  });
});

function errorOf(code: string) {
  return { error: { code, message: 'x' } };
}
