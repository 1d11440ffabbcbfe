// L1's nested page tables (NPT/EPT) as 4-level radix trees in the L1Memory arena.
// A table page's entries point at lower tables (levels 4..2) or at data pages
// (level 1). The same walk serves the truth (the oracle), L0's shadow fills and the
// hardware walk with host=bare: they all read L1's tables as they are now (domain §7).
// A level-2 entry that points at a data page instead of a table is a 2M SPTE (a huge page,
// 512 contiguous L1 pages from that one); walks return the 4K part of it the gfn falls in.
import { L1Memory, SPTE_W, KIND_PT, KIND_DATA } from './memory';
import type { MmuPage } from './types';

/** L2 gfns the 4-level tables can map (48-bit GPA). Above: treated as MMIO. */
export const GFN_LIMIT = 2 ** 36;
/** Pages covered by one entry at level 4, 3, 2, 1. */
const SPAN = [0, 1, 512, 262144, 134217728];

function index(gfn: number, level: number): number {
  return level === 4 ? Math.floor(gfn / 134217728) & 511 : (gfn >>> (9 * (level - 1))) & 511;
}

/** Leaf SPTE for gfn under the table at rootPfn, or 0. Monomorphic and allocation-free. */
export function walk(mem: L1Memory, rootPfn: number, gfn: number): number {
  const slots = mem.ptSlot;
  const arena = mem.arena;
  if (rootPfn < 0 || rootPfn >= slots.length) return 0;
  let s = slots[rootPfn];
  if (s < 0) return 0;
  let e = arena[s * 512 + (Math.floor(gfn / 134217728) & 511)];
  if (e === 0) return 0;
  s = slots[e >>> 1]; if (s < 0) return 0;
  e = arena[s * 512 + ((gfn >>> 18) & 511)];
  if (e === 0) return 0;
  s = slots[e >>> 1]; if (s < 0) return 0;
  e = arena[s * 512 + ((gfn >>> 9) & 511)];
  if (e === 0) return 0;
  s = slots[e >>> 1];
  if (s < 0) return mem.kind[e >>> 1] === KIND_DATA ? (((e >>> 1) + (gfn & 511)) << 1) | (e & SPTE_W) : 0; // 2M SPTE
  return arena[s * 512 + (gfn & 511)];
}

/** Entry `e` at level 2 is a 2M SPTE (it points at a data page, not a table). */
export function isHugeSpte(mem: L1Memory, e: number): boolean {
  return e !== 0 && mem.ptSlot[e >>> 1] < 0 && mem.kind[e >>> 1] === KIND_DATA;
}

/** The level-2 table (the page directory) covering gfn under the root; missing upper tables come
 *  from `allocTable`, or -1 is returned when it is null. The entry for gfn is pdIndex(gfn). */
export function pdTable(mem: L1Memory, rootPfn: number, gfn: number, allocTable: (() => number) | null): number {
  let table = rootPfn;
  for (let level = 4; level > 2; level--) {
    if (table < 0 || table >= mem.ptSlot.length || mem.ptSlot[table] < 0) return -1;
    const idx = index(gfn, level);
    let e = mem.arena[mem.ptSlot[table] * 512 + idx];
    if (e === 0) {
      if (!allocTable) return -1;
      const child = allocTable();
      e = (child << 1) | SPTE_W;
      mem.setSpte(mem.ptSlot[table] * 512 + idx, e);
      mem.ptGen++;
    }
    table = e >>> 1;
  }
  return mem.ptSlot[table] >= 0 ? table : -1;
}

/** Index of gfn's entry in its level-2 table. */
export function pdIndex(gfn: number): number { return (gfn >>> 9) & 511; }

/** Install gfn -> pfn (kvm_tdp_mmu_map / direct_map). Missing tables come from `allocTable`
 *  (tdp_mmu_alloc_sp / kvm_mmu_get_shadow_page). Linking non-present -> present needs no flush (§5 #19). */
export function mapLeaf(mem: L1Memory, rootPfn: number, gfn: number, pfn: number, writable: boolean, allocTable: () => number): void {
  let table = rootPfn;
  for (let level = 4; level > 1; level--) {
    const at = mem.ptSlot[table] * 512 + index(gfn, level);
    let e = mem.arena[at];
    if (e === 0) {
      const child = allocTable();
      e = (child << 1) | SPTE_W;
      mem.setSpte(at, e); // allocTable may have grown the arena: index is recomputed below
    } else if (level === 2 && mem.ptSlot[e >>> 1] < 0) {
      throw new Error('mapLeaf under a 2M SPTE: the fault path splits or drops it first (hugepages.ts)');
    }
    table = e >>> 1;
  }
  mem.setSpte(mem.ptSlot[table] * 512 + (gfn & 511), (pfn << 1) | (writable ? SPTE_W : 0));
  mem.ptGen++;
}

/** Set (or clear) the writable bit of an existing leaf; false when not present. */
export function setLeafWritable(mem: L1Memory, rootPfn: number, gfn: number, writable: boolean): boolean {
  let table = rootPfn;
  for (let level = 4; level > 1; level--) {
    const s = mem.ptSlot[table]; if (s < 0) return false;
    const e = mem.arena[s * 512 + index(gfn, level)];
    if (e === 0) return false;
    table = e >>> 1;
  }
  const s = mem.ptSlot[table]; if (s < 0) return false;
  const at = s * 512 + (gfn & 511);
  if (mem.arena[at] === 0) return false;
  mem.setSpte(at, writable ? (mem.arena[at] | SPTE_W) : (mem.arena[at] & ~SPTE_W));
  mem.ptGen++;
  return true;
}

/** Visit present leaves in [gfn, gfn+n) under the table; `fn` returns the new SPTE (0 = zap). Returns how many changed. */
export function editLeaves(mem: L1Memory, rootPfn: number, gfn: number, n: number, fn: (spte: number, level: number) => number): number {
  return editRec(mem, rootPfn, 4, 0, gfn, gfn + n, fn);
}

/** editLeaves over several roots (both MMUs' unmap and write-protect walks), skipping roots
 *  `skip` rejects. Returns the SPTEs changed in all of them. */
export function editLeavesInRoots(mem: L1Memory, roots: readonly MmuPage[], gfn: number, n: number, fn: (spte: number, level: number) => number, skip?: (r: MmuPage) => boolean): number {
  let changed = 0;
  for (const r of roots) if (!skip?.(r)) changed += editLeaves(mem, r.pfn, gfn, n, fn);
  return changed;
}

function editRec(mem: L1Memory, table: number, level: number, base: number, lo: number, hi: number, fn: (spte: number, level: number) => number): number {
  const s = mem.ptSlot[table];
  if (s < 0) return 0;
  const span = SPAN[level];
  let changed = 0;
  const first = Math.max(0, Math.floor((lo - base) / span));
  const last = Math.min(511, Math.floor((hi - 1 - base) / span));
  for (let i = first; i <= last; i++) {
    const at = s * 512 + i;
    const e = mem.arena[at];
    if (e === 0) continue;
    if (level === 1 || (level === 2 && isHugeSpte(mem, e))) {
      // A leaf: a 4K SPTE, or a 2M SPTE that the range touches (zapped or write-protected whole,
      // as kvm_zap_rmap / tdp_mmu_zap_leafs and the write-protect walks do at its level).
      const ne = fn(e, level);
      if (ne !== e) { mem.setSpte(at, ne); changed++; mem.ptGen++; }
    } else {
      changed += editRec(mem, e >>> 1, level - 1, base + i * span, lo, hi, fn);
    }
  }
  return changed;
}

/** Called for each removed table, children first: its pfn, the gfns it covered, and whether
 *  its parent SPTE sat in the root itself (a "zapped SPTE" of zap_gfn_range, domain §2.5). */
export type OnRemoved = (pfn: number, gfnBase: number, pages: number, inRoot: boolean) => void;

/** Tear down every table below the root (tdp_mmu_zap_root / prepare_zap of children): entries
 *  cleared, each removed table handed to `onRemoved` (handle_removed_pt).
 *  The root page itself stays (emptied). Returns how many tables were removed. */
export function zapTree(mem: L1Memory, rootPfn: number, onRemoved: OnRemoved): number {
  return zapRec(mem, rootPfn, 4, 0, onRemoved);
}

function zapRec(mem: L1Memory, table: number, level: number, base: number, onRemoved: OnRemoved): number {
  const s = mem.ptSlot[table];
  if (s < 0 || level === 1) return 0;
  let removed = 0;
  const span = SPAN[level];
  for (let i = 0; i < 512; i++) {
    const at = s * 512 + i;
    const e = mem.arena[at];
    if (e === 0) continue;
    mem.setSpte(at, 0);
    mem.ptGen++;
    const child = e >>> 1;
    if (mem.kind[child] === KIND_PT) {
      removed += zapRec(mem, child, level - 1, base + i * span, onRemoved) + 1;
      onRemoved(child, base + i * span, span, level === 4);
    }
  }
  return removed;
}

/** Number of present leaves (for snapshots). */
export function countLeaves(mem: L1Memory, rootPfn: number): number {
  return countRec(mem, rootPfn, 4);
}

function countRec(mem: L1Memory, table: number, level: number): number {
  const s = mem.ptSlot[table];
  if (s < 0) return 0;
  let n = 0;
  for (let i = 0; i < 512; i++) {
    const e = mem.arena[s * 512 + i];
    if (e === 0) continue;
    n += level === 1 ? 1 : level === 2 && isHugeSpte(mem, e) ? 512 : countRec(mem, e >>> 1, level - 1);
  }
  return n;
}
