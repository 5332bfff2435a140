// Migration 0001_subscribers_and_sessions.
// Frozen once released: it imports nothing from the app (a helper it needs is copied here as it
// was that day), and a change to the schema is a new migration.
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './dialect.js';

export function migration0001(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // Byte order for addresses on both backends, so the list order (and so paging) is the same.
      const emailType = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
      await db.schema
        .createTable('subscribers')
        .addColumn('email', emailType, (col) => col.primaryKey())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .execute();
      // Newest first, ties by email: the admin list's keyset order.
      await db.schema
        .createIndex('subscribers_created_at_email')
        .on('subscribers')
        .columns(['created_at desc', 'email'])
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('data', 'text', (col) => col.notNull())
        .addColumn('expires_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('sessions_expires_at')
        .on('sessions')
        .column('expires_at')
        .execute();
    },
  };
}
