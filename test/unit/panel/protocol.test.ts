// The boundary guards of src/protocol.ts: the host accepts only well-formed webview
// messages and the webview only well-formed host messages; everything else is dropped.
import * as assert from 'node:assert/strict';
import { describeMessage, isFromWebview, isToWebview } from '../../../src/protocol';
import { PanelModel } from '../../../src/editor/panel/panelModel';
import { scenario } from './fixtures';

const getRows = { type: 'getRows', id: 1, runId: 1, table: 'tlb', scenario: 0, step: 0, offset: 0, limit: 100, filter: {}, sort: null };

describe('panel protocol guards', () => {
  it('accepts every well-formed webview message', () => {
    assert.ok(isFromWebview({ type: 'ready' }));
    assert.ok(isFromWebview(getRows));
    assert.ok(isFromWebview({ ...getRows, filter: { asid: 2, as: 0x1f000, staleOnly: true, text: '0x10', fn: 'kvm_mmu_load' }, sort: { column: 'gfn', descending: true } }));
    assert.ok(isFromWebview({ type: 'getNode', id: 2, runId: 1, scenario: 0, step: 1, root: 0x1f000, hpa: 0x20000 }));
    assert.ok(isFromWebview({ type: 'revealLine', line: 12 }));
    assert.ok(isFromWebview({ type: 'selection', scenario: 0, step: 3, tab: 'tlb' }));
    assert.ok(isFromWebview({ type: 'openDoc', doc: 'cost-model' }));
    assert.ok(isFromWebview({ type: 'rerunWithTraceLimit', limit: 100_000 }));
    assert.equal(isFromWebview({ type: 'rerunWithTraceLimit', limit: 5_000_000 }), false, 'above the setting\'s maximum');
    assert.equal(isFromWebview({ type: 'rerunWithTraceLimit', limit: 0 }), false);
    // Compare points: one ("Show its state") or two (the side-by-side diff), never more.
    assert.ok(isFromWebview({ type: 'runComparePoints', runId: 3, ranks: [2] }));
    assert.ok(isFromWebview({ type: 'runComparePoints', runId: 3, ranks: [2, 4] }));
    assert.equal(isFromWebview({ type: 'runComparePoints', runId: 3, ranks: [] }), false);
    assert.equal(isFromWebview({ type: 'runComparePoints', runId: 3, ranks: [1, 2, 3] }), false);
    assert.equal(isFromWebview({ type: 'runComparePoints', runId: 3, ranks: [-1] }), false);
    // The view state the host keeps for the next panel: an object, bounded in size.
    assert.ok(isFromWebview({ type: 'viewState', state: { tab: 'trace', step: 3, scroll: { roots: 110 } } }));
    assert.equal(isFromWebview({ type: 'viewState', state: { big: 'x'.repeat(40_000) } }), false, 'over MAX_VIEW_STATE_CHARS');
    assert.equal(isFromWebview({ type: 'viewState', state: ['tab'] }), false);
  });

  it('rejects malformed webview messages without throwing', () => {
    const bad: unknown[] = [
      null, undefined, 42, 'ready', [], [{ type: 'ready' }], {}, { type: 'nope' },
      { type: 'revealLine', line: -1 }, { type: 'revealLine', line: 1.5 }, { type: 'revealLine', line: '3' },
      { ...getRows, table: 'passwords' }, { ...getRows, offset: -5 }, { ...getRows, limit: Number.POSITIVE_INFINITY },
      { ...getRows, id: undefined }, { ...getRows, filter: null }, { ...getRows, filter: { asid: 'x' } },
      { ...getRows, filter: { text: 'x'.repeat(500) } }, { ...getRows, sort: { column: 3, descending: false } },
      { type: 'openDoc', doc: '../../etc/passwd' }, { type: 'selection', scenario: 0, step: 0, tab: 'x'.repeat(100) },
      { type: 'getNode', id: 1, runId: 1, scenario: 0, step: 0, root: -1, hpa: 0 },
    ];
    for (const m of bad) assert.equal(isFromWebview(m), false, JSON.stringify(m) ?? String(m));
  });

  it('accepts the host\'s real state push and answers, and rejects damaged ones', () => {
    const model = new PanelModel();
    const state = model.setRun({ uri: 'file:///w/a.mmu', version: 3, result: { file: 'a.mmu', scenarios: [scenario()] } }, null);
    assert.ok(isToWebview(state));
    const rows = model.answer({ ...getRows, type: 'getRows', table: 'tlb', step: 1 });
    assert.ok(isToWebview(rows));
    assert.equal(isToWebview({ ...state, state: { ...state.state, runId: -1 } }), false);
    assert.equal(isToWebview({ ...state, state: { ...state.state, scenarios: [{ name: 'x' }] } }), false);
    assert.equal(isToWebview({ type: 'rows', id: 1, total: 1, offset: 0, rows: [{ key: 'k', cells: [1] }] }), false);
    assert.equal(isToWebview({ type: 'node', id: 1, node: { hpa: 1, level: 4, entries: 'x' } }), false);
    assert.equal(isToWebview({ type: 'select', scenario: 'a' }), false);
  });

  it('describes a dropped message by type and keys, never by content', () => {
    const d = describeMessage({ type: 'revealLine', line: 'secret text' });
    assert.match(d, /revealLine/);
    assert.doesNotMatch(d, /secret/);
    assert.match(describeMessage(null), /null/);
  });
});

describe('panel protocol: the lifecycle chart', () => {
  it('answers getLifecycle with the column-wise view, and the webview drops a damaged one', () => {
    const m = new PanelModel();
    const s = { ...scenario(), lifecycle: {
      roots: [{ id: 1, hpa: 0x1f000, mmu: 'tdp' as const, role: '4-level !smm', createdStep: 1, createdLine: 2, invalidatedStep: 5, invalidatedLine: 5, freedStep: null, freedLine: null, recycled: false }],
      marks: [{ kind: 'stale' as const, lane: 0x1f000, step: 8, line: 11, count: 2, detail: 'stale use' }], steps: 9, capped: false,
    } };
    const { state } = m.setRun({ uri: 'file:///a.mmu', version: 1, result: { file: 'a.mmu', scenarios: [s] } }, null);
    assert.ok(isFromWebview({ type: 'getLifecycle', id: 3, runId: state.runId, scenario: 0 }));
    const answer = m.answer({ type: 'getLifecycle', id: 3, runId: state.runId, scenario: 0 });
    assert.ok(isToWebview(answer));
    assert.equal(answer.type, 'lifecycle');
    if (answer.type !== 'lifecycle') return;
    assert.deepEqual(answer.view!.roots.invalidated, [5]);
    assert.deepEqual(answer.view!.roots.freed, [-1]);
    assert.deepEqual([answer.view!.marks.kind, answer.view!.marks.count], [[3], [2]]);
    const v = answer.view!;
    assert.equal(isToWebview({ ...answer, view: { ...v, marks: { ...v.marks, step: [] } } }), false, 'columns of unequal length');
    assert.equal(isToWebview({ ...answer, view: { ...v, roots: { ...v.roots, id: ['1'] } } }), false);
    assert.equal(m.answer({ type: 'getLifecycle', id: 4, runId: state.runId + 1, scenario: 0 }).type, 'error', 'a request for another run');
  });
});
