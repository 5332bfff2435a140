import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DEFAULT_LANGUAGE,
  DEFAULT_SITE_NAME,
  DEFAULT_SITE_TAGLINE,
  SHIPPED_LANGUAGES,
} from '@catlist/contracts';
import * as z from 'zod/mini';
import {
  DEFAULT_CHALLENGE_DIFFICULTY,
  DEFAULT_CHALLENGE_VALID_MS,
} from '../challenge/signup-challenge.js';
import { CONSOLE_MAIL_URL } from '../confirmation/mail-transport.js';
import { accentProblems } from '../settings/contrast.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const MIN_SESSION_KEY_LENGTH = 32;
const MIN_ADMIN_PASSWORD_LENGTH = 8;
/**
 * Where `pnpm dev` serves the web app (Vite on 127.0.0.1, port WEB_PORT; apps/web/vite.config.ts):
 * links in mails printed by MAIL_URL=console point there. The same host as Vite's, so the link
 * opens in the browser session that signed up (localhost would be another site to the cookie).
 */
const devPublicUrl = (webPort: number) => `http://127.0.0.1:${webPort}`;
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

// MAIL_FROM goes into the From header of every mail: exactly one RFC 5322 mailbox, an addr-spec
// alone or `name <addr-spec>` (the name a phrase or a quoted string, RFC 6532 letters allowed),
// so that no value can add a second sender or, through a line break, another header.
const ATEXT = "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~]";
const ADDR_SPEC = `${ATEXT}+(?:\\.${ATEXT}+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*`;
const PHRASE = '[^"(),:;<>@[\\]\\\\\\p{Cc}]+';
const QUOTED = '"(?:[^"\\\\\\p{Cc}]|\\\\[^\\p{Cc}])*"';
const MAILBOX = new RegExp(`^(?:${ADDR_SPEC}|(?:${PHRASE}|${QUOTED} *)?<${ADDR_SPEC}>)$`, 'u');
const isMailFrom = (value: string): boolean => MAILBOX.test(value);

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

const quoted = (value: string | undefined) => JSON.stringify(value ?? '');

/**
 * One variable: its rule, and what to tell the operator when a value breaks it (what a good value
 * looks like, and the value given: never for secrets, never DATABASE_URL, which may carry a
 * password). Whatever in the rule failed, the operator reads this one line.
 */
function variable<T extends z.ZodMiniType>(
  rule: T,
  expected: (value: string | undefined) => string,
) {
  return z.pipe(
    z.optional(z.string()),
    z.transform((value: string | undefined, ctx): z.output<T> => {
      const result = z.safeParse(rule, value);
      if (result.success) return result.data;
      ctx.issues.push({ code: 'custom', input: value, message: expected(value) });
      return z.NEVER;
    }),
  );
}

/** A comma-separated list whose entries each follow `entry`; one line per bad entry. */
function listVariable(entry: z.ZodMiniType<string, string>, expected: (entry: string) => string) {
  return z.pipe(
    z.optional(z.string()),
    z.transform((value: string | undefined, ctx): string[] => {
      const entries = list(value ?? '');
      for (const item of entries) {
        if (!z.safeParse(entry, item).success) {
          ctx.issues.push({ code: 'custom', input: item, message: expected(item) });
        }
      }
      return entries;
    }),
  );
}

/** A comma-separated list of origins, named `name` in its messages. */
const originList = (name: string) =>
  listVariable(
    z.string().check(z.refine(isOrigin)),
    (entry) =>
      `${name} entry ${quoted(entry)} is not an origin: give scheme, host ` +
      'and optional port, no path (e.g. https://signup.example.com), separated by commas',
  );

const EnvSchema = z
  .object({
    NODE_ENV: variable(
      z._default(z.enum(['development', 'production', 'test']), 'development'),
      (v) => `NODE_ENV must be development, production or test; got ${quoted(v)}`,
    ),
    // 0 asks the system for any free port (the tests do).
    PORT: variable(
      z._default(wholeNumber(0, 65535), 3000),
      (v) =>
        `PORT must be a whole number from 1 to 65535 (or 0 for any free port); got ${quoted(v)}`,
    ),
    // Read by Vite (apps/web/vite.config.ts) under `pnpm dev`; here for the console mail links.
    WEB_PORT: variable(
      z._default(wholeNumber(1, 65535), 5173),
      (v) =>
        `WEB_PORT (pnpm dev only: the web dev server's port) must be a whole number from 1 to 65535; got ${quoted(v)}`,
    ),
    HOST: variable(
      z._default(z.string().check(z.minLength(1)), '127.0.0.1'),
      () => 'HOST must be an address to listen on, such as 127.0.0.1 or 0.0.0.0',
    ),
    DATABASE_URL: variable(
      z._default(z.string().check(z.refine(isDatabaseUrl)), 'sqlite:./data/catlist.db'),
      () =>
        'DATABASE_URL must be sqlite:<path> or postgres://user:password@host:5432/database ' +
        '(percent-encode special characters in the password, e.g. @ as %40)',
    ),
    DATABASE_POOL_SIZE: variable(
      z._default(wholeNumber(1, 1000), 10),
      (v) => `DATABASE_POOL_SIZE must be a whole number from 1 to 1000; got ${quoted(v)}`,
    ),
    DATABASE_STATEMENT_TIMEOUT_MS: variable(
      z._default(wholeNumber(100, 600_000), 5_000),
      (v) =>
        `DATABASE_STATEMENT_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000; got ${quoted(v)}`,
    ),
    SESSION_KEYS: variable(
      z.optional(
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
      () =>
        `SESSION_KEYS must be comma-separated keys of at least ${MIN_SESSION_KEY_LENGTH} characters each; ${GENERATE_KEY_HINT}`,
    ),
    ADMIN_PASSWORD: variable(
      z.optional(z.string().check(z.minLength(MIN_ADMIN_PASSWORD_LENGTH))),
      () =>
        `ADMIN_PASSWORD must be at least ${MIN_ADMIN_PASSWORD_LENGTH} characters, or unset to turn the admin area off`,
    ),
    // Origins that may post the signup form, frame the signup page, receive the form's redirects
    // and make credentialed cross-origin calls. CORS_ORIGINS, its first name, is an alias: both
    // are read and merged (loadEnv).
    EMBED_ORIGINS: originList('EMBED_ORIGINS'),
    CORS_ORIGINS: originList('CORS_ORIGINS'),
    TRUST_PROXY: variable(
      flag,
      (v) => `TRUST_PROXY must be 1, true, yes, on or 0, false, no, off; got ${quoted(v)}`,
    ),
    LOG_LEVEL: variable(
      z._default(z.enum(LOG_LEVELS), 'info'),
      (v) => `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got ${quoted(v)}`,
    ),
    SITE_NAME: variable(
      z._default(
        z.pipe(pageText(MAX_SITE_NAME_LENGTH), z.string().check(z.minLength(1))),
        DEFAULT_SITE_NAME,
      ),
      () => `SITE_NAME must be text of at most ${MAX_SITE_NAME_LENGTH} characters, on one line`,
    ),
    // Unset: the cats' tagline under the cats' name, none under a name of your own (see loadEnv).
    SITE_TAGLINE: variable(
      z.optional(pageText(MAX_TAGLINE_LENGTH)),
      () => `SITE_TAGLINE must be text of at most ${MAX_TAGLINE_LENGTH} characters, on one line`,
    ),
    // The languages visitors may get (unset: every shipped one) and the one for everybody else.
    SITE_LANGUAGES: listVariable(
      z.enum(SHIPPED_LANGUAGES as [string, ...string[]]),
      (entry) =>
        `SITE_LANGUAGES entry ${quoted(entry)} is not a language this server ships: use codes from ${SHIPPED_LANGUAGES.join(', ')}, separated by commas`,
    ),
    SITE_DEFAULT_LANGUAGE: variable(
      z.optional(z.enum(SHIPPED_LANGUAGES as [string, ...string[]])),
      (v) =>
        `SITE_DEFAULT_LANGUAGE must be one of ${SHIPPED_LANGUAGES.join(', ')}; got ${quoted(v)}`,
    ),
    PRIVACY_URL: variable(
      z.optional(z.string().check(z.refine(isWebUrl))),
      (v) =>
        `PRIVACY_URL must be an http(s) address such as https://example.com/privacy; got ${quoted(v)}`,
    ),
    // The first accent colour (the admin's site settings can change it): `#rrggbb`, readable
    // under white text and on the page (settings/contrast.ts); unset: the web app's own colours.
    SITE_ACCENT_COLOR: z.pipe(
      z.optional(z.string()),
      z.transform((value: string | undefined, ctx): string | undefined => {
        if (value === undefined) return undefined;
        if (!/^#[0-9a-fA-F]{6}$/.test(value)) {
          ctx.issues.push({
            code: 'custom',
            input: value,
            message: `SITE_ACCENT_COLOR must be a colour like #1a6b4c; got ${quoted(value)}`,
          });
          return z.NEVER;
        }
        for (const problem of accentProblems(value)) {
          ctx.issues.push({
            code: 'custom',
            input: value,
            message: `SITE_ACCENT_COLOR: ${problem}`,
          });
        }
        return value.toLowerCase();
      }),
    ),
    // Whether the signup page shows how many have signed up (the admin can change it).
    SITE_SHOW_COUNT: variable(
      z.pipe(
        z._default(z.enum(FLAG_VALUES), 'on'),
        z.transform((value: (typeof FLAG_VALUES)[number]) =>
          ['', '1', 'true', 'yes', 'on'].includes(value),
        ),
      ),
      (v) => `SITE_SHOW_COUNT must be on, 1, true, yes or off, 0, false, no; got ${quoted(v)}`,
    ),
    // Confirmation by email: the three go together (the rule below the fields).
    MAIL_URL: variable(
      z.optional(
        z
          .string()
          .check(
            z.refine((value) => value === CONSOLE_MAIL_URL || /^smtps?:\/\/[^/?#]+/.test(value)),
          ),
      ),
      () =>
        'MAIL_URL must be smtp://user:password@host:587, smtps://user:password@host:465, or console ' +
        '(print mails instead of sending them; development)',
    ),
    MAIL_FROM: variable(
      z.optional(z.string().check(z.refine(isMailFrom))),
      (v) =>
        'MAIL_FROM must be one sender address, optionally with a name, on one line, such as ' +
        `"Cats Everywhere <news@example.com>" or news@example.com; got ${quoted(v)}`,
    ),
    PUBLIC_URL: variable(
      z.optional(z.string().check(z.refine(isOrigin))),
      (v) =>
        `PUBLIC_URL must be the origin the links in mails point to, such as https://signup.example.com; got ${quoted(v)}`,
    ),
    // The signup challenge (proof of work, ALTCHA): off unless asked for; its keys come from
    // SESSION_KEYS (challenge/signup-challenge.ts).
    SIGNUP_CHALLENGE: variable(
      flag,
      (v) => `SIGNUP_CHALLENGE must be on, 1, true, yes or off, 0, false, no; got ${quoted(v)}`,
    ),
    SIGNUP_CHALLENGE_DIFFICULTY: variable(
      z._default(wholeNumber(1, 10_000_000), DEFAULT_CHALLENGE_DIFFICULTY),
      (v) =>
        `SIGNUP_CHALLENGE_DIFFICULTY must be a whole number from 1 to 10000000 (the most keys a browser derives; default ${DEFAULT_CHALLENGE_DIFFICULTY}); got ${quoted(v)}`,
    ),
    SIGNUP_CHALLENGE_VALID_MS: variable(
      z._default(wholeNumber(10_000, 86_400_000), DEFAULT_CHALLENGE_VALID_MS),
      (v) =>
        `SIGNUP_CHALLENGE_VALID_MS must be a whole number of milliseconds from 10000 to 86400000 (how long a challenge may take to come back solved); got ${quoted(v)}`,
    ),
    MAIL_RETRY_MS: variable(
      z._default(wholeNumber(100, 30_000), 15_000),
      (v) =>
        `MAIL_RETRY_MS must be a whole number of milliseconds from 100 to 30000; got ${quoted(v)}`,
    ),
  })
  .check(
    z.superRefine(
      (env, ctx) => {
        const problem = (variable: string, message: string) =>
          ctx.issues.push({ code: 'custom', input: env, path: [variable], message });
        const { SITE_LANGUAGES: languages, SITE_DEFAULT_LANGUAGE: fallback } = env;
        // Only between two good values: a wrong one has its own line already.
        const shipped = (code: unknown) => SHIPPED_LANGUAGES.includes(code as string);
        const both = shipped(fallback) && languages.length > 0 && languages.every(shipped);
        if (both && !languages.includes(fallback as string)) {
          problem(
            'SITE_DEFAULT_LANGUAGE',
            `SITE_DEFAULT_LANGUAGE ${quoted(fallback)} must be one of SITE_LANGUAGES (${languages.join(', ')})`,
          );
        }
        if (env.NODE_ENV === 'production' && (env.SESSION_KEYS ?? []).length === 0) {
          problem('SESSION_KEYS', `SESSION_KEYS is required in production; ${GENERATE_KEY_HINT}`);
        }
        // A partial mail configuration, named: MAIL_URL needs MAIL_FROM and PUBLIC_URL, and vice
        // versa. MAIL_URL=console prints mails (development) and needs neither (see loadEnv).
        if (env.MAIL_URL === CONSOLE_MAIL_URL) return;
        if (env.MAIL_URL === undefined) {
          if (env.MAIL_FROM !== undefined) {
            problem(
              'MAIL_URL',
              'MAIL_URL: required with MAIL_FROM (an SMTP URL; confirmation by email needs all three of MAIL_URL, MAIL_FROM, PUBLIC_URL)',
            );
          }
          return;
        }
        if (env.MAIL_FROM === undefined) {
          problem(
            'MAIL_FROM',
            'MAIL_FROM: required with MAIL_URL (the sender, e.g. "Cats Everywhere <news@example.com>")',
          );
        }
        if (env.PUBLIC_URL === undefined) {
          problem(
            'PUBLIC_URL',
            'PUBLIC_URL: required with MAIL_URL (the origin links in mails point to, e.g. https://signup.example.com)',
          );
        }
      },
      // Also when a variable above is wrong: every problem is listed at once. A wrong variable
      // counts as given here, as it was given.
      { when: () => true },
    ),
  );

type Parsed = z.output<typeof EnvSchema>;
/** Confirmation by email: MAIL_URL with MAIL_FROM and PUBLIC_URL, or neither of the first two. */
type MailVariables =
  | { MAIL_URL: string; MAIL_FROM: string; PUBLIC_URL: string }
  | { MAIL_URL: undefined; MAIL_FROM: undefined; PUBLIC_URL: string | undefined };
export type Env = Omit<Parsed, 'SITE_TAGLINE' | 'SITE_DEFAULT_LANGUAGE' | keyof MailVariables> & {
  SITE_TAGLINE: string;
  SITE_DEFAULT_LANGUAGE: string;
} & MailVariables;
type Variable = keyof typeof EnvSchema.shape;

/** Every variable the server reads (.env.example must list each). */
export const ENV_VARIABLES = Object.keys(EnvSchema.shape) as Variable[];

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
  // Every problem at once, one line each, in the schema's order (each rule says it once).
  if (!result.success) {
    throw new EnvError([...new Set(result.error.issues.map((issue) => issue.message))]);
  }
  const env = result.data;
  // MAIL_URL=console prints mails (development): it needs no sender and defaults its links to
  // the Vite dev server, on WEB_PORT as `pnpm dev` runs it.
  const printing = env.MAIL_URL === CONSOLE_MAIL_URL;
  const from = env.MAIL_FROM ?? (printing ? `${env.SITE_NAME} <no-reply@localhost>` : undefined);
  const publicUrl = (
    env.PUBLIC_URL ?? (printing ? devPublicUrl(env.WEB_PORT) : undefined)
  )?.replace(/\/$/, '');
  // The schema's mail rule saw to it that MAIL_URL comes with both; this tells the type.
  const mail: MailVariables =
    env.MAIL_URL !== undefined && from !== undefined && publicUrl !== undefined
      ? { MAIL_URL: env.MAIL_URL, MAIL_FROM: from, PUBLIC_URL: publicUrl }
      : { MAIL_URL: undefined, MAIL_FROM: undefined, PUBLIC_URL: publicUrl };
  const origins = (values: string[]) => values.map((value) => new URL(value).origin);
  const languages =
    env.SITE_LANGUAGES.length === 0 ? SHIPPED_LANGUAGES : [...new Set(env.SITE_LANGUAGES)];
  const firstLanguage = languages.includes(DEFAULT_LANGUAGE) ? DEFAULT_LANGUAGE : languages[0];
  return {
    ...env,
    // EMBED_ORIGINS holds both lists (CORS_ORIGINS is its alias), each origin once.
    EMBED_ORIGINS: [...new Set([...origins(env.EMBED_ORIGINS), ...origins(env.CORS_ORIGINS)])],
    CORS_ORIGINS: origins(env.CORS_ORIGINS),
    SITE_TAGLINE: env.SITE_TAGLINE ?? (raw.SITE_NAME === undefined ? DEFAULT_SITE_TAGLINE : ''),
    SITE_LANGUAGES: languages,
    SITE_DEFAULT_LANGUAGE: env.SITE_DEFAULT_LANGUAGE ?? firstLanguage ?? DEFAULT_LANGUAGE,
    ...mail,
  };
}
