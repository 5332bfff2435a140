// Migration 0011_mail_language.
// Frozen once released: it imports nothing from the app (a helper it needs is copied here as it
// was that day), and a change to the schema is a new migration.
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './dialect.js';

export function migration0011(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // The language a queued mail goes out in: the one its signup was answered in. Null for
      // mails queued before this migration; they go in the site's default language.
      await sql`alter table mail_outbox add column language text`.execute(db);
    },
  };
}
