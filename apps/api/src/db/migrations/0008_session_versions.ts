// Migration 0008_session_versions.
// Frozen once released: it imports nothing from the app (a helper it needs is copied here as it
// was that day), and a change to the schema is a new migration.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './dialect.js';

export function migration0008(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // A session row's version, raised by every write: a request writes its copy back only over
      // the version it read (compare-and-set), so a request that read a session before another
      // one changed it (a logout, say) cannot write the old state back. Until now the whole JSON
      // text served as the version; rows written before this start at 0.
      await db.schema
        .alterTable('sessions')
        .addColumn('version', 'integer', (col) => col.notNull().defaultTo(0))
        .execute();
    },
  };
}
