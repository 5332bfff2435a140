// Where the signup page's endpoints live, apart from their schemas (public-endpoints.ts, which
// spreads these): the web app sends its first requests with them while its API client, which
// reads the answers with zod, is still loading, so the two arrive side by side.

/** Method and path of each endpoint the signup page calls. */
export const publicRoutes = {
  getSession: { method: 'GET', path: '/api/session' },
  signup: { method: 'POST', path: '/api/signup' },
  unregister: { method: 'POST', path: '/api/unregister' },
  getStats: { method: 'GET', path: '/api/stats' },
  getSite: { method: 'GET', path: '/api/site' },
} as const;
