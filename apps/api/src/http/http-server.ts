import { createServer, IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_MESSAGES } from '@catlist/contracts';
import type Koa from 'koa';

/** A request has this long to arrive in full; slow-body clients are cut off after it. */
export const REQUEST_TIMEOUT_MS = 15_000;
/** A body allowed to be slow (an import upload) may pause this long between two chunks. */
export const BODY_IDLE_MS = 30_000;
const HEADERS_TIMEOUT_MS = 10_000;

export interface HttpServerOptions {
  requestTimeoutMs?: number;
  bodyIdleMs?: number;
}

/**
 * The requests of a catlist server (Node's `IncomingMessage` option): each has a deadline to
 * arrive in full, which a route that takes large uploads trades for a limit on idleness.
 * Node's own `requestTimeout` cannot be lifted for one request, so the server keeps the deadline
 * here instead.
 */
export class TimedRequest extends IncomingMessage {
  #timer: NodeJS.Timeout | undefined;
  #late: (() => void) | undefined;
  #idleMs = 0;
  #idle = false;

  /** Starts the whole-request deadline (createHttpServer, as the request is dispatched). */
  arriveWithin(ms: number, idleMs: number, late: () => void): void {
    if (this.complete) return;
    // Only a request still arriving is late: one that has arrived whole (a GET, an upload read to
    // its end) may take as long as its answer needs (a CSV export streams for minutes).
    this.#late = () => {
      if (!this.complete) late();
    };
    this.#idleMs = idleMs;
    this.#timer = setTimeout(this.#late, ms).unref();
    const stop = () => this.#stop();
    this.once('end', stop);
    this.once('close', stop);
  }

  /**
   * From now on the body may take as long as it needs, as long as it never pauses longer than
   * the server's idle limit (a 10 MiB import on a 1 Mbit/s link takes 84 s): the socket's own
   * timeout, which every chunk the HTTP parser reads pushes back.
   */
  allowSlowBody(): void {
    if (this.complete || this.#late === undefined || this.#idle) return;
    clearTimeout(this.#timer);
    this.#idle = true;
    this.socket.setTimeout(this.#idleMs, this.#late);
  }

  #stop(): void {
    clearTimeout(this.#timer);
    if (this.#idle && this.#late) {
      this.socket.setTimeout(0);
      this.socket.off('timeout', this.#late);
    }
    this.#idle = false;
    this.#late = undefined;
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  431: 'Request Header Fields Too Large',
};

/** Answers a request Node's HTTP parser refused, in the contract's error shape. */
function refuse(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || (error.code === 'ECONNRESET' && socket.destroyed)) {
    socket.destroy();
    return;
  }
  const status =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 431
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 408
        : 400;
  const message =
    status === 431
      ? 'The request headers are too large.'
      : status === 408
        ? 'The request took too long to arrive.'
        : ERROR_MESSAGES.invalid_request;
  const body = JSON.stringify({ error: { code: 'invalid_request', message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Cache-Control: no-store\r\n' +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/** The HTTP server for a Koa app: timeouts against slow clients, and JSON for unparseable requests. */
export function createHttpServer(app: Koa, options: HttpServerOptions = {}): Server {
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const bodyIdle = options.bodyIdleMs ?? BODY_IDLE_MS;
  const handle = app.callback();
  const server = createServer(
    {
      IncomingMessage: TimedRequest,
      // The whole-request deadline is TimedRequest's (see there); Node keeps the headers' one.
      requestTimeout: 0,
      headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeout),
      // Node enforces the headers timeout only when it checks, every 30 s by default.
      connectionsCheckingInterval: Math.min(1_000, Math.ceil(requestTimeout / 4)),
    },
    (req, res) => {
      // As Node's own requestTimeout did: a 408 when nothing was answered yet, else the
      // connection is cut (the answer is out; the rest of the body will not come).
      (req as TimedRequest).arriveWithin(requestTimeout, bodyIdle, () => {
        if (res.headersSent) req.socket.destroy();
        else
          refuse(
            Object.assign(new Error('request timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }),
            req.socket,
          );
      });
      return handle(req, res);
    },
  );
  server.on('clientError', refuse);
  return server;
}
