// KVM memslots: L2 gfn ranges backed by VMM memory (L1 pages), allocated lazily on
// first touch. A backing belongs to the slot id (the VMM's memory region): `delete`
// without `free` keeps it for a later re-create of the same id (QEMU re-adding a
// region), `delete free` gives the pages back to the L1 allocator, `move` keeps it.
// Both maps are typed-array tables (IntTable), a few bytes per page (docs/model.md).
import { L1Memory, KIND_DATA, HPAGE_PAGES } from './memory';
import { IntTable } from './intTable';

export interface Backing {
  /** page offset in the slot -> L1 pfn, in first-touch order (the order `delete free` frees them in) */
  readonly pages: IntTable;
  /** Values of pages the host migrated away (unmap), restored on next touch: page offset -> value record of L1Memory. */
  readonly stash: IntTable;
  /** 2M regions the host maps with one huge page (THP / hugetlbfs, a `hugepages` slot): region index
   *  (page offset / 512) -> first pfn of its 512 contiguous pages. A region leaves the table when
   *  the host splits or drops the page (unmap): host_pfn_mapping_level is 4K there from then on. */
  readonly huge: IntTable;
}

export interface Memslot {
  readonly id: string;
  baseGfn: number;
  readonly npages: number;
  readonly readonly: boolean;
  /** `hugepages`: the VMM's memory behind the slot is backed by 2M pages (THP / hugetlbfs). */
  readonly hugepages: boolean;
  dirtyLog: boolean;
  /** The dirty bitmap while dirty logging is on (one byte per page here; kvm_alloc_dirty_bitmap), else null. */
  dirtyBitmap: Uint8Array | null;
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
  /** Live slots in creation order (snapshot rows list them so). */
  readonly slots: Memslot[] = [];
  /** Backed pages over all backings (live slots and kept ones). */
  private backed = 0;
  private readonly kept = new Map<string, Backing>();
  private last: Memslot | null = null;
  // Indexed as KVM indexes them, so a scenario with thousands of slots costs O(log n) per
  // lookup, not a scan: by id (kvm_memslots.id_hash, 6.x; 5.15's id_to_index) and sorted by
  // base gfn with a binary search (5.15 include/linux/kvm_host.h search_memslots over the
  // sorted memslots[] array; 6.x keeps the same order in gfn_tree, an rb-tree). Live slots
  // never overlap, so sorted by base they are sorted by end too.
  private readonly ids = new Map<string, Memslot>();
  private readonly byGfn: Memslot[] = [];
  /** Binary-search steps taken (tests check lookups are logarithmic). */
  searchSteps = 0;

  constructor(private readonly mem: L1Memory, private readonly maxBacked = MAX_BACKED_PAGES) {}

  /** Index in byGfn of the first slot whose end is above `gfn` (byGfn.length when none). */
  private lowerBound(gfn: number): number {
    let lo = 0, hi = this.byGfn.length;
    while (lo < hi) {
      this.searchSteps++;
      const mid = (lo + hi) >>> 1;
      const s = this.byGfn[mid]!;
      if (s.baseGfn + s.npages <= gfn) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** A live slot other than `except` overlapping gfns [base, base + n), or null. */
  private overlapping(base: number, n: number, except: Memslot | null): Memslot | null {
    // Candidates: the first slot ending above `base`, and (when that is `except`) the next one.
    for (let i = this.lowerBound(base); i < this.byGfn.length; i++) {
      const s = this.byGfn[i]!;
      if (s === except) continue;
      return s.baseGfn < base + n ? s : null;
    }
    return null;
  }

  private unindex(slot: Memslot): void {
    const i = this.lowerBound(slot.baseGfn);
    if (this.byGfn[i] === slot) this.byGfn.splice(i, 1);
  }

  private index(slot: Memslot): void {
    this.byGfn.splice(this.lowerBound(slot.baseGfn), 0, slot);
  }

  /** __gfn_to_memslot: the last slot found (last_used_slot), else the binary search. */
  find(gfn: number): Memslot | null {
    const l = this.last;
    if (l && gfn >= l.baseGfn && gfn < l.baseGfn + l.npages) return l;
    const s = this.byGfn[this.lowerBound(gfn)];
    if (s && gfn >= s.baseGfn) { this.last = s; return s; }
    return null;
  }

  byId(id: string): Memslot | null { return this.ids.get(id) ?? null; }

  /** Returns an error message, or null. */
  create(id: string, gpa: number, size: number, readonly: boolean, op: number, hugepages = false): string | null {
    if (this.byId(id)) return `memslot ${id} already exists`;
    const baseGfn = Math.floor(gpa / 4096);
    const npages = Math.max(1, Math.ceil(size / 4096));
    const o = this.overlapping(baseGfn, npages, null);
    if (o) return `memslot ${id} overlaps memslot ${o.id}`;
    const backing = this.kept.get(id) ?? { pages: new IntTable(8, this.mem.budget), stash: new IntTable(8, this.mem.budget), huge: new IntTable(8, this.mem.budget) };
    this.kept.delete(id);
    const slot: Memslot = { id, baseGfn, npages, readonly, hugepages, dirtyLog: false, dirtyBitmap: null, backing, op };
    this.slots.push(slot);
    this.ids.set(id, slot);
    this.index(slot);
    return null;
  }

  /** Remove the slot; with `free`, its backing pages go back to the allocator. */
  remove(slot: Memslot, free: boolean): void {
    if (slot.dirtyBitmap) { this.mem.budget.grow('data', slot.dirtyBitmap.length, 0); slot.dirtyBitmap = null; slot.dirtyLog = false; }
    this.slots.splice(this.slots.indexOf(slot), 1);
    this.ids.delete(slot.id);
    this.unindex(slot);
    this.last = null;
    if (free) {
      const { pages, stash } = slot.backing;
      for (let p = 0, end = pages.end(); p < end; p++) if (pages.keyAt(p) >= 0) this.mem.freeNow(pages.valueAt(p));
      for (let p = 0, end = stash.end(); p < end; p++) if (stash.keyAt(p) >= 0) this.mem.dropData(stash.valueAt(p));
      this.backed -= pages.size;
      pages.clear(); stash.clear(); slot.backing.huge.clear();
    } else {
      this.kept.set(slot.id, slot.backing);
    }
  }

  move(slot: Memslot, gpa: number, op: number): string | null {
    const baseGfn = Math.floor(gpa / 4096);
    const o = this.overlapping(baseGfn, slot.npages, slot);
    if (o) return `memslot ${slot.id} would overlap memslot ${o.id}`;
    this.unindex(slot);
    slot.baseGfn = baseGfn; slot.op = op; this.last = null;
    this.index(slot);
    return null;
  }

  /** The first pfn of the 2M host page backing gfn's region, or -1 when the host maps it with 4K
   *  pages (host_pfn_mapping_level < PG_LEVEL_2M). */
  hugeBase(slot: Memslot, gfn: number): number {
    return slot.backing.huge.get(Math.floor((gfn - slot.baseGfn) / HPAGE_PAGES));
  }

  /** The L1 page backing gfn, allocated on first touch (`allocated` reports whether it was new).
   *  In a `hugepages` slot the first touch of a whole 2M region none of whose pages is backed yet
   *  faults in one 2M host page for all of it (a THP fault / hugetlbfs page). */
  backingPage(slot: Memslot, gfn: number): number {
    const off = gfn - slot.baseGfn;
    let pfn = slot.backing.pages.get(off);
    if (pfn < 0 && slot.hugepages) {
      const region = Math.floor(off / HPAGE_PAGES);
      const first = region * HPAGE_PAGES;
      if (first + HPAGE_PAGES <= slot.npages && this.regionUnbacked(slot.backing, first)) {
        this.checkBacked(HPAGE_PAGES);
        const base = this.mem.allocHuge();
        for (let i = 0; i < HPAGE_PAGES; i++) {
          this.mem.putData(base + i, slot.backing.stash.delete(first + i));
          slot.backing.pages.set(first + i, base + i);
        }
        this.backed += HPAGE_PAGES;
        slot.backing.huge.set(region, base);
        return base + (off - first);
      }
    }
    if (pfn < 0) {
      this.checkBacked(1);
      this.backed++;
      pfn = this.mem.alloc(KIND_DATA);
      this.mem.putData(pfn, slot.backing.stash.delete(off));
      slot.backing.pages.set(off, pfn);
    }
    return pfn;
  }

  /** The host's khugepaged collapses the 2M region at page offset `first` of the slot into one
   *  huge page (collapse_huge_page, mm/khugepaged.c, recent tree read): a new order-9 page, each 4K
   *  page's contents copied into it (__collapse_huge_page_copy; pages the host had migrated away come
   *  back from the stash, as khugepaged swaps them in), the old 4K pages freed. Runs after the
   *  caller's MMU-notifier invalidation of the range. */
  collapseBacking(slot: Memslot, first: number): void {
    const { pages, stash, huge } = slot.backing;
    let fresh = 0;
    for (let i = 0; i < HPAGE_PAGES; i++) if (pages.get(first + i) < 0) fresh++;
    this.checkBacked(fresh);
    const base = this.mem.allocHuge();
    for (let i = 0; i < HPAGE_PAGES; i++) {
      const off = first + i;
      const old = pages.get(off);
      if (old >= 0) {
        this.mem.putData(base + i, this.mem.takeData(old));
        this.mem.freeNow(old);
      } else {
        this.mem.putData(base + i, stash.delete(off));
      }
      pages.set(off, base + i);
    }
    this.backed += fresh;
    huge.set(first / HPAGE_PAGES, base);
  }

  /** No page of the 2M region at page offset `first` is backed (a THP can be faulted in for it). */
  private regionUnbacked(b: Backing, first: number): boolean {
    if (b.pages.size === 0) return true;
    for (let i = 0; i < HPAGE_PAGES; i++) if (b.pages.get(first + i) >= 0) return false;
    return true;
  }

  private checkBacked(more: number): void {
    if (this.backed + more > this.maxBacked) {
      throw new ModelLimitError(`the scenario touches more than ${this.maxBacked} distinct guest pages (${this.maxBacked % 262144 === 0 ? `${this.maxBacked / 262144} GiB` : `${this.maxBacked * 4} KiB`}) at once, more than the model holds; touch a smaller range, \`unmap\` or \`memslot ... delete free\` what is done with, or use \`touch ... random count N\``);
    }
  }

  /** Host MMU-notifier invalidation of gfns [gfn, gfn+n): each backing page is migrated away
   *  (its values kept for the replacement) and freed to the allocator. Returns pages dropped. */
  unmapBacking(gfn: number, n: number): number {
    let dropped = 0;
    // Only the slots the range meets: from the first ending above gfn, while they start below its end.
    for (let i = this.lowerBound(gfn); i < this.byGfn.length && this.byGfn[i]!.baseGfn < gfn + n; i++) {
      const s = this.byGfn[i]!;
      const lo = Math.max(gfn, s.baseGfn), hi = Math.min(gfn + n, s.baseGfn + s.npages);
      if (lo >= hi) continue;
      // Walk whichever is smaller, the range or the backed pages: `unmap` of 8K in a slot with
      // a million backed pages must not cost a million steps (it runs in loops). Deleting the
      // current entry while iterating an IntTable is safe, as with a Map.
      const { pages, stash, huge } = s.backing;
      // The host splits (split_huge_pmd) or drops every 2M page the range touches before the
      // notifier runs: those regions are mapped with 4K host pages from now on (a region unmapped
      // whole has no page left, and its next touch faults in a new 2M page).
      if (huge.size > 0) {
        for (let r = Math.floor((lo - s.baseGfn) / HPAGE_PAGES), last = Math.floor((hi - 1 - s.baseGfn) / HPAGE_PAGES); r <= last; r++) huge.delete(r);
      }
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
