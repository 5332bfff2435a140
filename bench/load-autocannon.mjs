// @ts-check
// Load generator process for when wrk is not installed: runs autocannon once and prints one line
// `LOAD_JSON {...}` in the same shape run.mjs reads from wrk.
// Usage: node load-autocannon.mjs '<json options>'
//   { url, connections, duration (s), mode: 'get' | 'signup', path?, cookie?, tag?, offset? }
// autocannon is single-threaded JavaScript: on a 2-core machine it can be the bottleneck for the
// baseline long before the server is, which flatters the ratios; prefer wrk when it is there.
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2] ?? '{}');
const { url, connections, duration, mode } = options;

/** @type {import('autocannon').Request[]} */
let requests;
if (mode === 'signup') {
  let counter = Number(options.offset ?? 0);
  const tag = options.tag ?? 'bench';
  requests = [
    {
      method: 'POST',
      path: '/api/signup',
      setupRequest: (request) => {
        counter += 1;
        const ip = counter % 65536;
        return {
          ...request,
          headers: {
            'Content-Type': 'application/json',
            // 65,536 client addresses (10.77.0.0/16): the per-IP limit is exercised but not hit.
            'X-Forwarded-For': `10.77.${Math.floor(ip / 256)}.${ip % 256}`,
          },
          body: JSON.stringify({ email: `${tag}-${counter}@bench.example.com` }),
        };
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
  })}`,
);
