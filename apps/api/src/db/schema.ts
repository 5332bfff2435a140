import type { SubscriberSource } from '@catlist/contracts';
import type { Generated } from 'kysely';

/** Tables as Kysely sees them. Times are milliseconds since the Unix epoch (bigint columns). */
export interface SubscribersTable {
  email: string;
  created_at: number;
  /** SHA-256 of the owner token of the session that put the address on the list (owner-token.ts). */
  owner_hash: string | null;
  /** How the address came onto the list (migration 0006). */
  source: Generated<SubscriberSource>;
}

/** An import waiting to be committed or discarded (list-import.ts). */
export interface ImportsTable {
  id: string;
  created_at: number;
  /** Lines holding an acceptable address, repeats included. */
  valid_rows: number;
  invalid_rows: number;
}

/** One distinct address of a staged import, with the signup time it will get. */
export interface ImportRowsTable {
  import_id: string;
  email: string;
  created_at: number;
}

export interface SessionsTable {
  id: string;
  /** JSON of the session's fields (see session/session-data.ts). */
  data: string;
  expires_at: number;
}

export interface SubscriberCountTable {
  id: number;
  n: number;
}

export interface Schema {
  subscribers: SubscribersTable;
  sessions: SessionsTable;
  subscriber_count: SubscriberCountTable;
  imports: ImportsTable;
  import_rows: ImportRowsTable;
}
