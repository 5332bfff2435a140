import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { WEB_DIR } from './paths';

const STARTUP_TIMEOUT_MS = 60_000;
const VITE = join(WEB_DIR, 'node_modules', 'vite', 'bin', 'vite.js');

export interface DevServer {
  readonly origin: string;
  /** What Vite printed so far. */
  output(): string;
  /** Resolves with the exit code once Vite has exited. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Runs the web dev server (`vite`, as `pnpm dev` does) with `env` on top of a minimal environment,
 * and resolves once it says where it listens, or once it exits (see `exited`).
 */
export async function startDevServer(env: Record<string, string>): Promise<DevServer> {
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [VITE], {
    cwd: WEB_DIR,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Local:\s+http:\/\/127\.0\.0\.1:\d+/.test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => resolve());
    setTimeout(
      () => reject(new Error(`vite did not start in time:\n${output}`)),
      STARTUP_TIMEOUT_MS,
    );
  });
  await ready;
  const port = /Local:\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1] ?? '0';
  return {
    origin: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
