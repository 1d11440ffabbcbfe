// L0's shadows: shadow[as] maps L2 gfn -> L1 pfn (host page = pfn + L0 offset) for one
// second-level address space (as = nCR3 on SVM, EPTP on VMX), filled lazily from L1's
// tables as they are at fill time, shared by all vCPUs, never updated when L1 edits its
// tables (domain §1.2, §1.3, §7). One open-addressed table for all shadows, keyed by
// (interned as, gfn); dropping a whole shadow bumps its generation (O(1)) and dead
// entries are swept when the table is rebuilt.

import type { ModelBudget } from './budget';

const GFN_SCALE = 68719476736; // 2^36
/** Bytes per slot of the table's arrays (key, as, gfn, gen, pfn, w, fillOp, rootId). */
const SLOT_BYTES = 8 + 4 + 8 + 4 + 4 + 1 + 4 + 4;

export class Shadows {
  private cap = 64; // doubles with the live entries (rebuild); small: the explorer copies it per restore
  private mask = this.cap - 1;
  private used = 0; // occupied slots, live or dead
  private keyA = new Float64Array(this.cap);
  private asA = new Int32Array(this.cap).fill(-1);
  private gfnA = new Float64Array(this.cap);
  private genA = new Int32Array(this.cap);
  pfn = new Int32Array(this.cap);
  w = new Uint8Array(this.cap);
  fillOp = new Int32Array(this.cap);
  rootId = new Int32Array(this.cap);
  /** Statement clock of each fill (identifies an entry exactly, for the panel's blame). */
  fillStep = new Int32Array(this.cap);
  /** The statement clock, set by the interpreter before each statement. */
  stamp = 0;

  /** Interned address spaces: index -> as value. */
  readonly asValue: number[] = [];
  private readonly asIndex = new Map<number, number>();
  /** Per interned as: generation, live entries, last use stamp, last flushed op. */
  private gen: number[] = [];
  count: number[] = [];
  private lastUse: number[] = [];
  lastFlushOp: number[] = [];
  private clock = 0;
  total = 0;
  nonEmpty = 0;

  /** With a budget, the table's growth counts as L0-shadow memory. */
  constructor(private readonly budget?: ModelBudget) {
    budget?.grow('shadows', 0, this.cap * SLOT_BYTES);
  }

  /** Small integer for an address space (stable for the run). */
  intern(as: number): number {
    let i = this.asIndex.get(as);
    if (i === undefined) {
      i = this.asValue.length;
      this.asValue.push(as); this.asIndex.set(as, i);
      this.gen.push(1); this.count.push(0); this.lastUse.push(0); this.lastFlushOp.push(-1);
    }
    return i;
  }

  indexOf(as: number): number { return this.asIndex.get(as) ?? -1; }

  private hash(ai: number, gfn: number): number {
    let h = Math.imul((gfn | 0) ^ Math.imul(ai + 1, 0x9e3779b1) ^ ((gfn / 4294967296) | 0), 0x85ebca6b);
    h ^= h >>> 15;
    return h & this.mask;
  }

  /** Live slot for (as index, gfn), or -1. */
  lookup(ai: number, gfn: number): number {
    const k = ai * GFN_SCALE + gfn;
    const g = this.gen[ai];
    let i = this.hash(ai, gfn);
    for (;;) {
      const a = this.asA[i];
      if (a < 0) return -1;
      if (this.keyA[i] === k) {
        if (this.genA[i] !== g) return -1;
        this.lastUse[ai] = ++this.clock;
        return i;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** Fill shadow[as][gfn]. Returns the slot. */
  insert(ai: number, gfn: number, pfn: number, w: boolean, fillOp: number, rootId: number): number {
    if ((this.used + 1) * 2 > this.cap) this.rebuild();
    const k = ai * GFN_SCALE + gfn;
    let i = this.hash(ai, gfn);
    for (;;) {
      if (this.asA[i] < 0) { this.used++; break; }
      if (this.keyA[i] === k) break;
      i = (i + 1) & this.mask;
    }
    const live = this.asA[i] >= 0 && this.genA[i] === this.gen[ai];
    if (!live) {
      if (this.count[ai] === 0) this.nonEmpty++;
      this.count[ai]++; this.total++;
    }
    this.keyA[i] = k; this.asA[i] = ai; this.gfnA[i] = gfn; this.genA[i] = this.gen[ai];
    this.pfn[i] = pfn; this.w[i] = w ? 1 : 0; this.fillOp[i] = fillOp; this.rootId[i] = rootId; this.fillStep[i] = this.stamp;
    this.lastUse[ai] = ++this.clock;
    return i;
  }

  /** Drop all of shadow[as]; returns entries dropped. */
  drop(ai: number, op: number): number {
    const n = this.count[ai];
    this.gen[ai]++;
    if (n > 0) { this.count[ai] = 0; this.total -= n; this.nonEmpty--; }
    this.lastFlushOp[ai] = op;
    return n;
  }

  /** Drop gfns [gfn, gfn+n) of shadow[as]; returns entries dropped. */
  dropRange(ai: number, gfn: number, n: number, op: number): number {
    let dropped = 0;
    const g = this.gen[ai];
    const kill = (i: number): void => { this.genA[i] = g - 1; dropped++; };
    if (n <= 4096) {
      for (let x = gfn; x < gfn + n; x++) { const i = this.lookup(ai, x); if (i >= 0) kill(i); }
    } else {
      for (let i = 0; i < this.cap; i++) {
        if (this.asA[i] === ai && this.genA[i] === g && this.gfnA[i] >= gfn && this.gfnA[i] < gfn + n) kill(i);
      }
    }
    if (dropped > 0) {
      this.count[ai] -= dropped; this.total -= dropped;
      if (this.count[ai] === 0) this.nonEmpty--;
    }
    this.lastFlushOp[ai] = op;
    return dropped;
  }

  /** The least recently used non-empty shadow other than `keep`, or -1 (l0_shadows cap). */
  lruVictim(keep: number): number {
    let best = -1;
    for (let ai = 0; ai < this.count.length; ai++) {
      if (ai === keep || this.count[ai] === 0) continue;
      if (best < 0 || this.lastUse[ai] < this.lastUse[best]) best = ai;
    }
    return best;
  }

  private rebuild(): void {
    const live: number[] = [];
    for (let i = 0; i < this.cap; i++) if (this.asA[i] >= 0 && this.genA[i] === this.gen[this.asA[i]]) live.push(i);
    const old = { key: this.keyA, as: this.asA, gfn: this.gfnA, gen: this.genA, pfn: this.pfn, w: this.w, fill: this.fillOp, root: this.rootId, step: this.fillStep };
    let cap = this.cap;
    while (live.length * 4 > cap) cap *= 2;
    if (cap !== this.cap) this.budget?.grow('shadows', this.cap * SLOT_BYTES, cap * SLOT_BYTES);
    this.cap = cap; this.mask = cap - 1; this.used = 0;
    this.keyA = new Float64Array(cap); this.asA = new Int32Array(cap).fill(-1); this.gfnA = new Float64Array(cap);
    this.genA = new Int32Array(cap); this.pfn = new Int32Array(cap); this.w = new Uint8Array(cap);
    this.fillOp = new Int32Array(cap); this.rootId = new Int32Array(cap); this.fillStep = new Int32Array(cap);
    for (const j of live) {
      const ai = old.as[j], gfn = old.gfn[j];
      let i = this.hash(ai, gfn);
      while (this.asA[i] >= 0) i = (i + 1) & this.mask;
      this.used++;
      this.keyA[i] = old.key[j]; this.asA[i] = ai; this.gfnA[i] = gfn; this.genA[i] = old.gen[j];
      this.pfn[i] = old.pfn[j]; this.w[i] = old.w[j]; this.fillOp[i] = old.fill[j]; this.rootId[i] = old.root[j]; this.fillStep[i] = old.step[j];
    }
  }

  /** Live entries (snapshots): callback gets (as index, gfn, slot). */
  forEach(fn: (ai: number, gfn: number, slot: number) => void): void {
    for (let i = 0; i < this.cap; i++) {
      const ai = this.asA[i];
      if (ai >= 0 && this.genA[i] === this.gen[ai]) fn(ai, this.gfnA[i], i);
    }
  }
}
