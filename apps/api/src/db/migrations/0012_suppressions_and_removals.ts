// Migration 0012_suppressions_and_removals.
// Frozen once released: it imports nothing from the app (a helper it needs is copied here as it
// was that day), and a change to the schema is a new migration.
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Dialect } from './dialect.js';

export function migration0012(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const id =
        dialect === 'postgres'
          ? sql`bigint generated always as identity primary key`
          : sql`integer primary key autoincrement`;
      const emailType = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
      // The suppression list: addresses that left by themselves (unsubscribe link, the
      // unregister button) or that the admin removed as a complaint. Imports and `catlist add`
      // skip them unless told otherwise; the visitor's own signup takes the address off again.
      // The normalised address in the clear, not a hash: the admin sees and lifts entries, and
      // a hash of an address is found again by hashing guesses anyway.
      await sql`create table suppressions (
        email ${emailType} primary key,
        suppressed_at bigint not null,
        reason text not null
      )`.execute(db);
      // Every removal from the list, with its time and kind and nothing else (no address): the
      // admin's growth picture counts them per day through the index on removed_at.
      await sql`create table removals (
        id ${id},
        removed_at bigint not null,
        kind text not null
      )`.execute(db);
      await sql`create index removals_removed_at on removals (removed_at)`.execute(db);
    },
  };
}
