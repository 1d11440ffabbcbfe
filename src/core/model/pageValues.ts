// Values L2 stored in pages, on typed arrays. A record holds one page's values: almost every
// page holds a single stored 8-byte slot (`write ADDR size SIZE` stores once per page, at the
// same offset on every page), kept inline (slot index + value); a page that gets a second
// distinct slot moves to a full 512-slot block (values + a "stored" flag per slot, since an
// unstored slot of a page-table page reads its SPTE). Records are detached from pages so host
// page migration can move a page's values to a stash and back without copying (docs/model.md).

import type { ModelBudget } from './budget';

const FULL = -1;
/** Bytes per record (slot Int16, value Float64, block Int32) and per block slot (value, flag). */
const REC_BYTES = 2 + 8 + 4;
const BLOCK_SLOT_BYTES = 8 + 1;
/** Records start few and double: the explorer copies these arrays on every restore. */
const INITIAL_RECS = 64;

export class PageValues {
  /** Per record: the single stored slot's index, or FULL (see `block`). */
  private slot = new Int16Array(INITIAL_RECS);
  /** Per record: the single stored slot's value. */
  private value = new Float64Array(INITIAL_RECS);
  /** Per record, when FULL: its block number. */
  private block = new Int32Array(INITIAL_RECS);
  private freeRecs: number[] = [];
  private nextRec = 0;
  /** Full blocks: 512 values and 512 "stored" flags each. */
  private blockVals = new Float64Array(0);
  private blockHas = new Uint8Array(0);
  private freeBlocks: number[] = [];
  private nextBlock = 0;

  constructor(private readonly budget?: ModelBudget) {
    budget?.grow('data', 0, this.slot.length * REC_BYTES);
  }

  /** A new record holding one stored slot. */
  create(idx: number, v: number): number {
    let r = this.freeRecs.pop();
    if (r === undefined) {
      r = this.nextRec++;
      if (r === this.slot.length) {
        const n = r * 2;
        this.budget?.grow('data', r * REC_BYTES, n * REC_BYTES);
        const s = new Int16Array(n); s.set(this.slot); this.slot = s;
        const val = new Float64Array(n); val.set(this.value); this.value = val;
        const b = new Int32Array(n); b.set(this.block); this.block = b;
      }
    }
    this.slot[r] = idx; this.value[r] = v;
    return r;
  }

  /** Store v at slot idx of record r. */
  write(r: number, idx: number, v: number): void {
    const one = this.slot[r];
    if (one === idx) { this.value[r] = v; return; }
    let b: number;
    if (one !== FULL) {
      b = this.newBlock();
      this.blockVals[b * 512 + one] = this.value[r];
      this.blockHas[b * 512 + one] = 1;
      this.slot[r] = FULL; this.block[r] = b;
    } else b = this.block[r];
    this.blockVals[b * 512 + idx] = v;
    this.blockHas[b * 512 + idx] = 1;
  }

  /** Whether record r stored slot idx (then `valueOf` is its value). */
  has(r: number, idx: number): boolean {
    const one = this.slot[r];
    return one === idx || (one === FULL && this.blockHas[this.block[r] * 512 + idx] === 1);
  }

  valueOf(r: number, idx: number): number {
    return this.slot[r] === idx ? this.value[r] : this.blockVals[this.block[r] * 512 + idx];
  }

  /** Record r is gone (its page was handed out again, or its stash dropped). */
  release(r: number): void {
    if (this.slot[r] === FULL) this.freeBlocks.push(this.block[r]);
    this.freeRecs.push(r);
  }

  private newBlock(): number {
    let b = this.freeBlocks.pop();
    if (b === undefined) {
      b = this.nextBlock++;
      if ((b + 1) * 512 > this.blockVals.length) {
        const n = Math.max(512 * 16, this.blockVals.length * 2);
        this.budget?.grow('data', this.blockVals.length * BLOCK_SLOT_BYTES, n * BLOCK_SLOT_BYTES);
        const v = new Float64Array(n); v.set(this.blockVals); this.blockVals = v;
        const h = new Uint8Array(n); h.set(this.blockHas); this.blockHas = h;
      }
    }
    this.blockVals.fill(0, b * 512, b * 512 + 512);
    this.blockHas.fill(0, b * 512, b * 512 + 512);
    return b;
  }
}
