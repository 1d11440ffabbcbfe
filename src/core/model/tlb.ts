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
  private mask: number;
  /** Hash table: entry slot + 1, 0 = empty. */
  private table: Int32Array;
  key: Float64Array;
  tag: Int32Array;
  gfn: Float64Array;
  /** L1 pfn the entry reaches (host page = pfn + L0 offset). */
  pfn: Int32Array;
  w: Uint8Array;
  /** Address space (nCR3 / EPTP pfn) the entry was derived from. */
  as: Int32Array;
  vcpu: Int32Array;
  /** Op index of the access that filled the entry. */
  fillOp: Int32Array;
  /** Op index of the L0 shadow fill (or walk) the entry came from. */
  srcOp: Int32Array;
  /** Id of the KVM root whose page was at `as` when the translation was derived. */
  rootId: Int32Array;
  /** Statement clock of each fill (identifies an entry exactly, for the panel's blame). */
  fillStep: Int32Array;
  /** The statement clock, set by the interpreter before each statement. */
  stamp = 0;
  /** L1Memory.ptGen at which the entry was last checked against the truth, and under which root. */
  verGen: Float64Array;
  verRoot: Int32Array;
  private prev: Int32Array;
  private next: Int32Array;
  private head = -1; // most recently used
  private tail = -1;
  private freeTop = 0;
  private freeStack: Int32Array;
  size = 0;
  /** Slots allocated so far: the arrays grow towards `cap` as entries arrive, so a small TLB
   *  state is cheap to copy (snapshots, the explorer's restore). Slots are handed out in the
   *  same order as with all `cap` allocated up front; the budget counts `cap` from the start. */
  private slots = 0;

  constructor(capacity: number, budget?: ModelBudget) {
    this.cap = Math.max(1, capacity | 0);
    let n = 16;
    while (n < this.cap * 4) n *= 2;
    budget?.grow('tlb', 0, n * 4 + this.cap * ENTRY_BYTES);
    this.table = new Int32Array(16); this.mask = 15;
    this.key = new Float64Array(0); this.tag = new Int32Array(0); this.gfn = new Float64Array(0);
    this.pfn = new Int32Array(0); this.w = new Uint8Array(0); this.as = new Int32Array(0);
    this.vcpu = new Int32Array(0); this.fillOp = new Int32Array(0); this.srcOp = new Int32Array(0);
    this.rootId = new Int32Array(0); this.fillStep = new Int32Array(0);
    this.verGen = new Float64Array(0); this.verRoot = new Int32Array(0);
    this.prev = new Int32Array(0); this.next = new Int32Array(0); this.freeStack = new Int32Array(0);
    this.grow(Math.min(this.cap, 16));
  }

  /** Room for `c` slots (c <= cap), called when every slot is in use: the new slots go on the
   *  free stack lowest first, as the up-front stack would hand them out. */
  private grow(c: number): void {
    const old = this.slots;
    const f64 = (a: Float64Array, fill: number): Float64Array => { const b = new Float64Array(c); if (fill !== 0) b.fill(fill); b.set(a); return b; };
    const i32 = (a: Int32Array, fill: number): Int32Array => { const b = new Int32Array(c); if (fill !== 0) b.fill(fill); b.set(a); return b; };
    this.key = f64(this.key, 0); this.tag = i32(this.tag, 0); this.gfn = f64(this.gfn, 0);
    this.pfn = i32(this.pfn, 0); const w = new Uint8Array(c); w.set(this.w); this.w = w; this.as = i32(this.as, 0);
    this.vcpu = i32(this.vcpu, 0); this.fillOp = i32(this.fillOp, 0); this.srcOp = i32(this.srcOp, 0);
    this.rootId = i32(this.rootId, 0); this.fillStep = i32(this.fillStep, 0);
    this.verGen = f64(this.verGen, -1); this.verRoot = i32(this.verRoot, -1);
    this.prev = i32(this.prev, 0); this.next = i32(this.next, 0);
    const fs = new Int32Array(c);
    for (let i = 0; i < c - old; i++) fs[i] = c - 1 - i;
    this.freeStack = fs;
    this.freeTop = c - old;
    this.slots = c;
    let n = 16;
    while (n < c * 4) n *= 2;
    if (n !== this.table.length) {
      this.table = new Int32Array(n);
      this.mask = n - 1;
      for (let e = this.head; e >= 0; e = this.next[e]!) {
        let i = this.hash(this.tag[e]!, this.gfn[e]!);
        while (this.table[i] !== 0) i = (i + 1) & this.mask;
        this.table[i] = e + 1;
      }
    }
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
      if (this.freeTop === 0) {
        if (this.slots < this.cap) this.grow(Math.min(this.cap, this.slots * 2));
        else this.removeSlot(this.tail);
      }
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
