// `mmu-lab run --by-path`: L1's flush hypercalls grouped by the call path that issued them (the
// thread's histogram: kvm_mmu_zap_all_fast -> commit_zap, kvm_mmu_free_obsolete_roots -> commit_zap,
// kvm_vcpu_reset, the MMU notifiers, exit and destroy). Built from the run's trace: the path of each
// HvCallFlushGuestPhysicalAddress{Space,List} event, without the hypercall plumbing below
// kvm_flush_remote_tlbs / svm_flush_tlb_current.
import type { TraceEvent } from '../../core/run/result';

/** One call path: remote/current flushes it made (kvm_flush_remote_tlbs, the range variant,
 *  svm_flush_tlb_current...) and the hypercalls they issued (a remote flush issues one per distinct
 *  loaded root, hv_remote_flush_tlb). */
export interface PathRow { readonly path: string; readonly flushes: number; readonly space: number; readonly list: number }

/** Frames below these are the flush's own plumbing (hv_remote_flush_tlb, hyperv_flush_guest_mapping...). */
const CUT_AFTER = new Set(['kvm_flush_remote_tlbs', 'kvm_flush_remote_tlbs_with_address', 'svm_flush_tlb_current', 'svm_flush_tlb_all', 'tdp_mmu_alloc_sp']);
const PLUMBING = new Set(['hv_remote_flush_tlb', 'hv_remote_flush_tlb_with_range', 'hyperv_flush_guest_mapping', 'hyperv_flush_guest_mapping_range', 'vcpu_enter_guest', 'kvm_mmu_reload']);

export function callPath(path: readonly string[]): string {
  const out: string[] = [];
  for (const f of path) {
    if (PLUMBING.has(f)) continue;
    out.push(f);
    if (CUT_AFTER.has(f)) break;
  }
  return out.join(' > ') || '(statement)';
}

const FLUSH_FNS = new Set(['kvm_flush_remote_tlbs', 'kvm_flush_remote_tlbs_with_address']);

/** Flushes and hypercalls by call path, most hypercalls first (ties by path). Paths with no
 *  hypercall are listed too when they flushed remotely (the TDP MMU's silent frees have neither). */
export function hypercallsByPath(trace: readonly TraceEvent[]): PathRow[] {
  const rows = new Map<string, { flushes: number; space: number; list: number }>();
  const row = (key: string) => { let r = rows.get(key); if (!r) { r = { flushes: 0, space: 0, list: 0 }; rows.set(key, r); } return r; };
  for (const e of trace) {
    if (FLUSH_FNS.has(e.fn)) {
      // The outermost remote flush only (the range variant falls back to the full one inside it).
      if (e.path.some((f) => FLUSH_FNS.has(f))) continue;
      row(callPath([...e.path, e.fn])).flushes++;
      continue;
    }
    const space = e.fn === 'HvCallFlushGuestPhysicalAddressSpace';
    if (!space && e.fn !== 'HvCallFlushGuestPhysicalAddressList') continue;
    const r = row(callPath(e.path));
    if (space) r.space++; else r.list++;
  }
  return [...rows].map(([path, r]) => ({ path, ...r })).sort((a, b) => (b.space + b.list) - (a.space + a.list) || b.flushes - a.flushes || (a.path < b.path ? -1 : 1));
}
