import {
  type Dialect,
  type Driver,
  type Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { GroupCommit } from './group-commit.js';
import { GroupCommitDriver } from './group-commit-driver.js';

/**
 * SqliteAdapter minus Kysely's one-query-at-a-time lock: GroupCommit orders the statements itself,
 * and a write waiting for its group's COMMIT must not keep the next writes out of that group.
 */
class GroupCommitAdapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

/** Kysely's SQLite dialect over one connection that commits the writes of a turn together. */
export class GroupCommitDialect implements Dialect {
  readonly #connection: GroupCommit;

  constructor(connection: GroupCommit) {
    this.#connection = connection;
  }

  createAdapter() {
    return new GroupCommitAdapter();
  }

  createDriver(): Driver {
    return new GroupCommitDriver(this.#connection);
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }
}
