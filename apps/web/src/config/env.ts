/** The web app's configuration, as the rest of the code sees it. */
export interface WebEnv {
  /** Prefix for API paths: '' for same origin, else e.g. `https://api.example.com`. */
  readonly apiBaseUrl: string;
}

// Checked by hand rather than with a zod schema: this module is in every page's first load, and
// zod's URL, default and transform schemas would come with it for this one variable.
function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value.trim()).protocol);
  } catch {
    return false;
  }
}

/** Validates the build-time `VITE_` variables; throws with one line per bad variable. */
export function parseEnv(source: Record<string, unknown>): WebEnv {
  const url = source.VITE_API_URL ?? '';
  if (typeof url !== 'string' || (url !== '' && !isHttpUrl(url))) {
    throw new Error('Invalid web app configuration:\n  - VITE_API_URL: must be an http(s) URL');
  }
  // "https://api.example.com/" and "https://api.example.com" mean the same base.
  return { apiBaseUrl: url.replace(/\/+$/, '') };
}

/** Read once: the only place that looks at `import.meta.env`. */
export const env: WebEnv = parseEnv(import.meta.env);
