#!/usr/bin/env node
// @ts-check
// Tool: where a CPU profile's time goes, by function and by owner. Run: node bench/tools/profile-summary.mjs FILE.cpuprofile [--top=25] [--json]
//
// Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. `node bench/run.mjs --cpu-prof=DIR`):
// self time by function, and self and inclusive time by owner (our code, each npm package, Node
// core, GC). Native functions with no script of their own (better-sqlite3's `run`, `writev`, ...)
// are charged to the nearest caller that has one, so `better-sqlite3 (native)` is what SQLite
// itself costs, fsync included. For a flame graph open the same file in Chrome DevTools
// (Performance tab) or https://www.speedscope.app.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((arg) => !arg.startsWith('--'));
if (!file) {
  console.error('usage: node bench/tools/profile-summary.mjs FILE.cpuprofile [--top=25] [--json]');
  process.exit(2);
}
const top = Number(args.find((arg) => arg.startsWith('--top='))?.slice(6) ?? 25);
/**
 * @typedef {{ functionName: string, url: string, lineNumber: number }} CallFrame
 * @typedef {{ id: number, callFrame: CallFrame, children?: number[] }} ProfileNode
 */
/** @type {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[] }} */
const profile = JSON.parse(readFileSync(file, 'utf8'));

/** @type {Map<number, ProfileNode>} */
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
/**
 * @param {number} id
 * @returns {ProfileNode}
 */
const nodeOf = (id) => {
  const node = nodes.get(id);
  if (!node) throw new Error(`${file}: no profile node ${id}`);
  return node;
};
/** @type {Map<number, number>} */
const parentOf = new Map();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parentOf.set(child, node.id);

const SPECIAL = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

/**
 * Who owns a script URL: our code, an npm package, or Node itself.
 * @param {string} url
 * @returns {string}
 */
function ownerOfUrl(url) {
  if (url.startsWith('node:')) return 'node core';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const [first, second] = path.slice(nm + '/node_modules/'.length).split('/');
    return first?.startsWith('@') ? `${first}/${second}` : (first ?? 'node_modules');
  }
  const ours = /\/(apps\/[^/]+|packages\/[^/]+)\/(?:dist|src)\/(.*)$/.exec(path);
  if (ours) return `catlist ${ours[1]}`;
  return path;
}

// JavaScript frames whose self time is mostly a native call V8 gives no frame of its own.
const NATIVE_INSIDE = [
  {
    url: /\/kysely\/dist\/dialect\/sqlite\/sqlite-driver\.js$/,
    fn: 'executeQuery',
    owner: 'better-sqlite3 native (in kysely executeQuery)',
  },
];

/**
 * The owner of a profile node; scriptless natives are charged to their nearest scripted caller.
 * @param {number} id
 * @returns {string}
 */
function ownerOf(id) {
  const node = nodeOf(id);
  const { functionName, url } = node.callFrame;
  if (SPECIAL.has(functionName)) return functionName;
  const inside = NATIVE_INSIDE.find((n) => n.fn === functionName && n.url.test(url));
  if (inside) return inside.owner;
  if (url) return ownerOfUrl(url);
  let parent = parentOf.get(id);
  while (parent !== undefined) {
    const frame = nodeOf(parent).callFrame;
    if (frame.url) return `${ownerOfUrl(frame.url)} (native)`;
    parent = parentOf.get(parent);
  }
  return '(native)';
}

/** @param {CallFrame} frame */
const label = (frame) => {
  const where = frame.url
    ? `${frame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*?\/(apps|packages)\//, '$1/')}:${frame.lineNumber + 1}`
    : '(native)';
  return `${frame.functionName || '(anonymous)'} ${where}`;
};

// Time per sample: V8 records the delta *before* each sample; charge it to that sample.
/** @type {Map<string, number>} */
const selfByFunction = new Map();
/** @type {Map<string, number>} */
const selfByOwner = new Map();
/** @type {Map<string, number>} */
const inclusiveByOwner = new Map();
let total = 0;
let idle = 0;
/** @param {Map<string, number>} map @param {string} key @param {number} us */
const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
profile.samples.forEach((id, i) => {
  const us = Math.max(0, profile.timeDeltas[i] ?? 0);
  const node = nodeOf(id);
  total += us;
  if (node.callFrame.functionName === '(idle)') idle += us;
  const owner = ownerOf(id);
  add(selfByFunction, `${label(node.callFrame)}\t${owner}`, us);
  add(selfByOwner, owner, us);
  /** @type {Set<string>} */
  const seen = new Set();
  for (let at = /** @type {number | undefined} */ (id); at !== undefined; at = parentOf.get(at)) {
    const name = nodeOf(at).callFrame.functionName;
    if (name === '(root)') continue;
    seen.add(ownerOf(at).replace(/ \(native\)$/, ''));
  }
  for (const o of seen) add(inclusiveByOwner, o, us);
});

const busy = total - idle;
/** @param {number} us */
const pct = (us) => `${((us / busy) * 100).toFixed(1)}%`;
/** @param {number} us */
const ms = (us) => `${(us / 1000).toFixed(0)} ms`;
/** @param {Map<string, number>} map */
const sorted = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]);

if (args.includes('--json')) {
  console.log(
    JSON.stringify(
      {
        file,
        totalMs: total / 1000,
        idleMs: idle / 1000,
        selfByOwner: Object.fromEntries(sorted(selfByOwner).map(([k, v]) => [k, v / 1000])),
        inclusiveByOwner: Object.fromEntries(
          sorted(inclusiveByOwner).map(([k, v]) => [k, v / 1000]),
        ),
        topSelf: sorted(selfByFunction)
          .slice(0, top)
          .map(([k, v]) => ({ fn: k.split('\t')[0], owner: k.split('\t')[1], ms: v / 1000 })),
      },
      null,
      2,
    ),
  );
} else {
  console.log(`${file}: ${ms(total)} sampled, ${ms(idle)} idle; % below are of ${ms(busy)} busy`);
  console.log('\nself time by owner (inclusive: any frame of that owner on the stack)');
  for (const [owner, us] of sorted(selfByOwner).filter(([o]) => o !== '(idle)')) {
    const inclusive = inclusiveByOwner.get(owner.replace(/ \(native\)$/, ''));
    console.log(
      `  ${owner.padEnd(48)} ${pct(us).padStart(6)} self  ${inclusive ? `${pct(inclusive).padStart(6)} incl` : ''}`,
    );
  }
  console.log(`\ntop ${top} functions by self time`);
  for (const [key, us] of sorted(selfByFunction)
    .filter(([k]) => !k.startsWith('(idle)'))
    .slice(0, top)) {
    const [fn, owner] = key.split('\t');
    console.log(`  ${pct(us).padStart(6)}  ${ms(us).padStart(8)}  ${fn}  [${owner}]`);
  }
}
