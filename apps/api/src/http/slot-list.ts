/**
 * The objects of a set that changes on every request (responses in flight; once also messages to
 * a SQLite writer thread), kept in an array whose free slots are reused, where a Map or Set would
 * be the obvious choice. Why not those: a long-lived Map or Set ends up in V8's old generation,
 * and one that takes and drops an entry per request is rebuilt about every as many requests as its
 * capacity; V8 builds the new table in the old generation too and leaves the entries in the
 * discarded one, which keeps everything they reach (the request, its response, its promises)
 * through every young-generation collection until the next full one. Under the signup benchmark
 * that was ~3 MB copied and promoted per scavenge instead of ~0.2 MB, and about 11 points of the
 * event loop (docs/benchmarks.md). A slot set to `undefined` holds nothing; the array is copied
 * (leaving the old copy behind in the same way) only when more are in flight at once than ever
 * before.
 */
export class SlotList<T extends object> {
  readonly #slots: (T | undefined)[] = [];
  /** Slots that are free again; every other slot holds a value. */
  readonly #free: number[] = [];

  /** Keeps `value`; returns its slot, which stays its own until `delete`. */
  add(value: T): number {
    const slot = this.#free.pop() ?? this.#slots.length;
    this.#slots[slot] = value;
    return slot;
  }

  /** Lets go of what is in `slot` and returns it (undefined if the slot was free). */
  delete(slot: number): T | undefined {
    const value = this.#slots[slot];
    if (value === undefined) return undefined;
    this.#slots[slot] = undefined;
    this.#free.push(slot);
    return value;
  }

  clear(): void {
    this.#slots.length = 0;
    this.#free.length = 0;
  }

  get size(): number {
    return this.#slots.length - this.#free.length;
  }

  *values(): IterableIterator<T> {
    for (const value of this.#slots) if (value !== undefined) yield value;
  }
}
