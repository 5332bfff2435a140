import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

/**
 * The variables `pnpm dev` shares with the API: the real environment, over the repository root's
 * `.env` (the file the API reads, since `pnpm dev` runs it from the root). Parsed, not loaded, so
 * this config changes nothing in `process.env`.
 */
function devEnv(): Record<string, string | undefined> {
  const file = join(import.meta.dirname, '..', '..', '.env');
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}

/** A port from the environment, or `fallback` when unset; anything else stops with a clear line. */
function portFrom(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a whole number from 1 to 65535; got ${JSON.stringify(value)}`);
  }
  return port;
}

const env = devEnv();
// Where `pnpm dev` runs the API (its PORT); Vite proxies /api there so the session cookie is
// same-origin. A wildcard HOST still answers on loopback.
const apiHost = !env.HOST || ['0.0.0.0', '::'].includes(env.HOST) ? '127.0.0.1' : env.HOST;
const DEV_API_TARGET = `http://${apiHost.includes(':') ? `[${apiHost}]` : apiHost}:${portFrom(env, 'PORT', 3000)}`;
const WEB_PORT = portFrom(env, 'WEB_PORT', 5173);
// React and ReactDOM get their own chunk so the bundle-size report can tell them from our code.
const REACT_MODULES = /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/;

// The signup page's modules and what they use: the lazy parts' own folders excepted (the admin
// page and its announcements, the links in mails, the signup challenge's widget, the loader of
// another language's texts, the API client that reads answers with zod), and the contract's
// endpoint groups, schemas, HTML escaping and colour contrast that only they use, which load with
// them. zod is not in the first load.
const APP_MODULES =
  /[\\/](apps[\\/]web[\\/]src[\\/](?!features[\\/](admin|announcements|mail-links|challenge)[\\/]|lib[\\/](load-texts|call)\.)|packages[\\/]contracts[\\/](?!src[\\/]((admin|announcement|settings|logo|mail-link|challenge|texts|public)-endpoints|endpoint|errors|html|contrast)\.))/;

// Text assets worth compressing ahead of time; tiny files gain nothing.
const COMPRESSIBLE = /\.(js|css|svg|html)$/;
const MIN_COMPRESS_BYTES = 1024;

/**
 * Writes `.gz` and `.br` beside each built text asset, at maximum compression, so a server can
 * send them as they are (e.g. @koa/send's `gzip`/`brotli` options) instead of compressing per request.
 */
function precompress(): Plugin {
  return {
    name: 'catlist:precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir ?? 'dist';
      const files = Object.keys(bundle).filter((name) => COMPRESSIBLE.test(name));
      await Promise.all(
        files.map(async (name) => {
          const path = join(dir, name);
          const bytes = await readFile(path);
          if (bytes.length < MIN_COMPRESS_BYTES) return;
          await Promise.all([
            writeFile(`${path}.gz`, gzipSync(bytes, { level: 9 })),
            writeFile(
              `${path}.br`,
              brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
            ),
          ]);
        }),
      );
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress()],
  resolve: {
    // Use the contracts' TypeScript source directly instead of its built dist/.
    conditions: ['@catlist/source', ...defaultClientConditions],
  },
  server: {
    host: '127.0.0.1',
    port: WEB_PORT,
    // A taken port fails with Vite's "Port … is already in use" instead of moving silently to
    // another one (set WEB_PORT).
    strictPort: true,
    // No changeOrigin: the API compares Origin with the Host it sees, which must stay Vite's.
    // /subscribe is where the signup form posts without JavaScript (its pages come from the API).
    proxy: { '/api': { target: DEV_API_TARGET }, '/subscribe': { target: DEV_API_TARGET } },
  },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  build: {
    target: 'es2022',
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: REACT_MODULES },
            // Everything the signup page needs in one chunk (one gzip stream), whatever the lazy
            // pages (admin, the links in mails) share with it: left to itself the bundler splits
            // the shared part off into a second up-front file, which compresses worse.
            { name: 'app', test: APP_MODULES },
          ],
        },
      },
    },
  },
});
