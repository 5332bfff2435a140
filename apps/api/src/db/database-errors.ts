// Errors that mean "the database is unreachable or too slow right now" rather than "this request
// is wrong": node's socket errors, pg-pool's connect timeout, and PostgreSQL SQLSTATEs for
// connection exceptions (class 08), shutdown (57P01-57P03), too many connections (53300) and a
// statement timeout (57014).
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);
// SQLite: locked by another process past busy_timeout, disk full, I/O errors (SQLITE_IOERR_*).
const SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|FULL|IOERR)/;
const MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection is not open',
];

/** True when `error` says the database cannot be reached right now (answer 503, not 500). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATES.has(code))) return true;
  if (typeof code === 'string' && code.startsWith('08')) return true;
  if (typeof code === 'string' && SQLITE_CODES.test(code)) return true;
  if (typeof message === 'string' && MESSAGES.some((m) => message.includes(m))) return true;
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  if (cause !== undefined && isDatabaseUnavailable(cause)) return true;
  return Array.isArray(errors) && errors.some(isDatabaseUnavailable);
}
