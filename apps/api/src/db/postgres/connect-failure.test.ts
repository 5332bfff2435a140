import { describe, expect, it } from 'vitest';
import { isWorthRetrying, postgresConnectFailure } from './connect-failure.js';

const URL = 'postgres://catlist:s3cret@db.internal:6543/signups';
const failure = (error: object) => postgresConnectFailure(error, URL).message;

// The cases a real local server cannot show (it trusts every local login, and its name resolves):
// postgres-startup.postgres.test.ts covers the rest against a real one.
describe('a failure to connect to PostgreSQL, as the operator reads it', () => {
  it('a wrong password names the user, not the password', () => {
    const message = failure({ code: '28P01', message: 'password authentication failed' });
    expect(message).toBe(
      'PostgreSQL at db.internal:6543 refused the password for user "catlist": check the user and password in DATABASE_URL',
    );
  });

  it('an unknown host says to check the host', () => {
    expect(failure({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND db.internal' })).toBe(
      'PostgreSQL host "db.internal" was not found: check the host in DATABASE_URL',
    );
  });

  it('retries only what waiting can fix', () => {
    expect(isWorthRetrying({ code: 'ECONNREFUSED' })).toBe(true);
    expect(isWorthRetrying(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isWorthRetrying({ code: '57P03', message: 'the database system is starting up' })).toBe(
      true,
    );
    for (const code of ['3D000', '28P01', '28000', 'ENOTFOUND', '42501']) {
      expect(isWorthRetrying({ code })).toBe(false);
    }
  });
});
