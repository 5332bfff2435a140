// Migration 0013_site_settings.
// Frozen once released: it imports nothing from the app (a helper it needs is copied here as it
// was that day), and a change to the schema is a new migration.
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './dialect.js';

export function migration0013(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // The site's settings (name, texts, accent, ...) as the admin saved them: one row, the
      // settings as one JSON document (their shape is the contract's SiteSettings, which grows
      // without a migration), and a version every save raises, so that every instance can tell
      // cheaply that another saved. No row: never saved, the environment and defaults apply.
      await sql`create table site_settings (
        id integer primary key check (id = 1),
        document text not null,
        version integer not null,
        updated_at bigint not null
      )`.execute(db);
    },
  };
}
