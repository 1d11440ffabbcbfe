// The legacy (shadow-page) MMU with NPT, tdp_mmu=off (domain §3): roots hashed by
// (gfn, role) and reused in place while valid; mmu_valid_gen makes every page obsolete
// at once; kvm_zap_obsolete_pages; __kvm_mmu_prepare_zap_page; and
// kvm_mmu_commit_zap_page, which flushes remote TLBs *before* freeing anything.
import type { Machine } from './machine';
import { Ev } from './cost';
import { zapTree, editLeavesInRoots } from './pagetable';
import { SPTE_W } from './memory';
import { REQ_FREE_OBSOLETE_ROOTS, roleText, type MmuPage, type Vcpu } from './types';
import { hex } from './trace';
import { IntTable } from './intTable';
import type { MmuImpl } from './mmuImpl';

export class LegacyMmu implements MmuImpl {
  /** active_mmu_pages roots (also the hash by (gfn, role): direct roots all have gfn 0; guest-mode
   *  roots use gfn = nCR3 >> 12, kept as `pgd`, §5 #9). */
  readonly roots: MmuPage[] = [];
  mmuValidGen = 0;
  /** The invalid list of prepare_zap: pages freed by the next commit_zap. */
  private readonly invalidPages: number[] = [];
  private readonly invalidRoots: MmuPage[] = [];
  /** Level-1 shadow pages mmu_set_spte unlinked from their parent when it installed a 2M SPTE over
   *  them (drop_parent_pte): still allocated, in active_mmu_pages and the hash, until a zap takes
   *  them (kvm_zap_obsolete_pages once they are obsolete, kvm_mmu_zap_all). pfn -> mmu_valid_gen. */
  private readonly unlinked: IntTable;

  constructor(private readonly m: Machine) { this.unlinked = new IntTable(8, m.budget); }

  /** drop_parent_pte: `pfn` is no longer in any tree; it is freed by a later zap. */
  unlinkTable(pfn: number, gen: number): void { this.unlinked.set(pfn, gen); }

  /** Shadow pages unlinked and not zapped yet. */
  unlinkedPages(): number { return this.unlinked.size; }

  /** __kvm_mmu_prepare_zap_page for the unlinked pages `pick` selects: onto the invalid list. */
  private prepareUnlinked(pick: (gen: number) => boolean): void {
    const u = this.unlinked;
    if (u.size === 0) return;
    for (let p = 0, end = u.end(); p < end; p++) {
      const pfn = u.keyAt(p);
      if (pfn < 0 || !pick(u.valueAt(p))) continue;
      this.m.mem.poll();
      this.m.cost.add(Ev.TableZap);
      this.invalidPages.push(pfn);
      u.delete(pfn);
    }
  }

  isObsolete(r: MmuPage): boolean { return r.invalid || r.gen !== this.mmuValidGen; }

  getRoot(v: Vcpu, role: number, pgd: number): MmuPage { return this.allocRoot(v, role, pgd); }
  putRoot(r: MmuPage): void { this.freeRootRef(r); }

  /** §3.1 mmu_alloc_root -> kvm_mmu_get_shadow_page(gfn 0, role), then ++root_count. */
  allocRoot(v: Vcpu, role: number, pgd = 0): MmuPage {
    const m = this.m;
    m.tr.enter('mmu_alloc_root', roleText(role));
    for (const r of this.roots) {
      if (r.role === role && r.pgd === pgd && !this.isObsolete(r)) {
        r.refcount++;
        if (m.tr.on) m.tr.emit('kvm_mmu_get_shadow_page', `hash hit: reuse root ${hex(r.pfn * 4096)} (root_count ${r.refcount})`);
        m.tr.leave();
        return r;
      }
    }
    const root = m.newRoot(v, false, role, 1, this.mmuValidGen, pgd);
    this.roots.unshift(root);
    if (m.tr.on) m.tr.emit('kvm_mmu_get_shadow_page', `new root ${hex(root.pfn * 4096)} gen ${this.mmuValidGen}${root.recycledFromOp >= 0 ? ' (page was a root before)' : ''}`);
    m.tr.leave();
    return root;
  }

  /** §2.4 mmu_free_root_page: --root_count; an obsolete root with no users is prepared for zapping. */
  freeRootRef(r: MmuPage): void {
    r.refcount--;
    if (this.m.tr.on) this.m.tr.emit('mmu_free_root_page', `root ${hex(r.pfn * 4096)} root_count -> ${r.refcount}`);
    if (r.refcount === 0 && this.isObsolete(r)) this.prepareZap(r);
  }

  /** §3.2 __kvm_mmu_prepare_zap_page. */
  private prepareZap(r: MmuPage): void {
    const m = this.m;
    m.tr.enter('kvm_mmu_prepare_zap_page', `root ${hex(r.pfn * 4096)}`);
    zapTree(m.mem, r.pfn, (pfn) => { m.cost.add(Ev.TableZap); this.invalidPages.push(pfn); });
    const wasObsolete = this.isObsolete(r);
    if (r.refcount === 0) {
      const i = this.roots.indexOf(r);
      if (i >= 0) this.roots.splice(i, 1);
      this.invalidRoots.push(r);
    } else if (!wasObsolete) {
      for (const v of m.vcpus) v.requests |= REQ_FREE_OBSOLETE_ROOTS;
    }
    if (!r.invalid) { r.invalid = true; if (r.invalidatedOp < 0) r.invalidatedOp = m.op; }
    m.tr.leave();
  }

  /** §3.2 kvm_mmu_commit_zap_page: kvm_flush_remote_tlbs FIRST, then free. */
  commitZap(): void {
    const m = this.m;
    if (this.invalidPages.length === 0 && this.invalidRoots.length === 0) return;
    m.tr.enter('kvm_mmu_commit_zap_page', `${this.invalidPages.length + this.invalidRoots.length} pages`);
    m.kvm.flushRemoteTlbs();
    for (const pfn of this.invalidPages) m.mem.freeNow(pfn);
    this.invalidPages.length = 0;
    for (const r of this.invalidRoots) { m.mem.freeNow(r.pfn); m.rootFreed(r); }
    this.invalidRoots.length = 0;
    m.tr.leave();
  }

  /** §3.2 kvm_zap_obsolete_pages (after kvm_mmu_zap_all_fast toggled mmu_valid_gen). */
  zapObsoletePages(): void {
    const m = this.m;
    m.tr.enter('kvm_zap_obsolete_pages');
    for (const r of [...this.roots].reverse()) {
      if (r.gen === this.mmuValidGen) continue;
      if (r.invalid && r.refcount > 0) continue; // already unlinked, waiting for its users
      if (r.invalidatedOp < 0) r.invalidatedOp = m.op;
      this.prepareZap(r);
    }
    this.prepareUnlinked((gen) => gen !== this.mmuValidGen);
    this.commitZap();
    m.tr.leave();
  }

  /** kvm_mmu_zap_all (mmu.c, WSL2 5.15 and the jepio tree): __kvm_mmu_prepare_zap_page on every
   *  active shadow page (skipping invalid ones), then one kvm_mmu_commit_zap_page — a remote flush when
   *  anything is on the invalid list. Roots still in use stay, invalid, until their last user. */
  zapAll(): void {
    const m = this.m;
    m.tr.enter('kvm_mmu_zap_all');
    for (const r of [...this.roots]) {
      if (r.invalid) continue;
      this.prepareZap(r);
    }
    this.prepareUnlinked(() => true);
    this.commitZap();
    m.tr.leave();
  }

  /** kvm_unmap_gfn_range via rmaps: every shadow page mapping the gfns, loaded or not. */
  unmapRange(gfn: number, n: number): number {
    return editLeavesInRoots(this.m.mem, this.roots, gfn, n, () => 0);
  }

  writeProtect(gfn: number, n: number): number {
    return editLeavesInRoots(this.m.mem, this.roots, gfn, n, (e) => e & ~SPTE_W);
  }
}
