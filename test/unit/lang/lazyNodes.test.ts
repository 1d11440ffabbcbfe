// The analyser's lazy pieces (issue 9 #4, stmtNodes.ts, slotTable.ts, scanner.ts numberValue):
// made from token indices when read, they must read as the plain tree did, and the state the
// checker reuses from one scenario to the next must not leak between them.
import * as assert from 'node:assert/strict';
import { analyze, parse, parseNumber } from '../../../src/core/lang/index';
import { numberValue, numberValueIn } from '../../../src/core/lang/scanner';
import { SlotTable } from '../../../src/core/lang/slotTable';

const codes = (text: string): string[] => analyze(text).diagnostics.map((d) => d.code);

describe('lang: statements read from their tokens', () => {
  const text = 'scenario "s" {\n  memslot r gpa 0x1000 size 8K hugepages\n  vcpu 1 write 0x1000 = 7\n  memslot r delete free\n  expect stale <= 2\n}\n';
  const file = parse(text).file;
  const [create, write, del, expect] = file.scenarios[0]!.body;

  it('keyword, range and small words are where the text has them', () => {
    const line = (n: number): string => text.split('\n')[n]!;
    assert.equal(create!.keyword!.text, 'memslot');
    assert.deepEqual(create!.range.start, { line: 1, character: 2 });
    assert.deepEqual(create!.range.end, { line: 1, character: line(1).length });
    // A `vcpu N` prefix is part of the range; the keyword is the statement's own.
    assert.equal(write!.keyword!.text, 'write');
    assert.deepEqual(write!.range.start, { line: 2, character: 2 });
    assert.deepEqual(write!.keyword!.range.start, { line: 2, character: line(2).indexOf('write') });
    if (del!.kind !== 'memslot_delete' || expect!.kind !== 'expect') throw new Error('kinds');
    assert.equal(del.action.text, 'delete');
    assert.deepEqual(del.action.range.start, { line: 3, character: line(3).indexOf('delete') });
    assert.equal(expect.metric.text, 'stale');
    assert.equal(expect.op.text, '<=');
    assert.deepEqual(expect.op.range.start, { line: 4, character: line(4).indexOf('<=') });
  });

  it('prints as the plain tree: kind, keyword and range first, then the fields in ast.ts order; hugepages only when written', () => {
    const json = JSON.parse(JSON.stringify(create)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), ['kind', 'keyword', 'range', 'slot', 'gpa', 'size', 'readonly', 'hugepages']);
    assert.deepEqual(json.range, { start: { line: 1, character: 2 }, end: { line: 1, character: text.split('\n')[1]!.length } });
    const plain = JSON.parse(JSON.stringify(parse('scenario "s" { memslot r gpa 0 size 4K }\n').file.scenarios[0]!.body[0])) as Record<string, unknown>;
    assert.deepEqual(Object.keys(plain), ['kind', 'keyword', 'range', 'slot', 'gpa', 'size', 'readonly']);
    assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(write))), ['kind', 'keyword', 'range', 'vcpu', 'gpa', 'value']);
    assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(file.scenarios[0]))), ['kind', 'keyword', 'name', 'openBrace', 'closeBrace', 'body', 'range']);
  });

  it('guest statements alone have an own `vcpu` (isGuestStatement tests it)', () => {
    assert.ok(Object.prototype.hasOwnProperty.call(write, 'vcpu'));
    assert.ok(!('vcpu' in create!));
  });
});

describe('lang: numbers over loop variables', () => {
  it('a bare loop variable and an expression over it have their value range, as plain {lo, hi}', () => {
    const body = parse('scenario "s" { repeat 4 as i { write i * 8 = i } }\n').file.scenarios[0]!.body[0]!;
    if (body.kind !== 'repeat') throw new Error('kind');
    const w = body.body[0]!;
    if (w.kind !== 'write') throw new Error('kind');
    assert.deepEqual(w.value.dynamic, { lo: 0, hi: 3 });
    assert.deepEqual(w.gpa.dynamic, { lo: 0, hi: 24 });
    assert.deepEqual(JSON.parse(JSON.stringify(w.value)).dynamic, { lo: 0, hi: 3 });
    // A constant expression has none.
    const c = parse('scenario "s" { write 8 * 2 = 1 }\n').file.scenarios[0]!.body[0]!;
    if (c.kind !== 'write') throw new Error('kind');
    assert.equal(c.gpa.dynamic, undefined);
    assert.equal(c.gpa.value, 16);
  });
});

describe('lang: numberValue reads a number word as parseNumber does', () => {
  const words = ['0', '7', '4096', '4K', '64M', '1G', '0x0', '0x1000', '0XfF', '0xffff_f000', '1_000', '9007199254740991', '9007199254740992',
    '0xfffffffffffff', '0x10000000000000', '0xffffffffffffffff', '0x10000000000000000', '18446744073709551615', '8G', '0x1fffffffffffffK',
    '4k', '1.5', '0x', '_1', '1__0', '1_', '12a', '0xg', 'K', '0K', '99999999999999999999999'];
  it('the same value, or NaN where parseNumber gives a reason', () => {
    for (const w of words) {
      const r = parseNumber(w);
      const v = numberValue(w);
      if (r.ok) assert.equal(v, r.value, w);
      else assert.ok(Number.isNaN(v), w);
    }
  });
  it('in place inside a longer text, without reading past either end', () => {
    const text = 'x 0x1000K 42 ';
    assert.equal(numberValueIn(text, 2, 9), parseNumber('0x1000K').ok ? 0x1000 * 1024 : NaN);
    assert.equal(numberValueIn(text, 10, 12), 42);
    assert.ok(Number.isNaN(numberValueIn(text, 5, 5)));
  });
});

describe('lang: what the checker reuses between scenarios', () => {
  it('memslots, checkpoints and the vCPU count of one scenario are not seen by the next', () => {
    const text = [
      'scenario "a" { config vcpus=4; memslot r gpa 0 size 4K; checkpoint "c"; vcpu 3 smi }',
      'scenario "b" { memslot r delete }',
      'scenario "c" { checkpoint "c"; vcpu 3 smi; memslot r gpa 0 size 4K; memslot q gpa 0 size 4K }',
    ].join('\n');
    // b: r was never created here (E211); c: vcpu 3 of the default vCPUs (E233), and r overlaps q (E213), not a's r.
    const d = analyze(text).diagnostics.map((x) => `${x.range.start.line}:${x.code}`);
    assert.deepEqual(d, ['1:E211', '2:E233', '2:E213']);
  });

  it('a scenario with 40 memslots (past the small table) still finds each, in creation order', () => {
    const slots = Array.from({ length: 40 }, (_, i) => `memslot m${i} gpa ${i * 4096} size 4K`);
    assert.deepEqual(codes(`scenario "s" { ${slots.join('; ')}; memslot m39 delete; memslot m0 move 0x100000; memslot m39 delete }`), ['E211']);
    const msg = analyze(`scenario "s" { ${slots.slice(0, 3).join('; ')}; memslot zz delete }`).diagnostics[0]!.message;
    assert.match(msg, /live memslots: m0, m1, m2\)/);
  });

  it('scenarios without config lines get the file\'s values; one with a config line gets its own', () => {
    const a = analyze('config vcpus=2\nscenario "a" { smi }\nscenario "b" { smi }\nscenario "c" { config vcpus=3; smi }\n');
    const [sa, sb, sc] = a.compiled.scenarios;
    assert.equal(sa!.config.vcpus, '2');
    assert.equal(sb!.config.vcpus, '2');
    assert.equal(sc!.config.vcpus, '3');
  });
});

describe('lang: SlotTable', () => {
  it('keeps insertion order across the change from arrays to a Map, and replaces in place', () => {
    const t = new SlotTable<number>();
    for (let i = 0; i < 20; i++) t.set(`k${i}`, i);
    t.set('k3', 33);
    assert.equal(t.size, 20);
    assert.equal(t.get('k3'), 33);
    assert.equal(t.get('k19'), 19);
    assert.equal(t.get('nope'), undefined);
    assert.deepEqual(t.entries(4), [['k0', 0], ['k1', 1], ['k2', 2], ['k3', 33]]);
    t.clear();
    assert.equal(t.size, 0);
    assert.equal(t.get('k3'), undefined);
    t.set('b', 1); t.set('a', 2); t.set('b', 3);
    assert.deepEqual(t.entries(), [['b', 3], ['a', 2]]);
  });
});

describe('lang: variable uses', () => {
  it('lists each use once, in source order, for hover (let and loop variables)', () => {
    const text = 'let n = 2\nscenario "s" {\n  memslot r gpa 0 size 64K\n  repeat n as i { write i * 8 + n = i }\n  write n * 8 = n\n}\n';
    const vars = analyze(text).file.variables!;
    const n = vars.find((v) => v.name === 'n')!;
    const i = vars.find((v) => v.name === 'i')!;
    const at = (v: typeof n): string[] => v.uses.map((u) => `${u.start.line}:${u.start.character}`);
    const l3 = text.split('\n')[3]!, l4 = text.split('\n')[4]!;
    assert.deepEqual(at(n), [`3:${l3.indexOf('n as')}`, `3:${l3.indexOf('n =')}`, `4:${l4.indexOf('n')}`, `4:${l4.lastIndexOf('n')}`]);
    assert.deepEqual(at(i), [`3:${l3.indexOf('i * 8')}`, `3:${l3.lastIndexOf('i')}`]);
  });
});
