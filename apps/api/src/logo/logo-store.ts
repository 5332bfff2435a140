import { createHash } from 'node:crypto';
import { LOGO_FORMATS, type LogoExtension } from '@catlist/contracts';
import type { DatabaseHandle } from '../db/open-database.js';

/** Which logo is in force: enough to name its URL, without its bytes. */
export interface LogoRef {
  hash: string;
  extension: LogoExtension;
}

/** A stored logo's bytes and the Content-Type they are served with. */
export interface LogoFile {
  bytes: Uint8Array;
  contentType: string;
}

/** The site's logo, in the database (migration 0014): one or none, shared by every instance. */
export interface LogoStore {
  /** The logo in force, or null. */
  current(): Promise<LogoRef | null>;
  /** The logo named `hash` with `extension`, if it is still the one in force. */
  read(hash: string, extension: string): Promise<LogoFile | null>;
  /** Makes `bytes` (already checked to be of `extension`'s format) the logo. */
  replace(bytes: Uint8Array, extension: LogoExtension, at: number): Promise<LogoRef>;
  /** No logo any more. */
  remove(): Promise<void>;
}

/** `/logo/<hash>.<extension>`: where a logo is served (LOGO_PATH). */
export const logoPath = ({ hash, extension }: LogoRef) => `/logo/${hash}.${extension}`;

export function createLogoStore(database: Pick<DatabaseHandle, 'db'>): LogoStore {
  const { db } = database;
  return {
    async current() {
      const row = await db
        .selectFrom('site_logo')
        .select(['hash', 'extension'])
        .where('id', '=', 1)
        .executeTakeFirst();
      return row ? { hash: row.hash, extension: row.extension as LogoExtension } : null;
    },

    async read(hash, extension) {
      const row = await db
        .selectFrom('site_logo')
        .select(['bytes', 'extension'])
        .where('id', '=', 1)
        .where('hash', '=', hash)
        .where('extension', '=', extension)
        .executeTakeFirst();
      if (!row) return null;
      return { bytes: row.bytes, contentType: LOGO_FORMATS[row.extension as LogoExtension] };
    },

    async replace(bytes, extension, at) {
      const hash = createHash('sha256').update(bytes).digest('hex');
      const values = { hash, extension, bytes, updated_at: at };
      await db
        .insertInto('site_logo')
        .values({ id: 1, ...values })
        .onConflict((conflict) => conflict.column('id').doUpdateSet(values))
        .execute();
      return { hash, extension };
    },

    async remove() {
      await db.deleteFrom('site_logo').where('id', '=', 1).execute();
    },
  };
}
