// KVM_CLEAR_DIRTY_LOG (`memslot ID clear_dirty_log`, the whole slot with every mask bit set), read in
// the jepio tree (mmu.c: kvm_arch_mmu_enable_log_dirty_pt_masked, kvm_mmu_write_protect_pt_masked,
// kvm_mmu_slot_gfn_write_protect, kvm_mmu_try_split_huge_pages) and patches against 6.x kvm_main.c
// (kvm_clear_dirty_log_protect). The 5.15 tree has the same shape without the eager split.
import type { Machine } from './machine';
import { Ev } from './cost';
import { HPAGE_PAGES, KIND_PT, SPTE_W } from './memory';
import { editLeavesInRoots, isHugeSpte, pdIndex, pdTable } from './pagetable';
import type { MmuPage } from './types';
import { hex } from './trace';
import { splitInto } from './hugepages';

/** Gfns of one 64-page bitmap word whose bit was set, reused across words (no per-word allocation). */
const maskGfns: number[] = [];

/** kvm_clear_dirty_log_protect: for each 64-page word, the bits that were set are cleared
 *  (atomic_long_fetch_andnot) and, when any was, flush = true and
 *  kvm_arch_mmu_enable_log_dirty_pt_masked write-protects those pages; at the end
 *  `if (flush) kvm_arch_flush_remote_tlbs_memslot` — whether or not an SPTE changed. A slot without a
 *  dirty bitmap (dirty logging off) is -ENOENT. */
export function clearDirtyLog(m: Machine, id: string): string | null {
  const slot = m.slots.byId(id);
  if (!slot) return `memslot ${id} does not exist`;
  const bm = slot.dirtyBitmap;
  if (!bm) return `memslot ${id} clear_dirty_log: the slot has no dirty bitmap (dirty_log is off): -ENOENT`;
  m.cost.add(Ev.MemslotIoctl);
  m.tr.enter('kvm_clear_dirty_log_protect', `slot ${id}`);
  let flush = false, cleared = 0, changed = 0;
  for (let off = 0; off < slot.npages; off += 64) {
    m.mem.poll();
    maskGfns.length = 0;
    const end = Math.min(off + 64, slot.npages);
    for (let i = off; i < end; i++) if (bm[i]) { bm[i] = 0; maskGfns.push(slot.baseGfn + i); }
    if (maskGfns.length === 0) continue;
    flush = true;
    cleared += maskGfns.length;
    changed += enableLogDirtyPtMasked(m);
  }
  if (m.tr.on) m.tr.emit('kvm_arch_mmu_enable_log_dirty_pt_masked', `${cleared} dirty bits cleared, ${changed} SPTEs write-protected`);
  if (changed > 0) m.noteGfnChange(slot.baseGfn, slot.npages);
  if (flush) {
    m.tr.enter('kvm_arch_flush_remote_tlbs_memslot');
    m.kvm.flushRemoteTlbsWithAddress(slot.baseGfn, slot.npages);
    m.tr.leave();
  }
  m.tr.leave();
  return null;
}

/** kvm_arch_mmu_enable_log_dirty_pt_masked for the gfns in maskGfns. With initially-all-set the 2M
 *  SPTEs were never write-protected: with eager_page_split the TDP MMU first splits the 2M SPTEs of
 *  [start, end] (kvm_mmu_try_split_huge_pages, TDP MMU only, no flush), then
 *  kvm_mmu_slot_gfn_write_protect(start, PG_LEVEL_2M) and, when start and end lie in different 2M
 *  regions, (end, PG_LEVEL_2M) write-protect what still maps them at 2M (rmaps and TDP roots). Then
 *  the 4K SPTEs: SVM has no PML (cpu_dirty_log_size 0), so kvm_mmu_write_protect_pt_masked —
 *  kvm_tdp_mmu_clear_dirty_pt_masked(wrprot) over every TDP root and rmap_write_protect of each
 *  gfn's 4K rmap; 2M SPTEs are not touched there. VMX's PML path is not modelled (docs/model.md).
 *  Returns the SPTEs write-protected. */
function enableLogDirtyPtMasked(m: Machine): number {
  const mem = m.mem;
  const start = maskGfns[0]!, end = maskGfns[maskGfns.length - 1]!;
  let changed = 0;
  const wp2M = (e: number, level: number) => (level === 2 ? e & ~SPTE_W : e);
  const wp4K = (e: number, level: number) => (level === 1 ? e & ~SPTE_W : e);
  const all: readonly MmuPage[] = [...m.legacy.roots, ...m.tdp.roots];
  if (m.cfg.dirtyLogInitSet) {
    if (m.cfg.tdpMmu && m.cfg.kernel !== 517) splitRange(m, start, end + 1);
    changed += editLeavesInRoots(mem, all, start, 1, wp2M);
    if (Math.floor(start / HPAGE_PAGES) !== Math.floor(end / HPAGE_PAGES)) changed += editLeavesInRoots(mem, all, end, 1, wp2M);
  }
  for (const g of maskGfns) changed += editLeavesInRoots(mem, all, g, 1, wp4K);
  return changed;
}

/** kvm_tdp_mmu_try_split_huge_pages over [from, to) in the valid TDP roots: each 2M SPTE becomes a
 *  table of the same 512 mappings and permissions (tdp_mmu_split_huge_page, a page from
 *  tdp_mmu_alloc_sp_for_split), no flush. */
function splitRange(m: Machine, from: number, to: number): void {
  const mem = m.mem;
  let n = 0;
  for (const root of m.tdp.roots) {
    if (root.invalid) continue;
    for (let g = from - (from % HPAGE_PAGES); g < to; g += HPAGE_PAGES) {
      const pd = pdTable(mem, root.pfn, g, null);
      if (pd < 0) continue;
      if (!isHugeSpte(mem, mem.arena[mem.ptSlot[pd] * 512 + pdIndex(g)])) continue;
      m.cost.add(Ev.TableAlloc);
      splitInto(m, pd, g, mem.alloc(KIND_PT));
      n++;
    }
  }
  if (n > 0 && m.tr.on) m.tr.emit('kvm_tdp_mmu_try_split_huge_pages', `${n} 2M SPTEs split around gfns ${hex(from)}..${hex(to - 1)} (no flush)`);
}
