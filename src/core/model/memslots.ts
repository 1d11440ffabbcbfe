// KVM memslots: L2 gfn ranges backed by VMM memory (L1 pages), allocated lazily on
// first touch. A backing belongs to the slot id (the VMM's memory region): `delete`
// without `free` keeps it for a later re-create of the same id (QEMU re-adding a
// region), `delete free` gives the pages back to the L1 allocator, `move` keeps it.
// Both maps are typed-array tables (IntTable), a few bytes per page (docs/model.md).
import { L1Memory, KIND_DATA } from './memory';
import { IntTable } from './intTable';

export interface Backing {
  /** page offset in the slot -> L1 pfn, in first-touch order (the order `delete free` frees them in) */
  readonly pages: IntTable;
  /** Values of pages the host migrated away (unmap), restored on next touch: page offset -> value record of L1Memory. */
  readonly stash: IntTable;
}

export interface Memslot {
  readonly id: string;
  baseGfn: number;
  readonly npages: number;
  readonly readonly: boolean;
  dirtyLog: boolean;
  readonly backing: Backing;
  /** Op that created (or last moved) it. */
  op: number;
}

/** Distinct guest pages the model backs at once (2^23 pages = 32 GiB touched). Every touched
 *  page costs memory (backing, tables, shadow); past this, JavaScript's Map limit (2^24 entries)
 *  and the heap would end the run after minutes with an opaque error. */
export const MAX_BACKED_PAGES = 1 << 23;

import { ModelLimitError } from './budget';

export { ModelLimitError };

export class Memslots {
  readonly slots: Memslot[] = [];
  /** Backed pages over all backings (live slots and kept ones). */
  private backed = 0;
  private readonly kept = new Map<string, Backing>();
  private last: Memslot | null = null;

  constructor(private readonly mem: L1Memory, private readonly maxBacked = MAX_BACKED_PAGES) {}

  find(gfn: number): Memslot | null {
    const l = this.last;
    if (l && gfn >= l.baseGfn && gfn < l.baseGfn + l.npages) return l;
    for (const s of this.slots) {
      if (gfn >= s.baseGfn && gfn < s.baseGfn + s.npages) { this.last = s; return s; }
    }
    return null;
  }

  byId(id: string): Memslot | null { return this.slots.find((s) => s.id === id) ?? null; }

  /** Returns an error message, or null. */
  create(id: string, gpa: number, size: number, readonly: boolean, op: number): string | null {
    if (this.byId(id)) return `memslot ${id} already exists`;
    const baseGfn = Math.floor(gpa / 4096);
    const npages = Math.max(1, Math.ceil(size / 4096));
    for (const s of this.slots) {
      if (baseGfn < s.baseGfn + s.npages && s.baseGfn < baseGfn + npages) return `memslot ${id} overlaps memslot ${s.id}`;
    }
    const backing = this.kept.get(id) ?? { pages: new IntTable(8, this.mem.budget), stash: new IntTable(8, this.mem.budget) };
    this.kept.delete(id);
    this.slots.push({ id, baseGfn, npages, readonly, dirtyLog: false, backing, op });
    return null;
  }

  /** Remove the slot; with `free`, its backing pages go back to the allocator. */
  remove(slot: Memslot, free: boolean): void {
    this.slots.splice(this.slots.indexOf(slot), 1);
    this.last = null;
    if (free) {
      const { pages, stash } = slot.backing;
      for (let p = 0, end = pages.end(); p < end; p++) if (pages.keyAt(p) >= 0) this.mem.freeNow(pages.valueAt(p));
      for (let p = 0, end = stash.end(); p < end; p++) if (stash.keyAt(p) >= 0) this.mem.dropData(stash.valueAt(p));
      this.backed -= pages.size;
      pages.clear(); stash.clear();
    } else {
      this.kept.set(slot.id, slot.backing);
    }
  }

  move(slot: Memslot, gpa: number, op: number): string | null {
    const baseGfn = Math.floor(gpa / 4096);
    for (const s of this.slots) {
      if (s !== slot && baseGfn < s.baseGfn + s.npages && s.baseGfn < baseGfn + slot.npages) return `memslot ${slot.id} would overlap memslot ${s.id}`;
    }
    slot.baseGfn = baseGfn; slot.op = op; this.last = null;
    return null;
  }

  /** The L1 page backing gfn, allocated on first touch (`allocated` reports whether it was new). */
  backingPage(slot: Memslot, gfn: number): number {
    const off = gfn - slot.baseGfn;
    let pfn = slot.backing.pages.get(off);
    if (pfn < 0) {
      if (this.backed >= this.maxBacked) {
        throw new ModelLimitError(`the scenario touches more than ${this.maxBacked} distinct guest pages (${this.maxBacked % 262144 === 0 ? `${this.maxBacked / 262144} GiB` : `${this.maxBacked * 4} KiB`}) at once, more than the model holds; touch a smaller range, \`unmap\` or \`memslot ... delete free\` what is done with, or use \`touch ... random count N\``);
      }
      this.backed++;
      pfn = this.mem.alloc(KIND_DATA);
      this.mem.putData(pfn, slot.backing.stash.delete(off));
      slot.backing.pages.set(off, pfn);
    }
    return pfn;
  }

  /** Host MMU-notifier invalidation of gfns [gfn, gfn+n): each backing page is migrated away
   *  (its values kept for the replacement) and freed to the allocator. Returns pages dropped. */
  unmapBacking(gfn: number, n: number): number {
    let dropped = 0;
    for (const s of this.slots) {
      const lo = Math.max(gfn, s.baseGfn), hi = Math.min(gfn + n, s.baseGfn + s.npages);
      if (lo >= hi) continue;
      // Walk whichever is smaller, the range or the backed pages: `unmap` of 8K in a slot with
      // a million backed pages must not cost a million steps (it runs in loops). Deleting the
      // current entry while iterating an IntTable is safe, as with a Map.
      const { pages, stash } = s.backing;
      const drop = (off: number, pfn: number): void => {
        const data = this.mem.takeData(pfn);
        if (data >= 0) { this.mem.dropData(stash.delete(off)); stash.set(off, data); }
        pages.delete(off);
        this.mem.freeNow(pfn);
        this.backed--;
        dropped++;
      };
      if (hi - lo <= pages.size) {
        for (let g = lo; g < hi; g++) {
          const off = g - s.baseGfn;
          const pfn = pages.get(off);
          if (pfn >= 0) drop(off, pfn);
        }
      } else {
        for (let p = 0, end = pages.end(); p < end; p++) {
          const off = pages.keyAt(p);
          if (off < 0) continue;
          const g = s.baseGfn + off;
          if (g >= lo && g < hi) drop(off, pages.valueAt(p));
        }
      }
    }
    return dropped;
  }
}
