// L0 (Hyper-V) and the hardware TLB it fronts (domain §1.3, §1.4, §7). With
// host=bare there is no L0: the TLB is filled from L1's tables directly and only the
// architectural flushes exist. Counting and costs of each flush happen here.
import type { Machine } from './machine';
import { Ev } from './cost';
import { hex } from './trace';
import type { Vcpu } from './types';

/** HV_MAX_FLUSH_REP_COUNT = (HV_HYP_PAGE_SIZE - 2 * sizeof(u64)) / sizeof(union hv_gpa_page_range)
 *  = (4096 - 16) / 8: list entries per HvCallFlushGuestPhysicalAddressList (hyperv-tlfs.h). */
export const HV_MAX_FLUSH_REP_COUNT = 510;
/** HV_MAX_FLUSH_PAGES = 2048: pages per list entry, "additional_pages" + 1 with an 11-bit
 *  additional_pages (hyperv-tlfs.h). hyperv_fill_flush_guest_mapping_list (arch/x86/hyperv/nested.c)
 *  fills ceil(pages / 2048) entries and returns -ENOSPC past HV_MAX_FLUSH_REP_COUNT; the range flush
 *  then fails and kvm_flush_remote_tlbs_with_address falls back to kvm_flush_remote_tlbs. */
export const HV_MAX_FLUSH_PAGES = 2048;

export class L0 {
  constructor(private readonly m: Machine) {}

  /** An ASID flush reaching the hardware (tlb_ctl FLUSH_ASID or a fresh ASID): clears the ASID's
   *  entries; also shadow[current nCR3] only when the enlightened TLB is off (§1.3). */
  asidFlush(v: Vcpu, why: string): void {
    const m = this.m;
    m.ctr.flushesAsid++;
    m.cost.add(Ev.AsidFlush);
    const n = m.tlb.flushTag(v.tag);
    let dropped = 0;
    // Architectural meaning unless the current VMCB has enlightened_npt_tlb (vmcb01 with eTLB; never
    // vmcb02, kvm.ts etlbActive).
    if (m.cfg.hyperv && !m.cfg.vmx && !m.kvm.etlbActive(v) && v.asIdx >= 0) {
      dropped = m.shadows.drop(v.asIdx, m.op);
      m.cost.add(Ev.ShadowDrop, dropped);
    }
    if (m.tr.on) m.tr.emit('asid_flush', `${why}: asid ${v.asid} (${n} TLB entries)${dropped ? `, L0 dropped shadow[${hex(v.rootPfn * 4096)}] (${dropped} entries: ${m.cfg.etlb ? 'vmcb02 has no enlightened_npt_tlb' : 'enlightened TLB off'})` : ''}`);
  }

  /** INVVPID on VMX: combined mappings of the VPID only; guest-physical state stays (§1.4). */
  invvpid(v: Vcpu): void {
    const m = this.m;
    m.ctr.flushesAsid++;
    m.cost.add(Ev.AsidFlush);
    const n = m.tlb.flushTag(v.tag);
    if (m.tr.on) m.tr.emit('invvpid', `vpid ${v.asid} (${n} TLB entries)`);
  }

  /** INVEPT single-context: under Hyper-V it exits to L0, which drops shadow[eptp] (§1.4 [U/A]). */
  invept(as: number): void {
    const m = this.m;
    const n = m.tlb.flushAs(as);
    let dropped = 0;
    if (m.cfg.hyperv) {
      m.cost.add(Ev.Invept);
      const ai = m.shadows.indexOf(as);
      if (ai >= 0) dropped = m.shadows.drop(ai, m.op);
      m.cost.add(Ev.ShadowDrop, dropped);
    } else m.cost.add(Ev.AsidFlush);
    if (m.tr.on) m.tr.emit('invept', `single-context eptp ${hex(as * 4096)}: ${n} TLB entries${m.cfg.hyperv ? `, L0 dropped shadow (${dropped} entries)` : ''}`);
  }

  /** INVEPT global (vmx_flush_tlb_all): every EPTP. */
  inveptAll(): void {
    const m = this.m;
    const n = m.tlb.flushAll();
    let dropped = 0;
    if (m.cfg.hyperv) {
      m.cost.add(Ev.Invept);
      for (let ai = 0; ai < m.shadows.asValue.length; ai++) dropped += m.shadows.drop(ai, m.op);
      m.cost.add(Ev.ShadowDrop, dropped);
    } else m.cost.add(Ev.AsidFlush);
    if (m.tr.on) m.tr.emit('invept', `global: ${n} TLB entries, ${dropped} shadow entries`);
  }

  /** HvCallFlushGuestPhysicalAddressSpace(as): shadow[as] and every TLB entry derived from it,
   *  on all processors (§1.3). Returns false with host=bare (no hypercall page: -ENOTSUPP). */
  flushSpace(as: number): boolean {
    const m = this.m;
    if (!m.cfg.hyperv) { if (m.tr.on) m.tr.emit('hyperv_flush_guest_mapping', '-ENOTSUPP: no Hyper-V below KVM'); return false; }
    m.ctr.hcSpace++;
    const ai = m.shadows.indexOf(as);
    const dropped = ai >= 0 ? m.shadows.drop(ai, m.op) : 0;
    const n = m.tlb.flushAs(as);
    m.cost.add(Ev.Hypercall); m.cost.add(Ev.Shootdown); m.cost.add(Ev.ShadowDrop, dropped);
    if (m.tr.on) m.tr.emit('HvCallFlushGuestPhysicalAddressSpace', `as ${hex(as * 4096)}: dropped ${dropped} shadow entries, ${n} TLB entries`);
    return true;
  }

  /** HvCallFlushGuestPhysicalAddressList(as, [gfn, gfn+n)) (§1.3). */
  flushList(as: number, gfn: number, n: number): boolean {
    const m = this.m;
    if (!m.cfg.hyperv) return false;
    m.ctr.hcList++;
    const ai = m.shadows.indexOf(as);
    const dropped = ai >= 0 ? m.shadows.dropRange(ai, gfn, n, m.op) : 0;
    const t = m.tlb.flushAsRange(as, gfn, n);
    m.cost.add(Ev.Hypercall); m.cost.add(Ev.Shootdown); m.cost.add(Ev.ShadowDrop, dropped);
    if (m.tr.on) m.tr.emit('HvCallFlushGuestPhysicalAddressList', `as ${hex(as * 4096)} gfns ${hex(gfn)}+${n}: dropped ${dropped} shadow entries, ${t} TLB entries`);
    return true;
  }

  /** l0_shadows cap: before a shadow gains its first entry, drop the least recently used one. */
  makeRoom(ai: number): void {
    const m = this.m;
    const cap = m.cfg.l0Shadows;
    if (cap === 0 || m.shadows.count[ai] > 0 || m.shadows.nonEmpty < cap) return;
    const victim = m.shadows.lruVictim(ai);
    if (victim < 0) return;
    const as = m.shadows.asValue[victim];
    const dropped = m.shadows.drop(victim, m.op);
    m.tlb.flushAs(as);
    if (m.tr.on) m.tr.emit('l0_shadow_evict', `L0 dropped shadow[${hex(as * 4096)}] (${dropped} entries, l0_shadows=${cap})`);
  }
}
