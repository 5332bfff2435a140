import type Koa from 'koa';

/**
 * Sets the headers every API response carries: never cached, never sniffed, never framed, no
 * referrer, HSTS (OWASP REST Security Cheat Sheet, "Security Headers"). The document-oriented
 * headers helmet adds for pages mean nothing on JSON and cost time on every response, so pages get
 * helmet and the API gets this short list.
 */
export function apiHeaders({ crossOrigin }: { crossOrigin: boolean }): Koa.Middleware {
  const headers = {
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
    'Referrer-Policy': 'no-referrer',
    // Cross-origin SPAs (CORS_ORIGINS) must be able to read API responses.
    'Cross-Origin-Resource-Policy': crossOrigin ? 'cross-origin' : 'same-origin',
  };
  return async function apiHeaders(ctx, next) {
    ctx.set(headers);
    await next();
  };
}
