import type { SubscriberSource } from '@catlist/contracts';
import type { Generated, Kysely } from 'kysely';

/** Tables as Kysely sees them. Times are milliseconds since the Unix epoch (bigint columns). */
export interface SubscribersTable {
  email: string;
  created_at: number;
  /** SHA-256 of the owner token of the session that put the address on the list (owner-token.ts). */
  owner_hash: string | null;
  /** How the address came onto the list (migration 0006). */
  source: Generated<SubscriberSource>;
  /** When the address was confirmed by mail; null when it joined without confirmation. */
  confirmed_at: number | null;
  /** The language of the confirmation mail the address confirmed (0015); null when unknown. */
  language: Generated<string | null>;
}

/** Owners of an address besides `subscribers.owner_hash` (confirmation by email). */
export interface SubscriberOwnersTable {
  email: string;
  owner_hash: string;
}

/** Pending confirmation requests; the token itself is only in the mail. */
export interface ConfirmationsTable {
  token_hash: string;
  email: string;
  /** Owner-token hash of the session that asked. */
  owner_hash: string | null;
  created_at: number;
  expires_at: number;
  confirmed_at: number | null;
}

/** Mails waiting to be sent (and, for a day, mails sent: the per-address cap counts them). */
export interface MailOutboxTable {
  id: Generated<number>;
  email: string;
  kind: 'confirm' | 'already-subscribed';
  /** The confirmation token (kind `confirm`) until the mail is sent; then null. */
  token: string | null;
  /** The signup's language (0011); null for mails queued before, which go in the default. */
  language: string | null;
  queued_at: number;
  attempts: Generated<number>;
  next_attempt_at: number;
  claimed_until: Generated<number>;
  sent_at: number | null;
  last_error: string | null;
}

/** An import waiting to be committed or discarded (csv/import-store.ts). */
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
  /** JSON of the session's fields (session/session-middleware.ts, SessionFields). */
  data: string;
  expires_at: number;
  /** Raised by every write; a write applies only over the version it read (migration 0008). */
  version: Generated<number>;
}

/** Signup challenges used already (challenge/signup-challenge.ts), until they expire. */
export interface SpentChallengesTable {
  /** The challenge's HMAC signature (hex): unique per challenge. */
  signature: string;
  expires_at: number;
}

/** Why an address is on the suppression list (migration 0012). */
export type SuppressionReason = 'unsubscribed' | 'complaint';

/** Addresses imports and `catlist add` skip unless told otherwise (migration 0012). */
export interface SuppressionsTable {
  email: string;
  suppressed_at: number;
  reason: SuppressionReason;
}

/**
 * How an address left the list: by itself (`unsubscribed`), removed by the admin or the command
 * line (`removed`), or removed by the admin as a complaint (`complaint`).
 */
export type RemovalKind = 'unsubscribed' | 'removed' | 'complaint';

/** One removal from the list, without the address (migration 0012). */
export interface RemovalsTable {
  id: Generated<number>;
  removed_at: number;
  kind: RemovalKind;
}

/** Addresses on the list per UTC day of signup (day = created_at / 86400000), by triggers. */
export interface DailyJoinsTable {
  day: number;
  shard: number;
  n: number;
}

/** Where an announcement is (contracts: ANNOUNCEMENT_STATUSES). */
export type AnnouncementStatusColumn = 'draft' | 'sending' | 'paused' | 'sent' | 'cancelled';

/** An announcement and its counts (migration 0015). */
export interface AnnouncementsTable {
  id: Generated<number>;
  status: AnnouncementStatusColumn;
  /** JSON: the versions, `[{ language, subject, body }]`, the first the default. */
  messages: string;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  /** The last address queued (keyset over subscribers.email); null before the first batch. */
  queue_cursor: string | null;
  /** 1 once every recipient is queued. */
  queueing_done: Generated<number>;
  recipients: Generated<number>;
  sent: Generated<number>;
  failed: Generated<number>;
  skipped: Generated<number>;
  unsubscribed: Generated<number>;
}

/** A recipient's state: waiting, or how it ended (dropped: the announcement was cancelled). */
export type RecipientState = 'queued' | 'sent' | 'failed' | 'skipped' | 'dropped';

/** One recipient of one announcement (migration 0015). */
export interface AnnouncementOutboxTable {
  announcement_id: number;
  email: string;
  language: string | null;
  state: Generated<RecipientState>;
  attempts: Generated<number>;
  next_attempt_at: Generated<number>;
  claimed_until: Generated<number>;
  paced_at: number | null;
  last_error: string | null;
}

/** The site's pace of announcement mails: one row (migration 0015). */
export interface AnnouncementPaceTable {
  id: number;
  next_at: number;
}

/** The site's logo (migration 0014): one row, id 1, or none. */
export interface SiteLogoTable {
  id: number;
  /** SHA-256 of `bytes`, hex: the logo's URL names it. */
  hash: string;
  /** `png`, `jpg` or `webp` (LOGO_FORMATS), from the bytes themselves. */
  extension: string;
  bytes: Uint8Array;
  updated_at: number;
}

export interface SubscriberCountTable {
  id: number;
  n: number;
}

/** The site's settings as the admin saved them: at most one row, id 1 (migration 0013). */
export interface SiteSettingsTable {
  id: number;
  /** JSON of the contract's SiteSettings. */
  document: string;
  /** Raised by every save: instances compare it to know their copy is current. */
  version: number;
  updated_at: number;
}

export interface Schema {
  subscribers: SubscribersTable;
  sessions: SessionsTable;
  subscriber_count: SubscriberCountTable;
  imports: ImportsTable;
  import_rows: ImportRowsTable;
  subscriber_owners: SubscriberOwnersTable;
  confirmations: ConfirmationsTable;
  mail_outbox: MailOutboxTable;
  spent_challenges: SpentChallengesTable;
  suppressions: SuppressionsTable;
  removals: RemovalsTable;
  daily_joins: DailyJoinsTable;
  site_settings: SiteSettingsTable;
  announcements: AnnouncementsTable;
  announcement_outbox: AnnouncementOutboxTable;
  announcement_pace: AnnouncementPaceTable;
  site_logo: SiteLogoTable;
}

/** Where a store's statements go: the database, or a transaction on it (which is one too). */
export type Executor = Kysely<Schema>;
