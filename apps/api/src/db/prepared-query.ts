import { type Compilable, CompiledQuery, type Kysely, type QueryResult } from 'kysely';

const SENTINEL = '\u0000catlist-parameter:';

/**
 * Builds and compiles a Kysely query once, then runs it with new values: building and compiling
 * on every call was a large share of a session read's CPU (docs/benchmarks.md). `build`
 * receives `param(name)`, which stands for a value given at run time; the SQL is the same that
 * Kysely would produce per call, and it runs through Kysely's executor like any other query
 * (skipping that executor did not measure: docs/benchmarks.md).
 */
export function preparedQuery<Names extends string, Row, DB>(
  db: Kysely<DB>,
  build: (param: (name: Names) => never) => Compilable<Row>,
): (values: Record<Names, unknown>, executor?: Kysely<DB>) => Promise<QueryResult<Row>> {
  const compiled = build((name) => `${SENTINEL}${name}` as never).compile();
  const slots = compiled.parameters.map((value) => {
    if (typeof value !== 'string' || !value.startsWith(SENTINEL)) {
      throw new Error(`preparedQuery: every value must come from param() (got ${String(value)})`);
    }
    return value.slice(SENTINEL.length) as Names;
  });
  // `executor`: a transaction on `db`, for a statement that must commit together with others.
  return (values, executor = db) =>
    executor.executeQuery<Row>(
      CompiledQuery.raw(
        compiled.sql,
        slots.map((name) => values[name]),
      ),
    );
}
