import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { QueryResult } from 'kysely';
import type { Logger } from 'pino';
import { SlotList } from '../http/slot-list.js';
import { type SqliteWriter, toQueryResult } from './sqlite-writer.js';
import type { FromWriter, WriteOp, WriteResult, WriterData } from './sqlite-writer-protocol.js';

/**
 * Statements per message to the writer: it runs them while this thread goes on parsing requests.
 * Sending a turn's writes only at its end left the two threads taking turns, each idle while the
 * other worked (docs/benchmarks.md, the writer thread).
 */
const MESSAGE_STATEMENTS = 8;

interface Message {
  ops: WriteOp[];
  settle: ((result: WriteResult) => void)[];
  /** Ranges of `ops` saved all or none (executeTogether). */
  groups?: [start: number, end: number][];
}

interface WriterOptions {
  logger: Logger;
  /** Called whenever the thread answers: reads that follow must see what it committed. */
  onAnswered: () => void;
  /** Tests only: while element 0 is not 0, the thread holds its syncs of the log back. */
  syncGate?: Int32Array;
}

/**
 * The main thread's end of the SQLite file's writer, which runs on a thread of its own
 * (sqlite-writer-worker.js), so that running the statements, COMMIT, checkpoints, the search
 * indexer and waiting for a lock held by another process never hold the event loop: on a signup
 * they were much of the main thread's time (docs/benchmarks.md), and a lock held from outside
 * froze every request for up to busy_timeout. The writes of one event-loop turn travel in
 * messages of a few statements; the thread runs them at once, commits what has arrived as one
 * transaction (group commit), and answers only once the log is synced (see the thread's file). So
 * an acknowledged write is on stable storage, and a write's result (or error) is known only once
 * its fate is.
 */
export class SqliteWriterClient implements SqliteWriter {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #version: Int32Array;
  readonly #logger: Logger;
  readonly #onAnswered: () => void;
  #unsent: Message | null = null;
  /** Sent and awaiting the answer, by id (not a Map: see SlotList). */
  readonly #inFlight = new SlotList<Message>();
  #started = false;
  #stopped: Error | null = null;
  #closing = false;
  #exited: Promise<void>;

  /** Starts the thread on `path` (migrated already) and resolves once it is ready. */
  static async start(path: string, options: WriterOptions): Promise<SqliteWriterClient> {
    const writer = new SqliteWriterClient(path, options);
    await writer.#ready;
    return writer;
  }

  readonly #ready: Promise<void>;

  private constructor(path: string, options: WriterOptions) {
    this.#logger = options.logger;
    this.#onAnswered = options.onAnswered;
    this.#version = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    this.#worker = new Worker(new URL('./sqlite-writer-worker.js', import.meta.url), {
      workerData: {
        path,
        port: port2,
        externalVersion: this.#version,
        syncGate: options.syncGate,
      } satisfies WriterData,
      transferList: [port2],
    });
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#port.on('message', (message: FromWriter) => {
        if (message.type === 'ready') {
          this.#started = true;
          resolve();
        } else if (message.type === 'done') this.#answered(message.replies);
        else this.#logger.error({ err: message.err }, message.msg);
      });
      this.#worker.once('error', (error) => {
        this.#logger.error({ err: error }, 'SQLite writer thread failed');
        reject(error);
        this.#stop(error);
      });
    });
    this.#exited = new Promise((resolve) => {
      this.#worker.once('exit', (code) => {
        const error = new Error(`SQLite writer thread stopped (exit code ${code})`);
        if (this.#started && !this.#closing) {
          // Nothing can be saved any more: say so loudly, and stop the process (its supervisor
          // restarts it) rather than answer every write with an error from now on.
          this.#logger.fatal({ err: error }, 'SQLite writer thread stopped unexpectedly');
          process.exitCode = 1;
          process.kill(process.pid, 'SIGTERM');
        }
        this.#stop(error);
        resolve();
      });
    });
    // Referenced while starting (nothing else may keep the process alive yet), idle once ready.
    this.#ready.then(
      () => {
        if (this.#inFlight.size === 0) this.#idle();
      },
      () => {},
    );
  }

  execute(sql: string, parameters: readonly unknown[]): Promise<QueryResult<unknown>> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const [settled] = this.#enqueue([[sql, parameters as unknown[]]], false);
    return (settled as Promise<WriteResult>).then(toQueryResult);
  }

  executeTogether(ops: readonly WriteOp[]): Promise<QueryResult<unknown>[]> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    // In the turn's message like any write, marked as one range that the thread runs inside a
    // savepoint (all or none).
    const settled = this.#enqueue(
      ops.map(([sql, parameters]) => [sql, [...parameters]]),
      true,
    );
    return Promise.all(settled).then((results) => results.map(toQueryResult));
  }

  /** Adds `ops` to this turn's message (as one all-or-none range when `together`). */
  #enqueue(ops: WriteOp[], together: boolean): Promise<WriteResult>[] {
    let message = this.#unsent;
    if (!message) {
      const fresh: Message = { ops: [], settle: [] };
      message = fresh;
      this.#unsent = fresh;
      // What is written in this turn of the event loop travels together (up to the limit above).
      setImmediate(() => {
        if (this.#unsent === fresh) this.#send();
      });
    }
    const target = message;
    if (together) {
      target.groups ??= [];
      target.groups.push([target.ops.length, target.ops.length + ops.length]);
    }
    target.ops.push(...ops);
    const settled = ops.map(
      () => new Promise<WriteResult>((resolve) => target.settle.push(resolve)),
    );
    if (target.ops.length >= MESSAGE_STATEMENTS) {
      // After this microtask, so that the statement's caller has its promise first.
      queueMicrotask(() => {
        if (this.#unsent === target) this.#send();
      });
    }
    return settled;
  }

  externalVersion(): number {
    return Atomics.load(this.#version, 0);
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (!this.#stopped) {
      this.#send();
      this.#port.postMessage({ type: 'close' });
      this.#worker.ref();
    }
    await this.#exited;
  }

  #send(): void {
    const message = this.#unsent;
    if (!message) return;
    this.#unsent = null;
    if (this.#stopped) {
      this.#fail(message, this.#stopped);
      return;
    }
    // The id is the message's slot, reused once its answer is in: the thread answers each id once.
    const id = this.#inFlight.add(message);
    try {
      this.#port.postMessage(
        message.groups
          ? { type: 'run', id, ops: message.ops, groups: message.groups }
          : { type: 'run', id, ops: message.ops },
      );
    } catch (error) {
      // A value that cannot travel to the thread (a Promise passed by a missing `await`, say):
      // none of this message's statements ran.
      this.#inFlight.delete(id);
      this.#fail(message, error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.#inFlight.size === 1) this.#busy();
  }

  #answered(replies: [number, WriteResult[]][]): void {
    // Reads that follow must see these writes: the main thread's read snapshot ends here.
    this.#onAnswered();
    for (const [id, results] of replies) {
      const message = this.#inFlight.delete(id);
      if (!message) continue;
      for (const [i, settle] of message.settle.entries()) {
        settle(results[i] ?? { error: { name: 'Error', message: 'no answer from the writer' } });
      }
    }
    if (this.#inFlight.size === 0) this.#idle();
  }

  #fail(message: Message, error: Error): void {
    const result: WriteResult = { error: { name: error.name, message: error.message } };
    for (const settle of message.settle) settle(result);
  }

  #stop(error: Error): void {
    if (this.#stopped) return;
    this.#stopped = error;
    for (const message of this.#inFlight.values()) this.#fail(message, error);
    this.#inFlight.clear();
  }

  // The thread keeps the process alive only while it owes answers.
  #busy(): void {
    this.#worker.ref();
    this.#port.ref();
  }

  #idle(): void {
    if (this.#closing) return; // close() waits for the thread to exit
    this.#worker.unref();
    this.#port.unref();
  }
}
