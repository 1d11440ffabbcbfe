// The hardware TLB: combined L2-GPA -> host entries tagged by (pCPU, ASID/VPID),
// bounded (`tlb_entries`) with LRU eviction (domain §1.3, §7 `vtlb[ASID]`). Struct of
// typed arrays: an open-addressed hash (linear probing, backward-shift delete) maps
// the key to an entry slot; a doubly linked list over slots keeps the LRU order.
// No allocation per lookup or fill.

import type { ModelBudget } from './budget';

const GFN_SCALE = 68719476736; // 2^36: key = tag * 2^36 + gfn (< 2^53 for tags < 2^17)
/** Bytes per entry of the entry arrays (key, tag, gfn, pfn, w, as, vcpu, fillOp, srcOp, rootId, verGen, verRoot, prev, next, freeStack). */
const ENTRY_BYTES = 8 + 4 + 8 + 4 + 1 + 4 + 4 + 4 + 4 + 4 + 8 + 4 + 4 + 4 + 4;

export class Tlb {
  readonly cap: number;
  private readonly mask: number;
  /** Hash table: entry slot + 1, 0 = empty. */
  private readonly table: Int32Array;
  readonly key: Float64Array;
  readonly tag: Int32Array;
  readonly gfn: Float64Array;
  /** L1 pfn the entry reaches (host page = pfn + L0 offset). */
  readonly pfn: Int32Array;
  readonly w: Uint8Array;
  /** Address space (nCR3 / EPTP pfn) the entry was derived from. */
  readonly as: Int32Array;
  readonly vcpu: Int32Array;
  /** Op index of the access that filled the entry. */
  readonly fillOp: Int32Array;
  /** Op index of the L0 shadow fill (or walk) the entry came from. */
  readonly srcOp: Int32Array;
  /** Id of the KVM root whose page was at `as` when the translation was derived. */
  readonly rootId: Int32Array;
  /** Statement clock of each fill (identifies an entry exactly, for the panel's blame). */
  readonly fillStep: Int32Array;
  /** The statement clock, set by the interpreter before each statement. */
  stamp = 0;
  /** L1Memory.ptGen at which the entry was last checked against the truth, and under which root. */
  readonly verGen: Float64Array;
  readonly verRoot: Int32Array;
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  private head = -1; // most recently used
  private tail = -1;
  private freeTop = 0;
  private readonly freeStack: Int32Array;
  size = 0;

  constructor(capacity: number, budget?: ModelBudget) {
    this.cap = Math.max(1, capacity | 0);
    let n = 16;
    while (n < this.cap * 4) n *= 2;
    budget?.grow('tlb', 0, n * 4 + this.cap * ENTRY_BYTES);
    this.mask = n - 1;
    this.table = new Int32Array(n);
    const c = this.cap;
    this.key = new Float64Array(c); this.tag = new Int32Array(c); this.gfn = new Float64Array(c);
    this.pfn = new Int32Array(c); this.w = new Uint8Array(c); this.as = new Int32Array(c);
    this.vcpu = new Int32Array(c); this.fillOp = new Int32Array(c); this.srcOp = new Int32Array(c);
    this.rootId = new Int32Array(c); this.fillStep = new Int32Array(c);
    this.verGen = new Float64Array(c).fill(-1); this.verRoot = new Int32Array(c).fill(-1);
    this.prev = new Int32Array(c); this.next = new Int32Array(c);
    this.freeStack = new Int32Array(c);
    for (let i = 0; i < c; i++) this.freeStack[i] = c - 1 - i;
    this.freeTop = c;
  }

  private hash(tag: number, gfn: number): number {
    let h = Math.imul((gfn | 0) ^ Math.imul(tag + 1, 0x9e3779b1) ^ ((gfn / 4294967296) | 0), 0x85ebca6b);
    h ^= h >>> 15;
    return h & this.mask;
  }

  /** Entry slot for (tag, gfn), moved to MRU; -1 on miss. */
  lookup(tag: number, gfn: number): number {
    const k = tag * GFN_SCALE + gfn;
    let i = this.hash(tag, gfn);
    const t = this.table;
    for (;;) {
      const v = t[i];
      if (v === 0) return -1;
      const e = v - 1;
      if (this.key[e] === k) {
        if (this.head !== e) this.touch(e);
        return e;
      }
      i = (i + 1) & this.mask;
    }
  }

  private touch(e: number): void {
    // unlink
    const p = this.prev[e], n = this.next[e];
    if (p >= 0) this.next[p] = n; else this.head = n;
    if (n >= 0) this.prev[n] = p; else this.tail = p;
    // push front
    this.prev[e] = -1; this.next[e] = this.head;
    if (this.head >= 0) this.prev[this.head] = e;
    this.head = e;
    if (this.tail < 0) this.tail = e;
  }

  /** Fill (or refresh) an entry; evicts the LRU entry when full. Returns the slot. */
  insert(tag: number, gfn: number, pfn: number, w: boolean, as: number, vcpu: number, fillOp: number, srcOp: number, rootId: number): number {
    let e = this.lookup(tag, gfn);
    if (e < 0) {
      if (this.freeTop === 0) this.removeSlot(this.tail);
      e = this.freeStack[--this.freeTop];
      this.key[e] = tag * GFN_SCALE + gfn;
      this.tag[e] = tag; this.gfn[e] = gfn;
      let i = this.hash(tag, gfn);
      while (this.table[i] !== 0) i = (i + 1) & this.mask;
      this.table[i] = e + 1;
      this.prev[e] = -1; this.next[e] = this.head;
      if (this.head >= 0) this.prev[this.head] = e;
      this.head = e;
      if (this.tail < 0) this.tail = e;
      this.size++;
    }
    this.pfn[e] = pfn; this.w[e] = w ? 1 : 0; this.as[e] = as; this.vcpu[e] = vcpu;
    this.fillOp[e] = fillOp; this.srcOp[e] = srcOp; this.rootId[e] = rootId; this.fillStep[e] = this.stamp;
    this.verGen[e] = -1;
    return e;
  }

  /** Remove one entry slot (eviction or flush). */
  removeSlot(e: number): void {
    let i = this.hash(this.tag[e], this.gfn[e]);
    while (this.table[i] !== e + 1) {
      if (this.table[i] === 0) return;
      i = (i + 1) & this.mask;
    }
    // backward-shift deletion keeps probe chains intact
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      const v = this.table[j];
      if (v === 0) break;
      const h = this.hash(this.tag[v - 1], this.gfn[v - 1]);
      if ((j > i && (h <= i || h > j)) || (j < i && h <= i && h > j)) { this.table[i] = v; i = j; }
    }
    this.table[i] = 0;
    const p = this.prev[e], n = this.next[e];
    if (p >= 0) this.next[p] = n; else this.head = n;
    if (n >= 0) this.prev[n] = p; else this.tail = p;
    this.freeStack[this.freeTop++] = e;
    this.size--;
  }

  /** Remove every entry matching `pred` (flush by tag, by address space, by range). Returns how many. */
  private removeWhere(pred: (e: number) => boolean): number {
    let n = 0;
    for (let e = this.head; e >= 0;) {
      const nx = this.next[e];
      if (pred(e)) { this.removeSlot(e); n++; }
      e = nx;
    }
    return n;
  }

  flushTag(tag: number): number { return this.size === 0 ? 0 : this.removeWhere((e) => this.tag[e] === tag); }
  /** Entries tagged by any ASID of one pCPU (TLB_CONTROL_FLUSH_ALL_ASID). */
  flushPcpu(pcpu: number): number { return this.size === 0 ? 0 : this.removeWhere((e) => (this.tag[e] >>> 12) === pcpu); }
  flushAs(as: number): number { return this.size === 0 ? 0 : this.removeWhere((e) => this.as[e] === as); }
  flushAsRange(as: number, gfn: number, n: number): number {
    return this.size === 0 ? 0 : this.removeWhere((e) => this.as[e] === as && this.gfn[e] >= gfn && this.gfn[e] < gfn + n);
  }
  flushAll(): number { const n = this.size; if (n) this.removeWhere(() => true); return n; }

  /** Slots from most to least recently used (snapshots). */
  forEach(fn: (e: number) => void): void {
    for (let e = this.head; e >= 0; e = this.next[e]) fn(e);
  }
}
