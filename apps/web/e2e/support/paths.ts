import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** apps/web */
export const WEB_DIR = fileURLToPath(new URL('../../', import.meta.url));
/** The repository root. */
export const ROOT_DIR = fileURLToPath(new URL('../../../../', import.meta.url));
/** The production server that `pnpm build` produces. */
export const API_SERVER = fileURLToPath(new URL('../../../api/dist/server.js', import.meta.url));
/** The SPA that `pnpm build` produces, served by the API. */
export const WEB_DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

/** The e2e suite runs against the production build; say how to make it when it is missing. */
export function assertBuilt(): void {
  const missing = [API_SERVER, `${WEB_DIST}index.html`].filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(
      `The e2e tests need the production build; run \`pnpm build\` at the repository root.\nMissing: ${missing.join(', ')}`,
    );
  }
}
