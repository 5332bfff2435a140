import { type Compilable, CompiledQuery, type Kysely, type QueryResult } from 'kysely';

const SENTINEL = '\u0000catlist-parameter:';

/** Runs SQL with its values on the connection underneath a Kysely instance, without Kysely. */
export type DirectExecutor = (
  sql: string,
  parameters: readonly unknown[],
) => Promise<QueryResult<unknown>>;

const directExecutors = new WeakMap<object, DirectExecutor>();

/**
 * Lets prepared queries on `db` skip Kysely's executor (connection provider, result transforms,
 * promise layers: a third of what a signup allocated on the SQLite read connection, pnpm bench)
 * and go straight to `execute`. Only for a Kysely instance with no plugins, whose executor would
 * hand the SQL to that same connection unchanged.
 */
export function executeDirectly(db: object, execute: DirectExecutor): void {
  directExecutors.set(db, execute);
}

/**
 * Builds and compiles a Kysely query once, then runs it with new values: building and compiling
 * on every call was about a quarter of the CPU of a session read (docs/benchmarks.md). `build`
 * receives `param(name)`, which stands for a value given at run time; the SQL is the same that
 * Kysely would produce per call.
 */
export function preparedQuery<Names extends string, Row, DB>(
  db: Kysely<DB>,
  build: (param: (name: Names) => never) => Compilable<Row>,
): (values: Record<Names, unknown>) => Promise<QueryResult<Row>> {
  const compiled = build((name) => `${SENTINEL}${name}` as never).compile();
  const slots = compiled.parameters.map((value) => {
    if (typeof value !== 'string' || !value.startsWith(SENTINEL)) {
      throw new Error(`preparedQuery: every value must come from param() (got ${String(value)})`);
    }
    return value.slice(SENTINEL.length) as Names;
  });
  const direct = directExecutors.get(db);
  if (direct) {
    return (values) =>
      direct(
        compiled.sql,
        slots.map((name) => values[name]),
      ) as Promise<QueryResult<Row>>;
  }
  return (values) =>
    db.executeQuery<Row>(
      CompiledQuery.raw(
        compiled.sql,
        slots.map((name) => values[name]),
      ),
    );
}
