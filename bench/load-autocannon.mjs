// @ts-check
// Load generator process for when wrk is not installed, and for the returning visitor's signup
// (which wrk cannot do: its Lua sees one Set-Cookie per answer): runs autocannon once and prints
// one line `LOAD_JSON {...}` in the same shape run.mjs reads from wrk.
// Usage: node load-autocannon.mjs '<json options>'
//   { url, connections, duration (s), mode: 'get' | 'signup' | 'signup-returning', path?,
//     cookie?, tag?, offset? }
// signup-returning: first one signup per connection (not measured) for a session cookie each;
// then every answer's Set-Cookie headers are what the next request of that connection carries,
// so every signup presents the live session of the previous one. `cookie` is sent instead only
// when the server sets none (a peer without sessions), so its requests have the same bytes.
// autocannon is single-threaded JavaScript: on a 2-core machine it can be the bottleneck for the
// baseline long before the server is, which flatters the ratios; prefer wrk when it is there.
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2] ?? '{}');
const { url, connections, duration, mode } = options;

let counter = Number(options.offset ?? 0);
const tag = options.tag ?? 'bench';
/** The next signup: a new address, and X-Forwarded-For rotating over 65,536 client addresses. */
function nextSignup() {
  counter += 1;
  const ip = counter % 65536;
  return {
    headers: {
      'Content-Type': 'application/json',
      // 65,536 client addresses (10.77.0.0/16): the per-IP limit is exercised but not hit.
      'X-Forwarded-For': `10.77.${Math.floor(ip / 256)}.${ip % 256}`,
    },
    body: JSON.stringify({ email: `${tag}-${counter}@bench.example.com` }),
  };
}

/**
 * The Set-Cookie headers of an answer as a Cookie header ('' when there are none).
 * @param {string | string[] | undefined} setCookie
 */
const cookieOf = (setCookie) =>
  (Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [])
    .map((header) => header.split(';')[0])
    .join('; ');

/** signup-returning: cookies waiting for their next request, and the requests without one. */
/** @type {string[]} */
const cookies = [];
let withoutCookie = 0;
let fallbackCookie = '';

/** @type {import('autocannon').Request[]} */
let requests;
if (mode === 'signup' || mode === 'signup-returning') {
  if (mode === 'signup-returning') {
    const first = await Promise.all(
      Array.from({ length: connections }, async () => {
        const response = await fetch(`${url}/api/signup`, { method: 'POST', ...nextSignup() });
        await response.arrayBuffer();
        return cookieOf(response.headers.getSetCookie());
      }),
    );
    cookies.push(...first.filter((cookie) => cookie !== ''));
    if (cookies.length === 0) fallbackCookie = options.cookie ?? '';
  }
  requests = [
    {
      method: 'POST',
      path: '/api/signup',
      setupRequest: (request) => {
        const signup = nextSignup();
        if (mode === 'signup-returning') {
          // The connection whose answer was just read asks for its next request at once, so
          // the last cookie in is that connection's own.
          const cookie = cookies.pop() || fallbackCookie;
          if (cookie === '') withoutCookie += 1;
          else Object.assign(signup.headers, { Cookie: cookie });
        }
        return { ...request, ...signup };
      },
      onResponse: (_status, _body, _context, headers) => {
        if (mode !== 'signup-returning' || fallbackCookie !== '') return;
        const name = Object.keys(headers).find((key) => key.toLowerCase() === 'set-cookie');
        const cookie = cookieOf(name ? headers[name] : undefined);
        if (cookie !== '') cookies.push(cookie);
      },
    },
  ];
} else {
  requests = [
    {
      method: 'GET',
      path: options.path,
      headers: options.cookie ? { Cookie: options.cookie } : {},
    },
  ];
}

const result = await autocannon({ url, connections, duration, requests });

const statusCodes = Object.fromEntries(
  Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count]),
);
const completed = result.requests.total;
console.log(
  `LOAD_JSON ${JSON.stringify({
    tool: 'autocannon',
    requests: completed,
    durationS: result.duration,
    rps: completed / result.duration,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.average,
    },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    ...(mode === 'signup-returning' ? { withoutCookie } : {}),
  })}`,
);
