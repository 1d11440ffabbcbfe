// Small hand-built results for the panel's pure modules (slicing, filtering, protocol).
// The webview layer (test/webview) uses real src/core runs; here each row is chosen so a
// filter or sort has exactly one right answer.
import type { Range } from '../../../src/core/lang/source';
import type { ScenarioResult, Snapshot, TlbRow } from '../../../src/core/run/result';

export const range = (line: number): Range => ({ start: { line, character: 0 }, end: { line, character: 20 } });

export const ROOT_A = 0x1f000;
export const ROOT_B = 0x2a000;

/** TLB: 6 entries over two ASIDs and two roots; the gfn 0x10 one is stale (seen 0x300, truth 0x400). */
export const TLB: readonly TlbRow[] = [
  { vcpu: 0, asid: 1, gfn: 0x10, hostPage: 0x300, as: ROOT_A, filledLine: 4, stale: true },
  { vcpu: 0, asid: 1, gfn: 0x11, hostPage: 0x301, as: ROOT_A, filledLine: 5, stale: false },
  { vcpu: 0, asid: 2, gfn: 0x12, hostPage: 0x302, as: ROOT_B, filledLine: 6, stale: false },
  { vcpu: 1, asid: 2, gfn: 0x13, hostPage: 0x303, as: ROOT_B, filledLine: 7, stale: false },
  { vcpu: 1, asid: 3, gfn: 0x2f, hostPage: 0x3ff, as: ROOT_A, filledLine: 8, stale: false },
  { vcpu: 0, asid: 1, gfn: 0x100, hostPage: 0x500, as: ROOT_A, filledLine: 9, stale: false },
];

export function snapshot(label: string, step: number, tlb: readonly TlbRow[]): Snapshot {
  return {
    label, line: 10, step,
    roots: [
      { hpa: ROOT_A, mmu: 'tdp', role: '4-level !smm', refcount: 1, state: 'valid', createdLine: 7, recycledFromLine: 3, loadedBy: [0], blamed: true },
      { hpa: ROOT_B, mmu: 'tdp', role: '4-level smm', refcount: 0, state: 'invalid', createdLine: 6, recycledFromLine: null, loadedBy: [], blamed: false },
    ],
    shadows: [{ as: ROOT_A, entries: 4, stale: 1, lastFlushedLine: null }, { as: ROOT_B, entries: 2, stale: 0, lastFlushedLine: 5 }],
    tlb,
    shadowEntries: tlb.map((t) => ({ as: t.as, gfn: t.gfn, hostPage: t.hostPage, filledLine: t.filledLine, stale: t.stale })),
    memslots: [{ id: 'mem', gpa: 0, size: 0x100000, readonly: false, dirtyLog: true, backed: 6 }],
    pageTables: [{ root: ROOT_A, tree: { hpa: ROOT_A, level: 4, entries: [{ index: 0, spte: (0x20 << 1) | 1, target: 0x20000, leaf: false }], children: [
      { hpa: 0x20000, level: 3, entries: [{ index: 2, spte: 0x21 << 1, target: 0x21000, leaf: false }], children: [] }] } }],
    metrics: { stale: 1, 'tlb.entries': tlb.length },
  };
}

export function scenario(): ScenarioResult {
  return {
    name: 'recycled root', line: 1, config: { cpu: 'svm', host: 'hyperv' }, passed: false, cancelled: false,
    metrics: { stale: 1, 'tlb.entries': TLB.length, time_us: 3 }, checks: [], failures: [{ line: 11, range: range(11), message: 'stale use' }],
    stale: [{
      line: 11, range: range(11), vcpu: 0, gfn: 0x10, seen: 0x300, truth: 0x400, source: 'tlb',
      blame: [
        { role: 'fill', line: 4, range: range(4), text: 'read 0x10000', detail: 'TLB filled gfn 0x10 -> 0x300' },
        { role: 'change', line: 5, range: range(5), text: 'memslot mem delete free', detail: 'page 0x300 freed' },
        { role: 'recycle', line: 7, range: range(7), text: 'smi', detail: 'root page 0x1f000 recycled' },
      ],
    }],
    prints: [],
    snapshots: [snapshot('start', 2, TLB.slice(0, 2)), snapshot('end', 9, TLB)],
    trace: [
      { seq: 1, fn: 'kvm_mmu_load', path: ['vcpu_enter_guest'], line: 2, vcpu: 0, detail: 'load', step: 1 },
      { seq: 2, fn: 'tdp_mmu_alloc_sp', path: ['vcpu_enter_guest', 'kvm_mmu_load'], line: 2, vcpu: 0, detail: 'new root 0x1f000', step: 2 },
      { seq: 3, fn: 'kvm_mmu_zap_all_fast', path: ['kvm_set_memslot'], line: 5, vcpu: null, detail: 'zap', step: 5 },
      { seq: 4, fn: 'tdp_mmu_alloc_sp', path: ['kvm_mmu_reset_context', 'kvm_mmu_load'], line: 7, vcpu: 0, detail: 'new root 0x1f000', step: 8 },
    ],
    cost: [{ kind: 'nested exit', count: 2, cycles: 6000 }],
    timeUs: 3, notes: [],
  };
}
