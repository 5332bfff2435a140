// Migration 0014_site_logo.
// Frozen once released: it imports nothing from the app (a helper it needs is copied here as it
// was that day), and a change to the schema is a new migration.
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './dialect.js';

export function migration0014(dialect: Dialect): Migration {
  const bytes = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  return {
    async up(db: Kysely<unknown>) {
      // The site's logo, uploaded from the admin: at most one row (id 1), the image itself in the
      // database so that every instance serves the same one. `hash` (SHA-256 of the bytes, hex)
      // names it in its URL, `/logo/<hash>.<extension>`, which can then be cached for good.
      await sql`create table site_logo (
        id integer primary key check (id = 1),
        hash text not null,
        extension text not null,
        bytes ${bytes} not null,
        updated_at bigint not null
      )`.execute(db);
    },
  };
}
