// The per-vCPU mmu_shadow_page_cache (pageCache.ts), from kvm_main.c's __kvm_mmu_topup_memory_cache /
// kvm_mmu_memory_cache_alloc and mmu.c's mmu_topup_memory_caches (min PT64_ROOT_MAX_LEVEL = 5,
// capacity KVM_ARCH_NR_OBJS_PER_MEMORY_CACHE = 40 on x86).
import { strict as assert } from 'node:assert';
import { BUG, run } from '../run/helpers';

const roots = (r: ReturnType<typeof run>, label: string) => r.snapshots.find((s) => s.label === label)!.roots;

describe('model: mmu_shadow_page_cache', () => {
  it('the first kvm_mmu_load fills the empty cache with 40 pages; the root is the last one allocated', () => {
    // topup: nobjs 0 < 5 -> objects[0..39] = pfns 0x100..0x127 in allocation order; the root takes
    // objects[--nobjs] = 0x127. The page fault's 3 tables then take 0x126, 0x125, 0x124; the data page
    // comes from the allocator directly: 0x128.
    const r = run(`${BUG} fix=b`, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'checkpoint "a"'], { trace: true });
    assert.deepEqual(roots(r, 'a').map((x) => x.hpa), [0x127000]);
    const tops = r.trace.filter((e) => e.fn === 'kvm_mmu_topup_memory_cache').map((e) => e.detail);
    assert.deepEqual(tops, ['mmu_shadow_page_cache 0 -> 40 pages'], 'the fault\'s topup finds 39 >= 5: nothing to do');
  });

  it('freed pages go to the allocator, not back to the cache: the next root is the next cached page', () => {
    // Unload + the zap worker + rcu_barrier give the root and its tables back to the allocator; the
    // next kvm_mmu_load still has 36 cached pages (>= 5, no refill) and takes objects[35] = 0x123.
    const r = run(`${BUG} fix=b`, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'call kvm_mmu_unload', 'call kvm_tdp_mmu_zap_invalidated_roots',
      'call rcu_barrier', 'read 0x1000', 'checkpoint "b"']);
    const live = roots(r, 'b').filter((x) => x.state !== 'freed');
    assert.deepEqual(live.map((x) => x.hpa), [0x123000]);
    assert.equal(r.metrics['roots.recycled'], 0);
  });

  it('refills only below the minimum: after 36 table pages the cache is topped up again to 40', () => {
    // 40 pages: the root (1) and 3 tables for gfn 0 leave 36. Each further 2M region costs one level-1
    // table: 31 regions more leave 5 (>= 5: no refill), the 32nd leaves 4, and the next fault refills.
    const body = ['memslot ram gpa 0 size 128M', 'read 0'];
    for (let i = 1; i <= 33; i++) body.push(`read 0x${(i * 0x200000).toString(16)}`);
    const r = run(`${BUG} fix=b`, body, { trace: true });
    const tops = r.trace.filter((e) => e.fn === 'kvm_mmu_topup_memory_cache').map((e) => e.detail);
    assert.deepEqual(tops, ['mmu_shadow_page_cache 0 -> 40 pages', 'mmu_shadow_page_cache 4 -> 40 pages']);
  });

  it('mmu_cache=off: every table straight from the allocator (the first root is the first page)', () => {
    const r = run(`${BUG} fix=b mmu_cache=off`, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'checkpoint "a"'], { trace: true });
    assert.deepEqual(roots(r, 'a').map((x) => x.hpa), [0x100000]);
    assert.ok(!r.trace.some((e) => e.fn === 'kvm_mmu_topup_memory_cache'));
  });
});
