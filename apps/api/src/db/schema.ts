/** Tables as Kysely sees them. Times are milliseconds since the Unix epoch (bigint columns). */
export interface SubscribersTable {
  email: string;
  created_at: number;
  /** SHA-256 of the owner token of the session that put the address on the list (owner-token.ts). */
  owner_hash: string | null;
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
}
