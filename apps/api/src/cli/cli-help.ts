/** What the exit status of `catlist` means (README, "Command line"). */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** Could not do it: bad configuration, database unreachable or failing, file unreadable. */
  failed: 1,
  /** The command line itself is wrong: unknown command or option, missing argument. */
  usage: 2,
  /**
   * Ran, but some input was refused: an invalid address (`add`), an address not on the list
   * (`remove`), a suppressed address (`add`), a mail that cannot be retried (`outbox retry`),
   * invalid lines in an import (the valid ones are imported) or a file that is not CSV
   * (nothing is imported).
   */
  refused: 3,
} as const;

export const COMMANDS = [
  'export',
  'import',
  'add',
  'remove',
  'count',
  'outbox',
  'announcements',
  'purge-sessions',
] as const;
export type Command = (typeof COMMANDS)[number];

const CONFIG = `Configuration comes from the same environment as the server (DATABASE_URL, default
sqlite:./data/catlist.db relative to the working directory). Safe to run while the server runs.`;

const EXIT_CODES = `Exit status: 0 done; 1 failed (configuration, database, file); 2 usage error;
3 input refused (invalid address, address not on the list or suppressed, invalid import lines,
a mail that cannot be retried).`;

export const TOP_HELP = `Usage: catlist <command> [options]

Manage the catlist subscriber list from the command line.

Commands:
  export                   Write the list as CSV to standard output (the admin CSV's format)
  import <file.csv>        Add the addresses of a CSV file (--dry-run: only count)
  add <email>              Add one address
  remove <email>           Remove one address
  count                    Print how many addresses are on the list
  outbox                   Show the mail queue: waiting, failing, sent today
  outbox retry <id>        Send a waiting or failed mail now
  announcements            List the announcements, newest first, with their counts
  purge-sessions           Delete expired sessions and say how many went

Options:
  -h, --help               Show help (also: catlist <command> --help)

${CONFIG}

${EXIT_CODES}
`;

export const COMMAND_HELP: Record<Command, string> = {
  export: `Usage: catlist export

Writes every address on the list to standard output as CSV, newest first, with the header
email,created_at,source (and confirmed_at with confirmation by email on, MAIL_URL set): the same
file as "Download CSV" in the admin page. Cells a spreadsheet
would run as a formula start with a ' (import removes it again).

  catlist export > subscribers.csv

${EXIT_CODES}
`,
  import: `Usage: catlist import [--dry-run] [--include-suppressed] <file.csv>

Adds the addresses of a CSV file to the list, marked as imported (source "import"). The file is
either the export's format (a header with an "email" column; "created_at" keeps the signup times)
or a bare column of addresses, with or without a header line (a first line without any @ is a
header). Each address is normalised and checked like a signup's. Use - to read standard input.

Reports how many were added, how many were already there (or repeated in the file), and each
invalid line with its line number (on standard error). Addresses on the suppression list (they
unsubscribed, or the admin removed them as a complaint) are skipped and counted, unless
--include-suppressed says to import them too (which takes them off the suppression list). Importing the same file twice adds nothing
the second time. All or nothing: the valid addresses go on the list together in one transaction,
or (on any error) none does.

Options:
  --dry-run                Count and check only; change nothing
  --include-suppressed     Import suppressed addresses too
  -h, --help               Show this help

${EXIT_CODES}
`,
  add: `Usage: catlist add [--include-suppressed] <email>

Adds one address to the list (source "cli"), normalised and checked like a signup's. An address
already on the list is left as it is. An address on the suppression list (it unsubscribed, or the
admin removed it as a complaint) is refused unless --include-suppressed is given. An address starting with - goes after --:
catlist add -- -news@example.com

${EXIT_CODES}
`,
  remove: `Usage: catlist remove <email>

Removes one address from the list (any spelling of it: case and Unicode form do not matter).
An address starting with - goes after --.

${EXIT_CODES}
`,
  count: `Usage: catlist count

Prints how many addresses are on the list.

${EXIT_CODES}
`,
  outbox: `Usage: catlist outbox
       catlist outbox retry <id>

Shows the queue of mails (confirmation by email): how many wait, how many failed and are tried
again later (each with its attempts and last error), how many were sent or given up on today
(UTC). "retry <id>" makes a waiting or failing mail due now, or one given up on today (not a
confirmation mail: its link is gone); the running server sends it within a few seconds.

${EXIT_CODES}
`,
  announcements: `Usage: catlist announcements

Lists the announcements, newest first (the last 50): id, status, subject, and how many were
queued, sent, failed, skipped (left the list before their turn), still waiting, and unsubscribed
through the announcement's link.

${EXIT_CODES}
`,
  'purge-sessions': `Usage: catlist purge-sessions

Deletes the sessions that have expired and prints how many went. The server also does this every
10 minutes; this is for a server that is stopped, or to do it now.

${EXIT_CODES}
`,
};
