// A hand-built stand-in for src/core results, used only while src/core/run/index.ts does
// not exist yet (results.ts reports `source: 'fixture'` and the suite fails on it).
import type { CompareResult, FileRunResult, ScenarioResult, Snapshot, TlbRow } from '../../../src/core/run/result';

const r = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 10 } });

function snap(label: string, line: number, step: number, tlb: readonly TlbRow[], stale: boolean): Snapshot {
  return {
    label, line, step,
    roots: [
      { hpa: 0x1f000, mmu: 'tdp', role: '4-level !smm', refcount: 1, state: 'valid', createdLine: 9, recycledFromLine: stale ? 4 : null, loadedBy: [0], blamed: stale },
      { hpa: 0x2a000, mmu: 'tdp', role: '4-level smm', refcount: 0, state: 'invalid', createdLine: 7, recycledFromLine: null, loadedBy: [], blamed: false },
    ],
    shadows: [{ as: 0x1f000, entries: tlb.length, stale: stale ? 1 : 0, lastFlushedLine: null }],
    tlb,
    shadowEntries: tlb.map((t) => ({ as: t.as, gfn: t.gfn, hostPage: t.hostPage, filledLine: t.filledLine, stale: t.stale })),
    memslots: [{ id: 'mem', gpa: 0, size: 0x100000, readonly: false, dirtyLog: false, backed: 16 }],
    pageTables: [{ root: 0x1f000, tree: { hpa: 0x1f000, level: 4, entries: [{ index: 0, spte: 0x20007, target: 0x20000, leaf: false }], children: [
      { hpa: 0x20000, level: 3, entries: [{ index: 0, spte: 0x21007, target: 0x21000, leaf: false }], children: [
        { hpa: 0x21000, level: 2, entries: [{ index: 0, spte: 0x22007, target: 0x22000, leaf: false }], children: [
          { hpa: 0x22000, level: 1, entries: [{ index: 16, spte: 0x8000000000300067, target: 0x300, leaf: true }], children: [] }] }] }] } }],
    metrics: { stale: stale ? 1 : 0, hypercalls: 0, time_us: step * 1.5 },
  };
}

function scenario(name: string, rows: number): ScenarioResult {
  const tlb: TlbRow[] = [];
  for (let i = 0; i < rows; i++) tlb.push({ vcpu: 0, asid: 1 + (i % 2), gfn: 0x10 + i, hostPage: 0x300 + i, as: 0x1f000, filledLine: 5, stale: i === 0 });
  return {
    name, line: 2, config: { host: 'hyperv', cpu: 'svm', kernel: '6.2' }, passed: false, cancelled: false,
    metrics: { stale: 1, hypercalls: 0, time_us: 12 }, checks: [], failures: [{ line: 11, range: r(11), message: 'stale' }],
    stale: [{ line: 11, range: r(11), vcpu: 0, gfn: 0x10, seen: 0x300, truth: 0x400, source: 'tlb', blame: [
      { role: 'fill', line: 5, range: r(5), text: 'read 0x10000', detail: 'filled' },
      { role: 'change', line: 6, range: r(6), text: 'memslot mem delete free', detail: 'freed' },
      { role: 'recycle', line: 9, range: r(9), text: 'smi', detail: 'recycled 0x1f000' }] }],
    prints: [],
    snapshots: [snap('start', 3, 1, [], false), snap('after fill', 5, 3, tlb.slice(0, 4), false), snap('end', 11, 8, tlb, true)],
    trace: [{ seq: 1, fn: 'tdp_mmu_alloc_sp', path: ['vcpu_enter_guest', 'kvm_mmu_load'], line: 3, vcpu: 0, detail: 'root 0x1f000' }],
    cost: [{ kind: 'nested exit', count: 3, cycles: 3000 }, { kind: 'L0 shadow fill', count: 4, cycles: 8000 }],
    timeUs: 12, notes: [],
  };
}

export function fixtureFile(rows = 20): FileRunResult {
  return { file: 'fixture.mmu', scenarios: [scenario('bug', rows), scenario('other', 3)] };
}

export function fixtureCompare(): CompareResult {
  return { scenario: 'bug', line: 2, cancelled: false, points: [
    { config: { tdp_mmu: 'on', enlightened_tlb: 'on' }, passed: false, metrics: { stale: 2 }, timeUs: 10, rank: 1 },
    { config: { tdp_mmu: 'off', enlightened_tlb: 'on' }, passed: true, metrics: { stale: 0 }, timeUs: 30, rank: 2 },
  ] };
}
