import { createHash } from 'node:crypto';
import {
  DEFAULT_SITE_TAGLINE,
  isDemoSite,
  type SiteResponse,
  type SiteSettings,
  type SiteTexts,
} from '@catlist/contracts';
import type { Logger } from 'pino';
import { DEFAULT_MAIL_ACCENT } from '../confirmation/mail-layout.js';
import { type RequestTexts, textsFor } from '../http/language.js';
import { type AccentPalette, accentPalette } from './contrast.js';
import type { SettingsStore, StoredSettings } from './settings-store.js';

/**
 * How old an instance's copy of the settings may get before a request that needs them reads them
 * again: a save on another instance shows there within about this long. A save on this instance
 * shows at once.
 */
export const SETTINGS_MAX_AGE_MS = 1_000;

/**
 * What the environment and the server say about the site: the first values of the settings
 * (SITE_NAME, SITE_TAGLINE, PRIVACY_URL, SITE_ACCENT_COLOR, SITE_SHOW_COUNT) and what no setting
 * changes (admin on, the challenge, the languages).
 */
export type SiteBase = Omit<SiteResponse, 'accentColor' | 'showCount'> & {
  accentColor: string | null;
  showCount: boolean;
};

/** One language's texts set by the owner, by key. */
export type CustomTexts = SiteTexts;

/**
 * The site as it is now, built once per saved version and shared by every request: the settings
 * as stored, the site as pages show it (setting, else environment, else default), the accent's
 * colours and stylesheet, and each language's texts with the owner's in front.
 */
export class SiteSnapshot {
  readonly site: SiteResponse;
  readonly settings: SiteSettings;
  /** The values that apply where a setting is null. */
  readonly fallback: {
    name: string;
    tagline: string;
    privacyUrl: string | null;
    accentColor: string;
  };
  readonly version: number;
  readonly updatedAt: number | null;
  /** The accent in force and its shades, or null: the web app's own colours. */
  readonly palette: AccentPalette | null;
  /** /site.css: the accent as the web app's custom properties (empty without an accent). */
  readonly css: string;
  /** A short hash of `css`, in the stylesheet's URL so that a change is a new URL. */
  readonly cssVersion: string;
  readonly #texts = new Map<string, RequestTexts>();

  constructor(base: SiteBase, stored: StoredSettings | null) {
    const baseTagline = (name: string) =>
      // The cats' tagline belongs under the cats' name only.
      isDemoSite({ name }) || base.tagline !== DEFAULT_SITE_TAGLINE ? base.tagline : '';
    this.settings = stored?.settings ?? {
      name: null,
      tagline: null,
      privacyUrl: null,
      accentColor: null,
      showCount: base.showCount,
      texts: {},
    };
    this.version = stored?.version ?? 0;
    this.updatedAt = stored?.updatedAt ?? null;
    const { settings } = this;
    const name = settings.name ?? base.name;
    const accentColor = settings.accentColor ?? base.accentColor;
    this.fallback = {
      name: base.name,
      tagline: baseTagline(base.name),
      privacyUrl: base.privacyUrl,
      accentColor: base.accentColor ?? DEFAULT_MAIL_ACCENT,
    };
    this.site = {
      name,
      tagline: settings.tagline ?? baseTagline(name),
      privacyUrl: settings.privacyUrl ?? base.privacyUrl,
      adminEnabled: base.adminEnabled,
      challenge: base.challenge,
      languages: base.languages,
      defaultLanguage: base.defaultLanguage,
      showCount: settings.showCount,
      accentColor,
    };
    this.palette = accentColor === null ? null : accentPalette(accentColor);
    this.css = this.palette === null ? '' : siteCss(this.palette);
    this.cssVersion = createHash('sha256').update(this.css).digest('base64url').slice(0, 12);
  }

  /** The owner's texts for `lang` (none set: empty). */
  custom(lang: string): CustomTexts {
    return this.settings.texts[lang] ?? {};
  }

  /** `lang`'s texts as this site shows them: the owner's where set, else the shipped ones. */
  texts(lang: string): RequestTexts {
    let texts = this.#texts.get(lang);
    if (texts === undefined) {
      texts = textsFor(lang, this.site, this.custom(lang));
      this.#texts.set(lang, texts);
    }
    return texts;
  }
}

/**
 * The web app's accent properties (apps/web/src/styles/global.css) for `palette`, light and dark;
 * linked after the app's own stylesheet, so these win.
 */
function siteCss({ light, dark }: AccentPalette): string {
  const block = ({ accent, hover, text }: AccentPalette['light']) =>
    `--accent:${accent};--accent-hover:${hover};--accent-text:${text};--focus:${accent}`;
  return `:root{${block(light)}}\n@media (prefers-color-scheme: dark){:root{${block(dark)}}}\n`;
}

export interface LiveSiteOptions {
  store: SettingsStore;
  base: SiteBase;
  logger: Logger;
  /** How old the copy may get (SETTINGS_MAX_AGE_MS); tests of the refresh shorten it. */
  maxAgeMs?: number | undefined;
}

/**
 * The site's settings as every part of the app reads them: a snapshot kept in memory and read
 * again from the database when a request needs it and it is older than `maxAgeMs` (one read for
 * all requests waiting then), so that a save on any instance shows on every other within about a
 * second, while requests in between never touch the database for them. A failed read keeps the
 * last snapshot (pages keep being served during an outage) and is tried again a second later.
 */
export class LiveSite {
  readonly #options: LiveSiteOptions;
  readonly #maxAgeMs: number;
  #snapshot: SiteSnapshot;
  /** When the database was last read (performance.now: the app's clock may be a test's). */
  #readAt = Number.NEGATIVE_INFINITY;
  #reading: Promise<SiteSnapshot> | null = null;

  constructor(options: LiveSiteOptions) {
    this.#options = options;
    this.#maxAgeMs = options.maxAgeMs ?? SETTINGS_MAX_AGE_MS;
    this.#snapshot = new SiteSnapshot(options.base, null);
  }

  /** The snapshot as last read, without waiting. */
  current(): SiteSnapshot {
    return this.#snapshot;
  }

  /** The snapshot, read again first when it is older than `maxAgeMs`. */
  fresh(): Promise<SiteSnapshot> | SiteSnapshot {
    if (performance.now() - this.#readAt < this.#maxAgeMs) return this.#snapshot;
    this.#reading ??= this.#read().finally(() => {
      this.#reading = null;
    });
    return this.#reading;
  }

  /** Saves `settings` (checked already: settings/check-settings.ts); this instance shows them at once. */
  async save(settings: SiteSettings, at: number): Promise<SiteSnapshot> {
    return this.#adopt(await this.#options.store.save(settings, at));
  }

  async #read(): Promise<SiteSnapshot> {
    try {
      const stored = await this.#options.store.read();
      this.#readAt = performance.now();
      if (stored !== null) this.#adopt(stored);
    } catch (error) {
      this.#readAt = performance.now();
      this.#options.logger.warn({ err: error }, 'reading the site settings failed; kept the last');
    }
    return this.#snapshot;
  }

  /** Takes `stored` unless what is held is as new already (a read that started before a save). */
  #adopt(stored: StoredSettings): SiteSnapshot {
    if (stored.version > this.#snapshot.version) {
      this.#snapshot = new SiteSnapshot(this.#options.base, stored);
    }
    return this.#snapshot;
  }
}

/** Where the app's parts get the site: LiveSite, or a fixed snapshot in tests of one part. */
export interface SiteSource {
  current(): SiteSnapshot;
  fresh(): Promise<SiteSnapshot> | SiteSnapshot;
}
