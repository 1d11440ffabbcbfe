// The runner: loops stay loops, cancellation, progress, caps with notes, never throwing.
import { strict as assert } from 'node:assert';
import { BUG, compileAll, run } from './helpers';
import { runFile, runScenario, compareScenario, sweepPoints } from '../../../src/core/run/index';
import type { CompiledScenario } from '../../../src/core/lang/ops';
import { range } from '../../../src/core/lang/source';
import { METRICS } from '../../../src/core/lang/schema';

describe('runner: interpreter', () => {
  it('reports every metric of the language reference', () => {
    const r = run(BUG, ['memslot ram gpa 0 size 64K', 'read 0x1000']);
    assert.deepEqual(Object.keys(r.metrics).sort(), METRICS.map((m) => m.name).sort());
    assert.ok(r.notes.some((n) => /estimate/.test(n)), 'time_us is labelled an estimate');
  });

  it('runs repeat as a loop: nested counts multiply', () => {
    const r = run(BUG, ['memslot ram gpa 0 size 64K', 'repeat 3 {', '  repeat 4 {', '    cr3 0x1000', '  }', '}', 'repeat 0 {', '  cr3 0x1000', '}']);
    assert.equal(r.metrics.vmexits, 12, '3 x 4 CR3 exits; the repeat 0 body never runs');
  });

  it('repeat 1000000000 stays cancellable: the flag is checked inside the loop', () => {
    let calls = 0;
    const r = run(BUG, ['memslot ram gpa 0 size 64K', 'repeat 1000000000 {', '  read 0x1000', '}'], { shouldCancel: () => ++calls > 50 });
    assert.equal(r.cancelled, true);
    assert.equal(r.passed, false);
    // shouldCancel is asked before each snapshot but the end one (Interpreter.snapshot) and when
    // ++steps reaches a multiple of 64 (Interpreter.stepOnce): with k snapshots before the loop,
    // the 51st ask is the (51 - k)th of the loop, at (51 - k) × 64 statements; the last statement
    // run is the read (line 5).
    const k = r.snapshots.filter((x) => x.kind !== 'end').length;
    const n = (51 - k) * 64;
    assert.ok(r.notes.includes(`cancelled at line 5 after ${n.toLocaleString('en-US')} statements`), r.notes.join('; '));
    assert.deepEqual(r.cancelledAt, { line: 4, statements: n });
  });

  it('a huge touch is cancellable from inside', () => {
    let calls = 0;
    const r = run(BUG, ['memslot ram gpa 0 size 64K', 'touch 0 size 64K count 1000000000'], { shouldCancel: () => ++calls > 3 });
    assert.equal(r.cancelled, true);
  });

  it('reports progress in statements executed', () => {
    const seen: number[] = [];
    run(BUG, ['memslot ram gpa 0 size 64K', 'repeat 5000 {', '  read 0x1000', '}'], { onProgress: (n) => seen.push(n) });
    assert.ok(seen.length >= 2);
    assert.ok(seen.every((n, i) => i === 0 || n >= seen[i - 1]));
  });

  it('caps the trace and the snapshots with a note', () => {
    const r = run(BUG, ['memslot ram gpa 0 size 64K', 'repeat 100 {', '  smi', '  read 0x1000', '  rsm', '  checkpoint "x"', '}', 'expect stale > 0'], { trace: true, traceLimit: 30, snapshotLimit: 5 });
    assert.equal(r.trace.length, 30);
    assert.equal(r.snapshots.filter((x) => x.kind === 'checkpoint').length, 5);
    assert.ok(r.notes.some((n) => n.startsWith('trace capped')));
    assert.ok(r.notes.some((n) => n.startsWith('snapshots capped')));
  });

  it('keeps one check per line inside loops (memory bounded), the first failure wins', () => {
    const r = run(BUG, ['memslot ram gpa 0 size 64K', 'write 0x1000 = 1', 'repeat 1000 {', '  read 0x1000 == 1', '}', 'write 0x1000 = 2', 'read 0x1000 == 1']);
    assert.equal(r.checks.length, 2);
    assert.equal(r.checks[0].passed, true);
    assert.equal(r.checks[1].passed, false);
    assert.match(r.checks[1].message, /expected 1, seen 2/);
    assert.equal(r.metrics.failures, 1);
  });

  it('expect, expect ok and print', () => {
    const r = run(BUG, ['memslot ram gpa 0 size 64K', 'read 0x1000', 'expect npf.l1 == 1', 'expect npf.l1 > 1', 'expect ok', 'print roots.live']);
    assert.deepEqual(r.checks.map((c) => c.passed), [true, false, false]);
    assert.match(r.checks[1].message, /expected npf.l1 > 1, seen 1/);
    assert.equal(r.checks[1].seen, 1);
    assert.deepEqual(r.prints.map((p) => p.text), ['roots.live = 1']);
  });

  it('verify reports each mismatching page with expected and seen values', () => {
    const r = run(BUG, ['memslot ram gpa 0 size 64K', 'write 0 size 16K pattern p', 'verify 0 size 16K pattern p', 'write 0x2000 = 5', 'verify 0 size 16K pattern p']);
    assert.equal(r.checks[0].passed, true);
    assert.equal(r.checks[1].passed, false);
    assert.match(r.failures[0].message, /verify page 0x2000: expected 0x[0-9a-f]+, seen 0x5/);
  });

  it('a stale use fails the run unless the scenario expects stale uses', () => {
    const churn = ['memslot ram gpa 0 size 64K', 'write 0x1000 = 42', 'repeat 32 {', '  memslot ram delete free', '  memslot ram gpa 0 size 64K', '  read 0x1000', '}'];
    const a = run(BUG, churn);
    assert.equal(a.passed, false);
    assert.ok(a.failures.some((f) => /stale translation use/.test(f.message)));
    const b = run(BUG, [...churn, 'expect stale > 0']);
    assert.equal(b.passed, true);
  });

  it('bad runtime input becomes a failure, never an exception', () => {
    const r = run(BUG, ['memslot ram gpa 0 size 64K', 'call hyperv_flush_guest_mapping root', 'smi', 'smi']);
    assert.equal(r.passed, false);
    assert.ok(r.failures.some((f) => /no root loaded/.test(f.message)));
    assert.ok(r.failures.some((f) => /already in SMM/.test(f.message)));
  });

  it('a statement that cannot run counts in `failures` and fails `expect ok`, like the verdict', () => {
    // `smi` while already in SMM cannot run: the run fails, so the metric and `expect ok` must say so too.
    const r = run(BUG, ['memslot ram gpa 0 size 64K', 'smi', 'smi', 'expect failures == 1', 'expect ok']);
    assert.equal(r.passed, false);
    assert.equal(r.checks[0].passed, true, r.checks[0].message);
    assert.equal(r.checks[1].passed, false, '`expect ok` sees the failed statement');
  });

  it('read == failures show values in the base the expected value was written in', () => {
    // 0x2222 was written, 0x1111 expected: a hex literal gets hex back; a decimal literal decimal.
    const hexRead = run(BUG, ['memslot ram gpa 0 size 64K', 'write 0x1000 = 0x2222', 'read 0x1000 == 0x1111', 'read 0x1000 == 0x2222']);
    assert.equal(hexRead.checks[0].message, 'read 0x1000: expected 0x1111, seen 0x2222');
    assert.equal(hexRead.checks[1].message, 'read 0x1000 == 0x2222');
    const decRead = run(BUG, ['memslot ram gpa 0 size 64K', 'write 0x1000 = 42', 'read 0x1000 == 43']);
    assert.equal(decRead.checks[0].message, 'read 0x1000: expected 43, seen 42');
    // Outside every memslot the access is emulated (MMIO) and reads 0: say so rather than a bare 0.
    const mmio = run(BUG, ['memslot ram gpa 0 size 64K', 'read 0x200000 == 7']);
    assert.match(mmio.checks[0].message, /expected 7, seen 0 \(the access was emulated: no guest memory backs this address\)/);
    const mmioVerify = run(BUG, ['memslot ram gpa 0 size 64K', 'verify 0x200000 size 4K pattern p']);
    assert.match(mmioVerify.failures[0].message, /^verify page 0x200000: expected 0x[0-9a-f]+, seen 0x0 \(emulated: no guest memory backs this page\)$/);
  });

  it('runScenario never throws, even on a hand-made scenario with odd ops', () => {
    const rg = range(0, 0, 0, 1);
    const s: CompiledScenario = {
      name: 'odd', range: rg, nameRange: rg, config: { vcpus: '2' }, sweep: [],
      ops: [
        { k: 'read', gpa: 2 ** 51, expected: null, vcpu: 7, range: rg, text: 'read' },
        { k: 'touch', gpa: 0, size: 0, stride: 0, count: 0, random: true, write: false, vcpu: 1, range: rg, text: 'touch' },
        { k: 'end_repeat', start: 99, range: rg, text: '}' },
        { k: 'read', gpa: 2 ** 51, expected: 0, vcpu: 0, range: rg, text: 'read' },
      ],
    };
    const r = runScenario(s, { configOverrides: { kernel: '9.9' } });
    assert.ok(r.notes.some((n) => /ignored/.test(n)), 'an invalid override is noted, not thrown');
    assert.ok(r.failures.some((f) => /vcpu 7 does not exist/.test(f.message)));
  });

  it('runFile runs every scenario; compare uses DEFAULT_SWEEP without a sweep', () => {
    const scenarios = compileAll('scenario "a" {\n  read 0x1000\n}\nscenario "b" {\n  read 0x2000\n}\n');
    const f = runFile({ scenarios }, 'x.mmu');
    assert.deepEqual(f.scenarios.map((s) => s.name), ['a', 'b']);
    const c = compareScenario(scenarios[0]);
    assert.equal(c.points.length, 4);
    assert.deepEqual(c.points.map((p) => `${p.config.tdp_mmu}/${p.config.enlightened_tlb}`), ['on/on', 'on/off', 'off/on', 'off/off']);
  });

  it('compare: a point passes without stale uses and failed data checks; `expect METRIC` lines do not decide', () => {
    const bug = compileAll(`config kernel=6.2\nscenario "b" {\n  memslot ram gpa 0 size 64K\n  write 0x1000 = 42\n  repeat 32 {\n    memslot ram delete free\n    memslot ram gpa 0 size 64K\n    read 0x1000\n  }\n  expect stale > 0\n  expect hypercalls == 0\n}\n`)[0];
    const c = compareScenario(bug);
    const by = (t: string, e: string) => c.points.find((p) => p.config.tdp_mmu === t && p.config.enlightened_tlb === e)!;
    assert.equal(by('on', 'on').passed, false, 'stale');
    assert.equal(by('off', 'on').passed, true, 'correct, though its 16 hypercalls fail `expect hypercalls == 0`');
    assert.equal(by('on', 'off').passed, true);
  });

  it('sweepPoints is the cross product in axis order', () => {
    assert.deepEqual([...sweepPoints([{ key: 'fix', values: ['a', 'b'] }, { key: 'cpu', values: ['svm', 'vmx'] }])].map((p) => `${p.fix}${p.cpu}`), ['asvm', 'avmx', 'bsvm', 'bvmx']);
  });
});
