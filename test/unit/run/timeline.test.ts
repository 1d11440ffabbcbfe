// The timeline (issue 5): every run keeps snapshots at its top-level statements and at the
// end, not only at checkpoints, bounded in number; Compare keeps none.
import * as assert from 'node:assert/strict';
import { analyze, compareScenario, runScenario } from '../../../src/core/index';

function scenario(body: string, config = '') {
  const a = analyze(`config host=hyperv kernel=6.2${config}\nscenario "s" {\n${body}\n}\n`);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error'), []);
  return a.compiled.scenarios[0]!;
}

describe('run: timeline snapshots', () => {
  it('takes one per state-changing top-level statement, one per checkpoint, and one after a loop', () => {
    const s = scenario([
      '  memslot ram gpa 0 size 64K',
      '  write 0x1000 = 1',
      '  checkpoint "here"',
      '  repeat 3 {',
      '    smi',
      '    rsm',
      '  }',
      '  expect ok',
      '  print roots.allocated',
    ].join('\n'));
    const r = runScenario(s);
    const steps = r.snapshots.map((x) => [x.kind, x.line, x.label]);
    assert.deepEqual(steps, [
      ['statement', 2, 'memslot ram gpa 0 size 64K'],
      ['statement', 3, 'write 0x1000 = 1'],
      ['checkpoint', 4, 'here'],
      // Inside the loop (issue 11): a step at the end of each of its first and last two
      // iterations — all three here; the last one is also the state "after repeat 3".
      ['iteration', 5, 'line 6, iteration 1 of 3'],
      ['iteration', 5, 'line 6, iteration 2 of 3'],
      ['iteration', 5, 'line 6, iteration 3 of 3'],
      // expect/print change no state, but they ran: the end of the run is its own step.
      ['end', 10, 'end of run'],
    ]);
    // The first write loaded a root (kvm_mmu_load on the first entry, domain §2.2).
    assert.equal(r.snapshots[0]!.roots.length, 0);
    assert.equal(r.snapshots[1]!.roots.length, 1);
    // Steps only grow, so the timeline is ordered.
    const order = r.snapshots.map((x) => x.step);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
  });

  it('steps into loops: first and last two iterations, and every one that recycles a root, uses a stale translation or issues a flush hypercall', () => {
    // examples/recycled-root-bug.mmu's loop without the page cache (mmu_cache=off: tables
    // and roots come straight from the LIFO allocator): iteration i deletes and re-adds the
    // memslot and reads; the new root's page is a page that was a root before from the
    // fourth iteration on (roots 1-4 take four distinct pages, domain §2.2), and each of those
    // reads is stale (no hypercall is issued on this path).
    const s = scenario([
      '  memslot ram gpa 0 size 64K',
      '  write 0x1000 = 42',
      '  repeat 8 {',
      '    memslot ram delete free',
      '    memslot ram gpa 0 size 64K',
      '    read 0x1000',
      '  }',
      '  expect stale > 0',
    ].join('\n'), ' mmu_cache=off');
    const r = runScenario(s);
    const its = r.snapshots.filter((x) => x.kind === 'iteration').map((x) => x.iteration!.index);
    assert.deepEqual(its, [1, 2, 4, 5, 6, 7, 8]);
    const recycledAt = (i: number) => r.snapshots.find((x) => x.iteration?.index === i)!.metrics['roots.recycled'];
    assert.ok(recycledAt(2)! === 0 && recycledAt(4)! > 0, 'iteration 3 has no event: skipped');
    assert.equal(r.snapshots.find((x) => x.iteration?.index === 4)!.label, 'line 5, iteration 4 of 8');
  });

  it('stays bounded: a long top-level sequence stops adding statement snapshots with a note', () => {
    const body = Array.from({ length: 400 }, (_, i) => `  write 0x${(0x1000 + (i % 16) * 8).toString(16)} = ${i}`).join('\n');
    const r = runScenario(scenario('  memslot ram gpa 0 size 64K\n' + body));
    assert.ok(r.snapshots.length <= 257, `at most 256 statement snapshots plus the end, got ${r.snapshots.length}`);
    assert.equal(r.snapshots[r.snapshots.length - 1]!.kind, 'end');
    assert.ok(r.notes.some((n) => n.startsWith('timeline:')), 'a note says the timeline stopped');
  });

  it('keeps no snapshots with snapshotLimit 0, as Compare runs do', () => {
    const s = scenario('  memslot ram gpa 0 size 64K\n  write 0x1000 = 1\n  checkpoint "c"');
    assert.equal(runScenario(s, { snapshotLimit: 0 }).snapshots.length, 0);
    assert.ok(compareScenario(s).points.length > 0);
  });
});
