// What the panel draws for a stale use: the hardware's path (TLB or shadow[nCR3] -> host
// page, with the fill that created it) next to L1's truth (the walk from nCR3, taken right
// after the use), the flushes that did happen between the fill and the use (from the
// trace), and the flush that would have dropped the stale entry. No vscode import.
import type { ScenarioResult, StaleUse, TraceEvent } from '../../core/run/result';
import type { TranslationPathView } from '../../protocol';

const hex = (n: number): string => '0x' + n.toString(16);
/** Trace events that flush something: TLB (ASID / VPID), L0's shadows, hypercalls, INVEPT. */
const FLUSHING = /flush|invept|invvpid|HvCall|asid/i;
const SHOWN_FLUSHES = 4;

/**
 * The flush that would have dropped the entry, for this configuration (domain §1.3, §1.4,
 * §4): on Hyper-V/SVM with the enlightened TLB only a guest-mapping hypercall drops
 * shadow[nCR3]; without the enlightened TLB an ASID flush does; on VMX, INVEPT of the EPTP.
 */
export function wouldDrop(config: Readonly<Record<string, string>>, u: StaleUse): string {
  const as = u.as === undefined ? 'nCR3' : hex(u.as);
  if (u.source === 'tlb' && config['host'] === 'bare') return `an ASID flush of vCPU ${u.vcpu}'s ASID (svm_flush_tlb_asid / INVVPID)`;
  if (config['cpu'] === 'vmx') return `INVEPT single-context of EPTP ${as} (L0 drops shadow[${as}], §1.4)`;
  if (config['enlightened_tlb'] === 'off') return `an ASID flush: without the enlightened TLB, L0 drops shadow[${as}] with it (§1.3)`;
  return `HvCallFlushGuestPhysicalAddressSpace(${as}) — hyperv_flush_guest_mapping, which svm_flush_tlb_current issues for the new root from 6.3 (e5c972c1, fix=b), or right after tdp_mmu_alloc_sp with fix=a`;
}

/** What a flush did to the stale entry, when the configuration says it (domain §1.3, §4.1). */
export function effect(config: Readonly<Record<string, string>>, e: TraceEvent, u: StaleUse): string {
  const as = u.as === undefined ? 'nCR3' : hex(u.as);
  const asidOnly = /^(asid_flush|svm_flush_tlb_asid|invvpid)$/.test(e.fn);
  if (config['host'] !== 'hyperv' || u.source !== 'shadow') return '';
  if (asidOnly && config['cpu'] !== 'vmx') {
    return config['enlightened_tlb'] === 'off' ? `ASID flush: without the enlightened TLB L0 drops shadow[${as}] too` : `ASID only: the enlightened TLB keeps shadow[${as}]`;
  }
  if (e.fn.startsWith('HvCall') && u.as !== undefined && !e.detail.includes(hex(u.as))) return `another address space: shadow[${as}] kept`;
  return '';
}

export function translationPath(s: ScenarioResult, u: StaleUse, flushing: readonly TraceEvent[]): TranslationPathView {
  const fill = u.blame.find((b) => b.role === 'fill');
  const from = u.fillStep ?? -1;
  const to = u.step ?? Number.MAX_SAFE_INTEGER;
  const between = flushing.filter((e) => (e.step ?? -1) >= from && (e.step ?? -1) <= to && (e.vcpu === null || e.vcpu === u.vcpu));
  return {
    walk: (u.walk ?? []).map((w) => ({ level: w.level, table: w.table, index: w.index, entry: hex(w.entry), target: w.target })),
    walked: u.walk !== undefined,
    fill: fill ? { line: fill.line, text: fill.text, detail: fill.detail } : null,
    // The last ones before the use: the flush that ran "on the way" is the latest.
    flushes: between.slice(-SHOWN_FLUSHES).map((e) => ({ fn: e.fn, path: [...e.path], line: e.line, detail: e.detail, effect: effect(s.config, e, u) })),
    flushCount: between.length,
    traced: s.trace.length > 0,
    wouldDrop: wouldDrop(s.config, u),
  };
}

export function flushEvents(trace: readonly TraceEvent[]): TraceEvent[] {
  return trace.filter((e) => FLUSHING.test(e.fn));
}
