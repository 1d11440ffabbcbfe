// An insertion-ordered map from non-negative integer keys (< 2^53) to non-negative Int32
// values, on typed arrays: an append-only entry log (keys, values; a deleted entry's key
// becomes -1) plus an open-addressed index into it. Same order semantics as a JavaScript
// Map (an update keeps the entry's place, delete + set moves it to the end, deleting the
// current entry while iterating is safe), which the allocator's free order depends on,
// at ~20 bytes per entry instead of a Map's per-entry objects (docs/model.md).

import type { BudgetPart, ModelBudget } from './budget';

const EMPTY = 0;
/** Bytes per entry of capacity: key (Float64), value (Int32), two index slots (Int32). */
const ENTRY_BYTES = 8 + 4 + 8;
const GONE = -1;

export class IntTable {
  /** Entry log: keys (-1 = deleted) and values, in insertion order. */
  private keys: Float64Array;
  private vals: Int32Array;
  /** Open-addressed index: log position + 1, EMPTY, or GONE (a deleted entry). Twice the log's capacity. */
  private index: Int32Array;
  private mask: number;
  /** Log length (live and deleted entries). */
  private used = 0;
  /** Live entries. */
  size = 0;

  /** With a budget, the table's growth counts against it as `part` (data pages: memslot backings). */
  constructor(capacity = 8, private readonly budget?: ModelBudget, private readonly part: BudgetPart = 'data') {
    budget?.grow(part, 0, capacity * ENTRY_BYTES);
    this.keys = new Float64Array(capacity);
    this.vals = new Int32Array(capacity);
    this.index = new Int32Array(capacity * 2);
    this.mask = capacity * 2 - 1;
  }

  private static hash(k: number): number {
    const lo = k >>> 0, hi = (k / 4294967296) | 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    return h;
  }

  /** Index slot holding key k, or -1. */
  private find(k: number): number {
    const index = this.index, keys = this.keys, mask = this.mask;
    let i = IntTable.hash(k) & mask;
    for (;;) {
      const e = index[i];
      if (e === EMPTY) return -1;
      if (e !== GONE && keys[e - 1] === k) return i;
      i = (i + 1) & mask;
    }
  }

  /** The value for k, or -1 when absent. */
  get(k: number): number {
    const i = this.find(k);
    return i < 0 ? -1 : this.vals[this.index[i] - 1];
  }

  has(k: number): boolean { return this.find(k) >= 0; }

  set(k: number, v: number): void {
    const i = this.find(k);
    if (i >= 0) { this.vals[this.index[i] - 1] = v; return; }
    if (this.used === this.keys.length) this.rebuild();
    const p = this.used++;
    this.keys[p] = k; this.vals[p] = v;
    const index = this.index, mask = this.mask;
    let j = IntTable.hash(k) & mask;
    while (index[j] > 0) j = (j + 1) & mask; // reuse a GONE slot: k is not in the table
    index[j] = p + 1;
    this.size++;
  }

  /** Removes k; returns its value, or -1 when absent. */
  delete(k: number): number {
    const i = this.find(k);
    if (i < 0) return -1;
    const p = this.index[i] - 1;
    this.index[i] = GONE;
    this.keys[p] = -1;
    this.size--;
    return this.vals[p];
  }

  clear(): void {
    this.used = 0; this.size = 0;
    this.index.fill(EMPTY);
  }

  /** Empties the table and gives its memory back (to the budget too): capacity 8 again. */
  release(): void {
    if (this.keys.length > 8) {
      this.budget?.grow(this.part, this.keys.length * ENTRY_BYTES, 8 * ENTRY_BYTES);
      this.keys = new Float64Array(8); this.vals = new Int32Array(8); this.index = new Int32Array(16); this.mask = 15;
    } else this.index.fill(EMPTY);
    this.used = 0; this.size = 0;
  }

  /** Bytes the table holds (its capacity). */
  get bytes(): number { return this.keys.length * ENTRY_BYTES; }

  /** Iteration: positions 0 .. end()-1; skip those whose keyAt is -1 (deleted). */
  end(): number { return this.used; }
  keyAt(p: number): number { return this.keys[p]; }
  valueAt(p: number): number { return this.vals[p]; }

  /** The log is full: drop deleted entries (keeping order), doubling the capacity when more than half are live. */
  private rebuild(): void {
    const cap = this.size * 2 > this.keys.length ? this.keys.length * 2 : this.keys.length;
    if (cap !== this.keys.length) this.budget?.grow(this.part, this.keys.length * ENTRY_BYTES, cap * ENTRY_BYTES);
    const keys = cap === this.keys.length ? this.keys : new Float64Array(cap);
    const vals = cap === this.vals.length ? this.vals : new Int32Array(cap);
    let n = 0;
    for (let p = 0; p < this.used; p++) {
      const k = this.keys[p];
      if (k < 0) continue;
      keys[n] = k; vals[n] = this.vals[p]; n++;
    }
    this.keys = keys; this.vals = vals; this.used = n;
    this.index = new Int32Array(cap * 2);
    this.mask = cap * 2 - 1;
    const index = this.index, mask = this.mask;
    for (let p = 0; p < n; p++) {
      let j = IntTable.hash(keys[p]) & mask;
      while (index[j] !== EMPTY) j = (j + 1) & mask;
      index[j] = p + 1;
    }
  }
}
