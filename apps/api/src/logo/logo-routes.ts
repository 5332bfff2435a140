import { contract, LOGO_PATH, MAX_LOGO_BYTES } from '@catlist/contracts';
import type Koa from 'koa';
import { ApiError } from '../http/api-error.js';
import type { BindRoute } from '../routes/bind-route.js';
import { imageFormat, looksLikeSvg } from './logo-image.js';
import { type LogoStore, logoPath } from './logo-store.js';
import { readLogoUpload } from './logo-upload.js';

/** A logo's URL names its content: the same URL always means the same bytes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface LogoRoutesDeps {
  adminPassword: string | undefined;
  logos: LogoStore;
  now: () => number;
}

/** The URL path of the logo in force, or null: what GET /api/site says as `logoUrl`. */
export async function currentLogoUrl(logos: LogoStore): Promise<string | null> {
  const logo = await logos.current();
  return logo ? logoPath(logo) : null;
}

/**
 * Adds POST /api/admin/logo (the image as the body; PNG, JPEG or WebP by its bytes, at most
 * MAX_LOGO_BYTES) and DELETE /api/admin/logo. Both answer `503 admin_disabled` without a password;
 * the binder adds the session and the `401` guard.
 */
export function logoRoutes(bind: BindRoute, { adminPassword, logos, now }: LogoRoutesDeps): void {
  const enabled: Koa.Middleware = async function adminEnabled(_ctx, next) {
    if (adminPassword === undefined) throw new ApiError(503, 'admin_disabled');
    await next();
  };
  const use = [enabled];

  bind(contract.uploadLogo, {
    use,
    async handler(ctx) {
      const bytes = await readLogoUpload(ctx, MAX_LOGO_BYTES);
      const extension = imageFormat(bytes);
      if (extension === null) {
        throw new ApiError(415, looksLikeSvg(bytes) ? 'svg_image' : 'unsupported_image');
      }
      const logo = await logos.replace(bytes, extension, now());
      return { status: 200, body: { logoUrl: logoPath(logo) } };
    },
  });

  bind(contract.deleteLogo, {
    use,
    async handler() {
      await logos.remove();
      return { status: 200, body: { logoUrl: null } };
    },
  });
}

/**
 * Serves the logo in force at `/logo/<hash>.<ext>` (GET and HEAD), with its own Content-Type,
 * `nosniff`, and cached for good: a new logo has a new URL, and the old one answers 404.
 */
export function logoFiles(logos: LogoStore): Koa.Middleware {
  return async function logoFile(ctx, next) {
    const match = LOGO_PATH.exec(ctx.path);
    if (!match || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const [, hash = '', extension = ''] = match;
    const file = await logos.read(hash, extension);
    if (!file) return next();
    ctx.status = 200;
    ctx.type = file.contentType;
    ctx.set('Cache-Control', IMMUTABLE);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.body = Buffer.from(file.bytes);
  };
}
