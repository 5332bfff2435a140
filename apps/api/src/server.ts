import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { createApp } from './app.js';
import { EnvError, loadDotEnv, loadEnv } from './config/env.js';
import { StartupError } from './config/startup-error.js';
import { startupSummary } from './config/startup-summary.js';
import { CONSOLE_MAIL_URL } from './confirmation/mail-transport.js';
import { describeDatabase } from './db/database-url.js';
import { openDatabase } from './db/open-database.js';
import { gracefulShutdown } from './http/graceful-shutdown.js';
import { createHttpServer } from './http/http-server.js';
import { resolveSessionKeys } from './session/session-keys.js';

/** Why listening failed, as one line that says what to change. */
function listenFailure(error: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new StartupError(
        `port ${port} on ${host} is already in use by another program: stop it, or set PORT to a free port`,
      );
    case 'EACCES':
      return new StartupError(
        `not allowed to listen on port ${port} on ${host}: set PORT to 1024 or above (or give this user the right to bind low ports)`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new StartupError(
        `cannot listen on HOST ${host}: it is not an address of this machine; set HOST (e.g. 127.0.0.1, or 0.0.0.0 for every interface)`,
      );
    default:
      return error;
  }
}

/** apps/web/dist, seen from apps/api/dist/server.js (or apps/api/src/server.ts in development). */
const WEB_ROOT = resolve(import.meta.dirname, '..', '..', 'web', 'dist');

async function main(): Promise<void> {
  let env: ReturnType<typeof loadEnv>;
  try {
    loadDotEnv();
    env = loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  const logger = pino({ level: env.LOG_LEVEL });
  const database = await openDatabase(env.DATABASE_URL, {
    logger,
    poolSize: env.DATABASE_POOL_SIZE,
    statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
  });
  const { keys, generated } = resolveSessionKeys(
    env.SESSION_KEYS,
    database.dataDir ?? resolve('data'),
  );
  if (generated)
    logger.warn({ path: generated }, 'SESSION_KEYS not set: generated a key and saved it');

  const webRoot = existsSync(WEB_ROOT) ? WEB_ROOT : undefined;
  const mail =
    env.MAIL_URL === undefined ? undefined : env.MAIL_URL === CONSOLE_MAIL_URL ? 'console' : 'smtp';
  const { app, start, close } = createApp({
    database,
    sessionKeys: keys,
    embedOrigins: env.EMBED_ORIGINS,
    publicUrl: env.PUBLIC_URL,
    trustProxy: env.TRUST_PROXY,
    adminPassword: env.ADMIN_PASSWORD,
    site: {
      name: env.SITE_NAME,
      tagline: env.SITE_TAGLINE,
      privacyUrl: env.PRIVACY_URL ?? null,
      accentColor: env.SITE_ACCENT_COLOR ?? null,
      showCount: env.SITE_SHOW_COUNT,
      languages: env.SITE_LANGUAGES,
      defaultLanguage: env.SITE_DEFAULT_LANGUAGE,
    },
    webRoot,
    logger,
    // Confirmation by email: on with MAIL_URL (env.ts sees to MAIL_FROM and PUBLIC_URL).
    confirmation:
      env.MAIL_URL === undefined
        ? undefined
        : {
            mailUrl: env.MAIL_URL,
            from: env.MAIL_FROM,
            publicUrl: env.PUBLIC_URL,
            retryBaseMs: env.MAIL_RETRY_MS,
          },
    // The signup challenge (proof of work): on with SIGNUP_CHALLENGE.
    signupChallenge: env.SIGNUP_CHALLENGE
      ? { difficulty: env.SIGNUP_CHALLENGE_DIFFICULTY, validMs: env.SIGNUP_CHALLENGE_VALID_MS }
      : undefined,
  });

  const server = createHttpServer(app);
  const shutdown = gracefulShutdown(server);

  const stop = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await shutdown();
    await close();
    await database.close();
    logger.info('stopped');
    process.exit(); // 0, unless something on the way set process.exitCode
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  await new Promise<void>((ready, fail) => {
    server.once('error', (error) => fail(listenFailure(error, env.HOST, env.PORT)));
    server.listen(env.PORT, env.HOST, ready);
  });
  start();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  logger.info(
    {
      url: `http://${env.HOST}:${port}`,
      database: database.dialect,
      webApp: webRoot ?? 'not built (pnpm build): serving the API only',
      confirmationByEmail:
        mail === 'console'
          ? 'on, mails printed here (MAIL_URL=console)'
          : mail === 'smtp'
            ? 'on'
            : 'off (no MAIL_URL)',
      signupChallenge: env.SIGNUP_CHALLENGE ? 'on' : 'off',
    },
    'catlist listening',
  );
  // For people, on stderr so that stdout stays one JSON object per line for log collectors.
  if (env.LOG_LEVEL !== 'silent') {
    const line = startupSummary({
      url: `http://${env.HOST}:${port}`,
      database: describeDatabase(env.DATABASE_URL),
      adminEnabled: env.ADMIN_PASSWORD !== undefined,
      mail: mail ?? 'off',
      webApp: webRoot !== undefined,
    });
    process.stderr.write(`${line}\n`);
  }
}

// One line, no stack trace: a StartupError says what to change, and anything else is told by its
// message.
main().catch((error: unknown) => {
  console.error(`catlist failed to start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
