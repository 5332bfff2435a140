#!/usr/bin/env node
// `catlist <command>`: the list from the command line (run-cli.ts; `pnpm catlist --help`).
import { loadDotEnv } from '../config/env.js';
import { runCli } from './run-cli.js';

// The same .env as the server's (the working directory's: the repository root under pnpm).
loadDotEnv();
runCli(process.argv.slice(2), {
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
}).then(
  (code) => {
    // Not process.exit(): it could cut off what is still on its way to a pipe.
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('catlist:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
