// dirty_log_init_set: KVM_DIRTY_LOG_INITIALLY_SET. Expected values from kvm_mmu_slot_apply_flags
// (arch/x86/kvm/x86.c, recent tree): when dirty logging is enabled,
//   if (kvm_dirty_log_manual_protect_and_init_set(kvm)) return;
// comes before kvm_mmu_slot_remove_write_access and the unconditional
// kvm_arch_flush_remote_tlbs_memslot. So with the flag the enable write-protects nothing (the
// next write to a mapped page does not fault) and flushes nothing (no list hypercall on
// Hyper-V); without it, one range flush (one HvFlushGuestPhysicalAddressList for the one
// loaded root) and one write-protection fault on the next write. Disabling is not affected.
import * as assert from 'node:assert/strict';
import { run } from '../run/helpers';

const BODY = ['memslot ram gpa 0 size 64K', 'write 0x1000 = 1', 'memslot ram dirty_log on', 'write 0x1000 = 2', 'read 0x1000 == 2'];

describe('model: dirty logging with KVM_DIRTY_LOG_INITIALLY_SET (dirty_log_init_set)', () => {
  for (const tdp of ['off', 'on']) {
    it(`tdp_mmu=${tdp}: the enable returns before write-protecting and flushing`, () => {
      const cfg = `host=hyperv cpu=svm kernel=6.2 tdp_mmu=${tdp} enlightened_tlb=on`;
      const protect = run(cfg, BODY), initSet = run(`${cfg} dirty_log_init_set=on`, BODY);
      assert.equal(protect.failures.length + initSet.failures.length, 0);
      assert.equal(protect.metrics['hypercalls.flush_list'] - initSet.metrics['hypercalls.flush_list'], 1, 'the unconditional flush after enabling');
      assert.equal(initSet.metrics.hypercalls, 0, 'nothing else in this scenario flushes');
      assert.equal(protect.metrics['npf.l1'] - initSet.metrics['npf.l1'], 1, 'the write after enabling faults only on a write-protected SPTE');
    });
  }
});
