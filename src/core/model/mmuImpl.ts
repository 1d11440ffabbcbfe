// The one interface both MMU implementations offer to the rest of the model. Each MMU
// context (root_mmu, guest_mmu) names its implementation when it is initialised
// (types.ts MmuImplKind); kvm.ts calls through this interface and never asks which
// `tdp_mmu=` the run has. Page-level dispatch follows mmu_free_root_page
// (is_tdp_mmu_page(sp) ? kvm_tdp_mmu_put_root : --root_count), read in jepio/linux mmu.c.
import type { MmuPage, Vcpu } from './types';

export interface MmuImpl {
  /** The root for (role, pgd) with a reference taken: TDP kvm_tdp_mmu_get_vcpu_root_hpa, shadow
   *  mmu_alloc_root -> kvm_mmu_get_shadow_page (hash hit or a new page), then ++root_count. */
  getRoot(v: Vcpu, role: number, pgd: number): MmuPage;
  /** is_obsolete_sp: role.invalid, or (shadow pages only) an old mmu_valid_gen. */
  isObsolete(r: MmuPage): boolean;
  /** mmu_free_root_page for one reference; shadow pages put on the invalid list are freed by the
   *  caller's kvm_mmu_commit_zap_page. */
  putRoot(r: MmuPage): void;
}
