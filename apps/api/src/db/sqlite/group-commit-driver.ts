import {
  type CompiledQuery,
  createQueryId,
  type DatabaseConnection,
  type Driver,
  IdentifierNode,
  type QueryCompiler,
  type QueryResult,
  RawNode,
} from 'kysely';
import type { GroupCommit } from './group-commit.js';

/**
 * What Kysely holds while it runs a query or a transaction: a handle on the one connection, a new
 * one per acquisition, so that the driver can tell a transaction's statements from everyone
 * else's (Kysely passes the same object to beginTransaction and to the transaction's queries).
 */
class GroupCommitLease implements DatabaseConnection {
  readonly #connection: GroupCommit;
  /** Set between beginTransaction and its commit or rollback. */
  inTransaction = false;

  constructor(connection: GroupCommit) {
    this.#connection = connection;
  }

  executeQuery<R>({ sql, parameters }: CompiledQuery): Promise<QueryResult<R>> {
    return this.#connection.query<R>(sql, parameters, this.inTransaction ? this : null);
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    // better-sqlite3 cannot run other statements while one is being iterated, and others run
    // between this iterator's steps: read it all at once (the CSV export reads in pages anyway).
    yield await this.executeQuery<R>(query);
  }
}

/**
 * Kysely's driver over GroupCommit. Written for it rather than derived from Kysely's SqliteDriver:
 * that one hands every query the same connection and relies on Kysely's one-query-at-a-time lock
 * (the adapter's supportsMultipleConnections), which would hold the connection through each
 * write's wait for its COMMIT, and so allow no group at all. Here Kysely takes any number of
 * leases at once and GroupCommit orders what runs.
 */
export class GroupCommitDriver implements Driver {
  readonly #connection: GroupCommit;

  constructor(connection: GroupCommit) {
    this.#connection = connection;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new GroupCommitLease(this.#connection);
  }

  async beginTransaction(lease: DatabaseConnection): Promise<void> {
    await this.#connection.begin(lease);
    (lease as GroupCommitLease).inTransaction = true;
  }

  async commitTransaction(lease: DatabaseConnection): Promise<void> {
    (lease as GroupCommitLease).inTransaction = false;
    await this.#connection.commit(lease);
  }

  async rollbackTransaction(lease: DatabaseConnection): Promise<void> {
    (lease as GroupCommitLease).inTransaction = false;
    await this.#connection.rollback(lease);
  }

  savepoint(
    lease: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return savepointCommand(lease, 'savepoint', name, compileQuery);
  }

  rollbackToSavepoint(
    lease: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return savepointCommand(lease, 'rollback to', name, compileQuery);
  }

  releaseSavepoint(
    lease: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    return savepointCommand(lease, 'release', name, compileQuery);
  }

  async releaseConnection(): Promise<void> {}

  /** The connection belongs to whoever made it (the database handle closes it). */
  async destroy(): Promise<void> {}
}

/** A savepoint statement within a transaction, as Kysely's SqliteDriver writes it. */
async function savepointCommand(
  lease: DatabaseConnection,
  command: 'savepoint' | 'rollback to' | 'release',
  name: string,
  compileQuery: QueryCompiler['compileQuery'],
): Promise<void> {
  const node = RawNode.createWithChildren([
    RawNode.createWithSql(`${command} `),
    IdentifierNode.create(name), // quoted, as Kysely does
  ]);
  await lease.executeQuery(compileQuery(node, createQueryId()));
}
