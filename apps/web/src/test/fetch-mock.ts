import { vi } from 'vitest';

/** What a fake route answers: a status, a JSON body (or raw text) and optional headers. */
export interface FakeReply {
  status: number;
  body?: unknown;
  /** Sent as it is instead of `body` (what a proxy in front of the API answers: HTML, say). */
  text?: string;
  headers?: Record<string, string>;
}

type Handler = (request: {
  body: unknown;
  init: RequestInit;
  /** The full request URL, for the query string. */
  url: URL;
}) => FakeReply | Promise<FakeReply>;

/** Shorthand for a JSON reply. */
export function reply(status: number, body?: unknown, headers?: Record<string, string>): FakeReply {
  return { status, body, headers: headers ?? {} };
}

/** A reply that is not JSON: `text` sent as it is, with this Content-Type. */
export function replyText(status: number, text: string, contentType = 'text/html'): FakeReply {
  return { status, text, headers: { 'Content-Type': contentType } };
}

/** A reply that only arrives when the returned `release` is called, to observe pending states. */
export function deferred(): { handler: Handler; release: (answer: FakeReply) => void } {
  let release: (answer: FakeReply) => void = () => {};
  const promise = new Promise<FakeReply>((resolve) => {
    release = resolve;
  });
  return { handler: () => promise, release };
}

/**
 * Replaces `fetch` with a tiny router keyed by "METHOD /path", the network boundary of the app.
 * Unknown routes fail the test loudly. Returns the spy to inspect calls.
 */
export function mockApi(routes: Record<string, Handler | FakeReply>) {
  const spy = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://127.0.0.1');
    const key = `${init.method ?? 'GET'} ${url.pathname}`;
    const route = routes[key];
    if (route === undefined) throw new Error(`fetch-mock: no route for ${key}`);
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    const answer = typeof route === 'function' ? await route({ body, init, url }) : route;
    const payload = answer.text ?? (answer.body === undefined ? null : JSON.stringify(answer.body));
    return new Response(payload, {
      status: answer.status,
      headers: { 'Content-Type': 'application/json', ...answer.headers },
    });
  });
  vi.stubGlobal('fetch', spy);
  return spy;
}

/** The calls made to one route, with their parsed JSON bodies. */
export function callsTo(spy: ReturnType<typeof mockApi>, key: string) {
  return spy.mock.calls
    .filter(([input, init]) => {
      const url = new URL(String(input), 'http://127.0.0.1');
      return `${init?.method ?? 'GET'} ${url.pathname}` === key;
    })
    .map(([input, init]) => ({
      init,
      url: new URL(String(input), 'http://127.0.0.1'),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    }));
}
