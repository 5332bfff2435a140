import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_SITE_NAME, DEFAULT_SITE_TAGLINE } from '@catlist/contracts';
import * as z from 'zod/mini';
import { CONSOLE_MAIL_URL } from '../confirmation/mail-transport.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const MIN_SESSION_KEY_LENGTH = 32;
const MIN_ADMIN_PASSWORD_LENGTH = 8;
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

const isOrigin = (value: string): boolean => {
  try {
    const url = new URL(value);
    return url.origin === value.replace(/\/$/, '') && url.origin !== 'null';
  } catch {
    return false;
  }
};

const isDatabaseUrl = (value: string): boolean => {
  if (/^sqlite:.+/.test(value)) return true;
  if (!/^postgres(ql)?:\/\//.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
};

// Shown on every page: printable text only (no control characters, no line breaks).
const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;
const MAX_SITE_NAME_LENGTH = 80;
const MAX_TAGLINE_LENGTH = 200;
const pageText = (max: number) =>
  z.pipe(
    z.string(),
    z.pipe(
      z.transform((value: string) => value.trim()),
      z.string().check(z.maxLength(max), z.regex(NO_CONTROL_CHARACTERS)),
    ),
  );

const isWebUrl = (value: string): boolean => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
};

const wholeNumber = (min: number, max: number) =>
  z.coerce.number().check(z.int(), z.gte(min), z.lte(max));

const EnvSchema = z.object({
  NODE_ENV: z._default(z.enum(['development', 'production', 'test']), 'development'),
  // 0 asks the system for any free port (the tests do).
  PORT: z._default(wholeNumber(0, 65535), 3000),
  HOST: z._default(z.string().check(z.minLength(1)), '127.0.0.1'),
  DATABASE_URL: z._default(z.string().check(z.refine(isDatabaseUrl)), 'sqlite:./data/catlist.db'),
  DATABASE_POOL_SIZE: z._default(wholeNumber(1, 1000), 10),
  DATABASE_STATEMENT_TIMEOUT_MS: z._default(wholeNumber(100, 600_000), 5_000),
  SESSION_KEYS: z.optional(
    z.pipe(
      z.string(),
      z.pipe(
        z.transform(list),
        z
          .array(z.string())
          .check(z.refine((keys) => keys.every((key) => key.length >= MIN_SESSION_KEY_LENGTH))),
      ),
    ),
  ),
  ADMIN_PASSWORD: z.optional(z.string().check(z.minLength(MIN_ADMIN_PASSWORD_LENGTH))),
  CORS_ORIGINS: z.pipe(
    z._default(z.string(), ''),
    z.pipe(z.transform(list), z.array(z.string().check(z.refine(isOrigin)))),
  ),
  TRUST_PROXY: flag,
  LOG_LEVEL: z._default(z.enum(LOG_LEVELS), 'info'),
  SITE_NAME: z._default(
    z.pipe(pageText(MAX_SITE_NAME_LENGTH), z.string().check(z.minLength(1))),
    DEFAULT_SITE_NAME,
  ),
  // Unset: the cats' tagline under the cats' name, none under a name of your own (see loadEnv).
  SITE_TAGLINE: z.optional(pageText(MAX_TAGLINE_LENGTH)),
  PRIVACY_URL: z.optional(z.string().check(z.refine(isWebUrl))),
  // Confirmation by email (see mailProblems below).
  MAIL_URL: z.optional(
    z
      .string()
      .check(z.refine((value) => value === CONSOLE_MAIL_URL || /^smtps?:\/\/[^/?#]+/.test(value))),
  ),
  MAIL_FROM: z.optional(z.string().check(z.minLength(3))),
  PUBLIC_URL: z.optional(z.string().check(z.refine(isOrigin))),
  MAIL_RETRY_MS: z._default(wholeNumber(100, 30_000), 15_000),
});

export type Env = Omit<z.infer<typeof EnvSchema>, 'SITE_TAGLINE'> & { SITE_TAGLINE: string };
type Variable = keyof typeof EnvSchema.shape;

/** Every variable the server reads (.env.example must list each). */
export const ENV_VARIABLES = Object.keys(EnvSchema.shape) as Variable[];

const quoted = (value: string | undefined) => JSON.stringify(value ?? '');

/**
 * What to tell the operator when a variable is wrong: what a good value looks like, and the value
 * given (never for secrets, and never DATABASE_URL, which may carry a password).
 */
const EXPECTED: Record<Variable, (value: string | undefined, entry?: number) => string> = {
  NODE_ENV: (v) => `NODE_ENV must be development, production or test; got ${quoted(v)}`,
  PORT: (v) =>
    `PORT must be a whole number from 1 to 65535 (or 0 for any free port); got ${quoted(v)}`,
  HOST: () => 'HOST must be an address to listen on, such as 127.0.0.1 or 0.0.0.0',
  DATABASE_URL: () =>
    'DATABASE_URL must be sqlite:<path> or postgres://user:password@host:5432/database ' +
    '(percent-encode special characters in the password, e.g. @ as %40)',
  DATABASE_POOL_SIZE: (v) =>
    `DATABASE_POOL_SIZE must be a whole number from 1 to 1000; got ${quoted(v)}`,
  DATABASE_STATEMENT_TIMEOUT_MS: (v) =>
    `DATABASE_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000; got ${quoted(v)}`,
  SESSION_KEYS: () =>
    `SESSION_KEYS must be comma-separated keys of at least ${MIN_SESSION_KEY_LENGTH} characters each; ${GENERATE_KEY_HINT}`,
  ADMIN_PASSWORD: () =>
    `ADMIN_PASSWORD must be at least ${MIN_ADMIN_PASSWORD_LENGTH} characters, or unset to turn the admin area off`,
  CORS_ORIGINS: (v, entry) =>
    `CORS_ORIGINS entry ${quoted(list(v ?? '')[entry ?? 0])} is not an origin: give scheme, host ` +
    'and optional port, no path (e.g. https://signup.example.com), separated by commas',
  TRUST_PROXY: (v) => `TRUST_PROXY must be 1, true, yes, on or 0, false, no, off; got ${quoted(v)}`,
  LOG_LEVEL: (v) => `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got ${quoted(v)}`,
  SITE_NAME: () =>
    `SITE_NAME must be text of at most ${MAX_SITE_NAME_LENGTH} characters, on one line`,
  SITE_TAGLINE: () =>
    `SITE_TAGLINE must be text of at most ${MAX_TAGLINE_LENGTH} characters, on one line`,
  PRIVACY_URL: (v) =>
    `PRIVACY_URL must be an http(s) address such as https://example.com/privacy; got ${quoted(v)}`,
  MAIL_URL: () =>
    'MAIL_URL must be smtp://user:password@host:587, smtps://user:password@host:465, or console ' +
    '(print mails instead of sending them; development)',
  MAIL_FROM: () => 'MAIL_FROM must be a sender such as "Cats Everywhere <news@example.com>"',
  PUBLIC_URL: (v) =>
    `PUBLIC_URL must be the origin the links in mails point to, such as https://signup.example.com; got ${quoted(v)}`,
  MAIL_RETRY_MS: (v) =>
    `MAIL_RETRY_MS must be a whole number of milliseconds from 100 to 30000; got ${quoted(v)}`,
};

/** Thrown by `loadEnv` with one line per bad variable, each saying what a good value is. */
export class EnvError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
    this.problems = problems;
  }
}

/**
 * Reads `.env` from the working directory into `process.env`, if there is one; variables already
 * set in the real environment win. Returns the file's path, or null when there is none.
 */
export function loadDotEnv(dir = process.cwd()): string | null {
  const path = resolve(dir, '.env');
  if (!existsSync(path)) return null;
  process.loadEnvFile(path);
  return path;
}

/** Parses and validates the environment once; the only place that reads `process.env`. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  // Empty strings mean "unset", as they do in most .env files and compose files.
  const raw = Object.fromEntries(
    ENV_VARIABLES.map((key) => [key, source[key] === '' ? undefined : source[key]]),
  ) as Record<Variable, string | undefined>;
  const result = z.safeParse(EnvSchema, raw);
  // Every problem at once, one line per variable (per entry for lists), in the schema's order.
  const problems = new Map<string, string>();
  for (const issue of result.error?.issues ?? []) {
    const [name, entry] = issue.path as [Variable, number | undefined];
    problems.set(`${name}.${entry ?? ''}`, EXPECTED[name](raw[name], entry));
  }
  if (raw.NODE_ENV === 'production' && list(raw.SESSION_KEYS ?? '').length === 0) {
    problems.set('SESSION_KEYS.', `SESSION_KEYS is required in production; ${GENERATE_KEY_HINT}`);
  }
  const mail = mailProblems(raw);
  if (!result.success || problems.size > 0 || mail.length > 0) {
    throw new EnvError([...problems.values(), ...mail]);
  }
  const env = result.data;
  const printing = raw.MAIL_URL === CONSOLE_MAIL_URL;
  return {
    ...env,
    CORS_ORIGINS: env.CORS_ORIGINS.map((value) => new URL(value).origin),
    SITE_TAGLINE: env.SITE_TAGLINE ?? (raw.SITE_NAME === undefined ? DEFAULT_SITE_TAGLINE : ''),
    // MAIL_URL=console prints mails (development): it needs no sender and defaults its links to
    // the Vite dev server.
    MAIL_FROM: env.MAIL_FROM ?? (printing ? `${env.SITE_NAME} <no-reply@localhost>` : undefined),
    PUBLIC_URL: (env.PUBLIC_URL ?? (printing ? DEV_PUBLIC_URL : undefined))?.replace(/\/$/, ''),
  };
}

/** A partial mail configuration, named: MAIL_URL needs MAIL_FROM and PUBLIC_URL, and vice versa. */
function mailProblems(
  env: Record<'MAIL_URL' | 'MAIL_FROM' | 'PUBLIC_URL', string | undefined>,
): string[] {
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
