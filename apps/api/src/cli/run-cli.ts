import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { checkEmail, EMAIL_MESSAGES, normalizeEmail } from '@catlist/contracts';
import { createAnnouncementStore } from '../announcements/announcement-store.js';
import { type Env, loadEnv } from '../config/env.js';
import {
  createMailOutbox,
  type OutboxEntry,
  type OutboxReport,
} from '../confirmation/mail-outbox.js';
import { ImportFileError, readAddressCsv } from '../csv/address-csv.js';
import { createImportStore } from '../csv/import-store.js';
import { subscribersCsv } from '../csv/subscribers-csv.js';
import { type DatabaseHandle, openDatabase } from '../db/open-database.js';
import { createLeavingStore } from '../stores/leaving-store.js';
import { createSessionStore } from '../stores/session-store.js';
import { createSubscriberStore } from '../stores/subscriber-store.js';
import { COMMAND_HELP, COMMANDS, type Command, EXIT, TOP_HELP } from './cli-help.js';

/** Where the command line reads and writes; the process's own streams, or a test's. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** A command line that cannot be run as written (exit 2). */
class UsageError extends Error {}

/** An import can take minutes on a large file: more than a web request's statement timeout. */
const CLI_STATEMENT_TIMEOUT_MS = 10 * 60 * 1000;

const isCommand = (name: string | undefined): name is Command =>
  (COMMANDS as readonly string[]).includes(name ?? '');

interface Parsed {
  command: Command | undefined;
  help: boolean;
  dryRun: boolean;
  includeSuppressed: boolean;
  args: string[];
}

function parse(argv: string[]): Parsed {
  let values: { help?: boolean; 'dry-run'?: boolean; 'include-suppressed'?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        'dry-run': { type: 'boolean' },
        'include-suppressed': { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  let [name, ...args] = positionals;
  let help = values.help ?? false;
  if (name === 'help') {
    help = true;
    [name, ...args] = args;
  }
  if (name !== undefined && !isCommand(name)) throw new UsageError(`Unknown command "${name}".`);
  const dryRun = values['dry-run'] ?? false;
  if (dryRun && name !== 'import') throw new UsageError('--dry-run is an option of import only.');
  const includeSuppressed = values['include-suppressed'] ?? false;
  if (includeSuppressed && name !== 'import' && name !== 'add') {
    throw new UsageError('--include-suppressed is an option of import and add only.');
  }
  return { command: name, help, dryRun, includeSuppressed, args };
}

/** The one argument `command` takes; a usage error when there is none or more. */
function oneArgument(command: Command, args: string[], what: string): string {
  if (args.length !== 1) {
    throw new UsageError(
      args.length === 0
        ? `${command} needs ${what}.`
        : `${command} takes one argument only: ${what}.`,
    );
  }
  return args[0] as string;
}

function noArguments(command: Command, args: string[]): void {
  if (args.length > 0) throw new UsageError(`${command} takes no arguments.`);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Runs `catlist <command> ...` (see cli-help.ts) and resolves with the exit status. Nothing is
 * opened before the command line is known to be right, so `--help` needs no database.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const out = (text: string) => io.stdout.write(`${text}\n`);
  const err = (text: string) => io.stderr.write(`${text}\n`);
  let parsed: Parsed;
  try {
    parsed = parse(argv);
    if (!parsed.help && !parsed.command) throw new UsageError('No command given.');
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`catlist: ${error.message}\n`);
    err(TOP_HELP);
    return EXIT.usage;
  }
  const { command, help, args } = parsed;
  if (help || !command) {
    out(command ? COMMAND_HELP[command] : TOP_HELP);
    return EXIT.ok;
  }

  let run: (database: DatabaseHandle, env: Env) => Promise<number>;
  try {
    run = commandFor(command, args, parsed, io, out, err);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`catlist ${command}: ${error.message}\n`);
    err(COMMAND_HELP[command]);
    return EXIT.usage;
  }

  let database: DatabaseHandle | undefined;
  try {
    const env = loadEnv(io.env);
    database = await openDatabase(env.DATABASE_URL, {
      poolSize: 2,
      statementTimeoutMs: CLI_STATEMENT_TIMEOUT_MS,
      // A command line should say at once that the database is not there, not wait for it.
      connectRetryMs: 0,
    });
    return await run(database, env);
  } catch (error) {
    // Configuration errors list every bad variable; anything else (the database) says what failed.
    err(`catlist ${command}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  } finally {
    await database?.close();
  }
}

/** The work of `command`, checked for its arguments now and run once the database is open. */
function commandFor(
  command: Command,
  args: string[],
  { dryRun, includeSuppressed }: Pick<Parsed, 'dryRun' | 'includeSuppressed'>,
  io: CliIo,
  out: (text: string) => void,
  err: (text: string) => void,
): (database: DatabaseHandle, env: Env) => Promise<number> {
  switch (command) {
    case 'export':
      noArguments(command, args);
      return async (database, env) => {
        // The admin's "Download CSV": confirmation times whenever confirmation by email is on
        // (server.ts turns it on with MAIL_URL), as the admin route decides.
        const csv = await subscribersCsv(createSubscriberStore(database), {
          confirmedAt: env.MAIL_URL !== undefined,
        });
        try {
          await pipeline(csv, io.stdout, { end: false });
        } catch (error) {
          // `catlist export | head`: the reader has all it wanted.
          if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
        }
        return EXIT.ok;
      };

    case 'import': {
      const file = oneArgument(command, args, 'a CSV file (or - for standard input)');
      return async (database) => {
        // Relative to where `pnpm catlist` was typed (pnpm runs scripts from the repo root).
        const path = resolve(io.env.INIT_CWD ?? process.cwd(), file);
        const input = file === '-' ? io.stdin : createReadStream(path);
        // Fail on a missing file before anything is staged (the message names the file).
        if (file !== '-') {
          await new Promise<void>((resolve, reject) => {
            input.once('readable', resolve).once('error', reject);
          });
        }
        const imports = createImportStore(database);
        let staged: Awaited<ReturnType<typeof imports.stage>>;
        const stagedAt = Date.now();
        try {
          staged = await imports.stage(readAddressCsv(input), stagedAt, (line) =>
            err(`Line ${line.line}: ${line.message}`),
          );
        } catch (error) {
          if (!(error instanceof ImportFileError)) throw error;
          err(`catlist import: ${error.message} Nothing was imported.`);
          return EXIT.refused;
        }
        const name = file === '-' ? 'standard input' : file;
        let counts = staged;
        if (dryRun) {
          await imports.discard(staged.id);
        } else {
          const committed = await imports.commit(staged.id, stagedAt, { includeSuppressed });
          if (!committed) throw new Error('the staged import disappeared before it was committed');
          counts = { ...committed, id: staged.id };
        }
        // Suppressed addresses, when there are any: skipped, or (a dry run with the flag) added.
        const suppressed = plural(counts.suppressed, 'suppressed address', 'suppressed addresses');
        const skipped =
          counts.suppressed === 0
            ? ''
            : includeSuppressed
              ? ` (and ${suppressed})`
              : `, ${suppressed} skipped (--include-suppressed imports them)`;
        out(
          `${dryRun ? 'Dry run (nothing changed): importing' : 'Imported'} ${name}` +
            `${dryRun ? ' would add' : ':'} ${plural(counts.added, 'address', 'addresses')}` +
            `${dryRun ? '' : ' added'}${includeSuppressed ? skipped : ''}, ` +
            `${counts.alreadyThere} already there, ${counts.invalid} invalid` +
            `${includeSuppressed ? '' : skipped}.`,
        );
        return counts.invalid > 0 ? EXIT.refused : EXIT.ok;
      };
    }

    case 'add': {
      const given = oneArgument(command, args, 'an email address');
      return async (database) => {
        const check = checkEmail(given);
        if (!check.ok) {
          err(`catlist add: ${JSON.stringify(given)}: ${EMAIL_MESSAGES[check.problem]}`);
          return EXIT.refused;
        }
        const subscribers = createSubscriberStore(database);
        if (await subscribers.has(check.email)) {
          out(`${check.email} is already on the list.`);
          return EXIT.ok;
        }
        const leaving = createLeavingStore(database);
        if (await leaving.isSuppressed(check.email)) {
          if (!includeSuppressed) {
            err(
              `catlist add: ${check.email} is on the suppression list (it left by itself or as a ` +
                'complaint). Add it with --include-suppressed only if its owner asked you to.',
            );
            return EXIT.refused;
          }
          await leaving.lift(check.email);
        }
        await subscribers.add(check.email, Date.now(), undefined, 'cli');
        out(`Added ${check.email}.`);
        return EXIT.ok;
      };
    }

    case 'remove': {
      const given = oneArgument(command, args, 'an email address');
      return async (database) => {
        // As the admin delete: any spelling, and a legacy row by its stored spelling.
        const removed = await createSubscriberStore(database).removeAsGiven(given);
        if (removed === undefined) {
          err(`catlist remove: ${normalizeEmail(given)} is not on the list.`);
          return EXIT.refused;
        }
        out(`Removed ${removed}.`);
        return EXIT.ok;
      };
    }

    case 'count':
      noArguments(command, args);
      return async (database) => {
        out(String(await createSubscriberStore(database).count()));
        return EXIT.ok;
      };

    case 'outbox': {
      const [sub, ...rest] = args;
      if (sub === undefined) {
        return async (database) => {
          printOutbox(await createMailOutbox(database).report(Date.now()), out);
          return EXIT.ok;
        };
      }
      if (sub !== 'retry') throw new UsageError(`Unknown outbox command "${sub}".`);
      const given = oneArgument(command, rest, 'the id of a mail (from catlist outbox)');
      const id = Number(given);
      if (!Number.isSafeInteger(id) || id <= 0) {
        throw new UsageError(`"${given}" is not the id of a mail.`);
      }
      return async (database) => {
        const outcome = await createMailOutbox(database).retryNow(id, Date.now());
        if (outcome === 'due') {
          out(`Mail ${id} is due now: the server sends it within a few seconds.`);
          return EXIT.ok;
        }
        err(`catlist outbox retry: ${RETRY_REFUSED[outcome].replace('#', String(id))}`);
        return EXIT.refused;
      };
    }

    case 'announcements':
      noArguments(command, args);
      return async (database) => {
        const list = await createAnnouncementStore(database).list(50);
        if (list.length === 0) out('No announcements yet.');
        for (const a of list) {
          const waiting =
            a.status === 'cancelled'
              ? 0
              : Math.max(0, a.recipients - a.sent - a.failed - a.skipped);
          const when = new Date(a.startedAt ?? a.createdAt).toISOString().replace(/\.\d+Z$/, 'Z');
          out(`#${a.id} ${a.status} ${when} "${a.messages[0]?.subject ?? ''}"`);
          out(
            `    ${a.recipients}${a.queueingDone ? '' : '+'} recipients: ${a.sent} sent, ${a.failed} failed, ${a.skipped} skipped, ${waiting} waiting; ${a.unsubscribed} unsubscribed`,
          );
        }
        return EXIT.ok;
      };

    case 'purge-sessions':
      noArguments(command, args);
      return async (database) => {
        const purged = await createSessionStore(database).purgeExpired(Date.now());
        out(`Removed ${plural(purged, 'expired session')}.`);
        return EXIT.ok;
      };
  }
}

/** Why `catlist outbox retry` did nothing. */
const RETRY_REFUSED = {
  unknown: 'there is no mail # in the outbox (sent mails stay a day).',
  sent: 'mail # was sent already.',
  sending: 'mail # is being sent right now.',
  'token-gone':
    'mail # was given up on and its confirmation link is gone; the visitor signs up again.',
} as const;

const iso = (time: number) => new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The outbox, for a person at a terminal: counts first, then each mail that failed. */
function printOutbox(report: OutboxReport, out: (text: string) => void): void {
  out(`Waiting:   ${report.waiting}`);
  out(`Failing:   ${report.failing} (tried again later)`);
  out(`Sent today (UTC): ${report.sentToday}`);
  out(`Given up today (refused for good by the SMTP server): ${report.givenUpToday}`);
  if (report.oldestUnsentAt !== null)
    out(`Oldest unsent mail queued at ${iso(report.oldestUnsentAt)}`);
  const list = (title: string, mails: OutboxEntry[], when: string) => {
    if (mails.length === 0) return;
    out(`\n${title}:`);
    for (const mail of mails) {
      out(
        `  #${mail.id} ${mail.kind} to ${mail.email}, ${plural(mail.attempts, 'attempt')}, ` +
          `${when} ${iso(mail.nextAttemptAt)}`,
      );
      out(`      last error: ${mail.lastError}`);
    }
  };
  list('Failing', report.failingMails, 'next try');
  list('Given up today', report.givenUpMails, 'given up');
  if (report.failing + report.givenUpToday > 0) {
    out('\nRetry one now with: catlist outbox retry <id>');
  }
}
