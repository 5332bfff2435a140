import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';

const API_ROOT = join(import.meta.dirname, '..', '..');

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
 * it logs that it is listening. Pass `PORT: '0'` for a free port.
 */
export function spawnServer(
  env: Record<string, string>,
  { waitForListening = true }: { waitForListening?: boolean } = {},
): Promise<SpawnedServer> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@catlist/source', 'src/server.ts'],
    {
      cwd: API_ROOT,
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
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
