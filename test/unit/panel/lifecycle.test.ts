// The lifecycle chart's data: the recorder (src/core/run/lifecycle.ts) on the bug
// example, its column-wise view (src/editor/panel/lifecycleView.ts) and the chart's layout
// (webview/chart/lifecycleLayout.ts: lane indexes, buckets, hit-testing).
// Expected values come from reading examples/recycled-root-bug.mmu and the kernel paths the
// model follows: root A is allocated at the first entry (kvm_mmu_load); each iteration of
// the churn loop deletes the memslot (kvm_mmu_zap_all_fast invalidates the root) and the
// next entry frees it and allocates a new one. The lines are read from the example. No flush hypercall is issued
// (the scenario expects hypercalls == 0), so no lane ever sees L0 drop its shadow.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/core/lang/index';
import { runFile } from '../../../src/core/run/index';
import type { Lifecycle } from '../../../src/core/run/result';
import { lifecycleView } from '../../../src/editor/panel/lifecycleView';
import { indexLanes, laneGlyphs, markAt, rootAt, xScale } from '../../../webview/chart/lifecycleLayout';

function bugLifecycle(): { life: Lifecycle; stale: number; text: string } {
  const text = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'recycled-root-bug.mmu'), 'utf8');
  const s = runFile(analyze(text).compiled, 'recycled-root-bug.mmu', {}).scenarios[0]!;
  return { life: s.lifecycle!, stale: s.metrics['stale']!, text };
}

describe('panel: root lifecycle', () => {
  it('records one root per entry after each churn, invalidated by the delete and freed at the next entry', () => {
    const { life, stale, text } = bugLifecycle();
    // Lines (1-based) and the loop count read from the example itself, so the test follows the file.
    const lines = text.split('\n');
    const lineOf = (re: RegExp) => lines.findIndex((l) => re.test(l)) + 1;
    const first = lineOf(/^\s*write 0x1000 = 42/);
    const loop = lineOf(/^\s*repeat \d+/);
    const count = Number(/repeat (\d+)/.exec(lines[loop - 1]!)![1]);
    const del = lineOf(/^\s*memslot ram delete free/);
    const entry = lineOf(/^\s*read 0x1000\s*(#|$)/);
    // The first entry plus one root per iteration (each delete invalidates the loaded root).
    assert.equal(life.roots.length, count + 1);
    assert.deepEqual(life.roots.map((r) => r.createdLine + 1), [first, ...Array<number>(count).fill(entry)]);
    // Every root but the last is invalidated by the memslot delete and freed later at an entry.
    for (const r of life.roots.slice(0, -1)) {
      assert.equal(r.invalidatedLine! + 1, del);
      assert.equal(r.freedLine! + 1, entry);
      assert.ok(r.createdStep < r.invalidatedStep! && r.invalidatedStep! < r.freedStep!);
    }
    assert.equal(life.roots.at(-1)!.freedStep, null, 'the last root is still loaded at the end');
    // Iterations 1..count of the loop created roots 2..count+1.
    assert.deepEqual(life.roots.slice(1).map((r) => [r.createdIteration!.line + 1, r.createdIteration!.index, r.createdIteration!.count]),
      Array.from({ length: count }, (_, i) => [loop, i + 1, count]));
    // No hypercall: no drop marks. Stale marks add up to the stale metric.
    assert.equal(life.marks.filter((m) => m.kind === 'drop').length, 0);
    assert.equal(life.marks.filter((m) => m.kind === 'stale').reduce((a, m) => a + m.count, 0), stale);
    // The recycled roots are on pages that were roots before.
    const seen = new Set<number>();
    for (const r of life.roots) {
      assert.equal(r.recycled, seen.has(r.hpa), `root #${r.id}`);
      seen.add(r.hpa);
    }
  });

  it('indexes lanes, flags recycles L0 never dropped, buckets dense marks and hit-tests by step', () => {
    // Hand-made: page A has roots 1 and 3 (3 recycled, no drop between), page B roots 2 and 4 (a drop between).
    const A = 0xa000;
    const B = 0xb000;
    const root = (id: number, hpa: number, c: number, f: number | null, recycled: boolean) =>
      ({ id, hpa, mmu: 'tdp' as const, role: '4-level !smm', createdStep: c, createdLine: c, invalidatedStep: null, invalidatedLine: null, freedStep: f, freedLine: f, recycled });
    const mark = (kind: 'fill' | 'asid' | 'drop' | 'stale', lane: number, step: number) => ({ kind, lane, step, line: step, count: 1, detail: kind });
    const life: Lifecycle = {
      roots: [root(1, A, 0, 10, false), root(2, B, 2, 12, false), root(3, A, 20, null, true), root(4, B, 22, null, true)],
      marks: [mark('fill', A, 1), mark('fill', A, 2), mark('drop', B, 15), mark('stale', A, 25), mark('fill', 0xc000, 3)],
      steps: 100, capped: false,
    };
    const v = lifecycleView(life);
    assert.deepEqual(v.lanes, [A, B]);
    assert.equal(v.marks.kind.length, 4, 'a mark on a page without a root has no lane');
    const ix = indexLanes(v);
    assert.deepEqual(Array.from(ix.keptShadow), [0, 0, 1, 0], 'root 3 reused page A with no drop since root 1');
    assert.deepEqual(Array.from(ix.staleLane), [1, 0]);
    // 100 steps over 100 px: fills at steps 1 and 2 fall in one 4-px bucket.
    const sc = xScale(100, 88 + 100 + 10);
    const glyphs = laneGlyphs(v, ix, 0, sc);
    assert.deepEqual(glyphs.map((g) => [g.kind, g.count]), [[0, 2], [3, 1]]);
    assert.equal(v.marks.step[markAt(v, ix, 0, 24, 2)], 25);
    assert.equal(markAt(v, ix, 0, 50, 2), -1);
    assert.equal(v.roots.id[rootAt(v, ix, 0, 5, 100)], 1);
    assert.equal(rootAt(v, ix, 0, 15, 100), -1, 'page A held no root between steps 10 and 20');
    assert.equal(v.roots.id[rootAt(v, ix, 1, 99, 100)], 4);
  });
});
