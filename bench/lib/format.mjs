// @ts-check
// Numbers as the tables print them, and the bench's own progress lines (on stderr, so that
// stdout is the report alone).

/**
 * `value` rounded to `digits` decimals; null for null, undefined and NaN.
 * @param {number | null | undefined} value
 * @param {number} [digits]
 */
export const round = (value, digits = 1) =>
  value == null || Number.isNaN(value) ? null : Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * `value` with `digits` decimals, or 'n/a'.
 * @param {number | null | undefined} value
 * @param {number} digits
 */
export const fixed = (value, digits) => (value == null ? 'n/a' : value.toFixed(digits));

/**
 * `value` as a whole number with thousands separators.
 * @param {number} value
 */
export const int = (value) => Math.round(value).toLocaleString('en-US');

/**
 * A ratio as the tables print it (`1.23×`), or 'n/a'.
 * @param {number | null | undefined} value
 */
export const times = (value) =>
  value == null || !Number.isFinite(value) ? 'n/a' : `${value.toFixed(2)}×`;

/** @param {string} message */
export const log = (message) => console.error(`[bench] ${message}`);
