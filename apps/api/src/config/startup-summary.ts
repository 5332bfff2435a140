/** What the one human-readable line at start reports. */
export interface StartupSummary {
  url: string;
  /** e.g. `sqlite /srv/catlist/catlist.db` or `postgres db.internal:5432/catlist` (no password). */
  database: string;
  adminEnabled: boolean;
  /** Confirmation by email: off (no MAIL_URL), over SMTP, or printed to the console. */
  mail: 'off' | 'smtp' | 'console';
  /** False when apps/web/dist is missing and only the API is served. */
  webApp: boolean;
}

/** The line an operator reads at start, next to the JSON log: where, which database, what is on. */
export function startupSummary(summary: StartupSummary): string {
  return [
    `catlist listening on ${summary.url}`,
    `database ${summary.database}`,
    `admin ${summary.adminEnabled ? 'on' : 'off (set ADMIN_PASSWORD)'}`,
    `mail ${{ off: 'off', smtp: 'on', console: 'printed here (MAIL_URL=console)' }[summary.mail]}`,
    ...(summary.webApp ? [] : ['web app not built (pnpm build): API only']),
  ].join(' · ');
}
