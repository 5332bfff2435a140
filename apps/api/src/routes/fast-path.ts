import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { apiHeaderList } from '../middleware/api-headers.js';
import { logRequest } from '../middleware/request-logger.js';
import { SESSION_COOKIE } from '../session/session-middleware.js';

/**
 * A request answered below Koa (CatlistApp in app.ts tries these first): true when answered here;
 * false when Koa is to answer it, with the request left as it came, or with its body handed over
 * (json-body.ts, handOverBody).
 */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

// The patterns `cookies` (Koa's ctx.cookies) reads a cookie with: the first `name=` in the header.
export const SESSION_ID = new RegExp(`(?:^|;) *${SESSION_COOKIE}=([^;]*)`);
export const SESSION_SIG = new RegExp(`(?:^|;) *${SESSION_COOKIE}\\.sig=([^;]*)`);

/**
 * Answers 200 with `body` as JSON, with the headers Koa's API middleware gives the same answer
 * (api-headers.ts, `Vary: Origin` from CORS, Koa's JSON type), and logs it as Koa's request
 * logger would.
 */
export function jsonAnswerer({ crossOrigin, logger }: { crossOrigin: boolean; logger: Logger }) {
  const headers = [
    ...apiHeaderList({ crossOrigin }).flat(),
    'Vary',
    'Origin',
    'Content-Type',
    'application/json; charset=utf-8',
  ];
  return function answer(
    req: IncomingMessage,
    res: ServerResponse,
    route: string,
    body: unknown,
    started: number,
  ): void {
    const json = JSON.stringify(body);
    res.writeHead(200, [...headers, 'Content-Length', String(Buffer.byteLength(json))]);
    res.end(json);
    logRequest(logger, req.method, { route }, 200, started);
  };
}
