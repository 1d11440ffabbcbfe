// State fingerprints: equal for equal states reached in different orders, different when
// only the allocator's pick differs, blind to counters and blame.
import { strict as assert } from 'node:assert';
import { Expander, fingerprint } from '../../../src/core/explore/index';
import { runStep } from '../../../src/core/explore/moves';
import { exploration } from './helpers';

const TWO = `config host=hyperv cpu=svm kernel=6.2 tdp_mmu=on enlightened_tlb=on
explore "two" {
  config vcpus=2 allocator=any
  memslot ram gpa 0 size 64K
  vcpu 0 read 0x1000
  vcpu 1 read 0x1000
  steps {
    vcpu 0 smi
    vcpu 1 smi
    memslot ram delete free
    memslot ram gpa 0 size 64K
    vcpu 0 read 0x2000
  }
}
`;

function stateAfter(ex: Expander, moves: [number, number[]][]): [number, number] {
  const enc: number[] = [];
  for (const [step, picks] of moves) enc.push(step, picks.length, ...picks);
  const snap = ex.materialize(enc, 0, enc.length);
  ex.session.restore(snap);
  return fingerprint(ex.session.m, ex.scope, 0);
}

describe('explore: state fingerprints', () => {
  it('are equal for the same state reached in different orders', () => {
    // Both vCPUs share root A (kvm_tdp_mmu_get_vcpu_root_hpa reuses it, refcount 2). Each SMI
    // resets that vCPU's MMU context (kvm_mmu_reset_context -> kvm_mmu_unload -> put_root): after
    // both, A's refcount is 0 whichever went first, so it is a defunct root with its zap queued
    // (6.2 kvm_tdp_mmu_put_root) and both vCPUs are in SMM with no root: the same state.
    const ex = new Expander(exploration(TWO));
    const ab = stateAfter(ex, [[0, []], [1, []]]);
    const ba = stateAfter(ex, [[1, []], [0, []]]);
    assert.deepEqual(ab, ba);
    const a = stateAfter(ex, [[0, []]]);
    assert.notDeepEqual(a, ab, 'one SMI is a different state from two');
  });

  it('differ when only the allocator\'s pick differs', () => {
    // After `delete free` the backing page of gfn 1 is free at once (the host unmaps it), while
    // the old tables wait for RCU (call_rcu). The read of gfn 2 then allocates five pages (the
    // root, tables, the backing page): each may be a fresh page or the free one. Which page ends
    // up where is future-relevant (a recycled page aliases its old mappings).
    const ex = new Expander(exploration(TWO));
    const snap = ex.materialize([2, 0, 3, 0], 0, 4);
    ex.session.restore(snap);
    assert.deepEqual(ex.session.m.mem.freePages(), [0x101], 'one page free: gfn 1\'s old backing');
    const fps: string[] = [];
    const picks: string[] = [];
    for (const script of [[], [1], [0, 0, 0, 0, 1]]) {
      ex.session.restore(snap);
      const ch = runStep(ex.session, ex.exp.steps[4]!, script);
      assert.equal(ch.options.length, 5, 'five allocations');
      picks.push(ch.pages.join(','));
      fps.push(fingerprint(ex.session.m, ex.scope, 0).join(':'));
    }
    assert.equal(new Set(picks).size, 3, 'three different allocation orders');
    assert.equal(new Set(fps).size, 3, 'three different fingerprints');
  });

  it('ignore counters and blame: the same state after more hypercalls and exits is equal', () => {
    const ex = new Expander(exploration(TWO));
    const base = stateAfter(ex, []);
    ex.session.restore(ex.materialize([], 0, 0));
    const m = ex.session.m;
    m.ctr.vmexits += 5; m.ctr.hcSpace += 3; m.op = 42;
    assert.deepEqual(fingerprint(m, ex.scope, 0), base);
  });
});
