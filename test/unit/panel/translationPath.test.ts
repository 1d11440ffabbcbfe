// The translation-path drawing's words (src/editor/panel/translationPath.ts): which flush
// would have dropped a stale entry, and what a flush on the way did to it, per
// configuration. From the domain notes: Hyper-V drops shadow[nCR3] only on a guest-mapping
// hypercall while the enlightened TLB is on (§1.3, §4.1); without it an ASID flush drops
// the shadow too (§1.3); VMX has INVEPT of the EPTP (§1.4).
import * as assert from 'node:assert/strict';
import type { StaleUse, TraceEvent } from '../../../src/core/run/result';
import { effect, translationPath, wouldDrop } from '../../../src/editor/panel/translationPath';
import { range, scenario } from './fixtures';

const use: StaleUse = { line: 9, range: range(9), vcpu: 0, gfn: 1, seen: 0x100101, truth: null, source: 'shadow', blame: [], as: 0x100000, fillStep: 2, step: 20 };
const ev = (fn: string, step: number, detail = ''): TraceEvent => ({ seq: step, fn, path: ['kvm_mmu_load', 'svm_flush_tlb_current'], line: 3, vcpu: 0, detail, step });
const svm = { host: 'hyperv', cpu: 'svm', enlightened_tlb: 'on' };

describe('panel: translation path', () => {
  it('names the flush that would have dropped the entry, per configuration', () => {
    assert.match(wouldDrop(svm, use), /^HvCallFlushGuestPhysicalAddressSpace\(0x100000\)/);
    assert.match(wouldDrop({ ...svm, enlightened_tlb: 'off' }, use), /^an ASID flush: without the enlightened TLB, L0 drops shadow\[0x100000\]/);
    assert.match(wouldDrop({ ...svm, cpu: 'vmx' }, use), /^INVEPT single-context of EPTP 0x100000/);
  });

  it('says what a flush on the way did: an ASID flush keeps shadow[nCR3] under the enlightened TLB', () => {
    assert.equal(effect(svm, ev('svm_flush_tlb_asid', 5), use), 'ASID only: the enlightened TLB keeps shadow[0x100000]');
    assert.match(effect({ ...svm, enlightened_tlb: 'off' }, ev('asid_flush', 5), use), /drops shadow\[0x100000\] too/);
    assert.equal(effect(svm, ev('HvCallFlushGuestPhysicalAddressSpace', 5, 'as 0x105000: dropped 1'), use), 'another address space: shadow[0x100000] kept');
    assert.equal(effect(svm, ev('kvm_mmu_load', 5), use), '');
  });

  it('lists the last flushes between the fill and the use of this vCPU, with the total', () => {
    const s = { ...scenario(), config: svm };
    const flushing = [ev('asid_flush', 1), ev('asid_flush', 4), ev('asid_flush', 8), { ...ev('asid_flush', 9), vcpu: 1 }, ev('svm_flush_tlb_asid', 12),
      ev('asid_flush', 15), ev('asid_flush', 19), ev('asid_flush', 25)];
    const p = translationPath(s, use, flushing);
    assert.equal(p.flushCount, 5, 'steps 4, 8, 12, 15, 19: inside [fill 2, use 20], vCPU 0');
    assert.deepEqual(p.flushes.map((f) => f.fn), ['asid_flush', 'svm_flush_tlb_asid', 'asid_flush', 'asid_flush']);
    assert.equal(p.walked, false, 'the fixture carries no walk');
  });
});
