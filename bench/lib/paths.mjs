// @ts-check
// Where things are: the bench folder, the repository, the built API server, the host all the
// servers listen on (never anything but loopback).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = resolve(BENCH_DIR, '..');
export const API_SERVER = join(ROOT, 'apps/api/dist/server.js');
export const HOST = '127.0.0.1';
