import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KEY_FILE = 'session-key';

/**
 * The keys that sign session cookies: the configured ones, or (outside production only) a key
 * generated on first start and kept in the data folder so sessions survive restarts.
 */
export function resolveSessionKeys(
  configured: readonly string[] | undefined,
  dataDir: string,
): { keys: string[]; generated: string | null } {
  if (configured && configured.length > 0) return { keys: [...configured], generated: null };
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, KEY_FILE);
  try {
    const existing = readFileSync(path, 'utf8').trim();
    if (existing.length >= 32) return { keys: [existing], generated: null };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32).toString('base64url');
  writeFileSync(path, `${key}\n`, { mode: 0o600 });
  return { keys: [key], generated: path };
}
