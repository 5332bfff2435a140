import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../test-support/test-server.js';
import { resolveSessionKeys } from './session-keys.js';

const temps: ReturnType<typeof makeTempDir>[] = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.remove();
});

describe('resolveSessionKeys', () => {
  it('uses the configured keys when there are any', () => {
    const temp = makeTempDir();
    temps.push(temp);
    expect(resolveSessionKeys(['a'.repeat(32), 'b'.repeat(32)], temp.dir)).toEqual({
      keys: ['a'.repeat(32), 'b'.repeat(32)],
      generated: null,
    });
  });

  it('generates a key once, private to the owner, and reuses it on the next start', () => {
    const temp = makeTempDir();
    temps.push(temp);
    const dataDir = join(temp.dir, 'data');
    const first = resolveSessionKeys(undefined, dataDir);
    expect(first.generated).toBe(join(dataDir, 'session-key'));
    expect(first.keys[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(dataDir, 'session-key')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'session-key'), 'utf8').trim()).toBe(first.keys[0]);

    const second = resolveSessionKeys([], dataDir);
    expect(second).toEqual({ keys: first.keys, generated: null });
  });
});
