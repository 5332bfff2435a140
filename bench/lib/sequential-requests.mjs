// @ts-check
// Latency from one client: GETs one after the other on one kept-alive connection, each timed
// from sending the request to the last byte of the response.
import { Agent, get as httpGet } from 'node:http';
import { mean, percentile } from './statistics.mjs';

/**
 * @typedef {{ ms: number, firstByteMs: number | null, status: number, body: Buffer }} Timed
 */

/**
 * @typedef {{ samples: number, p50Ms: number, p99Ms: number, meanMs: number, maxMs: number,
 *   responseBytes: number, non200: number }} Latency
 */

/**
 * One GET on `agent`, timed from the request to the last byte of the response. With `onChunk`,
 * the body goes there instead of into `body`.
 * @param {string} url
 * @param {{ agent: Agent | false, cookie?: string | undefined,
 *   onChunk?: (chunk: Buffer) => void }} options
 * @returns {Promise<Timed>}
 */
export function timedGet(url, { agent, cookie, onChunk }) {
  return new Promise((done, fail) => {
    const started = performance.now();
    /** @type {number | null} */
    let firstByteMs = null;
    /** @type {Buffer[]} */
    const chunks = [];
    const request = httpGet(url, { agent, headers: cookie ? { Cookie: cookie } : {} }, (res) => {
      res.on('data', (/** @type {Buffer} */ chunk) => {
        firstByteMs ??= performance.now() - started;
        if (onChunk) onChunk(chunk);
        else chunks.push(chunk);
      });
      res.once('error', fail);
      res.once('end', () =>
        done({
          ms: performance.now() - started,
          firstByteMs,
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks),
        }),
      );
    });
    request.once('error', fail);
  });
}

/**
 * Sequential GETs over one kept-alive connection: a few unmeasured, then up to `maxSamples`
 * measured (fewer when they would take over ~10 s, never under 10). `validate(body)` checks the
 * first response (null when it is right, otherwise what is wrong); every response must be a 200.
 * @param {import('./servers.mjs').Server} server
 * @param {string} path
 * @param {string | undefined} cookie
 * @param {((body: any) => string | null) | undefined} validate
 * @param {number} maxSamples
 * @returns {Promise<Latency>}
 */
export async function sequentialLatency(server, path, cookie, validate, maxSamples) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = `${server.url}${path}`;
  try {
    const first = await timedGet(url, { agent, cookie });
    if (first.status !== 200) {
      throw new Error(
        `${server.name} ${path}: ${first.status} ${first.body.toString().slice(0, 300)}`,
      );
    }
    const problem = validate ? validate(JSON.parse(first.body.toString('utf8'))) : null;
    if (problem) throw new Error(`${server.name} ${path}: ${problem}`);
    for (let i = 0; i < 9; i += 1) await timedGet(url, { agent, cookie });
    /** @type {number[]} */
    const times = [];
    let non200 = 0;
    let bytes = first.body.length;
    const started = performance.now();
    while (
      times.length < maxSamples &&
      (times.length < 10 || performance.now() - started < 10_000)
    ) {
      const response = await timedGet(url, { agent, cookie });
      times.push(response.ms);
      bytes = response.body.length;
      if (response.status !== 200) non200 += 1;
    }
    const sorted = [...times].sort((a, b) => a - b);
    return {
      samples: times.length,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      meanMs: mean(times),
      maxMs: sorted[sorted.length - 1] ?? Number.NaN,
      responseBytes: bytes,
      non200,
    };
  } finally {
    agent.destroy();
  }
}
