// Issue 12, parameters and loop variables: integer expressions wherever a number is
// allowed, `let` at file and scenario level, `repeat N as i`, `for NAME in [...]`. The
// expected values follow the language reference (docs/language.md, Expressions): C
// precedence, `/` dropping the remainder, `a << b` = a × 2^b, constants checked when
// the file is checked, values over loop variables checked at each execution.
import * as assert from 'node:assert/strict';
import { analyze, type Repeat } from '../../../src/core/lang/index';
import { runScenario } from '../../../src/core/run/index';
import { codes, compileOne, inScenario, opsOf } from './helpers';

const BARE = 'config host=bare cpu=svm\n';
const valueOf = (expr: string) => (opsOf('memslot 1 gpa 0 size 64K', `write 0x1000 = ${expr}`)[1] as { value: number }).value;

describe('lang: integer expressions', () => {
  it('folds constants with C precedence (* / % over + - over <<), / dropping the remainder', () => {
    assert.equal(valueOf('1 + 2 * 3'), 7);
    assert.equal(valueOf('(1 + 2) * 3'), 9);
    assert.equal(valueOf('1 + 2 * 3 << 1'), 14, '(1 + 6) << 1');
    assert.equal(valueOf('1 << 2 + 1'), 8, '1 << 3');
    assert.equal(valueOf('7 / 2'), 3);
    assert.equal(valueOf('7 % 4'), 3);
    assert.equal(valueOf('10 - 4 - 3'), 3, 'left-associative');
    assert.equal(valueOf('-1 + 2'), 1);
    assert.equal(valueOf('4K + 0x10'), 4112, 'size suffixes inside expressions');
  });

  it('uses file and scenario lets, folded, so the ops hold plain numbers', () => {
    const sc = compileOne(`let base = 0x100000\nlet page = 4K\nscenario "s" {\n  let n = 2\n  memslot 1 gpa base size page * n\n  write base + page = n\n}\n`);
    const [create, write] = sc.ops;
    assert.deepEqual([create!.k === 'memslot_create' && create.gpa, create!.k === 'memslot_create' && create.size], [0x100000, 0x2000]);
    assert.equal(write!.k === 'write' && write.gpa, 0x101000);
    assert.equal(write!.dyn, undefined, 'constants need no run-time evaluation');
  });

  it('checks constant expressions like numbers (E231, E234, E230) and their arithmetic (E251)', () => {
    assert.deepEqual(codes(inScenario('memslot 1 gpa 0x1000 + 8 size 4K')), [{ code: 'E231', line: 2 }]);
    assert.deepEqual(codes(inScenario('memslot 1 gpa 0 size 64K', 'read 0x1000 + 4')), [{ code: 'E234', line: 3 }]);
    assert.deepEqual(codes(inScenario('cr3 1 << 52')), [{ code: 'E230', line: 2 }]);
    assert.deepEqual(codes(inScenario('memslot 1 gpa 0 size 64K', 'write 0x1000 = 8 / 0')), [{ code: 'E251', line: 3 }]);
    assert.deepEqual(codes(inScenario('memslot 1 gpa 0 size 64K', 'write 0x1000 = 1 - 2')), [{ code: 'E251', line: 3 }]);
    assert.deepEqual(codes(inScenario('memslot 1 gpa 0 size 64K', 'write 0x1000 = 1 << 53')), [{ code: 'E251', line: 3 }], '2^53 does not fit');
    assert.deepEqual(codes(inScenario('memslot 1 gpa 0 size 64K', 'write 0x1000 = 1 << 64')), [{ code: 'E251', line: 3 }], 'shift beyond 63');
  });

  it('names: unknown (E250), defined twice (E252), a let inside a loop or over a loop variable (E253)', () => {
    assert.deepEqual(codes(inScenario('memslot 1 gpa 0 size 64K', 'write 0x1000 = nope + 1')), [{ code: 'E250', line: 3 }]);
    assert.deepEqual(codes(`let a = 1\nscenario "s" {\n  let a = 2\n}\n`), [{ code: 'E252', line: 3 }]);
    assert.deepEqual(codes(inScenario('let a = 1', 'repeat 2 as a {', '  smi', '  rsm', '}')), [{ code: 'E252', line: 3 }]);
    assert.deepEqual(codes(inScenario('repeat 2 {', '  let a = 1', '}')), [{ code: 'E253', line: 3 }]);
    const outside = analyze(inScenario('memslot 1 gpa 0 size 64K', 'repeat 2 as i {', '  smi', '  rsm', '}', 'write 0x1000 = i')).diagnostics;
    assert.deepEqual(outside.map((d) => [d.code, d.range.start.line + 1]), [['E102', 7]], 'the index is scoped to its loop');
    assert.match(outside[0]!.message, /found `i`, which no `let` or loop variable defines here$/);
  });
});

describe('lang: loops with variables stay loops', () => {
  it('repeat N as i compiles to one loop with the index slot, the body once', () => {
    const sc = compileOne(BARE + inScenario('memslot 1 gpa 0 size 4M', 'repeat 1000000 as i {', '  write i * 8 = i', '}'));
    assert.deepEqual(sc.ops.map((o) => o.k), ['memslot_create', 'repeat', 'write', 'end_repeat']);
    const rep = sc.ops[1]!;
    assert.equal(rep.k === 'repeat' && rep.count, 1000000);
    assert.equal(rep.k === 'repeat' && rep.var, 0);
    assert.deepEqual(sc.vars, ['i']);
    assert.deepEqual(sc.ops[2]!.dyn?.map((d) => [d.field, d.rule]), [['gpa', 'aligned8'], ['value', 'value']]);
  });

  it('for over numbers and over memslot ids compiles to a loop with its values', () => {
    const sc = compileOne(BARE + inScenario('memslot a gpa 0 size 64K', 'memslot b gpa 64K size 64K', 'for s in [a, b] {', '  memslot s dirty_log on', '}', 'for x in [0x1000, 2 * 0x1000] {', '  write x = 1', '}'));
    const loops = sc.ops.filter((o) => o.k === 'repeat');
    assert.deepEqual(loops.map((o) => o.k === 'repeat' && o.values), [['a', 'b'], [0x1000, 0x2000]]);
    assert.deepEqual(loops.map((o) => o.k === 'repeat' && o.count), [2, 2]);
  });

  it('the checker follows memslots through a for over ids: both are deleted after the loop', () => {
    assert.deepEqual(codes(inScenario('memslot a gpa 0 size 64K', 'memslot b gpa 64K size 64K', 'for s in [a, b] {', '  memslot s delete', '}', 'memslot b dirty_log on')), [{ code: 'E211', line: 7 }]);
    assert.deepEqual(codes(inScenario('memslot a gpa 0 size 64K', 'for s in [a, b] {', '  memslot s delete', '}')), [{ code: 'E211', line: 4 }], 'b is not a memslot');
    assert.deepEqual(codes(inScenario('memslot a gpa 0 size 64K', 'memslot b gpa 64K size 64K', 'for s in [a, b] {', '  memslot s delete', '  memslot s gpa 0x200000 size 4K', '  memslot s delete', '}')), [], 'each value re-created inside');
  });

  it('knows the value range of an expression over a loop variable (hover shows it)', () => {
    const a = analyze(inScenario('repeat 5 as i {', '  nested vmrun ncr3 0x100000 + i * 0x1000', '}'));
    assert.deepEqual(a.diagnostics, []);
    const rep = a.file.scenarios[0]!.body[0] as Repeat;
    const nested = rep.body[0]!;
    assert.ok(nested.kind === 'nested' && nested.ncr3);
    assert.deepEqual(nested.kind === 'nested' && nested.ncr3!.dynamic, { lo: 0x100000, hi: 0x104000 });
    const i = a.file.variables!.find((v) => v.name === 'i')!;
    assert.deepEqual([i.kind, i.lo, i.hi, i.uses.length], ['index', 0, 4, 1]);
  });
});

describe('run: loop variables at run time', () => {
  it('a loop over i does what the written-out statements do (five L3 nCR3s)', () => {
    const head = 'config host=hyperv cpu=svm kernel=6.2 tdp_mmu=on enlightened_tlb=on fix=b\n';
    const looped = compileOne(head + inScenario('memslot 1 gpa 0 size 4M', 'repeat 5 as i {', '  nested vmrun ncr3 0x100000 + i * 0x1000', '  read 0x1000 + i * 8', '  nested vmexit', '}'));
    const written: string[] = ['memslot 1 gpa 0 size 4M'];
    for (let i = 0; i < 5; i++) written.push(`nested vmrun ncr3 ${0x100000 + i * 0x1000}`, `read ${0x1000 + i * 8}`, 'nested vmexit');
    const flat = compileOne(head + inScenario(...written));
    const a = runScenario(looped);
    const b = runScenario(flat);
    assert.deepEqual(a.metrics, b.metrics);
    assert.deepEqual([a.passed, a.failures], [b.passed, b.failures]);
  });

  it('for values and indices reach the statements: each write is read back', () => {
    const sc = compileOne(BARE + inScenario('memslot 1 gpa 0 size 64K', 'repeat 4 as i {', '  write 0x1000 + i * 8 = i + 100', '}', 'for a in [0x1000, 0x1008, 0x1010, 0x1018] {', '  read a == (a - 0x1000) / 8 + 100', '}'));
    const r = runScenario(sc);
    assert.equal(r.passed, true, JSON.stringify(r.failures));
    assert.equal(r.checks.length, 1);
    assert.equal(r.checks[0]!.message, 'read 0x1018 == 103', 'the last iteration: 0x1018 holds 3 + 100');
  });

  it('a value that cannot be used is a located failure naming the variables; the run goes on', () => {
    const sc = compileOne(BARE + inScenario('memslot 1 gpa 0 size 64K', 'repeat 3 as i {', '  read 0x1000 + i * 4', '  write 0x2000 = 8 / i', '}', 'expect failures == 2'));
    const r = runScenario(sc);
    // (0-based lines: the read is line 4, the write line 5.) i = 0: the read is aligned, 8 / 0 has
    // no value; i = 1: 0x1004 is not 8-byte aligned; i = 2: both fine.
    assert.deepEqual(r.failures.map((f) => [f.line, f.message]), [
      [5, '`8 / i` has no value (i = 0): division by zero'],
      [4, 'expected an 8-byte aligned address, found `0x1000 + i * 4` = 0x1004 (i = 1)'],
    ]);
    assert.equal(r.passed, false);
    assert.equal(r.checks[0]!.passed, true, 'expect failures == 2 ran after them');
  });

  it('a for variable as a memslot id deletes each slot at run time', () => {
    const sc = compileOne(BARE + inScenario('memslot a gpa 0 size 64K', 'memslot b gpa 64K size 64K', 'for s in [a, b] {', '  memslot s delete', '}', 'memslot a gpa 0 size 128K'));
    const r = runScenario(sc);
    // Recreating `a` over b's old range only works if both were deleted (no overlap: E213's rule at run time).
    assert.deepEqual(r.failures, []);
    assert.equal(r.passed, true);
  });
});

describe('lang: expressions in config and sweep values', () => {
  it('folds config values over lets (file and scenario level) into the compiled configuration', () => {
    // docs/language.md, Configuration: a number position in `config` takes a constant expression.
    const sc = compileOne(`let N = 4\nconfig host=hyperv l0_shadows = 4 * N\nscenario "s" {\n  let M = N + 1\n  config tlb_entries = M << 8 seed=(N - 1) * 3\n  smi\n  rsm\n}\n`);
    assert.equal(sc.config.l0_shadows, '16', '4 * 4');
    assert.equal(sc.config.tlb_entries, '1280', '5 << 8 = 5 × 256');
    assert.equal(sc.config.seed, '9', '(4 - 1) * 3');
  });

  it('folds sweep values, so a value listed twice by two spellings is E205', () => {
    const sc = compileOne(`let N = 4\nsweep tlb_entries=[N, 2*N, 0x10] l0_shadows=[N, unlimited]\nscenario "s" {\n  smi\n  rsm\n}\n`);
    assert.deepEqual(sc.sweep, [{ key: 'tlb_entries', values: ['4', '8', '16'] }, { key: 'l0_shadows', values: ['4', 'unlimited'] }]);
    const d = analyze(`let N = 4\nsweep seed=[N, 2 + 2]\nscenario "s" {\n  smi\n}\n`).diagnostics;
    assert.deepEqual(d.map((x) => [x.code, x.range.start.line + 1, x.range.start.character, x.range.end.character]), [['E205', 2, 15, 20]], 'at `2 + 2`');
    assert.match(d[0]!.message, /found `2 \+ 2` = 4 again$/);
  });

  it('checks the folded value against the key at compile time, located at the expression', () => {
    const d = analyze(`let N = 4\nconfig host=hyperv l0_shadows = N - 4\nscenario "s" {\n  smi\n}\n`).diagnostics;
    // l0_shadows is 1..65536 or `unlimited` (docs/language.md): 0 is out of range.
    assert.deepEqual(d.map((x) => [x.code, x.range.start.line + 1, x.range.start.character, x.range.end.character]), [['E202', 2, 32, 37]]);
    assert.match(d[0]!.message, /found `N - 4` = 0$/);
    assert.deepEqual(codes(`config seed = 1 - 2\nscenario "s" {\n  smi\n}\n`), [{ code: 'E251', line: 1 }], 'negative');
    assert.deepEqual(codes(`config seed = M * 2\nscenario "s" {\n  smi\n}\n`), [{ code: 'E250', line: 1 }], 'unknown name');
    assert.equal(analyze(`config seed = 1 - 2\nscenario "s" {\n  smi\n}\n`).compiled.scenarios.length, 0, 'a broken file-level config runs nothing');
  });

  it('keeps words the key takes as words, even when a let has that name', () => {
    const sc = compileOne(`let on = 1\nlet unlimited = 2\nconfig tdp_mmu=on l0_shadows=unlimited seed = on + 1\nscenario "s" {\n  smi\n  rsm\n}\n`);
    assert.deepEqual([sc.config.tdp_mmu, sc.config.l0_shadows, sc.config.seed], ['on', 'unlimited', '2']);
  });

  it('lets `config` follow a scenario-level let (a let runs nothing)', () => {
    assert.deepEqual(codes(inScenario('let n = 2', 'config vcpus = n', 'vcpu 1 smi')), []);
    assert.deepEqual(codes(inScenario('smi', 'config vcpus = 2')), [{ code: 'E107', line: 3 }], 'any other statement still ends the config lines');
  });
});
