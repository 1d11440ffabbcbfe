// allocator=any: which free page the kernel's allocator hands out depends on per-CPU lists,
// caches and timing no model pins down, so every allocation is a choice between one fresh
// page (never used; all fresh pages are interchangeable, so one option) and each page that
// is free now, in ascending pfn order (docs/explore.md). The model asks; a scenario answers
// from its `alloc next` pins, an exploration from its choice script.

import { ModelLimitError } from './budget';

/** Option 0 of every choice: a fresh page. */
export const PICK_FRESH = 0;

export interface AllocChooser {
  /** Pick for one allocation: 0 = a fresh page, i >= 1 = free[i - 1] (ascending pfns). */
  choose(free: readonly number[]): number;
}

/** Pins from `alloc next PAGE|fresh ...` (pfn, or -1 for fresh), consumed one per allocation;
 *  without a pin, a fresh page. A pinned page that is not free counts as a miss (reported). */
/** Pins that may wait at once (docs/language.md, Limits). */
export const MAX_PENDING_PINS = 1 << 16;

export class PinnedChooser implements AllocChooser {
  /** Pending pins are pins[head..]; consumed ones are dropped in batches (no O(n) shift). */
  private pins: number[] = [];
  private head = 0;
  misses: number[] = [];

  /** Pins still to be consumed. */
  get pending(): number { return this.pins.length - this.head; }

  /** Queues pins (no spread: a list of 200,000 picks must not overflow the stack). Throws a
   *  ModelLimitError past MAX_PENDING_PINS waiting at once (`alloc next` in a long loop that
   *  allocates nothing would otherwise grow without bound). */
  add(picks: readonly number[]): void {
    if (this.pending + picks.length > MAX_PENDING_PINS) {
      throw new ModelLimitError(`alloc next: more than ${MAX_PENDING_PINS} allocation pins would be waiting (each is consumed by one page allocation)`);
    }
    for (let i = 0; i < picks.length; i++) this.pins.push(picks[i]!);
  }

  choose(free: readonly number[]): number {
    const pin = this.head < this.pins.length ? this.pins[this.head++] : undefined;
    if (this.head > 1024 && this.head * 2 > this.pins.length) { this.pins = this.pins.slice(this.head); this.head = 0; }
    if (pin === undefined || pin < 0) return PICK_FRESH;
    const i = free.indexOf(pin);
    if (i < 0) { this.misses.push(pin); return PICK_FRESH; }
    return i + 1;
  }
}
