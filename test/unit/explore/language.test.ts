// The explore block in the language: parse, check (E240, E241, W303), compile; the statements
// rcu, zap_worker and alloc next in scenarios.
import { strict as assert } from 'node:assert';
import { analyze } from '../../../src/core/lang/index';
import { runScenario } from '../../../src/core/run/index';
import { explorePoints } from '../../../src/core/explore/index';

function codes(text: string): string[] {
  return analyze(text).diagnostics.map((d) => `${d.code}@${d.range.start.line + 1}`);
}

const BLOCK = (steps: string, extra = ''): string => `explore "e" {\n  memslot ram gpa 0 size 64K\n  steps {\n${steps}\n  }\n${extra}}\n`;

describe('explore: language', () => {
  it('compiles setup, steps (with rcu and zap_worker added), depth, invariants and strategy', () => {
    const a = analyze(BLOCK('    vcpu 0 read 0x1000\n    memslot ram delete free', '  depth 5\n  invariant hypercalls <= 3\n  invariant stale == 0\n  strategy random samples 10\n'));
    assert.deepEqual(a.diagnostics, []);
    const e = a.compiled.explorations![0]!;
    assert.equal(e.depth, 5);
    assert.equal(e.samples, 10);
    assert.deepEqual(e.invariants.map((i) => i.text), ['hypercalls <= 3', 'stale == 0']);
    assert.deepEqual(e.steps.map((i) => e.program.ops[i]!.text), ['vcpu 0 read 0x1000', 'memslot ram delete free', 'rcu', 'zap_worker']);
    assert.equal(e.implicitSteps, 2);
    assert.deepEqual(e.setup.map((s) => s.text), ['memslot ram gpa 0 size 64K']);
    assert.equal(e.program.config.schedule, 'explicit', 'an exploration always uses the explicit schedule');
    assert.equal(a.compiled.scenarios.length, 0, 'an explore block is not a scenario');
  });

  it('defaults: depth 8, breadth-first', () => {
    const e = analyze(BLOCK('    rcu')).compiled.explorations![0]!;
    assert.equal(e.depth, 8);
    assert.equal(e.samples, 0);
    assert.equal(e.implicitSteps, 1, 'rcu is listed, only zap_worker is added');
  });

  it('E240: a step that is not one plain statement, a second depth, a missing steps block', () => {
    assert.deepEqual(codes(BLOCK('    repeat 2 { smi }\n    expect stale == 0')), ['E240@4', 'E240@5']);
    assert.deepEqual(codes(BLOCK('    smi', '  depth 2\n  depth 3\n')), ['E240@7']);
    assert.deepEqual(codes('explore "e" {\n  memslot ram gpa 0 size 64K\n}\n'), ['E240@1']);
  });

  it('E241: depth and samples out of range', () => {
    assert.deepEqual(codes(BLOCK('    smi', '  depth 0\n')), ['E241@6']);
    assert.deepEqual(codes(BLOCK('    smi', '  depth 65\n')), ['E241@6']);
    assert.deepEqual(codes(BLOCK('    smi', '  strategy random samples 0\n')), ['E241@6']);
  });

  it('W303: steps no order of the others can enable', () => {
    // rsm needs SMM (emulator_leave_smm), nested vmexit needs L3, deleting a slot needs the slot,
    // creating `ram` again needs it deleted first.
    assert.deepEqual(codes(BLOCK('    rsm\n    nested vmexit\n    memslot flash delete\n    memslot ram gpa 0 size 64K')), ['W303@4', 'W303@5', 'W303@6', 'W303@7']);
    assert.deepEqual(codes(BLOCK('    smi\n    rsm\n    memslot ram delete\n    memslot ram gpa 0 size 64K')), []);
  });

  it('explore lines outside an explore block are E101', () => {
    assert.deepEqual(codes('scenario "s" {\n  depth 3\n}\n'), ['E101@2']);
  });

  it('scenario statements: alloc next pins the pages the next allocations hand out', () => {
    // LIFO would hand the just-freed page 0x101 (gfn 1's backing) to the next allocation; with
    // allocator=any and a pin the read of gfn 2 gets exactly the pinned pages.
    const text = `scenario "pin" {
  config allocator=any schedule=explicit
  memslot ram gpa 0 size 64K
  read 0x1000
  unmap 0x1000 size 4K
  alloc next 0x101000
  read 0x1000
  expect ok
}
`;
    const r = runScenario(analyze(text).compiled.scenarios[0]!);
    assert.equal(r.passed, true, r.failures.map((f) => f.message).join('; '));
    const miss = runScenario(analyze(text.replace('alloc next 0x101000', 'alloc next 0x105000')).compiled.scenarios[0]!);
    assert.equal(miss.passed, false);
    assert.match(miss.failures[0]!.message, /^alloc next: page 0x105000 was not free when allocated; a fresh page was used$/);
  });

  it('rcu and zap_worker run deferred work only where written with schedule=explicit', () => {
    const text = (extra: string): string => `scenario "s" {
  config schedule=explicit
  memslot ram gpa 0 size 64K
  read 0x1000
  smi
${extra}
  expect roots.live == 1
}
`;
    // smi: kvm_mmu_reset_context -> put_root; the last reference of a valid root makes it defunct
    // (6.2: invalid, one reference kept, zap queued). Without the worker it stays listed.
    const queued = runScenario(analyze(text('')).compiled.scenarios[0]!);
    assert.equal(queued.metrics['roots.live'], 1);
    const ran = runScenario(analyze(text('  zap_worker')).compiled.scenarios[0]!);
    assert.equal(ran.metrics['roots.live'], 0, 'the worker zapped and freed it');
  });
});

describe('explore: sweep lines', () => {
  it('explore each point of the block\'s own sweep, not the file\'s', () => {
    const text = `sweep fix=[none, a]\nexplore "e" {\n  sweep kernel=[6.2, 6.3]\n  memslot ram gpa 0 size 64K\n  steps {\n    read 0x1000\n  }\n}\nexplore "f" {\n  memslot ram gpa 0 size 64K\n  steps {\n    read 0x1000\n  }\n}\n`;
    const [e, f] = analyze(text).compiled.explorations!;
    assert.deepEqual(explorePoints(e!, { vcpus: '2' }), [{ vcpus: '2', kernel: '6.2' }, { vcpus: '2', kernel: '6.3' }]);
    assert.deepEqual(explorePoints(f!), [{}]);
  });
});
