/** The two databases catlist runs on; a migration's few differences depend on it. */
export type Dialect = 'sqlite' | 'postgres';
