// 2M SPTEs for `hugepages` memslots: when a fault maps 2M, what replacing an SPTE with one costs,
// and how dirty logging splits and collapses them. Read in jepio/linux mmu.c and tdp_mmu.c (a tree
// past 6.4; the model's kernel=6.2/6.3/6.4) and WSL2 5.15 tdp_mmu.c (kernel=5.17, the pre-overhaul
// TDP MMU); the legacy MMU's paths are the same shape in both trees. A 2M SPTE is a level-2 entry
// pointing at the first of 512 contiguous data pages (pagetable.ts).
import type { Machine } from './machine';
import type { Memslot } from './memslots';
import { Ev } from './cost';
import { HPAGE_PAGES, KIND_PT, SPTE_W } from './memory';
import { isHugeSpte, pdIndex, pdTable } from './pagetable';
import { ROLE_INDIRECT, type MmuCtx, type MmuPage } from './types';
import { hex } from './trace';

/** gfns whose blame (`change`) one call records at most, as unmap and dirty_log on do. */
const BLAME_LIMIT = 65536;

/** First gfn of the 2M region gfn is in (gfn_round_for_level(gfn, PG_LEVEL_2M)). */
function base2M(gfn: number): number { return gfn - (gfn % HPAGE_PAGES); }

/** kvm_mmu_max_mapping_level(kvm, slot, gfn) >= PG_LEVEL_2M: lpage_info allows 2M (the region lies
 *  inside the slot and the slot starts on a 2M boundary — the VMM's memory is taken as 2M-aligned,
 *  so base_gfn ^ userspace_addr is aligned exactly when base_gfn is) and host_pfn_mapping_level finds
 *  a 2M host page. 1G pages are not modelled (host_level never exceeds 2M here). */
export function maxLevel2M(m: Machine, slot: Memslot, gfn: number): boolean {
  if (!slot.hugepages || slot.baseGfn % HPAGE_PAGES !== 0) return false;
  const first = base2M(gfn);
  if (first < slot.baseGfn || first + HPAGE_PAGES > slot.baseGfn + slot.npages) return false;
  return m.slots.hugeBase(slot, gfn) >= 0;
}

/** kvm_mmu_hugepage_adjust: the fault maps 2M when the MMU allows it, the slot is not dirty-logged
 *  (kvm_slot_dirty_track_enabled returns early) and the max mapping level is 2M. guest_mmu's
 *  FNAME(page_fault) is capped by L2's own NPT level for L3, which maps 4K in the model [A]. The NX
 *  huge-page workaround only concerns instruction fetches, which the model has none of. */
export function hugepageAdjust(m: Machine, mmu: MmuCtx, slot: Memslot, gfn: number): boolean {
  return mmu.direct && !slot.dirtyLog && maxLevel2M(m, slot, gfn);
}

/** Install the 2M SPTE for gfn's region (the fault's goal level is 2M). Legacy: direct_map stops at
 *  level 2 and calls mmu_set_spte, which unlinks a 4K table it finds there (drop_parent_pte) or drops
 *  an SPTE of another pfn, and then flushes the 2M range (kvm_flush_remote_tlbs_gfn; the thread's
 *  histogram row). TDP MMU: tdp_mmu_map_handle_target_level — 6.x flushes the range itself when the
 *  old SPTE was a table (kvm_flush_remote_tlbs_gfn) and handle_removed_pt frees the table through
 *  call_rcu; in 5.15 the same flush comes from handle_removed_tdp_mmu_page. Same pfn (a read-only
 *  2M SPTE made writable) needs no flush in either. */
export function mapHuge(m: Machine, root: MmuPage, slot: Memslot, gfn: number, writable: boolean): void {
  const mem = m.mem;
  const base = m.slots.hugeBase(slot, gfn);
  const pd = pdTable(mem, root.pfn, gfn, m.allocTable);
  const at = mem.ptSlot[pd] * 512 + pdIndex(gfn);
  const old = mem.arena[at];
  const spte = (base << 1) | (writable ? SPTE_W : 0);
  const first = base2M(gfn);
  if (m.tr.on) m.tr.emit(root.tdp ? 'kvm_tdp_mmu_map' : 'direct_map', `root ${hex(root.pfn * 4096)}: gfns ${hex(first)}+512 -> 2M page ${hex(base * 4096)}${writable ? '' : ' (read-only)'}`);
  if (old === spte) return; // RET_PF_SPURIOUS
  const oldTable = old !== 0 && !isHugeSpte(mem, old) ? old >>> 1 : -1;
  mem.setSpte(at, spte);
  mem.ptGen++;
  if (root.tdp) {
    if (oldTable < 0) return;
    m.tr.enter(m.cfg.kernel === 517 ? 'handle_removed_tdp_mmu_page' : 'tdp_mmu_map_handle_target_level', `2M SPTE over the table ${hex(oldTable * 4096)}`);
    m.cost.add(Ev.TableZap);
    mem.freeRcu(oldTable);
    m.kvm.flushRemoteTlbsWithAddress(first, HPAGE_PAGES);
    m.tr.leave();
    return;
  }
  m.tr.enter('mmu_set_spte', `level 2, gfn ${hex(first)}`);
  let flush = false;
  if (oldTable >= 0) {
    // "If we overwrite a PTE page pointer with a 2MB PMD, unlink the parent of the now unreachable PTE."
    if (m.tr.on) m.tr.emit('drop_parent_pte', `4K table ${hex(oldTable * 4096)} unlinked (stays until zapped)`);
    m.legacy.unlinkTable(oldTable, root.gen);
    flush = true;
  } else if (old !== 0 && (old >>> 1) !== base) {
    if (m.tr.on) m.tr.emit('drop_spte', 'a 2M SPTE of another pfn');
    flush = true;
  }
  if (flush) m.kvm.flushRemoteTlbsWithAddress(first, HPAGE_PAGES);
  m.tr.leave();
}

/** A 4K fault (dirty logging, or a 4K-only MMU) under a 2M SPTE. Legacy: direct_map takes a child
 *  page for level 1 (kvm_mmu_get_child_sp) and link_shadow_page -> __link_shadow_page drops the
 *  large SPTE first with a flush of its range (drop_large_spte). TDP 5.15: kvm_tdp_mmu_map zaps it
 *  (tdp_mmu_zap_spte_atomic, which flushes the range) and links a new table. TDP 6.x:
 *  tdp_mmu_split_huge_page fills a table with the same 512 mappings and links it with no flush
 *  ("the translation will be the same either way"). Either way mapLeaf then maps the 4K page. */
export function splitForFault(m: Machine, root: MmuPage, gfn: number): void {
  const mem = m.mem;
  const pd = pdTable(mem, root.pfn, gfn, null);
  if (pd < 0) return;
  const e = mem.arena[mem.ptSlot[pd] * 512 + pdIndex(gfn)];
  if (!isHugeSpte(mem, e)) return;
  const first = base2M(gfn);
  if (root.tdp && m.cfg.kernel >= 602) {
    m.tr.enter('tdp_mmu_split_huge_page', `gfns ${hex(first)}+512 (no flush)`);
    splitInto(m, pd, gfn, m.allocTable());
    m.tr.leave();
    return;
  }
  m.tr.enter(root.tdp ? 'tdp_mmu_zap_spte_atomic' : 'link_shadow_page', `2M SPTE for gfns ${hex(first)}+512`);
  if (!root.tdp) m.tr.enter('drop_large_spte');
  mem.setSpte(mem.ptSlot[pd] * 512 + pdIndex(gfn), 0);
  mem.ptGen++;
  m.kvm.flushRemoteTlbsWithAddress(first, HPAGE_PAGES);
  if (!root.tdp) m.tr.leave();
  m.tr.leave();
}

/** Replace the 2M SPTE for gfn in table `pd` with `table` holding its 512 4K parts, same permissions
 *  (make_huge_page_split_spte). */
export function splitInto(m: Machine, pd: number, gfn: number, table: number): void {
  const mem = m.mem;
  const at = mem.ptSlot[pd] * 512 + pdIndex(gfn);
  const e = mem.arena[at];
  const base = e >>> 1, w = e & SPTE_W;
  const s = mem.ptSlot[table] * 512;
  for (let i = 0; i < HPAGE_PAGES; i++) mem.setSpte(s + i, ((base + i) << 1) | w);
  mem.setSpte(mem.ptSlot[pd] * 512 + pdIndex(gfn), (table << 1) | SPTE_W);
  mem.ptGen++;
}

/** The 2M regions of the slot, region by region, with the level-2 entry each root has for it. */
function forEachRegion(m: Machine, roots: readonly MmuPage[], slot: Memslot, fn: (root: MmuPage, pd: number, gfn: number) => void): void {
  const end = slot.baseGfn + slot.npages;
  for (const root of roots) {
    for (let g = base2M(slot.baseGfn); g < end; g += HPAGE_PAGES) {
      m.mem.poll();
      const pd = pdTable(m.mem, root.pfn, g, null);
      if (pd >= 0) fn(root, pd, g);
      else g = nextPdBoundary(g) - HPAGE_PAGES; // no level-2 table here: skip the rest of its 1G
    }
  }
}

/** First gfn of the next 1G region (the span of one level-2 table). */
function nextPdBoundary(g: number): number { return g - (g % 262144) + 262144; }

/** Dirty logging on, before write-protection: kvm_mmu_slot_try_split_huge_pages (eager_page_split,
 *  default on) returns at once without the TDP MMU ("if (!tdp_mmu_enabled) return"); with it,
 *  kvm_tdp_mmu_try_split_huge_pages splits every 2M SPTE of the slot in the valid roots, each into a
 *  table from tdp_mmu_alloc_sp_for_split (__get_free_page, not the vCPU's cache), with no flush: the
 *  caller's write-protection and its unconditional flush follow. The guest_mmu shadow pages hold no
 *  2M SPTEs in the model (kvm_shadow_mmu_try_split_huge_pages finds none). The 5.15 tree read has no
 *  eager splitting: kernel=5.17 write-protects the 2M SPTEs and splits them on write faults
 *  (splitForFault). Returns how many were split. */
export function eagerSplit(m: Machine, slot: Memslot): number {
  if (!m.cfg.tdpMmu || m.cfg.kernel === 517 || !slot.hugepages) return 0;
  let n = 0;
  m.tr.enter('kvm_mmu_slot_try_split_huge_pages');
  forEachRegion(m, m.tdp.roots.filter((r) => !r.invalid), slot, (_root, pd, g) => {
    if (!isHugeSpte(m.mem, m.mem.arena[m.mem.ptSlot[pd] * 512 + pdIndex(g)])) return;
    m.cost.add(Ev.TableAlloc);
    splitInto(m, pd, g, m.mem.alloc(KIND_PT));
    n++;
  });
  if (m.tr.on) m.tr.emit('kvm_tdp_mmu_try_split_huge_pages', `${n} 2M SPTEs split (no flush)`);
  m.tr.leave();
  return n;
}

/** Dirty logging off: kvm_mmu_zap_collapsible_sptes. Returns the SPTEs zapped.
 *  - rmaps (the legacy MMU's direct shadow pages; guest_mmu's are indirect and skipped):
 *    kvm_mmu_zap_collapsible_spte zaps each 4K SPTE whose region could be mapped 2M now, leaving its
 *    table linked — so the next 2M fault there replaces a table in mmu_set_spte, with a flush. With a
 *    range flush available (Hyper-V's hook) each zap flushes its own SPTE (kvm_flush_remote_tlbs_sptep;
 *    5.15 flushes the whole shadow page's range, still one list hypercall), else one memslot flush.
 *  - TDP MMU 6.x (zap_collapsible_spte_range): the table itself is zapped (its level-2 entry, "Zap
 *    non-leaf SPTEs ... which could be replaced by huge pages"), with tdp_mmu_zap_spte_atomic's range
 *    flush, and freed through call_rcu: the next fault installs the 2M SPTE over nothing.
 *  - TDP MMU 5.15 (kernel=5.17): the 4K leaves are zapped one by one (tdp_mmu_zap_spte_atomic, each
 *    with its range flush), the tables stay, and kvm_mmu_zap_collapsible_sptes flushes the memslot. */
export function zapCollapsible(m: Machine, slot: Memslot): number {
  const mem = m.mem;
  let zapped = 0;
  let blamed = 0;
  const blame = (g: number): void => { if (blamed++ < BLAME_LIMIT) m.gfnChange.set(g, m.op); };
  const collapsible = (g: number) => maxLevel2M(m, slot, g);
  const legacyRoots = m.legacy.roots.filter((r) => (r.role & ROLE_INDIRECT) === 0);
  if (m.legacy.roots.length > 0) {
    m.tr.enter('kvm_rmap_zap_collapsible_sptes');
    let needFlush = false;
    forEachRegion(m, legacyRoots, slot, (_root, pd, g) => {
      const e = mem.arena[mem.ptSlot[pd] * 512 + pdIndex(g)];
      if (e === 0 || isHugeSpte(mem, e) || !collapsible(g)) return;
      const s = mem.ptSlot[e >>> 1] * 512;
      for (let i = 0; i < HPAGE_PAGES; i++) {
        if (mem.arena[s + i] === 0) continue;
        mem.setSpte(s + i, 0);
        mem.ptGen++;
        zapped++;
        blame(g + i);
        if (m.kvm.hvHook) {
          m.tr.enter('kvm_mmu_zap_collapsible_spte');
          m.kvm.flushRemoteTlbsWithAddress(g + i, 1);
          m.tr.leave();
        } else needFlush = true;
      }
    });
    if (needFlush) { m.tr.enter('kvm_flush_remote_tlbs_memslot'); m.kvm.flushRemoteTlbsWithAddress(slot.baseGfn, slot.npages); m.tr.leave(); }
    m.tr.leave();
  }
  if (m.cfg.tdpMmu) {
    m.tr.enter('kvm_tdp_mmu_zap_collapsible_sptes');
    let any = false;
    forEachRegion(m, m.tdp.roots.filter((r) => !r.invalid), slot, (_root, pd, g) => {
      const at = mem.ptSlot[pd] * 512 + pdIndex(g);
      const e = mem.arena[at];
      if (e === 0 || isHugeSpte(mem, e) || !collapsible(g)) return;
      m.tr.enter('zap_collapsible_spte_range');
      if (m.cfg.kernel === 517) {
        const s = mem.ptSlot[e >>> 1] * 512;
        for (let i = 0; i < HPAGE_PAGES; i++) {
          if (mem.arena[s + i] === 0) continue;
          mem.setSpte(s + i, 0);
          mem.ptGen++;
          zapped++; any = true;
          blame(g + i);
          m.tr.enter('tdp_mmu_zap_spte_atomic');
          m.kvm.flushRemoteTlbsWithAddress(g + i, 1);
          m.tr.leave();
        }
      } else {
        mem.setSpte(at, 0);
        mem.ptGen++;
        zapped++;
        for (let i = 0; i < HPAGE_PAGES; i++) blame(g + i);
        m.cost.add(Ev.TableZap);
        mem.freeRcu(e >>> 1);
        m.tr.enter('tdp_mmu_zap_spte_atomic', `table for gfns ${hex(g)}+512`);
        m.kvm.flushRemoteTlbsWithAddress(g, HPAGE_PAGES);
        m.tr.leave();
      }
      m.tr.leave();
    });
    if (any) { m.tr.enter('kvm_arch_flush_remote_tlbs_memslot'); m.kvm.flushRemoteTlbsWithAddress(slot.baseGfn, slot.npages); m.tr.leave(); }
    m.tr.leave();
  }
  return zapped;
}
