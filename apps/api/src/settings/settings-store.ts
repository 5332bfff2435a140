import type { SiteSettings } from '@catlist/contracts';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/open-database.js';

/** The settings row as stored: the document, its version, when it was saved. */
export interface StoredSettings {
  settings: SiteSettings;
  version: number;
  updatedAt: number;
}

/** The site's settings in the database (migration 0013): one row, saved whole. */
export interface SettingsStore {
  /** The saved settings, or null when nobody ever saved any. */
  read(): Promise<StoredSettings | null>;
  /** Saves `settings` over whatever is there; returns what is stored now. */
  save(settings: SiteSettings, at: number): Promise<StoredSettings>;
}

export function createSettingsStore(database: Pick<DatabaseHandle, 'db'>): SettingsStore {
  const { db } = database;
  return {
    async read() {
      const row = await db
        .selectFrom('site_settings')
        .select(['document', 'version', 'updated_at'])
        .where('id', '=', 1)
        .executeTakeFirst();
      if (!row) return null;
      return {
        settings: JSON.parse(row.document) as SiteSettings,
        version: Number(row.version),
        updatedAt: Number(row.updated_at),
      };
    },
    async save(settings, at) {
      const document = JSON.stringify(settings);
      // One statement: two admins saving at once each raise the version, the last one's stays.
      const row = await db
        .insertInto('site_settings')
        .values({ id: 1, document, version: 1, updated_at: at })
        .onConflict((conflict) =>
          conflict.column('id').doUpdateSet({
            document,
            updated_at: at,
            version: sql<number>`site_settings.version + 1`,
          }),
        )
        .returning(['version', 'updated_at'])
        .executeTakeFirstOrThrow();
      return { settings, version: Number(row.version), updatedAt: Number(row.updated_at) };
    },
  };
}
