// @ts-check
// What the machine is and how busy it was when the run started.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { round } from './format.mjs';

/**
 * @typedef {{ cores: number, cpu: string, node: string, platform: string,
 *   loadavgAtStart: (number | null)[], databaseFilesystem: string }} Machine
 */

/**
 * The filesystem type of a folder (ext2/ext3 covers ext4, tmpfs, ...), or 'unknown'.
 * @param {string} dir
 */
export function filesystemOf(dir) {
  const result = spawnSync('stat', ['-f', '-c', '%T', dir], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : 'unknown';
}

/** The load averages, rounded to 2 decimals. */
export const loadAverages = () => loadavg().map((l) => round(l, 2));

/**
 * @param {string} databaseFilesystem
 * @returns {Machine}
 */
export function describeMachine(databaseFilesystem) {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadavgAtStart: loadAverages(),
    databaseFilesystem,
  };
}
