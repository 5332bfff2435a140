import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const API_ROOT = join(import.meta.dirname, '..', '..');
const SERVER = join(API_ROOT, 'src', 'server.ts');
// Absolute, so that the server can run from any working directory (where it looks for .env).
const TSX = pathToFileURL(createRequire(join(API_ROOT, 'package.json')).resolve('tsx')).href;

export interface SpawnedServer {
  child: ChildProcessWithoutNullStreams;
  port: number;
  url: string;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/**
 * Runs `src/server.ts` in its own Node process (as `pnpm start` would, from source) and waits until
 * it logs that it is listening (on a free port unless `env` says otherwise). `cwd` is where it looks
 * for `.env` and resolves relative SQLite paths: by default the temp folder, so that a developer's
 * own `.env` never leaks into a test.
 */
export function spawnServer(
  env: Record<string, string>,
  { waitForListening = true, cwd = tmpdir() }: { waitForListening?: boolean; cwd?: string } = {},
): Promise<SpawnedServer> {
  const child = spawn(process.execPath, ['--import', TSX, '--conditions=@catlist/source', SERVER], {
    cwd,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    const done = (port: number) =>
      resolve({ child, port, url: `http://127.0.0.1:${port}`, output: () => output, exited });
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(output);
      if (match) done(Number(match[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    if (!waitForListening) done(0);
    void exited.then((code) => reject(new Error(`server exited (${code}) early:\n${output}`)));
  });
}

/** Polls `check` until it returns true (or throws after `timeoutMs`). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
