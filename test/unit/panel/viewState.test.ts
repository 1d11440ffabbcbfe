// The webview's saved state (webview/state.ts): what getState() returns may come from an
// older bundle or be damaged; restoring keeps only well-typed fields.
import * as assert from 'node:assert/strict';
import { defaultState, restoreState } from '../../../webview/state';

describe('panel view state (getState/setState)', () => {
  it('round-trips everything the panel saves', () => {
    const s = { ...defaultState(), uri: 'file:///a.mmu', scenario: 'bug', step: 3, tab: 'trace' as const, tabChosen: true, tlbTable: 'shadowEntries' as const,
      tlbAsid: '2', tlbRoot: '4096', tlbStaleOnly: true, tlbSearch: '0x10', traceFn: 'kvm_mmu_load', traceSearch: 'root', pageRoot: '4096',
      sorts: { tlb: { column: 'gfn', descending: true } }, staleOpen: false, columns: { roots: { mmu: true, role: false } }, scroll: { trace: 440 } };
    assert.deepEqual(restoreState(JSON.parse(JSON.stringify(s))), s);
  });

  it('falls back to defaults for missing or mistyped fields', () => {
    assert.deepEqual(restoreState(undefined), defaultState());
    assert.deepEqual(restoreState('garbage'), defaultState());
    const r = restoreState({ tab: 'secrets', step: -2, tlbStaleOnly: 'yes', uri: 5, sorts: { tlb: { column: 1 }, trace: null } });
    assert.equal(r.tab, 'roots');
    assert.equal(r.step, null);
    assert.equal(r.tlbStaleOnly, false);
    assert.equal(r.uri, null);
    assert.deepEqual(r.sorts, {});
    const c = restoreState({ staleOpen: 'no', columns: { roots: { mmu: 'yes', role: false }, tlb: 3 }, scroll: { trace: -5, tlb: 22 } });
    assert.equal(c.staleOpen, true, 'the stale box is open unless the user closed it');
    assert.deepEqual(c.columns, { roots: { role: false } });
    assert.deepEqual(c.scroll, { tlb: 22 });
  });
});
