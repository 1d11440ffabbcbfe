// Root lifecycles per kernel and MMU, observed through checkpoint snapshots and the trace.
import { strict as assert } from 'node:assert';
import { BUG, run } from '../run/helpers';

const rootsAt = (r: ReturnType<typeof run>, label: string) => {
  const s = r.snapshots.find((x) => x.label === label);
  assert.ok(s, `snapshot ${label}`);
  return s.roots;
};

describe('model: TDP MMU root lifecycle (domain §2.2-§2.4)', () => {
  const body = ['memslot ram gpa 0 size 64K', 'read 0x1000', 'checkpoint "loaded"', 'memslot ram delete',
    'checkpoint "invalidated"', 'memslot ram gpa 0 size 64K', 'read 0x1000', 'checkpoint "reloaded"'];

  it('6.2: a loaded root has refcount 1; zap_all_fast invalidates it, the worker drops its extra ref, the vCPU frees it', () => {
    const r = run(`${BUG} fix=b`, body);
    const loaded = rootsAt(r, 'loaded');
    assert.equal(loaded.length, 1);
    assert.deepEqual([loaded[0].refcount, loaded[0].state, loaded[0].loadedBy], [1, 'valid', [0]]);
    const inv = rootsAt(r, 'invalidated').find((x) => x.hpa === loaded[0].hpa)!;
    assert.deepEqual([inv.state, inv.refcount], ['invalid', 1], 'still held by the vCPU until KVM_REQ_MMU_FREE_OBSOLETE_ROOTS');
    const after = rootsAt(r, 'reloaded');
    assert.equal(after.find((x) => x.hpa === loaded[0].hpa && x.state === 'valid' && x.createdLine === 6) !== undefined ||
      after.some((x) => x.state === 'freed'), true);
    assert.equal(after.filter((x) => x.state === 'valid').length, 1);
  });

  it('6.4: roots start with refcount 2 (one reference owned by the TDP MMU)', () => {
    const r = run(`${BUG} kernel=6.4`, body);
    assert.equal(rootsAt(r, 'loaded')[0].refcount, 2);
  });

  it('6.4: an unloaded root stays valid with refcount 1 and is reused by role', () => {
    const r = run(`${BUG} kernel=6.4`, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'smi', 'read 0x1000', 'checkpoint "in smm"', 'rsm', 'read 0x1000', 'checkpoint "back"']);
    const smm = rootsAt(r, 'in smm');
    assert.deepEqual(smm.map((x) => [x.role, x.refcount, x.state]).sort(), [['4-level !smm', 1, 'valid'], ['4-level smm', 2, 'valid']]);
    const back = rootsAt(r, 'back');
    assert.equal(back.find((x) => x.role === '4-level !smm')!.hpa, smm.find((x) => x.role === '4-level !smm')!.hpa, 'same nCR3');
    assert.equal(r.metrics['roots.allocated'], 2);
  });

  it('6.2: the last put of a valid root marks it invalid and queues the async zap (efd995da)', () => {
    const r = run(BUG, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'smi'], { trace: true });
    const fns = r.trace.map((e) => e.fn);
    const put = fns.indexOf('kvm_tdp_mmu_put_root');
    assert.ok(put >= 0);
    assert.ok(fns.indexOf('tdp_mmu_schedule_zap_root', put) > put);
    assert.ok(fns.indexOf('tdp_mmu_zap_root_work', put) > put, 'the worker ran when the statement returned');
    assert.ok(fns.lastIndexOf('call_rcu') > fns.indexOf('tdp_mmu_zap_root_work'), 'freed through RCU after the zap');
    assert.equal(fns.includes('HvCallFlushGuestPhysicalAddressSpace'), false, 'no hypercall on free (§2.5)');
  });

  it('5.17: the synchronous zap flushes each removed table with the range hypercall (§2.5)', () => {
    const r = run(`${BUG} kernel=5.17`, body, { trace: true, traceLimit: 100000 });
    const zapIdx = r.trace.findIndex((e) => e.fn === 'kvm_tdp_mmu_zap_invalidated_roots');
    const lists = r.trace.filter((e, i) => i > zapIdx && e.fn === 'HvCallFlushGuestPhysicalAddressList');
    assert.equal(lists.length, 2, 'the level-1 and level-2 tables; the level-3 range is too large for one list');
    assert.ok(r.trace.some((e) => e.fn === 'kvm_make_all_cpus_request' && e.detail === 'KVM_REQ_MMU_RELOAD'));
  });

  it('5.17: the shared zap also flushes each zapped root SPTE (tdp_mmu_zap_spte_atomic, §2.3, §2.5 row 1)', () => {
    // One present root SPTE (gfn 1 lives under root entry 0): its 512 GiB range (KVM_PAGES_PER_HPAGE(4))
    // and the removed level-3 table's equal range both exceed one list (> HV_MAX_FLUSH_REP_COUNT entries,
    // §1.3) and fall back to the space hypercall; the level-2 and level-1 tables use the list.
    const r = run(`${BUG} kernel=5.17`, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'memslot ram delete']);
    assert.equal(r.metrics['hypercalls.flush_space'], 2);
    assert.equal(r.metrics['hypercalls.flush_list'], 2);
  });

  it('5.17: the last put of a valid root (shared=false) flushes removed tables only, not per SPTE (§2.5 row 3)', () => {
    // smi unloads the !smm root: kvm_tdp_mmu_put_root zaps it synchronously; tables flushed, the
    // root-level SPTE clear is not (tdp_mmu_set_spte; the flush result was ignored, db01416b).
    const r = run(`${BUG} kernel=5.17`, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'smi']);
    assert.equal(r.metrics['hypercalls.flush_space'], 1, 'the level-3 table only');
    assert.equal(r.metrics['hypercalls.flush_list'], 2);
  });
});

describe('model: legacy MMU roots (domain §3)', () => {
  it('a valid root stays in the hash after unload and is found again (same nCR3)', () => {
    const r = run(`${BUG} tdp_mmu=off`, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'checkpoint "a"', 'smi', 'read 0x1000', 'rsm', 'read 0x1000', 'checkpoint "b"']);
    const a = rootsAt(r, 'a'), b = rootsAt(r, 'b');
    assert.equal(b.length, 2);
    assert.equal(b.find((x) => x.role === '4-level !smm')!.hpa, a[0].hpa);
    assert.deepEqual(b.map((x) => x.refcount).sort(), [0, 1], 'the smm root has root_count 0 but stays alive');
  });

  it('commit_zap flushes before freeing: the HC precedes the free in the trace', () => {
    const r = run(`${BUG} tdp_mmu=off`, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'memslot ram delete', 'memslot ram gpa 0 size 64K', 'read 0x1000'], { trace: true });
    const commits = r.trace.filter((e) => e.fn === 'kvm_mmu_commit_zap_page');
    assert.equal(commits.length, 2, 'zap_obsolete_pages and free_obsolete_roots (§3.3 histogram)');
    const hcs = r.trace.filter((e) => e.fn === 'HvCallFlushGuestPhysicalAddressSpace');
    assert.equal(hcs.length, 2);
    for (const h of hcs) assert.ok(h.path.includes('kvm_mmu_commit_zap_page'));
  });
});
