import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

// Where `pnpm dev` runs the API; Vite proxies /api there so the session cookie is same-origin.
const DEV_API_TARGET = 'http://127.0.0.1:3000';
// React and ReactDOM get their own chunk so the bundle-size report can tell them from our code.
const REACT_MODULES = /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/;

// The signup page's modules and what they use (the lazy pages' own folders excepted).
const APP_MODULES =
  /[\\/](apps[\\/]web[\\/]src[\\/](?!features[\\/](admin|mail-links)[\\/])|packages[\\/]contracts[\\/]|node_modules[\\/]zod[\\/])/;

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
    port: 5173,
    // No changeOrigin: the API compares Origin with the Host it sees, which must stay Vite's.
    proxy: { '/api': { target: DEV_API_TARGET } },
  },
  preview: { host: '127.0.0.1', port: 4173 },
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
