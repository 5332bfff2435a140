import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_SERVER, assertBuilt } from './paths';
import { freePort } from './ports';

const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface ApiServer {
  /** e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  readonly port: number;
  /** What the server printed, for failure messages. */
  output(): string;
  /** GET a JSON endpoint without any cookie. */
  getJson(path: string): Promise<unknown>;
  stop(): Promise<void>;
}

export interface ApiServerOptions {
  /** Listen here instead of a fresh free port (when the SPA must know the port first). */
  port?: number;
  corsOrigins?: string[];
  /** Turns the admin area on (it answers 503 admin_disabled without one). */
  adminPassword?: string;
  /** Read the client IP from X-Forwarded-For, so a test can sign up as many clients. */
  trustProxy?: boolean;
  /** More variables for the server (e.g. SITE_NAME). */
  env?: Record<string, string>;
  /** Confirmation by email, mails going to this SMTP URL; links point at the server itself. */
  mailUrl?: string;
}

/**
 * Starts `node apps/api/dist/server.js` as production does, on 127.0.0.1 with a fresh SQLite
 * file, and resolves once `/api/health` answers.
 */
export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  assertBuilt();
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'catlist-e2e-'));
  let output = '';

  const child: ChildProcess = spawn(process.execPath, [API_SERVER], {
    // Not the repository root: a developer's .env there must not change what the tests see.
    cwd: dataDir,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(dataDir, 'catlist.db')}`,
      SESSION_KEYS: randomBytes(32).toString('base64url'),
      CORS_ORIGINS: (options.corsOrigins ?? []).join(','),
      ADMIN_PASSWORD: options.adminPassword ?? '',
      TRUST_PROXY: options.trustProxy ? '1' : '',
      LOG_LEVEL: 'warn',
      ...options.env,
      ...(options.mailUrl
        ? {
            MAIL_URL: options.mailUrl,
            MAIL_FROM: 'Cats Everywhere <news@example.com>',
            PUBLIC_URL: origin,
            MAIL_RETRY_MS: '200',
          }
        : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`The API exited with ${child.exitCode} during startup:\n${output}`);
    }
    try {
      const response = await fetch(`${origin}/api/health`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`The API did not become healthy within ${STARTUP_TIMEOUT_MS} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    origin,
    port,
    output: () => output,
    async getJson(path) {
      const response = await fetch(`${origin}${path}`);
      if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
      return response.json();
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
