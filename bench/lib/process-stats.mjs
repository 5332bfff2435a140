// @ts-check
// Readings from /proc (Linux): a process's memory and CPU time, the machine's CPU time, and the
// CPU time of the postgres processes. Each returns null or NaN instead of throwing once the
// process is gone.
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux

/** @typedef {{ rssMb: number, hwmMb: number }} Memory */

/**
 * VmRSS and VmHWM of a process, in MiB (null once it has exited).
 * @param {number} pid
 * @returns {Memory | null}
 */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    /** @param {string} field */
    const kib = (field) =>
      Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMb: kib('VmRSS') / 1024, hwmMb: kib('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system) a process has used so far, in seconds.
 * @param {number} pid
 */
export function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}

/**
 * Busy and total CPU time of the whole machine so far (clock ticks, all cores).
 * @returns {{ busy: number, total: number }}
 */
export function machineCpuTicks() {
  try {
    const first = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const ticks = first.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.slice(0, 8).reduce((sum, tick) => sum + tick, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0); // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

/**
 * CPU seconds used so far by each process named `postgres` (all of them, not only ours).
 * @returns {Map<string, number>}
 */
export function postgresCpuSeconds() {
  /** @type {Map<string, number>} */
  const byPid = new Map();
  /** @type {string[]} */
  let entries = [];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return byPid;
  }
  for (const pid of entries) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      byPid.set(pid, cpuSecondsOf(Number(pid)));
    } catch {}
  }
  return byPid;
}
