// allocator=any: which free page the kernel's allocator hands out depends on per-CPU lists,
// caches and timing no model pins down, so every allocation is a choice between one fresh
// page (never used; all fresh pages are interchangeable, so one option) and each page that
// is free now, in ascending pfn order (docs/explore.md). The model asks; a scenario answers
// from its `alloc next` pins, an exploration from its choice script.

/** Option 0 of every choice: a fresh page. */
export const PICK_FRESH = 0;

export interface AllocChooser {
  /** Pick for one allocation: 0 = a fresh page, i >= 1 = free[i - 1] (ascending pfns). */
  choose(free: readonly number[]): number;
}

/** Pins from `alloc next PAGE|fresh ...` (pfn, or -1 for fresh), consumed one per allocation;
 *  without a pin, a fresh page. A pinned page that is not free counts as a miss (reported). */
export class PinnedChooser implements AllocChooser {
  readonly pins: number[] = [];
  misses: number[] = [];
  choose(free: readonly number[]): number {
    const pin = this.pins.shift();
    if (pin === undefined || pin < 0) return PICK_FRESH;
    const i = free.indexOf(pin);
    if (i < 0) { this.misses.push(pin); return PICK_FRESH; }
    return i + 1;
  }
}
