// A stale TLB / shadow entry shows the blame chain of the stale use it served — that entry
// exactly (address space, gfn, fill), never another entry that happens to share its gfn and
// host page. examples/recycled-root-bug.mmu is the case from the issue: after the churn,
// shadow[0x100000], [0x102000], [0x104000] and [0x105000] all map gfn 0x1, in pairs to the
// same host page, and only the recycled nCR3s (0x100000, 0x105000) served stale reads.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/core/lang/index';
import type { ScenarioResult, ShadowEntryRow, StaleUse, TlbRow } from '../../../src/core/run/result';
import { runFile } from '../../../src/core/run/index';
import { findStaleUse, TableSlicer } from '../../../src/editor/panel/tableSlices';
import { range } from './fixtures';

const hex = (n: number): string => '0x' + n.toString(16);

function bugScenario(): ScenarioResult {
  const text = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'recycled-root-bug.mmu'), 'utf8');
  return runFile(analyze(text).compiled, 'recycled-root-bug.mmu', {}).scenarios[0]!;
}

describe('panel: exact blame for a selected TLB / shadow entry', () => {
  it('entries sharing gfn and host page get their own chain (or none), in the real bug run', () => {
    const s = bugScenario();
    const snap = s.snapshots.find((x) => x.label === 'after churn')!;
    const stale = snap.shadowEntries.filter((e) => e.stale);
    // The precondition of the bug: two stale entries in different address spaces with the same gfn and host page.
    const pairs = stale.filter((a) => stale.some((b) => b !== a && b.gfn === a.gfn && b.hostPage === a.hostPage && b.as !== a.as));
    assert.ok(pairs.length >= 2, 'the bug run has stale shadow entries sharing gfn/host page');
    const slice = new TableSlicer(s).slice({ table: 'shadowEntries', step: s.snapshots.indexOf(snap), offset: 0, limit: 100, filter: { staleOnly: true }, sort: null })!;
    for (const row of slice.rows) {
      const as = Number(row.cells[0]);
      const fill = row.blame.find((b) => b.role === 'fill');
      // oracle.ts words the fill link "L0 filled shadow[nCR3 <as>] ...": the chain must be about this entry's own shadow.
      if (fill) assert.match(fill.detail, new RegExp(`shadow\\[nCR3 ${hex(as)}\\]`), `row ${row.cells.join(' ')} shows the chain of ${fill.detail}`);
      else assert.match(row.note, /no access used this entry/);
    }
    // An entry has a chain exactly when a stale use went through that address space and that fill;
    // the run's own stale-use list says which, independently of the table slicer under test.
    const served = (as: number, fillStep: number | undefined) => s.stale.some((u) => u.source === 'shadow' && u.as === as && u.fillStep === fillStep);
    let withChain = 0;
    let twinWithout = 0;
    for (const row of slice.rows) {
      const as = Number(row.cells[0]);
      const entry = stale.find((e) => e.as === as && e.gfn === Number(row.cells[1]))!;
      if (served(as, entry.fillStep)) {
        withChain++;
        assert.equal(row.blame.length, 3, `shadow[${hex(as)}] has fill, change and recycle`);
      } else {
        assert.deepEqual(row.blame, [], `shadow[${hex(as)}] served no stale use`);
        // The case of the issue: an entry that shares gfn and host page with one that did serve.
        if (stale.some((b) => b.as !== as && b.gfn === entry.gfn && b.hostPage === entry.hostPage && served(b.as, b.fillStep))) twinWithout++;
      }
    }
    assert.ok(withChain >= 1 && twinWithout >= 1, 'the run has a served entry and an unserved twin with the same gfn and host page');
  });

  it('matches on address space and fill clock, not on gfn and host page', () => {
    const link = { role: 'fill' as const, line: 3, range: range(3), text: 'read 0x1000', detail: '' };
    const use = (as: number, fillStep: number, step: number, source: 'tlb' | 'shadow' = 'shadow'): StaleUse =>
      ({ line: 9, range: range(9), vcpu: 0, gfn: 1, seen: 0x101, truth: null, source, blame: [link], as, fillStep, step });
    const uses = [use(0x5000, 4, 20), use(0x7000, 8, 24), use(0x5000, 30, 40)];
    const entry = (as: number, fillStep: number): ShadowEntryRow => ({ as, gfn: 1, hostPage: 0x101, filledLine: 3, stale: true, fillStep });
    assert.equal(findStaleUse(uses, 'shadow', entry(0x7000, 8), null), uses[1]);
    assert.equal(findStaleUse(uses, 'shadow', entry(0x5000, 30), null), uses[2], 'a refill of the same entry is another entry');
    assert.equal(findStaleUse(uses, 'shadow', entry(0x6000, 4), null), undefined, 'another address space');
    assert.equal(findStaleUse(uses, 'shadow', entry(0x5000, 12), null), undefined, 'another fill');
    // A TLB entry filled by the stale access from shadow[0x7000] (the use's clock is its fill's).
    const tlb: TlbRow = { vcpu: 0, asid: 1, gfn: 1, hostPage: 0x101, as: 0x7000, filledLine: 9, stale: true, fillStep: 24 };
    assert.equal(findStaleUse(uses, 'tlb', tlb, 0), uses[1]);
    const other: TlbRow = { ...tlb, vcpu: 1 };
    assert.equal(findStaleUse(uses, 'tlb', other, other.vcpu), undefined, 'another vCPU');
  });
});
