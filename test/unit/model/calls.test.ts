// `call FUNCTION` for every kernel function of the language, and checkpoint snapshots.
import { strict as assert } from 'node:assert';
import { KERNEL_FUNCTIONS } from '../../../src/core/lang/schema';
import { BUG, run } from '../run/helpers';


/** Checkpoint snapshots only (the timeline also keeps statement and end-of-run steps). */
const cps = (r: { snapshots: readonly import('../../../src/core/run/result').Snapshot[] }) => r.snapshots.filter((x) => x.kind === 'checkpoint');

describe('model: call FUNCTION', () => {
  for (const f of KERNEL_FUNCTIONS) {
    it(`${f.name} runs and shows up in the trace`, () => {
      const arg = f.arg === 'none' ? '' : ' root';
      const r = run(`${BUG} fix=b`, ['memslot ram gpa 0 size 64K', 'read 0x1000', `call ${f.name}${arg}`, 'read 0x1000', 'expect stale == 0'], { trace: true });
      assert.deepEqual(r.failures, []);
      assert.ok(r.trace.some((e) => e.fn === f.name || e.path.includes(f.name)), `${f.name} traced`);
    });
  }

  it('hyperv_flush_guest_mapping ADDR drops that address space; root means the current root', () => {
    // mmu_cache=off: the first root is the first page the allocator hands out, 0x100000.
    const r = run(`${BUG} mmu_cache=off`, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'checkpoint "a"', 'call hyperv_flush_guest_mapping 0x100000', 'checkpoint "b"']);
    assert.equal(cps(r)[0].shadows[0].entries, 1);
    assert.equal(cps(r)[1].shadows[0].entries, 0);
    assert.equal(cps(r)[1].shadows[0].lastFlushedLine, 5, '0-based line of the call');
    assert.equal(r.metrics['hypercalls.flush_space'], 1);
  });

  it('kvm_mmu_zap_all_fast + kvm_tdp_mmu_zap_invalidated_roots + rcu_barrier: the root page is back in the allocator', () => {
    // mmu_cache=off: the next root comes straight from the allocator (with the cache it would come
    // from the pages cached before, and the freed page only at a later refill, pageCache.ts).
    const r = run(`${BUG} fix=b mmu_cache=off`, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'call kvm_mmu_unload', 'call kvm_tdp_mmu_zap_invalidated_roots', 'call rcu_barrier', 'read 0x1000', 'expect roots.recycled == 1']);
    assert.equal(r.passed, true, r.failures.map((f) => f.message).join());
  });

  it('svm_flush_tlb_current is ASID-only before e5c972c1 and adds the hypercall after it (§4.1, §4.2)', () => {
    const body = ['memslot ram gpa 0 size 64K', 'read 0x1000', 'call svm_flush_tlb_current'];
    assert.equal(run(BUG, body).metrics['hypercalls.flush_space'], 0);
    assert.equal(run(`${BUG} kernel=6.3`, body).metrics['hypercalls.flush_space'], 2);
  });

  it('svm_flush_tlb_all after the fix goes through hv_remote_flush_tlb (§4.2)', () => {
    const r = run(`${BUG} kernel=6.3`, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'call svm_flush_tlb_all'], { trace: true });
    assert.ok(r.trace.some((e) => e.fn === 'WARN_ON_ONCE'));
    assert.ok(r.trace.some((e) => e.fn === 'hv_remote_flush_tlb'));
  });
});

describe('model: checkpoint snapshots', () => {
  it('shows roots, shadows with stale counts, TLB entries, memslots and page tables', () => {
    // mmu_cache=off: the freed root's page is the next root at once (a one-transition stale use).
    const r = run(`${BUG} mmu_cache=off`, ['memslot ram gpa 0 size 64K', 'write 0x1000 = 42', 'smi', 'read 0x1000', 'checkpoint "stale"', 'expect stale > 0']);
    const s = cps(r)[0];
    assert.equal(s.label, 'stale');
    assert.equal(s.line, 6, '0-based line of the checkpoint');
    assert.deepEqual(s.memslots, [{ id: 'ram', gpa: 0, size: 65536, readonly: false, dirtyLog: false, backed: 1 }]);
    const live = s.roots.filter((x) => x.state === 'valid');
    assert.equal(live.length, 1);
    assert.equal(live[0].role, '4-level smm');
    assert.equal(live[0].blamed, true, 'the recycled root is marked');
    assert.notEqual(live[0].recycledFromLine, null);
    const sh = s.shadows.find((x) => x.as === live[0].hpa)!;
    assert.equal(sh.stale, 1, 'shadow[nCR3] still maps gfn 1 though the new root\'s tree is empty');
    assert.ok(s.shadowEntries.some((e) => e.stale && e.gfn === 1));
    assert.ok(s.tlb.some((e) => e.stale && e.gfn === 1));
    assert.equal(s.pageTables[0].root, live[0].hpa);
    assert.equal(s.pageTables[0].tree.entries.length, 0, 'the recycled root is empty: L1 never faulted gfn 1 into it');
    assert.equal(s.metrics.stale, 1);
  });

  it('checkpoint rows list L0 shadow entries by address space, then gfn, whatever order they were filled in', () => {
    // 40 reads in descending gfn order fill 40 shadow entries; the table grows past its first
    // capacity, so slot order is neither fill order nor gfn order.
    const reads = Array.from({ length: 40 }, (_, i) => `read ${(0x28 - i) * 0x1000}`);
    const r = run(BUG, ['memslot ram gpa 0 size 256K', ...reads, 'checkpoint "c"']);
    const rows = cps(r)[0]!.shadowEntries;
    assert.equal(rows.length, 40);
    assert.deepEqual(rows.map((e) => e.gfn), Array.from({ length: 40 }, (_, i) => i + 1));
  });
});

