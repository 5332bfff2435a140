// @ts-check
// The PostgreSQL the scale-out group runs on: one-off queries on the maintenance database (to
// create and drop the throwaway bench database), and URLs fit to print.
import pg from 'pg';

/**
 * One query on a throwaway connection to `url`.
 * @param {string} url
 * @param {string} text
 */
export async function pgQuery(url, text) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * The URL without its password, for printing.
 * @param {string} url
 */
export function safeUrl(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
