import { StartupError } from '../../config/startup-error.js';
import { databaseLocation } from '../database-url.js';

// Worth waiting for: the server is not up yet (refused, starting up, restarting) or the network is
// slow. Anything else (no such database, wrong password, unknown host) will not fix itself, and
// retrying it forever only hides the mistake.
const RETRY_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', '57P03']);
const RETRY_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
  'Connection terminated unexpectedly',
];

function codeOf(error: unknown): string | undefined {
  const { code } = (error ?? {}) as { code?: unknown };
  return typeof code === 'string' ? code : undefined;
}

/** True when connecting failed in a way that waiting may fix (PostgreSQL not up yet, a timeout). */
export function isWorthRetrying(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined && RETRY_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : String(error);
  if (RETRY_MESSAGES.some((m) => message.includes(m))) return true;
  // pg-pool wraps some failures; AggregateError lists one per address tried.
  const { cause, errors } = (error ?? {}) as { cause?: unknown; errors?: unknown };
  if (cause !== undefined && isWorthRetrying(cause)) return true;
  return Array.isArray(errors) && errors.length > 0 && errors.every(isWorthRetrying);
}

/** A failure to connect to the PostgreSQL at `url`, as one line that says what to do. */
export function postgresConnectFailure(error: unknown, url: string): StartupError {
  return new StartupError(connectFailureMessage(error, url), { cause: error });
}

function connectFailureMessage(error: unknown, url: string): string {
  const where = databaseLocation(url);
  if (where.kind !== 'postgres') throw new Error('postgresConnectFailure: not a postgres URL');
  const { host, port, user, database } = where;
  const server = `PostgreSQL at ${host}:${port}`;
  const message = error instanceof Error ? error.message : String(error);
  switch (codeOf(error)) {
    case '3D000':
      return `${server} has no database "${database}": create it (createdb -h ${host} -p ${port} -U ${user} ${database}) or fix the name in DATABASE_URL`;
    case '28P01':
      return `${server} refused the password for user "${user}": check the user and password in DATABASE_URL`;
    case '28000':
      return `${server} refused user "${user}" (${message}): fix the user in DATABASE_URL, create the role (createuser -h ${host} -p ${port} ${user}) or allow it in pg_hba.conf`;
    case 'ENOTFOUND':
      return `PostgreSQL host "${host}" was not found: check the host in DATABASE_URL`;
    default:
      return `${server}: ${message}`;
  }
}

/** PostgreSQL never became reachable within the time the caller allowed. */
export function postgresUnreachable(error: unknown, url: string): StartupError {
  const where = databaseLocation(url);
  const server =
    where.kind === 'postgres' ? `PostgreSQL at ${where.host}:${where.port}` : 'PostgreSQL';
  const message = error instanceof Error ? error.message : String(error);
  return new StartupError(
    `${server} is not reachable (${message}): start it, or check the host and port in DATABASE_URL`,
    { cause: error },
  );
}
