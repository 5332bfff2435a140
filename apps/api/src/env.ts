import * as z from 'zod/mini';
import { CONSOLE_MAIL_URL } from './mail/mail-transport.js';
import { DEFAULT_SITE_NAME } from './mail/site-name.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const MIN_SESSION_KEY_LENGTH = 32;
/** Where `pnpm dev` serves the web app: links in mails printed by MAIL_URL=console point there. */
const DEV_PUBLIC_URL = 'http://localhost:5173';
const GENERATE_KEY_HINT =
  "generate one with: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64url'))\"";

const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

const FLAG_VALUES = ['', '0', '1', 'false', 'true', 'no', 'yes', 'off', 'on'] as const;
const flag = z.pipe(
  z._default(z.enum(FLAG_VALUES), ''),
  z.transform((value: (typeof FLAG_VALUES)[number]) => ['1', 'true', 'yes', 'on'].includes(value)),
);

const origin = z.string().check(
  z.refine((value) => {
    try {
      const url = new URL(value);
      return url.origin === value.replace(/\/$/, '') && url.origin !== 'null';
    } catch {
      return false;
    }
  }, 'each entry must be an origin such as https://example.com (scheme, host and optional port, no path)'),
);

const EnvSchema = z.object({
  NODE_ENV: z._default(z.enum(['development', 'production', 'test']), 'development'),
  PORT: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(65535)), 3000),
  HOST: z._default(z.string().check(z.minLength(1)), '127.0.0.1'),
  DATABASE_URL: z._default(
    z
      .string()
      .check(
        z.refine(
          (value) => /^sqlite:.+/.test(value) || /^postgres(ql)?:\/\//.test(value),
          'must be sqlite:<path> or postgres://user:password@host:port/database',
        ),
      ),
    'sqlite:./data/catlist.db',
  ),
  DATABASE_POOL_SIZE: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1000)), 10),
  DATABASE_STATEMENT_TIMEOUT_MS: z._default(
    z.coerce.number().check(z.int(), z.gte(100), z.lte(600_000)),
    5_000,
  ),
  SESSION_KEYS: z.optional(
    z.pipe(
      z.string(),
      z.pipe(
        z.transform(list),
        z
          .array(z.string())
          .check(
            z.refine(
              (keys) => keys.every((key) => key.length >= MIN_SESSION_KEY_LENGTH),
              `each key must be at least ${MIN_SESSION_KEY_LENGTH} characters; ${GENERATE_KEY_HINT}`,
            ),
          ),
      ),
    ),
  ),
  ADMIN_PASSWORD: z.optional(z.string()),
  CORS_ORIGINS: z.pipe(z._default(z.string(), ''), z.pipe(z.transform(list), z.array(origin))),
  TRUST_PROXY: flag,
  LOG_LEVEL: z._default(z.enum(LOG_LEVELS), 'info'),
  // Confirmation by email (see mailProblems below).
  MAIL_URL: z.optional(
    z
      .string()
      .check(
        z.refine(
          (value) => value === CONSOLE_MAIL_URL || /^smtps?:\/\/[^/?#]+/.test(value),
          'must be smtp://user:password@host:587, smtps://user:password@host:465 or console',
        ),
      ),
  ),
  MAIL_FROM: z.optional(z.string().check(z.minLength(3))),
  PUBLIC_URL: z.optional(origin),
  MAIL_RETRY_MS: z._default(z.coerce.number().check(z.int(), z.gte(100), z.lte(30_000)), 15_000),
});

export type Env = z.infer<typeof EnvSchema>;

/** Thrown by `loadEnv` with one line per bad variable. */
export class EnvError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
    this.problems = problems;
  }
}

/** Parses and validates the environment once; the only place that reads `process.env`. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  // Empty strings mean "unset", as they do in most .env files and compose files.
  const input = Object.fromEntries(
    Object.keys(EnvSchema.shape).map((key) => [key, source[key] === '' ? undefined : source[key]]),
  );
  const result = z.safeParse(EnvSchema, input);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map(
        (issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`,
      ),
    );
  }
  const env = result.data;
  if (env.NODE_ENV === 'production' && (env.SESSION_KEYS ?? []).length === 0) {
    throw new EnvError([`SESSION_KEYS: required in production; ${GENERATE_KEY_HINT}`]);
  }
  if (env.ADMIN_PASSWORD !== undefined && env.ADMIN_PASSWORD.length < 8) {
    throw new EnvError([
      'ADMIN_PASSWORD: must be at least 8 characters (or unset to disable admin)',
    ]);
  }
  const mail = mailProblems(env);
  if (mail.length > 0) throw new EnvError(mail);
  const printOnly = env.MAIL_URL === CONSOLE_MAIL_URL;
  return {
    ...env,
    CORS_ORIGINS: env.CORS_ORIGINS.map((value) => new URL(value).origin),
    // MAIL_URL=console prints mails (development): it needs no sender and defaults its links to
    // the Vite dev server.
    MAIL_FROM:
      env.MAIL_FROM ?? (printOnly ? `${DEFAULT_SITE_NAME} <no-reply@localhost>` : undefined),
    PUBLIC_URL: (env.PUBLIC_URL ?? (printOnly ? DEV_PUBLIC_URL : undefined))?.replace(/\/$/, ''),
  };
}

/** A partial mail configuration, named: MAIL_URL needs MAIL_FROM and PUBLIC_URL, and vice versa. */
function mailProblems(env: z.infer<typeof EnvSchema>): string[] {
  if (env.MAIL_URL === CONSOLE_MAIL_URL) return [];
  if (env.MAIL_URL === undefined) {
    return env.MAIL_FROM === undefined
      ? []
      : [
          'MAIL_URL: required with MAIL_FROM (an SMTP URL; confirmation by email needs all three of MAIL_URL, MAIL_FROM, PUBLIC_URL)',
        ];
  }
  const missing: string[] = [];
  if (env.MAIL_FROM === undefined) {
    missing.push(
      'MAIL_FROM: required with MAIL_URL (the sender, e.g. "Cats Everywhere <news@example.com>")',
    );
  }
  if (env.PUBLIC_URL === undefined) {
    missing.push(
      'PUBLIC_URL: required with MAIL_URL (the origin links in mails point to, e.g. https://signup.example.com)',
    );
  }
  return missing;
}
