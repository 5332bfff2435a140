import type { Readable } from 'node:stream';
import {
  checkEmail,
  EMAIL_MESSAGES,
  MAX_EMAIL_LENGTH,
  MAX_LOCAL_PART_LENGTH,
} from '@catlist/contracts';
import { CsvError, parse } from 'csv-parse';

/** A line of an import file that holds an acceptable address (normalised). */
export interface AddressLine {
  line: number;
  ok: true;
  email: string;
  /** The signup time the file gives (the export's `created_at`), in ms; none: now. */
  createdAt: number | undefined;
}

/** A line of an import file that does not. */
export interface RefusedLine {
  line: number;
  ok: false;
  /** The address cell as it was (cut to VALUE_SHOWN characters). */
  value: string;
  /** Why, as a sentence naming the value (`"jane.doe@" is not a valid email address.`). */
  message: string;
}

export type ImportLine = AddressLine | RefusedLine;

/** Thrown when the file as a whole cannot be read as CSV (nothing of it is imported). */
export class ImportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFileError';
  }
}

const VALUE_SHOWN = 200;
/** Header cells naming the address column (compared lower-cased). */
const EMAIL_HEADERS = new Set(['email', 'e-mail', 'email address', 'e-mail address', 'address']);
const CREATED_AT_HEADER = 'created_at';
/** The export guards cells a spreadsheet would run as formulas with a `'` (subscribers-csv.ts). */
const GUARDED = /^'[=+\-@\t\r']/;

const cut = (text: string) =>
  [...text].length > VALUE_SHOWN ? `${[...text].slice(0, VALUE_SHOWN).join('')}…` : text;

interface Columns {
  email: number;
  createdAt: number | undefined;
}

/**
 * Where the address (and signup time) are, from the first record: it is a header when none of its
 * cells holds an `@` (the export's `email,created_at,source`, or a one-column file titled
 * `email`); otherwise the file is a bare column of addresses and the first record is data.
 */
function columnsOf(first: string[]): { columns: Columns; header: boolean } {
  if (first.some((cell) => cell.includes('@'))) {
    return { columns: { email: 0, createdAt: undefined }, header: false };
  }
  const names = first.map((cell) => cell.trim().toLowerCase());
  let email = names.findIndex((name) => EMAIL_HEADERS.has(name));
  if (email === -1) {
    if (first.length > 1) {
      throw new ImportFileError(
        'The first line looks like a header, but no column is called "email".',
      );
    }
    email = 0;
  }
  const createdAt = names.indexOf(CREATED_AT_HEADER);
  return { columns: { email, createdAt: createdAt === -1 ? undefined : createdAt }, header: true };
}

// The export writes ISO 8601 UTC (`2026-01-01T00:00:07.000Z`); a spreadsheet may keep the date
// alone or drop the seconds. Anything else is refused as an invalid line, not guessed at:
// Date.parse also takes `1` (the year 2001), `March 7` and `2026-02-30` (March 2nd).
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;
/** The value as a reason quotes it: in double quotes, control characters escaped. */
const quote = (value: string) => JSON.stringify(value);

/**
 * Why an import line's address is refused, as a sentence about the value. The signup form's
 * messages speak to the one typing ("Please enter a valid email address."); an import reason is
 * read next to the line number, in the admin page and from `catlist import` alike.
 */
function addressReason(value: string, message: string): string {
  if (message === EMAIL_MESSAGES.empty) return 'The address is empty.';
  if (message === EMAIL_MESSAGES.tooLong) {
    return `${quote(value)} is too long for an email address (at most ${MAX_EMAIL_LENGTH} characters).`;
  }
  if (message === EMAIL_MESSAGES.localTooLong) {
    return `${quote(value)} has too long a part before the @ (at most ${MAX_LOCAL_PART_LENGTH} characters).`;
  }
  return `${quote(value)} is not a valid email address.`;
}

const createdAtReason = (value: string) =>
  `created_at ${quote(value)} is not a date and time such as 2026-01-01T00:00:07.000Z (the export’s format).`;

/** A `created_at` cell in ms since the epoch; null unless it is an ISO 8601 date (and time). */
function signupTime(text: string): number | null {
  const parts = ISO_TIME.exec(text);
  if (!parts) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = parts.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0));
  const sameDay =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === (month ?? 0) - 1 &&
    date.getUTCDate() === day;
  if (!sameDay || hour > 23 || minute > 59 || second > 59) return null;
  const time = Date.parse(text.replace(' ', 'T'));
  return Number.isNaN(time) ? null : time;
}

function lineOf(record: string[], line: number, columns: Columns): ImportLine {
  const cell = record[columns.email] ?? '';
  const raw = GUARDED.test(cell) ? cell.slice(1) : cell;
  const check = checkEmail(raw);
  if (!check.ok) {
    return {
      line,
      ok: false,
      value: cut(cell),
      message: addressReason(cut(cell), EMAIL_MESSAGES[check.problem]),
    };
  }
  let createdAt: number | undefined;
  const time = columns.createdAt === undefined ? '' : (record[columns.createdAt] ?? '').trim();
  if (time !== '') {
    const parsed = signupTime(time);
    if (parsed === null) {
      return { line, ok: false, value: cut(time), message: createdAtReason(cut(time)) };
    }
    createdAt = parsed;
  }
  return { line, ok: true, email: check.email, createdAt };
}

/**
 * The lines of a CSV of addresses, read as they stream in (memory stays flat whatever the file's
 * size): the export's format, or a bare column of addresses, with or without a header. Each
 * address is normalised and checked the way a signup's is. Empty lines are skipped. Throws
 * ImportFileError when the text is not CSV (an unclosed quote, say).
 */
export async function* readAddressCsv(input: Readable): AsyncGenerator<ImportLine> {
  const parser = parse({
    bom: true,
    relax_column_count: true,
    // A bare column of addresses is not always strict CSV: a quote inside a cell stays as text.
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
  });
  // An input that failed before it was read (an upload cut short) never ends: throw its error.
  if (input.errored) throw input.errored;
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let columns: Columns | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (!columns) {
        const found = columnsOf(record);
        columns = found.columns;
        if (found.header) continue;
      }
      yield lineOf(record, info.lines, columns);
    }
  } catch (error) {
    if (error instanceof CsvError) {
      throw new ImportFileError(`The file is not valid CSV: ${error.message}`);
    }
    throw error;
  } finally {
    input.unpipe(parser);
    parser.destroy();
  }
}
