import type { Kysely } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';

// Migrations are code, in order, never edited once released: add a new entry instead.
const migrations: Record<string, Migration> = {
  '0001_subscribers_and_sessions': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('subscribers')
        .addColumn('email', 'text', (col) => col.primaryKey())
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
  },
};

const provider: MigrationProvider = {
  getMigrations: async () => migrations,
};

/** Brings the schema up to date; throws (and changes nothing further) if a migration fails. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed`, { cause: error });
  }
}
