import * as z from 'zod/mini';

const EnvSchema = z.object({
  VITE_API_URL: z.pipe(
    z._default(
      z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })]),
      '',
    ),
    // "https://api.example.com/" and "https://api.example.com" mean the same base.
    z.transform((value: string) => value.replace(/\/+$/, '')),
  ),
});

/** The web app's configuration, as the rest of the code sees it. */
export interface WebEnv {
  /** Prefix for API paths: '' for same origin, else e.g. `https://api.example.com`. */
  readonly apiBaseUrl: string;
}

/** Validates the build-time `VITE_` variables; throws with one line per bad variable. */
export function parseEnv(source: Record<string, unknown>): WebEnv {
  const result = z.safeParse(EnvSchema, { VITE_API_URL: source.VITE_API_URL });
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new Error(`Invalid web app configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return { apiBaseUrl: result.data.VITE_API_URL };
}

/** Read once: the only place that looks at `import.meta.env`. */
export const env: WebEnv = parseEnv(import.meta.env);
