// Issue 9, model and runner side: one memory budget counts every page the model
// allocates (tables too), snapshots count every row and share unchanged trees, sweeps
// are enumerated lazily under a cap, and state-sized loops poll for cancellation.
import * as assert from 'node:assert/strict';
import { analyze } from '../../../src/core/lang/index';
import { clampGhz, clampTraceLimit, compareScenario, runScenario, sweepPoints, TRACE_LIMIT_MAX } from '../../../src/core/run/index';
import { MAX_SNAPSHOT_ROWS } from '../../../src/core/run/interpreter';
import { DEFAULT_MODEL_BUDGET, ModelBudget, ModelLimitError } from '../../../src/core/model/budget';
import { RunCancelled } from '../../../src/core/model/cancel';
import { KIND_DATA, KIND_PT, L1Memory } from '../../../src/core/model/memory';
import { Machine } from '../../../src/core/model/machine';
import { resolveConfig } from '../../../src/core/model/config';
import { takeSnapshot } from '../../../src/core/model/snapshot';
import { Session } from '../../../src/core/run/session';

function scenario(text: string) {
  const a = analyze(text);
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return a.compiled.scenarios[0]!;
}

const MiB = 1024 * 1024;

describe('bounded: one model-memory budget (issue 9 #1)', () => {
  it('defaults to 2 GiB', () => {
    assert.equal(DEFAULT_MODEL_BUDGET, 2 * 1024 ** 3);
    assert.equal(new ModelBudget().limit, DEFAULT_MODEL_BUDGET);
  });

  it('counts page-table pages: each new table grows the SPTE arena by 512 entries of 4 bytes', () => {
    const b = new ModelBudget(64 * MiB);
    const mem = new L1Memory(true, b);
    const tables0 = b.parts.tables;
    for (let i = 0; i < 1000; i++) mem.alloc(KIND_PT);
    // 1000 tables hold 1000 × 2 KiB of SPTEs; the arena doubles, so it holds at least that.
    assert.ok(b.parts.tables >= 1000 * 2048, `tables ${b.parts.tables}`);
    assert.ok(b.parts.tables > tables0);
    const data0 = b.parts.data;
    for (let i = 0; i < 5000; i++) mem.alloc(KIND_DATA);
    assert.ok(b.parts.data > data0, 'per-page state of data pages counts too');
    assert.equal(b.used, b.parts.data + b.parts.tables + b.parts.shadows + b.parts.tlb);
  });

  it('counts the TLB and L0 shadows of a machine', () => {
    const b = new ModelBudget();
    new Machine(resolveConfig({ tlb_entries: '65536' }).model, [], false, 0, b);
    // 65,536 entries of the entry arrays, at least 60 bytes each.
    assert.ok(b.parts.tlb >= 65536 * 60, `tlb ${b.parts.tlb}`);
    assert.ok(b.parts.shadows > 0);
  });

  it('throws ModelLimitError before a growth would pass the limit', () => {
    const b = new ModelBudget(1 * MiB);
    const mem = new L1Memory(true, b);
    assert.throws(() => { for (let i = 0; i < 10_000; i++) mem.alloc(KIND_PT); }, ModelLimitError);
    assert.ok(b.used <= b.limit);
  });

  it('sparse random touches fail with `model limit:` at the touch, counted in page tables (reproducer scaled down)', () => {
    // 20,000 random pages over 2^36 gfns: almost every page needs its own level-1 table and
    // most a level-2 one (2^36 / 2^18 = 262,144 of them), so ~2 tables (4 KiB of SPTEs) per
    // page: ~80 MiB, while the data pages' own state is ~1 MiB. A 16 MiB budget only trips
    // if tables are counted.
    const s = scenario('config host=hyperv\nscenario "sparse" {\n  memslot 1 gpa 0 size 0xFFFFFFFFF000\n  touch 0 size 0xFFFFFFFFF000 count 20000 random write\n}\n');
    const r = runScenario(s, { memoryBudget: 16 * MiB });
    assert.equal(r.passed, false);
    assert.equal(r.failures.length, 1);
    assert.equal(r.failures[0]!.line, 3, 'at the touch');
    assert.match(r.failures[0]!.message, /^model limit: the model's memory would grow to .* above its budget of 16 MiB \(page tables /);
    const tables = Number(/page tables ([\d.]+) MiB/.exec(r.failures[0]!.message)?.[1]);
    const data = Number(/data pages ([\d.]+) MiB/.exec(r.failures[0]!.message)?.[1]);
    assert.ok(tables > data, r.failures[0]!.message);
    // The same run within the default budget completes.
    assert.equal(runScenario(s).failures.length, 0);
  });
});

describe('bounded: snapshots count every row and share unchanged trees (issue 9 #2)', () => {
  const eight = 'config host=hyperv vcpus=8\nscenario "trees" {\n  memslot 1 gpa 0 size 64M\n' +
    Array.from({ length: 8 }, (_, v) => `  vcpu ${v} touch 0 size 2M`).join('\n') + '\n  repeat 64 {\n    checkpoint "c"\n  }\n}\n';

  it('64 checkpoints of unchanged trees hold one copy of each table node', () => {
    const r = runScenario(scenario(eight));
    const cps = r.snapshots.filter((s) => s.kind === 'checkpoint');
    assert.equal(cps.length, 64);
    assert.ok(cps[0]!.pageTables.length > 0);
    for (const c of cps.slice(1)) {
      assert.equal(c.pageTables.length, cps[0]!.pageTables.length);
      c.pageTables.forEach((t, i) => assert.equal(t.tree, cps[0]!.pageTables[i]!.tree, 'the same object, not a copy'));
    }
  });

  it('a changed table is a new node; its unchanged siblings stay shared', () => {
    const r = runScenario(scenario('config host=hyperv\nscenario "t" {\n  memslot 1 gpa 0 size 64M\n  touch 0 size 4M\n  checkpoint "a"\n  write 0x3000000 = 1\n  checkpoint "b"\n}\n'));
    const [a, b] = r.snapshots.filter((s) => s.kind === 'checkpoint');
    const ta = a!.pageTables[0]!.tree, tb = b!.pageTables[0]!.tree;
    assert.notEqual(ta, tb, 'the root gained a path to gfn 0x3000');
    // gfn 0x3000 is in the same level-3 table (1 GiB) but a new level-2 entry: the level-1 tables
    // of the first 4M (gfns 0..0x3ff: two level-1 tables under level-2 entries 0 and 1) are unchanged.
    const l1a = ta.children[0]!.children[0]!.children;
    const l1b = tb.children[0]!.children[0]!.children;
    assert.equal(l1b[0], l1a[0]);
    assert.equal(l1b[1], l1a[1]);
  });

  it('stops taking snapshots with a note once the run\'s snapshots would pass the row budget', () => {
    // 300 checkpoints of 4,096 changing TLB rows each is 1.2M rows > 1M.
    assert.equal(MAX_SNAPSHOT_ROWS, 1_000_000);
    const s = scenario('config host=bare tlb_entries=4096\nscenario "rows" {\n  memslot 1 gpa 0 size 64M\n  repeat 300 {\n    touch 0 size 64M count 4096 random\n    checkpoint "c"\n  }\n}\n');
    const r = runScenario(s, { snapshotLimit: 1000 });
    const kept = r.snapshots.filter((x) => x.kind === 'checkpoint').length;
    assert.ok(kept < 300 && kept > 100, `kept ${kept}`);
    assert.ok(r.notes.some((n) => /^snapshots stopped at line \d+: .* would pass 1000000/.test(n)), r.notes.join('; '));
  });
});

describe('bounded: sweeps are enumerated lazily under a cap (issue 9 #3)', () => {
  const axis = (key: string, n: number, from = 1) => ({ key: key as 'seed', values: Array.from({ length: n }, (_, i) => String(i + from)) });

  it('sweepPoints yields points one at a time: a 10^9-point sweep costs three points to look at', () => {
    const it = sweepPoints([axis('seed', 1000, 0), axis('tlb_entries', 1000), axis('l0_shadows', 1000)]);
    assert.equal(typeof (it as Iterator<unknown>).next, 'function');
    assert.ok(!Array.isArray(it));
    assert.deepEqual(it.next().value, { seed: '0', tlb_entries: '1', l0_shadows: '1' });
    assert.deepEqual(it.next().value, { seed: '0', tlb_entries: '1', l0_shadows: '2' });
    assert.deepEqual(it.next().value, { seed: '0', tlb_entries: '1', l0_shadows: '3' });
  });

  it('Compare runs at most maxSweepPoints and says how many the sweep had', () => {
    const vals = (n: number, from = 1) => Array.from({ length: n }, (_, i) => i + from).join(', ');
    const s = scenario(`config host=hyperv\nscenario "big" {\n  sweep seed=[${vals(1000, 0)}] tlb_entries=[${vals(1000)}] l0_shadows=[${vals(1000)}]\n  smi\n  rsm\n}\n`);
    const r = compareScenario(s, { maxSweepPoints: 5 });
    assert.equal(r.points.length, 5);
    assert.equal(r.totalPoints, 1e9);
    assert.deepEqual(r.notes, ['sweep capped: ran the first 5 of 1000000000 points (mmu.compare.maxPoints)']);
  });

  it('polls the cancel flag per point', () => {
    const s = scenario('config host=hyperv\nscenario "c" {\n  sweep seed=[1, 2, 3, 4, 5, 6, 7, 8]\n  smi\n  rsm\n}\n');
    let polls = 0;
    const r = compareScenario(s, { shouldCancel: () => ++polls > 3 });
    assert.equal(r.cancelled, true);
    assert.ok(r.points.length <= 3);
  });
});

describe('bounded: state-sized steps poll for cancellation (issue 9 #6)', () => {
  it('a snapshot polls while it walks shadow and TLB entries', () => {
    const s = scenario('config host=hyperv tlb_entries=65536\nscenario "s" {\n  memslot 1 gpa 0 size 64M\n  touch 0 size 64M\n}\n');
    const m = new Machine(resolveConfig(s.config as Record<string, string>).model, s.ops, false, 0);
    // Build state through the runner's path: run it, then snapshot a fresh machine in the same state.
    const r = runScenario(s, { snapshotLimit: 0 });
    assert.equal(r.metrics['npf.l1'], 16384);
    // 64M = 16,384 pages: the snapshot walks 16,384 shadow entries, polling every 4,096.
    let polls = 0;
    const mach = new Machine(m.cfg, s.ops, false, 0);
    const v = mach.vcpus[0]!;
    mach.slots.create('1', 0, 64 * MiB, false, 0);
    mach.kvm.enterGuest(v);
    for (let g = 0; g < 16384; g++) mach.access(v, g, false);
    assert.throws(() => takeSnapshot(mach, 'x', 0, 0, 3, { shouldCancel: () => ++polls >= 2 }), RunCancelled);
    assert.equal(polls, 2);
  });

  it('allocating or freeing pages polls: a cancel lands inside one big touch', () => {
    const mem = new L1Memory(true);
    let polls = 0;
    mem.shouldCancel = () => ++polls === 3;
    assert.throws(() => { for (let i = 0; i < 100_000; i++) mem.alloc(KIND_DATA); }, RunCancelled);
    assert.equal(polls, 3); // every 4,096 allocations
  });

  it('a run cancelled inside repeat { checkpoint } over a large state ends cancelled, not after every snapshot', () => {
    const s = scenario('config host=hyperv\nscenario "s" {\n  memslot 1 gpa 0 size 256M\n  touch 0 size 256M write\n  repeat 100 {\n    checkpoint "c"\n  }\n}\n');
    let polls = 0;
    let maxPolls = Infinity;
    const r = runScenario(s, { snapshotLimit: 100, shouldCancel: () => { polls++; return polls > maxPolls; } });
    assert.equal(r.cancelled, false);
    const total = polls;
    // The run polls more than once per statement: snapshots and the touch poll inside.
    assert.ok(total > 100, `polled ${total} times`);
    polls = 0; maxPolls = Math.floor(total / 2);
    const c = runScenario(s, { snapshotLimit: 100, shouldCancel: () => { polls++; return polls > maxPolls; } });
    assert.equal(c.cancelled, true);
    assert.ok(c.snapshots.filter((x) => x.kind === 'checkpoint').length < 100);
  });
});

describe('bounded: a cancel seen inside a statement ends the run without an end snapshot (issue 9 #6)', () => {
  it('a cancel inside a large touch walks no snapshot entries after it and keeps no end snapshot', () => {
    // The first touch builds 16,384 shadow and TLB entries; the second touches them again, so
    // its only polls are the interpreter's own, every 4,096 accesses (interpreter.touch). The
    // cancel lands at its first one, mid-statement.
    const s = scenario('config host=hyperv tlb_entries=65536\nscenario "s" {\n  memslot 1 gpa 0 size 64M\n  touch 0 size 64M write\n  touch 0 size 64M\n}\n');
    const second = s.ops.findIndex((o, i) => o.k === 'touch' && i > s.ops.findIndex((x) => x.k === 'touch'));
    assert.ok(second > 0);
    let entriesAtCancel = -1;
    let pollsAfter = 0;
    const session: Session = new Session(s, {
      snapshotLimit: 100,
      shouldCancel: () => {
        if (entriesAtCancel >= 0) { pollsAfter++; return true; }
        if (session.m.op !== second) return false;
        entriesAtCancel = session.it.work.snapshotEntries;
        return true;
      },
    });
    let threw = false;
    try { session.runToEnd(); } catch (e) { if (e instanceof RunCancelled) threw = true; else throw e; }
    assert.ok(entriesAtCancel > 16384, `the first touch's snapshot walked its entries (${entriesAtCancel})`);
    assert.equal(session.it.st.cancelled, true);
    assert.equal(threw, false, 'nothing unwound: no snapshot walk polled and saw the cancel');
    assert.equal(session.it.work.snapshotEntries, entriesAtCancel, 'no snapshot entry walked after the cancel');
    assert.equal(pollsAfter, 0, 'no poll after the one that said cancel');
    const r = session.result();
    assert.equal(r.cancelled, true);
    assert.deepEqual(r.snapshots.filter((x) => x.kind === 'end'), []);
  });
});

describe('bounded: trace limit and clock are clamped (issue 9 #7, #14)', () => {
  it('clamps the trace limit to the schema maximum', () => {
    assert.equal(TRACE_LIMIT_MAX, 1_000_000);
    assert.equal(clampTraceLimit(1_000_000_000), 1_000_000);
    assert.equal(clampTraceLimit(-5), 0);
    assert.equal(clampTraceLimit(undefined), 10_000);
  });
  it('clamps mmu.costModel.ghz to 0.1..10: 1e-320 gives a finite time_us', () => {
    assert.equal(clampGhz(1e-320), 0.1);
    assert.equal(clampGhz(1e9), 10);
    assert.equal(clampGhz(Number.NaN), 3);
    const s = scenario('scenario "s" {\n  memslot 1 gpa 0 size 64K\n  read 0x1000\n}\n');
    const r = runScenario(s, { ghz: 1e-320 });
    assert.ok(Number.isFinite(r.timeUs) && r.timeUs > 0);
    assert.equal(r.timeUs, runScenario(s, { ghz: 0.1 }).timeUs);
  });
});
