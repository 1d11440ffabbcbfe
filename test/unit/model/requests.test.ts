// Per-vCPU requests serviced in vcpu_enter_guest order (domain §2.6) and the events of §5.
import { strict as assert } from 'node:assert';
import { BUG, run } from '../run/helpers';

const serviced = (r: ReturnType<typeof run>, line: number): string[] =>
  r.trace.filter((e) => e.line === line - 1 && e.path.length === 1 && e.path[0] === 'vcpu_enter_guest').map((e) => e.fn);

describe('model: request servicing order (domain §2.6)', () => {
  it('free obsolete roots before sync before the current flush; the root is reloaded after them', () => {
    // `nested vmexit` pends MMU_SYNC + TLB_FLUSH_CURRENT (+ LOAD_MMU_PGD); the DELETE adds FREE_OBSOLETE_ROOTS.
    const r = run(`${BUG} fix=b`, [
      'memslot ram gpa 0 size 64K', 'read 0x1000', 'nested vmrun', 'read 0x1000', 'nested vmexit',
      'memslot ram delete', 'memslot ram gpa 0 size 64K', 'read 0x1000',
    ], { trace: true });
    assert.deepEqual(serviced(r, 10), ['kvm_mmu_free_obsolete_roots', 'kvm_mmu_sync_roots', 'kvm_vcpu_flush_tlb_current']);
    const atLine = r.trace.filter((e) => e.line === 9).map((e) => e.fn);
    assert.ok(atLine.indexOf('kvm_mmu_reload') > atLine.indexOf('kvm_vcpu_flush_tlb_current'), 'kvm_mmu_reload comes after the requests (§2.6 item 6)');
  });

  it('a pending KVM_REQ_TLB_FLUSH_GUEST is serviced at the next entry', () => {
    const r = run(BUG, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'cr3 0x2000', 'read 0x1000'], { trace: true });
    assert.deepEqual(serviced(r, 6), ['kvm_vcpu_flush_tlb_guest']);
  });

  it('KVM_REQ_TLB_FLUSH also clears a pending KVM_REQ_TLB_FLUSH_CURRENT', () => {
    // eTLB off: no Hyper-V hook, so kvm_flush_remote_tlbs requests KVM_REQ_TLB_FLUSH (§2.6)
    const r = run(`${BUG} enlightened_tlb=off`, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'avic on', 'call kvm_flush_remote_tlbs', 'read 0x1000'], { trace: true });
    const order = serviced(r, 7);
    assert.deepEqual(order, ['kvm_vcpu_flush_tlb_all']);
  });

  it('with the Hyper-V hook, a remote flush is only the hypercall: no KVM_REQ_TLB_FLUSH', () => {
    const r = run(BUG, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'call kvm_flush_remote_tlbs', 'read 0x1000'], { trace: true });
    assert.deepEqual(serviced(r, 6), []);
    assert.equal(r.metrics['hypercalls.flush_space'], 1);
  });

  it('the remote flush targets only the roots currently loaded, once per distinct root (hv_root_tdp)', () => {
    const r = run(`${BUG} vcpus=3`, ['memslot ram gpa 0 size 64K', 'vcpu 0 read 0x1000', 'vcpu 1 read 0x1000', 'vcpu 2 smi', 'vcpu 2 read 0x1000', 'call kvm_flush_remote_tlbs']);
    // vCPUs 0 and 1 share the !smm root; vCPU 2 is on the smm root: two distinct roots, two hypercalls
    assert.equal(r.metrics['hypercalls.flush_space'], 2);
  });
});

describe('model: events of domain §5', () => {
  it('cr3 with TDP requests KVM_REQ_TLB_FLUSH_GUEST: an ASID flush, never a hypercall, even after the fix (#6)', () => {
    const r = run(`${BUG} fix=b`, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'cr3 0x2000', 'read 0x1000', 'cr3 0x3000 noflush', 'read 0x1000']);
    assert.equal(r.metrics['hypercalls.flush_space'], 1, 'only the initial kvm_mmu_load');
    // The first VMRUN takes a fresh ASID (which also covers the load's FLUSH_ASID); the cr3 write adds one; noflush none.
    assert.equal(r.metrics['flushes.asid'], 2);
  });

  it('avic on requests KVM_REQ_TLB_FLUSH_CURRENT: a hypercall after the fix (#11)', () => {
    const r = run(`${BUG} kernel=6.3`, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'avic on', 'read 0x1000']);
    assert.equal(r.metrics['hypercalls.flush_space'], 2);
  });

  it('cr4 smep toggles a role bit: kvm_mmu_reset_context unloads the root, the next entry reloads it (#7)', () => {
    // KVM_MMU_CR4_ROLE_BITS includes SMEP: reset_context (-> #3 reload) on any toggle; 0->1 also
    // requests KVM_REQ_TLB_FLUSH_CURRENT. PGE is not a role bit: only KVM_REQ_TLB_FLUSH_GUEST.
    const body = ['memslot ram gpa 0 size 64K', 'read 0x1000', 'cr4 smep on', 'read 0x1000', 'cr4 smep off', 'read 0x1000', 'cr4 pge on', 'read 0x1000'];
    const fixed = run(`${BUG} kernel=6.3`, body);
    assert.equal(fixed.metrics['roots.allocated'], 3, 'first load + one per SMEP toggle; PGE keeps the root');
    assert.equal(fixed.metrics['hypercalls.flush_space'], 3, 'each kvm_mmu_load ends in flush_tlb_current (§4.2)');
    assert.equal(fixed.metrics.stale, 0);
    // 6.2 unfixed: the unloaded root is defunct, zapped and freed (§2.4); LIFO hands its page back as the
    // next root and kvm_mmu_load flushes the ASID only: L0 serves the old shadow (§5 #3, §7).
    // mmu_cache=off so the page comes back at once (the cache delays it, pageCache.ts).
    const bug = run(`${BUG} mmu_cache=off`, ['memslot ram gpa 0 size 64K', 'write 0x1000 = 1', 'cr4 smep on', 'read 0x1000', 'expect stale > 0']);
    assert.ok(bug.metrics['roots.recycled'] > 0);
    assert.ok(bug.metrics.stale > 0);
  });

  it('migrate takes a new ASID: an ASID flush with no hypercall (#12, §4.4)', () => {
    const r = run(`${BUG} kernel=6.3`, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'migrate', 'read 0x1000']);
    assert.equal(r.metrics['hypercalls.flush_space'], 1);
    assert.equal(r.metrics['tlb.entries'], 2, 'the old ASID\'s entry stays until evicted; the new ASID refilled');
  });

  it('flushbyasid=off: a flush takes a new ASID at the next VMRUN (§4.4)', () => {
    const r = run(`${BUG} flushbyasid=off`, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'cr3 0x2000', 'read 0x1000']);
    assert.equal(r.metrics['tlb.entries'], 2);
  });

  it('reset unloads the roots (kvm_mmu_reset_context, #13)', () => {
    const r = run(`${BUG} fix=b`, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'reset', 'read 0x1000']);
    assert.equal(r.metrics['roots.allocated'], 2);
  });

  it('unmap zaps the leaves and flushes the loaded roots via flush_on_ret (#4), on both MMUs', () => {
    for (const mmu of ['on', 'off']) {
      const r = run(`${BUG} tdp_mmu=${mmu}`, ['memslot ram gpa 0 size 64K', 'write 0x1000 = 7', 'unmap 0x1000 size 4K', 'read 0x1000 == 7']);
      assert.equal(r.metrics['hypercalls.flush_space'], 1);
      assert.equal(r.metrics.stale, 0);
      assert.equal(r.passed, true, 'the host migrated the page with its content');
      assert.equal(r.metrics['npf.l1'], 2, 'the backing is replaced on next touch');
    }
  });

  it('dirty logging write-protects and flushes the memslot\'s range; the next write faults in L1 (#18)', () => {
    // kvm_mmu_slot_apply_flags -> kvm_arch_flush_remote_tlbs_memslot -> kvm_flush_remote_tlbs_with_address
    // (base_gfn, npages = 16): one HvCallFlushGuestPhysicalAddressList entry (16 <= HV_MAX_FLUSH_PAGES)
    // for the loaded root, not the whole-space flush.
    const r = run(BUG, ['memslot ram gpa 0 size 64K', 'write 0x1000 = 1', 'memslot ram dirty_log on', 'write 0x1000 = 2', 'read 0x1000 == 2']);
    assert.equal(r.metrics['hypercalls.flush_list'], 1);
    assert.equal(r.metrics['hypercalls.flush_space'], 0);
    assert.equal(r.metrics['npf.l1'], 2);
    assert.equal(r.passed, true);
  });

  it('enabling dirty logging flushes unconditionally, even when no SPTE changed; disabling with 4K backing does not flush', () => {
    // "Unconditionally flush the TLBs after enabling dirty logging" (kvm_mmu_slot_apply_flags): the slot
    // was never touched, so kvm_mmu_slot_remove_write_access changes nothing, and the flush still runs.
    // Disabling: kvm_mmu_zap_collapsible_sptes finds no 4K SPTE a huge page could replace (4K backing)
    // and flushes only if it zapped one: none. Enabling twice: the second is no flag change, no-op.
    const r = run(BUG, ['memslot ram gpa 0 size 64K', 'memslot spare gpa 0x100000 size 64K', 'read 0x1000',
      'memslot spare dirty_log on', 'memslot spare dirty_log on', 'memslot spare dirty_log off'], { trace: true });
    assert.equal(r.metrics['flushes.remote'], 1);
    assert.equal(r.metrics['hypercalls.flush_list'], 1);
    assert.ok(r.trace.some((e) => e.fn === 'kvm_mmu_slot_remove_write_access' && e.detail.startsWith('0 ')));
    assert.ok(r.trace.some((e) => e.fn === 'kvm_mmu_zap_collapsible_sptes' && e.detail.startsWith('0 ')));
  });

  it('the range flush needs ceil(pages / HV_MAX_FLUSH_PAGES) list entries, at most HV_MAX_FLUSH_REP_COUNT; beyond, the full flush', () => {
    // hyperv_fill_flush_guest_mapping_list (arch/x86/hyperv/nested.c): entries of up to 2048 pages, -ENOSPC
    // at 510 entries -> hv_remote_flush_tlb_with_range fails -> kvm_flush_remote_tlbs (flush_space).
    // 510 * 2048 pages = 4 GiB - 4 MiB fits one list; a 4 GiB slot (1048576 pages = 512 entries) does not.
    const fits = run(BUG, ['memslot ram gpa 0 size 64K', 'memslot big gpa 0x100000000 size 4080M', 'read 0x1000', 'memslot big dirty_log on']);
    assert.deepEqual([fits.metrics['hypercalls.flush_list'], fits.metrics['hypercalls.flush_space']], [1, 0]);
    const over = run(BUG, ['memslot ram gpa 0 size 64K', 'memslot big gpa 0x100000000 size 4G', 'read 0x1000', 'memslot big dirty_log on']);
    assert.deepEqual([over.metrics['hypercalls.flush_list'], over.metrics['hypercalls.flush_space']], [0, 1]);
  });

  it('memslot move zaps all roots and keeps the backing: the data follows the slot (#1)', () => {
    const r = run(`${BUG} fix=b`, ['memslot ram gpa 0 size 64K', 'write 0x1000 = 9', 'memslot ram move 0x100000', 'read 0x101000 == 9', 'read 0x1000 == 0']);
    assert.equal(r.passed, true, r.failures.map((f) => f.message).join('; '));
    assert.equal(r.metrics['roots.allocated'], 2, 'MOVE runs kvm_mmu_zap_all_fast: a new root');
  });

  it('memslot create does not zap (§5 note)', () => {
    const r = run(BUG, ['memslot a gpa 0 size 64K', 'read 0x1000', 'memslot b gpa 0x100000 size 64K', 'read 0x1000']);
    assert.equal(r.metrics['roots.allocated'], 1);
  });

  it('a write to a read-only memslot is emulated by userspace and not stored', () => {
    const r = run(BUG, ['memslot rom gpa 0 size 64K readonly', 'write 0x1000 = 5', 'read 0x1000 == 0']);
    assert.equal(r.passed, true);
  });
});
