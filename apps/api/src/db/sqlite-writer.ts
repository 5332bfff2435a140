import type { QueryResult } from 'kysely';
import type { WriteOp, WriteResult } from './sqlite-writer-protocol.js';

/**
 * Where the statements that change data go: the writer thread (SqliteWriterClient) for a file,
 * the main connection itself for `sqlite::memory:` (InlineSqliteWriter).
 */
export interface SqliteWriter {
  /** Resolves once the statement is durable (or rejects with why it was not saved). */
  execute(sql: string, parameters: readonly unknown[]): Promise<QueryResult<unknown>>;
  /** Runs the statements in one transaction, all or none; resolves once they are durable. */
  executeTogether(ops: readonly WriteOp[]): Promise<QueryResult<unknown>[]>;
  /** Changes whenever another process commits to the file (PRAGMA data_version). */
  externalVersion(): number;
  close(): Promise<void>;
}

/** A statement's result as Kysely expects it; throws the statement's error. */
export function toQueryResult(result: WriteResult): QueryResult<unknown> {
  if ('error' in result) {
    throw Object.assign(new Error(result.error.message), result.error);
  }
  if ('rows' in result) return { rows: result.rows };
  return {
    rows: [],
    numAffectedRows: BigInt(result.changes),
    insertId: BigInt(result.lastInsertRowid),
  };
}
