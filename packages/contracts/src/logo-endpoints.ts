import * as z from 'zod/mini';
import { type Endpoint, ForbiddenOrigin, PayloadTooLarge } from './endpoint.js';
import { errorBody } from './errors.js';

// The site's logo (docs/http-api.md, "The logo"): an image the owner uploads from the admin, kept
// in the database (every instance serves the same), shown on the signup page and in mails.

/** The largest logo catlist takes, in bytes: a logo is shown at most a few hundred pixels wide. */
export const MAX_LOGO_BYTES = 256 * 1024;

/**
 * The image formats a logo may be, by the file name extension it is served under. Told apart by
 * their first bytes, not by the Content-Type the upload declares. No SVG: an SVG file is a
 * document that can carry scripts.
 */
export const LOGO_FORMATS = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
} as const;
export type LogoExtension = keyof typeof LOGO_FORMATS;

/** Where a stored logo is served: its content hash names it, so it can be cached for good. */
export const LOGO_PATH = /^\/logo\/([0-9a-f]{64})\.(png|jpg|webp)$/;

/** The logo now in force (POST and DELETE /api/admin/logo): its address, or null for none. */
export const LogoResponse = z.object({
  /** `/logo/<sha-256 of the bytes>.<png|jpg|webp>`, on this site's origin; null: no logo. */
  logoUrl: z.nullable(z.string()),
});
export type LogoResponse = z.infer<typeof LogoResponse>;

/** The logo endpoints (`contract` holds them with the rest). */
export const logoEndpoints = {
  /**
   * Replaces the logo with the request body: the image itself (PNG, JPEG or WebP, at most
   * MAX_LOGO_BYTES), sent with an image Content-Type; the old logo's address stops answering.
   */
  uploadLogo: {
    method: 'POST',
    path: '/api/admin/logo',
    admin: true,
    // A media range: the client sends the file's own type, and the bytes decide.
    upload: 'image/*',
    responses: {
      200: LogoResponse,
      400: errorBody('invalid_request'),
      401: errorBody('unauthorized'),
      403: ForbiddenOrigin,
      413: PayloadTooLarge,
      415: errorBody('unsupported_image', 'svg_image'),
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
  /** Removes the logo: the signup page and mails show none (the demo its cat). */
  deleteLogo: {
    method: 'DELETE',
    path: '/api/admin/logo',
    admin: true,
    responses: {
      200: LogoResponse,
      401: errorBody('unauthorized'),
      403: ForbiddenOrigin,
      503: errorBody('admin_disabled', 'service_unavailable'),
    },
  },
} as const satisfies Record<string, Endpoint>;
