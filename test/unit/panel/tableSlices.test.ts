// Slicing, filtering and sorting of the panel's tables (src/editor/panel/tableSlices.ts):
// what the webview's windowed tables ask for with `getRows`.
import * as assert from 'node:assert/strict';
import { TableSlicer, parseAddress, traceAtStep } from '../../../src/editor/panel/tableSlices';
import { MAX_SLICE, type RowFilter, type RowSort, type TableName } from '../../../src/protocol';
import { ROOT_A, ROOT_B, TLB, scenario, snapshot } from './fixtures';

const END = 1; // index of the "end" snapshot

function rows(table: TableName, filter: RowFilter = {}, sort: RowSort | null = null, step = END, offset = 0, limit = 100) {
  return new TableSlicer(scenario()).slice({ table, step, offset, limit, filter, sort })!;
}

describe('panel table slices', () => {
  it('returns the whole TLB of the selected step in model order, cells formatted', () => {
    const s = rows('tlb');
    assert.equal(s.total, TLB.length);
    assert.deepEqual(s.rows[0]!.cells, ['0', '1', '0x10', '0x300', '0x1f000', '5', 'stale']); // lines shown 1-based
    assert.equal(rows('tlb', {}, null, 0).total, 2, 'the "start" snapshot holds two entries');
  });

  it('filters by ASID, by root and "stale only", and combines them', () => {
    assert.deepEqual(rows('tlb', { asid: 2 }).rows.map((r) => r.cells[2]), ['0x12', '0x13']);
    assert.deepEqual(rows('tlb', { as: ROOT_B }).rows.map((r) => r.cells[2]), ['0x12', '0x13']);
    assert.deepEqual(rows('tlb', { staleOnly: true }).rows.map((r) => r.cells[2]), ['0x10']);
    assert.equal(rows('tlb', { asid: 2, staleOnly: true }).total, 0);
    assert.deepEqual(rows('tlb', { asid: 1, as: ROOT_A }).rows.map((r) => r.cells[2]), ['0x10', '0x11', '0x100']);
  });

  it('searches by address: an address finds the entry of its 4K page, hex text matches cells', () => {
    // 0x2f123 lies in page 0x2f (0x2f123 >> 12): the gfn 0x2f entry, not gfn 0x12/0x13.
    assert.deepEqual(rows('tlb', { text: '0x2f123' }).rows.map((r) => r.cells[2]), ['0x2f']);
    // A host page number itself matches its entry.
    assert.deepEqual(rows('tlb', { text: '0x303' }).rows.map((r) => r.cells[3]), ['0x303']);
    assert.equal(rows('tlb', { text: 'nothing like this' }).total, 0);
  });

  it('sorts numerically (not as text), both directions, ties in model order', () => {
    const asc = rows('tlb', {}, { column: 'gfn', descending: false }).rows.map((r) => r.cells[2]);
    assert.deepEqual(asc, ['0x10', '0x11', '0x12', '0x13', '0x2f', '0x100']); // 0x100 last: numeric, not "0x100" < "0x11"
    const desc = rows('tlb', {}, { column: 'gfn', descending: true }).rows.map((r) => r.cells[2]);
    assert.deepEqual(desc, [...asc].reverse());
    const byAsid = rows('tlb', {}, { column: 'asid', descending: false }).rows.map((r) => r.cells[2]);
    assert.deepEqual(byAsid, ['0x10', '0x11', '0x100', '0x12', '0x13', '0x2f']);
  });

  it('slices windows: offset and limit, clamped to the total and to MAX_SLICE', () => {
    const s = rows('tlb', {}, null, END, 4, 10);
    assert.equal(s.offset, 4);
    assert.deepEqual(s.rows.map((r) => r.cells[2]), ['0x2f', '0x100']);
    assert.equal(rows('tlb', {}, null, END, 99, 10).rows.length, 0);
    const many = Array.from({ length: MAX_SLICE + 50 }, (_, i) => ({ ...TLB[1]!, gfn: i }));
    const big = { ...scenario(), snapshots: [snapshot('big', 1, many)] };
    const slice = new TableSlicer(big).slice({ table: 'tlb', step: 0, offset: 0, limit: MAX_SLICE + 50, filter: {}, sort: null })!;
    assert.equal(slice.total, MAX_SLICE + 50);
    assert.equal(slice.rows.length, MAX_SLICE);
  });

  it('marks a stale TLB entry with the blame chain of the stale use it caused', () => {
    const stale = rows('tlb', { staleOnly: true }).rows[0]!;
    assert.equal(stale.stale, true);
    assert.deepEqual(stale.blame.map((b) => [b.role, b.line]), [['fill', 4], ['change', 5], ['recycle', 7]]);
    assert.match(stale.note, /line 12/); // the access (0-based 11) shown 1-based
    assert.equal(rows('tlb').rows[1]!.blame.length, 0);
  });

  it('marks the recycled root of a stale use and says where its page was a root before', () => {
    const [a, b] = rows('roots').rows;
    assert.equal(a!.marked, true);
    assert.match(a!.note, /recycled root of a stale use/);
    assert.match(a!.note, /line 4/); // recycledFromLine 3, 1-based
    assert.equal(a!.cells[7], '4', 'recycled from, after #id, nCR3, MMU, role, refs, state, created');
    assert.equal(a!.cells[3], '!smm', 'the role without the level every root has (4)');
    assert.equal(b!.marked, false);
    assert.equal(a!.line, 7, 'activating the row reveals the line that created the root');
  });

  it('marks shadows with stale entries', () => {
    const s = rows('shadows');
    assert.deepEqual(s.rows.map((r) => r.stale), [true, false]);
    // Last flushed: a line (1-based), or "never" for a shadow no flush ever dropped.
    assert.deepEqual(s.rows.map((r) => r.cells[3]), ['never', '6']);
    assert.deepEqual(rows('shadows', { staleOnly: true }).rows.map((r) => r.cells[0]), ['0x1f000']);
  });

  it('filters the trace by function: the event or any frame of its call path', () => {
    assert.deepEqual(rows('trace', { fn: 'tdp_mmu_alloc_sp' }).rows.map((r) => r.cells[0]), ['2', '4']);
    assert.deepEqual(rows('trace', { fn: 'kvm_mmu_load' }).rows.map((r) => r.cells[0]), ['1', '2', '4']);
    assert.deepEqual(rows('trace', { fn: 'kvm_mmu_reset_context' }).rows.map((r) => r.cells[0]), ['4']);
    assert.equal(rows('trace', { fn: 'nope' }).total, 0);
  });

  it('cuts the trace at the selected step when events carry steps', () => {
    const s = scenario();
    assert.deepEqual(traceAtStep(s.trace, s.snapshots[0]).map((e) => e.seq), [1, 2]); // snapshot at step 2
    assert.equal(traceAtStep(s.trace, s.snapshots[1]).length, 4);
    const noSteps = s.trace.map(({ step: _step, ...e }) => e);
    assert.equal(traceAtStep(noSteps, s.snapshots[0]).length, 4, 'without steps the whole trace is shown');
    assert.equal(rows('trace', {}, null, 0).total, 2);
  });

  it('answers nothing for a step the scenario does not have', () => {
    assert.equal(new TableSlicer(scenario()).slice({ table: 'tlb', step: 7, offset: 0, limit: 10, filter: {}, sort: null }), undefined);
  });

  it('parses addresses in hex and decimal', () => {
    assert.equal(parseAddress('0x1F000'), 0x1f000);
    assert.equal(parseAddress('4096'), 4096);
    assert.equal(parseAddress('1f000'), 0x1f000);
    assert.equal(parseAddress('root'), null);
  });
});
