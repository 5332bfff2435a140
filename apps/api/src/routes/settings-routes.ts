import { contract } from '@catlist/contracts';
import type Koa from 'koa';
import { ApiError } from '../http/api-error.js';
import { checkSettings } from '../settings/check-settings.js';
import type { LiveSite, SiteSnapshot } from '../settings/live-site.js';
import type { BindRoute } from './bind-route.js';

export interface SettingsRoutesDeps {
  adminPassword: string | undefined;
  live: LiveSite;
  now: () => number;
}

/** The admin's view of the settings: as stored, what applies where unset, the languages. */
function answer({ settings, fallback, site, updatedAt }: SiteSnapshot) {
  return {
    settings,
    fallback,
    languages: [site.defaultLanguage, ...site.languages.filter((l) => l !== site.defaultLanguage)],
    updatedAt: updatedAt === null ? null : new Date(updatedAt).toISOString(),
  };
}

/**
 * Adds GET and POST /api/admin/settings (docs/http-api.md, "Site settings"): the admin reads the
 * settings, and saves them all at once; a save shows on this instance at once and on every other
 * within about a second (settings/live-site.ts).
 */
export function settingsRoutes(bind: BindRoute, { adminPassword, live, now }: SettingsRoutesDeps) {
  const enabled: Koa.Middleware = async function adminEnabled(_ctx, next) {
    if (adminPassword === undefined) throw new ApiError(503, 'admin_disabled');
    await next();
  };

  bind(contract.getSettings, {
    use: [enabled],
    handler: async () => ({ status: 200, body: answer(await live.fresh()) }),
  });

  bind(contract.saveSettings, {
    use: [enabled],
    async handler(_ctx, { body }) {
      const settings = checkSettings(body, live.current().site.languages);
      return { status: 200, body: answer(await live.save(settings, now())) };
    },
  });
}
