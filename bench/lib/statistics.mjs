// @ts-check
// Means, percentiles, and the summary of a set of measured runs of one server.

/** @param {number[]} values */
export const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * Nearest-rank percentile of an ascending array (NaN when it is empty).
 * @param {number[]} sorted
 * @param {number} p
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return /** @type {number} */ (sorted[at]);
}

/**
 * @typedef {{ rps: number, p50Ms: number, p99Ms: number, errors: number, non2xx: number,
 *   peakRssMb: number, serverCpuPct: number }} RunSummary
 */

/**
 * What summarise needs of a run: a measured run of one server, or of a scale-out configuration.
 * @typedef {{ rps: number, latencyMs: { p50: number, p99: number }, errors: number,
 *   non2xx: number, peakRssMb: number, serverCpuPct: number }} RunFigures
 */

/**
 * The runs of one server (or configuration) taken together: mean req/s and p50, worst p99,
 * summed errors, highest RSS, mean CPU.
 * @param {RunFigures[]} runs
 * @returns {RunSummary}
 */
export function summarise(runs) {
  return {
    rps: mean(runs.map((r) => r.rps)),
    p50Ms: mean(runs.map((r) => r.latencyMs.p50)),
    p99Ms: Math.max(...runs.map((r) => r.latencyMs.p99)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    serverCpuPct: mean(runs.map((r) => r.serverCpuPct)),
  };
}
