// The per-vCPU mmu_shadow_page_cache: where page-table pages come from (mmu_config `mmu_cache=on`).
// virt/kvm/kvm_main.c (read in the 6.x patches to it): kvm_mmu_topup_memory_cache(mc, min) ->
// __kvm_mmu_topup_memory_cache(mc, KVM_ARCH_NR_OBJS_PER_MEMORY_CACHE, min) returns at once when
// nobjs >= min, else allocates objects[nobjs++] until nobjs == capacity; kvm_mmu_memory_cache_alloc
// takes objects[--nobjs] (the last page allocated comes out first) and falls back to a direct
// allocation when the cache is empty. "Objects are not returned to the cache on being freed"
// (kvm_types.h): freed tables go to the page allocator (free_page; after call_rcu for the TDP MMU).
// mmu_topup_memory_caches (mmu.c) tops the cache up to min PT64_ROOT_MAX_LEVEL before kvm_mmu_load
// allocates roots and at the start of each page fault; tdp_mmu_alloc_sp and
// kvm_mmu_alloc_shadow_page take sp->spt from it. Every page still goes through L1Memory.alloc,
// so the model's budget counts the cached pages too.
import type { Machine } from './machine';
import { KIND_CACHED, KIND_PT } from './memory';
import type { Vcpu } from './types';

/** KVM_ARCH_NR_OBJS_PER_MEMORY_CACHE on x86 (arch/x86/include/asm/kvm_types.h). */
export const KVM_ARCH_NR_OBJS_PER_MEMORY_CACHE = 40;
/** PT64_ROOT_MAX_LEVEL: mmu_topup_memory_caches' minimum for mmu_shadow_page_cache. */
export const PT64_ROOT_MAX_LEVEL = 5;

/** kvm_mmu_topup_memory_cache(&vcpu->arch.mmu_shadow_page_cache, PT64_ROOT_MAX_LEVEL). */
export function topupPageCache(m: Machine, v: Vcpu): void {
  if (!m.cfg.mmuCache) return;
  const c = v.pageCache;
  if (c.length >= PT64_ROOT_MAX_LEVEL) return;
  const before = c.length;
  while (c.length < KVM_ARCH_NR_OBJS_PER_MEMORY_CACHE) c.push(m.mem.alloc(KIND_CACHED));
  if (m.tr.on) m.tr.emit('kvm_mmu_topup_memory_cache', `mmu_shadow_page_cache ${before} -> ${c.length} pages`);
}

/** kvm_mmu_memory_cache_alloc: objects[--nobjs], or a direct allocation when empty (or caches off). */
export function allocPageTable(m: Machine, v: Vcpu | null): number {
  if (!m.cfg.mmuCache || v === null || v.pageCache.length === 0) return m.mem.alloc(KIND_PT);
  const pfn = v.pageCache.pop() as number;
  m.mem.cachedToTable(pfn);
  return pfn;
}

/** kvm_mmu_free_memory_cache (kvm_mmu_destroy at vCPU teardown): cached pages back to the allocator. */
export function freePageCache(m: Machine, v: Vcpu): number {
  const n = v.pageCache.length;
  while (v.pageCache.length > 0) m.mem.freeNow(v.pageCache.pop() as number);
  return n;
}
