// Blame links name the loop iteration of their own event (issue 11, "Inside loops"), so a fill
// in iteration 8 changed in iteration 9 reads forwards. Expected values come from the example's
// text, not from the model: examples/recycled-root-bug.mmu's loop body is
//   line 25 `memslot ram delete free`, line 26 `memslot ram gpa 0 size 64K`, line 27 `read 0x1000`
// — a shadow filled by the read of iteration k is dropped from L1 by the delete of iteration
// k + 1 (the next statement that zaps it), and the recycled root is allocated by the very read
// that serves the stale translation (kvm_mmu_load on entry, then the access).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario } from '../../../src/core/run/index';
import { compileAll } from './helpers';
import { StepIterations } from '../../../src/core/run/stepIterations';
import type { IterationRef } from '../../../src/core/run/result';

describe('run: blame links name their iterations', () => {
  it('fill, change and recycle each carry the iteration their event happened in', () => {
    const text = readFileSync(join(__dirname, '../../../examples/recycled-root-bug.mmu'), 'utf8');
    const r = runScenario(compileAll(text)[0]!);
    assert.ok(r.stale.length > 0, 'the example serves a stale translation');
    for (const u of r.stale) {
      const by = Object.fromEntries(u.blame.map((b) => [b.role, b]));
      const fill = by.fill!.iteration!, change = by.change!.iteration!, recycle = by.recycle!.iteration!;
      assert.equal(by.fill!.line + 1, 27); assert.equal(by.change!.line + 1, 25); assert.equal(by.recycle!.line + 1, 27);
      assert.equal(change.index, fill.index + 1, 'the delete of the next iteration zaps the root the fill went through');
      assert.equal(recycle.index, u.iteration!.index, 'the read that recycles the root is the stale use');
      assert.ok(fill.index < recycle.index, 'the story reads forwards');
      for (const it of [fill, change, recycle]) assert.equal(it.count, 32);
    }
  });

  it('StepIterations: the last note at or before a clock; forgotten clocks have none', () => {
    const a: IterationRef = { line: 1, index: 1, count: 2 }, b: IterationRef = { line: 1, index: 2, count: 2 };
    const s = new StepIterations(4);
    s.note(1, undefined); s.note(2, a); s.note(3, a); s.note(5, b); s.note(9, undefined);
    assert.equal(s.at(1), undefined);
    assert.equal(s.at(3), a, 'a repeated ref is one note: clock 3 is still in iteration 1');
    assert.equal(s.at(6), b);
    assert.equal(s.at(100), undefined, 'after the loop');
    s.note(10, a); // a fifth note: the ring of 4 forgets the first
    s.note(11, b); // and the second
    assert.equal(s.at(2), undefined, 'clock 2 is older than every note kept: no iteration, not a guess');
    assert.equal(s.at(5), b);
  });
});
