// The panel's model (src/editor/panel/panelModel.ts): what is pushed to the webview and
// how requests for other runs are refused.
import * as assert from 'node:assert/strict';
import { PanelModel, compareView, fileNameOf } from '../../../src/editor/panel/panelModel';
import { decodeSpte } from '../../../src/editor/panel/pageTables';
import type { GetNodeMessage, GetRowsMessage } from '../../../src/protocol';
import { ROOT_A, scenario, TLB } from './fixtures';

const run = { uri: 'file:///work/examples/smm%20root.mmu', version: 7, result: { file: 'smm root.mmu', scenarios: [scenario()] } };
const rowsReq = (runId: number, extra: Partial<GetRowsMessage> = {}): GetRowsMessage =>
  ({ type: 'getRows', id: 5, runId, table: 'tlb', scenario: 0, step: 1, offset: 0, limit: 50, filter: {}, sort: null, ...extra });

describe('panel model', () => {
  it('pushes the scenario list, timeline steps with per-step counts and filter choices', () => {
    const m = new PanelModel();
    const { state } = m.setRun(run, null);
    assert.equal(state.fileName, 'smm root.mmu');
    assert.equal(state.version, 7);
    assert.equal(state.message, '');
    const s = state.scenarios[0]!;
    assert.deepEqual(s.steps.map((x) => [x.label, x.step, x.counts.tlb, x.counts.trace]), [['start', 2, 2, 2], ['end', 9, TLB.length, 4]]);
    assert.deepEqual(s.steps[1]!.asids, [1, 2, 3]);
    assert.deepEqual(s.steps[1]!.pageTableRoots, [ROOT_A]);
    assert.deepEqual(s.traceFunctions, ['kvm_mmu_load', 'kvm_mmu_reset_context', 'kvm_mmu_zap_all_fast', 'kvm_set_memslot', 'tdp_mmu_alloc_sp', 'vcpu_enter_guest']);
    assert.equal(s.stale[0]!.blame.length, 3);
  });

  it('lists opened Compare points after the file\'s scenarios, named by their sweep values, and answers for them', () => {
    const base = scenario();
    const point = { ...base, config: { ...base.config, tdp_mmu: 'off' }, passed: false, staleExpected: false };
    const compare = {
      scenario: base.name, line: base.line, cancelled: false,
      points: [
        { config: { ...base.config, tdp_mmu: 'on' }, passed: true, metrics: {}, timeUs: 1, rank: 1 },
        { config: point.config, passed: false, metrics: {}, timeUs: 2, rank: 2 },
      ],
    };
    const m = new PanelModel();
    const { state } = m.setRun({ ...run, compare, points: [{ config: point.config, result: point }], restored: true }, null);
    assert.equal(state.restored, true);
    assert.deepEqual(state.scenarios.map((s) => [s.index, s.name, s.point?.['tdp_mmu'] ?? null]),
      [[0, base.name, null], [1, `${base.name} @ tdp_mmu=off`, 'off']], 'tdp_mmu is the only axis that differs');
    assert.equal(state.scenarios[1]!.staleExpected, false);
    const a = m.answer(rowsReq(state.runId, { scenario: 1 }));
    assert.equal(a.type, 'rows');
    assert.equal(m.answer(rowsReq(state.runId, { scenario: 2 })).type, 'error', 'no third scenario');
  });

  it('shows a message instead of views when there is no run', () => {
    const m = new PanelModel();
    const { state } = m.setRun(undefined, 'file:///w/b.mmu', 'No run of this file yet.');
    assert.equal(state.scenarios.length, 0);
    assert.equal(state.message, 'No run of this file yet.');
    assert.equal(state.fileName, 'b.mmu');
  });

  it('answers requests for the current run and refuses ones made for an older run', () => {
    const m = new PanelModel();
    const first = m.setRun(run, null).state.runId;
    const ok = m.answer(rowsReq(first));
    assert.equal(ok.type, 'rows');
    const second = m.setRun(run, null).state.runId;
    assert.notEqual(first, second);
    const stale = m.answer(rowsReq(first));
    assert.equal(stale.type, 'error');
    assert.equal(m.answer(rowsReq(second, { scenario: 4 })).type, 'error');
    assert.equal(m.answer(rowsReq(second, { sort: { column: 'password', descending: false } })).type, 'error');
  });

  it('returns one page-table page per request, entries decoded, children expandable', () => {
    const m = new PanelModel();
    const runId = m.setRun(run, null).state.runId;
    const req: GetNodeMessage = { type: 'getNode', id: 9, runId, scenario: 0, step: 1, root: ROOT_A, hpa: ROOT_A };
    const top = m.answer(req);
    assert.equal(top.type, 'node');
    if (top.type !== 'node') return;
    assert.equal(top.node!.level, 4);
    assert.deepEqual(top.node!.entries.map((e) => [e.index, e.spte, e.hasChild, e.flags]), [[0, '0x41', true, 'writable, L1 pfn 0x20']]);
    const child = m.answer({ ...req, hpa: 0x20000 });
    assert.equal(child.type === 'node' && child.node!.entries[0]!.flags, 'read-only, L1 pfn 0x21');
    const missing = m.answer({ ...req, hpa: 0x99000 });
    assert.equal(missing.type === 'node' && missing.node, null);
  });

  it('decodes SPTEs in the model\'s encoding: (L1 pfn << 1) | writable', () => {
    assert.equal(decodeSpte(0), 'not present');
    assert.equal(decodeSpte((0x1234 << 1) | 1), 'writable, L1 pfn 0x1234');
    assert.equal(decodeSpte(0x1234 << 1), 'read-only, L1 pfn 0x1234');
  });

  it('ranks compare points and names the swept keys as axes', () => {
    const c = compareView({
      scenario: 's', line: 1, cancelled: false, points: [
        { config: { kernel: '6.3', fix: 'none', cpu: 'svm' }, passed: true, metrics: { stale: 0 }, timeUs: 20, rank: 2 },
        { config: { kernel: '6.2', fix: 'none', cpu: 'svm' }, passed: false, metrics: { stale: 3 }, timeUs: 10, rank: 1 },
      ],
    });
    assert.deepEqual(c.axes, ['kernel']);
    assert.deepEqual(c.points.map((p) => [p.rank, p.stale]), [[1, 3], [2, 0]]);
    assert.deepEqual(c.skipped, [], 'a result without skipped points shows none');
  });

  it('passes on the sweep points that were not run, with their reason', () => {
    const reason = '`fix=a` cannot be combined with `tdp_mmu=off`';
    const c = compareView({ scenario: 's', line: 1, cancelled: false, points: [], skipped: [{ config: { tdp_mmu: 'off', fix: 'a' }, reason }] });
    assert.deepEqual(c.points, []);
    assert.deepEqual(c.skipped, [{ config: { tdp_mmu: 'off', fix: 'a' }, reason }]);
  });

  it('takes the file name from a URI', () => {
    assert.equal(fileNameOf('file:///a/b/c%20d.mmu'), 'c d.mmu');
    assert.equal(fileNameOf('untitled:Untitled-1'), 'untitled:Untitled-1');
  });
});
