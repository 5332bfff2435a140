import { type Kysely, sql } from 'kysely';
import {
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
} from 'kysely/migration';
import { migration0001 } from './0001_subscribers_and_sessions.js';
import { migration0002 } from './0002_subscriber_count_and_rate_limits.js';
import { migration0003 } from './0003_sqlite_substring_search.js';
import { migration0004 } from './0004_sqlite_search_indexed_in_batches.js';
import { migration0005 } from './0005_canonical_addresses_and_owners.js';
import { migration0006 } from './0006_subscriber_source.js';
import { migration0007 } from './0007_confirmation_by_email.js';
import { migration0008 } from './0008_session_versions.js';
import { migration0009 } from './0009_ascii_domains.js';
import { migration0010 } from './0010_spent_challenges.js';
import { migration0011 } from './0011_mail_language.js';
import { migration0012 } from './0012_suppressions_and_removals.js';
import { migration0013 } from './0013_site_settings.js';
import { migration0014 } from './0014_site_logo.js';
import { migration0015 } from './0015_announcements.js';
import type { Dialect } from './dialect.js';

/**
 * Every migration, in order, by the name recorded in the database (`kysely_migration`): a name
 * never changes once released. A new migration is a new file here and a new line below.
 */
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_subscribers_and_sessions': migration0001(dialect),
    '0002_subscriber_count_and_rate_limits': migration0002(dialect),
    '0003_sqlite_substring_search': migration0003(dialect),
    '0004_sqlite_search_indexed_in_batches': migration0004(dialect),
    '0005_canonical_addresses_and_owners': migration0005(dialect),
    '0006_subscriber_source': migration0006(dialect),
    '0007_confirmation_by_email': migration0007(dialect),
    '0008_session_versions': migration0008(dialect),
    '0009_ascii_domains': migration0009(dialect),
    '0010_spent_challenges': migration0010(dialect),
    '0011_mail_language': migration0011(dialect),
    '0012_suppressions_and_removals': migration0012(dialect),
    '0013_site_settings': migration0013(dialect),
    '0014_site_logo': migration0014(dialect),
    '0015_announcements': migration0015(dialect),
  };
}

/** The names of every migration, in order: what a database brought up to date has recorded. */
export function migrationNames(dialect: Dialect): string[] {
  return Object.keys(migrations(dialect));
}

/** Brings the schema up to date; throws (and changes nothing further) if a migration fails. */
export function migrateToLatest(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  return migrate(db, dialect, (migrator) => migrator.migrateToLatest());
}

/** Brings the schema up to `name` and no further (tests of later migrations start there). */
export function migrateTo(db: Kysely<unknown>, dialect: Dialect, name: string): Promise<void> {
  return migrate(db, dialect, (migrator) => migrator.migrateTo(name));
}

async function migrate(
  db: Kysely<unknown>,
  dialect: Dialect,
  run: (migrator: Migrator) => Promise<MigrationResultSet>,
): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  // Kysely's migrator holds a lock (a row lock on PostgreSQL) while it runs, so instances that
  // start together run each migration exactly once.
  // Kysely looks for its bookkeeping tables in every schema unless told which one: name the
  // current schema, or another schema's tables on the same server would be taken for ours.
  const schema =
    dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]
          ?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await run(migrator);
    // Kysely's check for its own tables lists the tables of every schema on the server; a schema
    // someone else drops meanwhile (another instance's tests, an operator) fails that listing
    // with 3F000 "schema does not exist". On PostgreSQL the run is one transaction, so nothing
    // of it stays: try again.
    if (attempt < MIGRATION_ATTEMPTS && isMissingSchema(error)) continue;
    const failed = results?.find((result) => result.status === 'Error');
    if (error || failed) {
      throw new Error(`Database migration ${failed?.migrationName ?? ''} failed`, { cause: error });
    }
    return;
  }
}

const MIGRATION_ATTEMPTS = 3;

function isMissingSchema(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '3F000'
  );
}
