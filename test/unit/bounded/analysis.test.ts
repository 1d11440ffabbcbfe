// Issue 9, analysis side: every pass is near-linear in the file, messages stay short
// whatever the token, numbers are read exactly, and `touch` counts are held to 10^9.
import * as assert from 'node:assert/strict';
import { analyze, parseNumber, SWEEP_POINT_CAP } from '../../../src/core/lang/index';
import { IntervalSet } from '../../../src/core/lang/intervals';
import { MAX_QUOTED, truncateQuoted } from '../../../src/core/lang/codes';
import { scan } from '../../../src/core/lang/scanner';
import { plainRange, SourceRange } from '../../../src/core/lang/source';
import { executeRequest } from '../../../src/editor/run/execute';

const codes = (text: string) => analyze(text).diagnostics.map((d) => d.code);

describe('bounded: analysis is near-linear (issue 9 #4)', () => {
  it('the memslot overlap check is an interval tree: O(log n) nodes per query, not a scan of every slot', () => {
    const set = new IntervalSet<number>();
    const n = 100_000;
    for (let i = 0; i < n; i++) set.insert(i * 4096, i * 4096 + 4096, i);
    assert.equal(set.overlapping(n * 4096, n * 4096 + 4096), undefined);
    // A treap of 10^5 nodes has expected depth about 2·ln n ≈ 23; a scan would look at 10^5.
    assert.ok(set.visits < 120, `visited ${set.visits} nodes`);
    assert.equal(set.overlapping(5 * 4096 + 100, 5 * 4096 + 200), 5);
    assert.ok(set.visits < 120);
  });

  it('removes and moves intervals (delete, move) and still finds the one overlapping', () => {
    const set = new IntervalSet<string>();
    const a = set.insert(0, 10, 'a');
    set.insert(20, 30, 'b');
    assert.equal(set.overlapping(5, 6), 'a');
    set.remove(a);
    assert.equal(set.overlapping(5, 6), undefined);
    assert.equal(set.overlapping(0, 21), 'b');
    assert.equal(set.size, 1);
  });

  it('stays a treap under 4,000 seeded inserts and removes: ordered, heap-ordered, each max exact, and it answers as a scan of the live intervals does', () => {
    const set = new IntervalSet<number>();
    let seed = 7;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const live = new Map<number, { lo: number; hi: number; h: ReturnType<typeof set.insert> }>();
    for (let i = 0; i < 4000; i++) {
      if (live.size > 0 && rnd(3) === 0) {
        const ids = [...live.keys()];
        const id = ids[rnd(ids.length)]!;
        set.remove(live.get(id)!.h);
        set.remove(live.get(id)!.h); // a second remove of the same handle changes nothing
        live.delete(id);
      } else {
        const lo = rnd(500) * 8;
        const hi = lo + 8 + rnd(6) * 8;
        live.set(i, { lo, hi, h: set.insert(lo, hi, i) });
      }
      if (i % 97 === 0) assert.ok(set.wellFormed(), `after operation ${i}`);
      const a = rnd(4000), b = a + 1 + rnd(40);
      const got = set.overlapping(a, b);
      const any = [...live.values()].some((v) => v.lo < b && a < v.hi);
      assert.equal(got !== undefined, any, `query [${a}, ${b}) after operation ${i}`);
      if (got !== undefined) { const v = live.get(got)!; assert.ok(v.lo < b && a < v.hi); }
    }
    assert.equal(set.size, live.size);
    assert.ok(set.wellFormed());
  });

  it('100,000 memslot lines check clean, and an overlap among them is still found', () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `  memslot s${i} gpa ${i * 4096} size 4K`);
    assert.deepEqual(codes(`scenario "m" {\n${lines.join('\n')}\n}\n`), []);
    lines.push('  memslot late gpa 0x1000000 size 8K'); // pages 4096..4097: slots s4096, s4097
    const d = analyze(`scenario "m" {\n${lines.join('\n')}\n}\n`).diagnostics;
    assert.deepEqual(d.map((x) => x.code), ['E213']);
    assert.match(d[0]!.message, /overlaps memslot `s409[67]`/);
  });

  it('a moved or deleted slot leaves the tree: no stale overlap is reported', () => {
    const text = 'scenario "m" {\n memslot a gpa 0 size 8K\n memslot a move 0x10000\n memslot b gpa 0 size 8K\n memslot b delete\n memslot c gpa 0 size 4K\n}\n';
    assert.deepEqual(codes(text), []);
  });

  it('100,000 copies of `scenario "dup" { smi }` give one E210 each and compile the first (no scenarios × errors pass)', () => {
    const a = analyze(Array.from({ length: 100_000 }, () => 'scenario "dup" { smi }').join('\n'));
    assert.equal(a.diagnostics.length, 99_999);
    assert.ok(a.diagnostics.every((d) => d.code === 'E210'));
    assert.equal(a.compiled.scenarios.length, 1);
  });

  it('100,000 `scenario "` lines give one E002 each', () => {
    const a = analyze(Array.from({ length: 100_000 }, () => 'scenario "').join('\n'));
    assert.equal(a.diagnostics.filter((d) => d.code === 'E002').length, 100_000);
  });

  it('a sweep axis of 100,000 values is checked with a set, and a value listed twice is still E205', () => {
    const vals = Array.from({ length: 100_000 }, (_, i) => String(i));
    const d = analyze(`sweep seed=[${vals.join(', ')}, 7]\nscenario "s" { smi }\n`).diagnostics;
    assert.deepEqual(d.map((x) => x.code), ['E205']);
  });

  it('an E211 lists a few live memslots, not all of them', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => ` memslot s${i} gpa ${i * 4096} size 4K`);
    const d = analyze(`scenario "m" {\n${lines.join('\n')}\n memslot nope delete\n}\n`).diagnostics;
    assert.equal(d[0]!.code, 'E211');
    assert.match(d[0]!.message, /\(live memslots: s0, s1, s2, s3, s4, s5, s6, s7, …\)$/);
  });
});

describe('bounded: the analyser allocates no object per token or position (issue 9 #4)', () => {
  // 100,000-line files must analyse in under a second (bench/langHostile.bench.ts measures it);
  // what keeps them there is counted here: objects per token, not time.
  const lines = Array.from({ length: 1000 }, (_, i) => ` repeat 3 as i${i} { touch i${i} * 4096 size 4K }`);
  const text = `scenario "s" {\n memslot r gpa 0 size 64M\n${lines.join('\n')}\n}\n`;

  it('the token store is typed arrays; a string without escapes stores no value of its own', () => {
    const { tokens } = scan(`${text}scenario "plain" { smi }\nscenario "a\\"b" { smi }\n`);
    assert.ok(tokens.count > 13 * 1000, `${tokens.count} tokens`);
    assert.ok(tokens.kind instanceof Uint8Array);
    for (const a of [tokens.offset, tokens.end, tokens.line]) assert.ok(a instanceof Int32Array);
    // Columns are offsets from the line's start: no array of their own.
    for (let i = 0; i < tokens.count; i++) assert.equal(tokens.colOf(i), tokens.offset[i]! - tokens.lineStarts[tokens.line[i]!]!);
    // Only the string with an escape has a stored value; the others are read from the text.
    assert.equal(tokens.escaped.size, 1);
    const strings = Array.from({ length: tokens.count }, (_, i) => i).filter((i) => tokens.kind[i] === 1).map((i) => tokens.stringValue(i));
    assert.deepEqual(strings, ['s', 'plain', 'a"b']);
  });

  it('words, numbers and ranges of the AST hold numbers and a token index, no text slice or Position until read', () => {
    const a = analyze(text);
    assert.deepEqual(a.diagnostics, []);
    const rep = a.file.scenarios[0]!.body[1]!;
    assert.equal(rep.kind, 'repeat');
    if (rep.kind !== 'repeat') return;
    const touch = rep.body[0]!;
    // Own properties: no `text`, no `range`, no Position objects (they are made when read).
    for (const w of [rep.keyword, touch.keyword!, rep.count!]) {
      const own = Object.values(w as object).filter((v) => typeof v === 'object');
      assert.deepEqual(own.filter((v) => !('kind' in (v as object))), [], 'only the token store is referenced');
      assert.ok(!Object.prototype.hasOwnProperty.call(w, 'text') && !Object.prototype.hasOwnProperty.call(w, 'range'));
    }
    for (const r of [rep.range, rep.openBrace, rep.keyword.range]) {
      assert.ok(r instanceof SourceRange);
      assert.ok(Object.values(r).every((v) => typeof v === 'number'), 'four numbers');
    }
    // Statements and scenarios, too, keep token indices: keyword and range are made when read.
    for (const node of [touch, a.file.scenarios[0]!]) {
      assert.ok(!Object.prototype.hasOwnProperty.call(node, 'keyword') && !Object.prototype.hasOwnProperty.call(node, 'range'));
      assert.ok(node.range instanceof SourceRange);
    }
    // Their compiled ops hold plain data (ops cross to the worker by structured clone).
    const touchOp = a.compiled.scenarios[0]!.ops.find((o) => o.k === 'touch')!;
    assert.ok(!(touchOp.range instanceof SourceRange));
    assert.deepEqual(touchOp.range, plainRange(touch.range));
    // Read on demand, they are where the text says: line 2 is ` repeat 3 as i0 { touch i0 * 4096 size 4K }`.
    const line2 = text.split('\n')[2]!;
    assert.deepEqual(touch.keyword!.range.start, { line: 2, character: line2.indexOf('touch') });
    assert.equal(touch.keyword!.text, 'touch');
    assert.deepEqual(rep.range.end, { line: 2, character: line2.length });
    assert.equal(rep.count!.text, '3');
  });

  it('what leaves the analyser is plain data: diagnostics, compiled ops and the index reply survive a structured clone', () => {
    const bad = analyze('scenario "s" {\n  memslot 1 gpa 0 size 4K\n  memslot 2 gpa 0 size 4K\n}\n');
    const d = structuredClone(bad.diagnostics)[0]!;
    assert.equal(d.code, 'E213');
    assert.deepEqual(d.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 2 + 'memslot 2 gpa 0 size 4K'.length } });
    assert.deepEqual(d.related![0]!.range, { start: { line: 1, character: 10 }, end: { line: 1, character: 11 } }); // the first slot's id
    const ok = analyze(text).compiled.scenarios[0]!;
    const c = structuredClone({ range: ok.range, nameRange: ok.nameRange, op: ok.ops[2]!.range });
    assert.deepEqual(c.nameRange, { start: { line: 0, character: 9 }, end: { line: 0, character: 12 } });
    assert.equal(c.range.end.line, 1002);
    assert.deepEqual(c.op.start, { line: 2, character: text.split('\n')[2]!.indexOf('touch') });
    const index = executeRequest({ id: 1, kind: 'index', text, fileName: 'a.mmu', version: 1, settings: { defaultConfig: {}, traceLimit: 0, ghz: 3 } });
    assert.equal(index.kind, 'index');
    if (index.kind !== 'index') return;
    assert.deepEqual(structuredClone(index.scenarios).map((x) => [x.name, x.range.start.line, x.range.end.line]), [['s', 0, 1002]]);
  });
});

describe('bounded: sweeps too large to run warn at check time (issue 9 #3)', () => {
  it('W302 for seed × tlb_entries × l0_shadows = 1000 × 1000 × 1000, at the sweep line', () => {
    const axis = (k: string, from: number) => `${k}=[${Array.from({ length: 1000 }, (_, i) => i + from).join(', ')}]`;
    const text = `scenario "s" {\n sweep ${axis('seed', 0)} ${axis('tlb_entries', 1)} ${axis('l0_shadows', 1)}\n smi\n}\n`;
    const d = analyze(text).diagnostics;
    assert.deepEqual(d.map((x) => [x.code, x.severity, x.range.start.line]), [['W302', 'warning', 1]]);
    assert.match(d[0]!.message, /1000 × 1000 × 1000 = 1000000000/);
    assert.ok(analyze(text).compiled.scenarios.length === 1, 'a warning does not keep the scenario from running');
  });
  it('the issue\'s own line, with ranges: `sweep seed=[0..999] tlb_entries=[1..1000] l0_shadows=[1..1000]` gives the same W302', () => {
    const d = analyze('sweep seed=[0..999] tlb_entries=[1..1000] l0_shadows=[1..1000]\nscenario "s" { smi }\n').diagnostics;
    assert.deepEqual(d.map((x) => [x.code, x.range.start.line]), [['W302', 0]]);
    assert.match(d[0]!.message, /1000 × 1000 × 1000 = 1000000000/);
  });
  it('no warning at the cap', () => {
    assert.equal(SWEEP_POINT_CAP, 1000);
    const vals = Array.from({ length: 1000 }, (_, i) => i).join(', ');
    assert.deepEqual(codes(`sweep seed=[${vals}]\nscenario "s" { smi }\n`), []);
  });
});

describe('bounded: diagnostics quote at most 80 characters of a token (issue 9 #13)', () => {
  const big = 'x'.repeat(1_000_000);
  it('a 1 MB word gives a short message', () => {
    for (const text of [
      `${big}\n`, // unknown file-level statement
      `scenario "s" {\n ${big}\n}\n`, // unknown statement
      `config ${big}=1\n`, // unknown key
      `config fix=${big}\n`, // bad value
      `scenario "s" {\n memslot ${big} delete\n}\n`, // undefined memslot
      `scenario "${big}" { smi }\nscenario "${big}" { smi }\n`, // duplicate name
      `scenario "s" {\n expect ${big} == 1\n}\n`, // unknown metric
      `scenario "s" {\n touch 0 size 4K stride ${'9'.repeat(100_000)}\n}\n`,
    ]) {
      const d = analyze(text).diagnostics;
      assert.ok(d.length > 0, text.slice(0, 40));
      for (const x of d) {
        assert.ok(x.message.length < 600, `${x.code}: ${x.message.length} characters`);
        for (const r of x.related ?? []) assert.ok(r.message.length < 600);
      }
    }
  });
  it('shortens each quoted span to 80 characters with an ellipsis and keeps the rest', () => {
    const m = truncateQuoted(`found \`${'a'.repeat(200)}\`; did you mean \`smi\`?`);
    assert.equal(m, `found \`${'a'.repeat(MAX_QUOTED - 1)}…\`; did you mean \`smi\`?`);
    assert.equal(truncateQuoted('found `short`'), 'found `short`');
  });
});

describe('bounded: numbers are read exactly up to 2^64 - 1 (issue 9 #14)', () => {
  it('0xffffffffffffffff (2^64 - 1) is a number; 2^64 is not', () => {
    assert.equal(parseNumber('0xffffffffffffffff').ok, true);
    assert.equal(parseNumber('0xffff_ffff_ffff_ffff').ok, true);
    assert.equal(parseNumber('18446744073709551615').ok, true); // 2^64 - 1 in decimal
    assert.equal(parseNumber('18446744073709551616').ok, false); // 2^64
    assert.equal(parseNumber('0x1_0000_0000_0000_0000').ok, false);
    // 16M * 1G = 2^24 * 2^30 = 2^54: fits; 0x4000_0000_0000_0000 K = 2^62 * 2^10: does not.
    assert.equal(parseNumber('16M').ok && parseNumber('16777216G').ok, true);
    assert.equal(parseNumber('0x4000000000000000K').ok, false);
    assert.deepEqual(parseNumber('4K'), { ok: true, value: 4096 });
  });
  it('a value of 2^64 - 1 is E230 (above 2^53), not a malformed number', () => {
    assert.deepEqual(codes('scenario "s" {\n memslot r gpa 0 size 8K\n write 0x1000 = 0xffffffffffffffff\n}\n'), ['E230']);
  });
});

describe('bounded: touch counts (issue 9 #9)', () => {
  it('the default count SIZE / stride is held to 10^9 (E230 at the stride, or at the size without one)', () => {
    const d = analyze('scenario "s" {\n touch 0 size 0xFFFFFFFFF000 stride 1\n}\n').diagnostics;
    assert.deepEqual(d.map((x) => [x.code, x.range.start.character]), [['E230', 36]]);
    // 0xFFFFFFFFF000 / 4096 = 0xFFFFFFFFF = 68,719,476,735 accesses > 10^9.
    const e = analyze('scenario "s" {\n touch 0 size 0xFFFFFFFFF000\n}\n').diagnostics;
    assert.deepEqual(e.map((x) => [x.code, x.range.start.character]), [['E230', 14]]);
    assert.match(e[0]!.message, /= 68719476735;/);
    assert.deepEqual(codes('scenario "s" {\n touch 0 size 0xFFFFFFFFF000 count 1000 random\n}\n'), []);
    // 4G / 4 = 2^30 = 1,073,741,824 > 10^9; 4G / 8 = 536,870,912 is fine.
    assert.deepEqual(codes('scenario "s" {\n touch 0 size 4G stride 4\n}\n'), ['E230']);
    assert.deepEqual(codes('scenario "s" {\n touch 0 size 4G stride 8\n}\n'), []);
  });
  it('`count 0` compiles to zero accesses', () => {
    const a = analyze('scenario "s" {\n memslot r gpa 0 size 64K\n touch 0 size 64K count 0 write\n}\n');
    const op = a.compiled.scenarios[0]!.ops.find((o) => o.k === 'touch');
    assert.equal(op && op.k === 'touch' ? op.count : -1, 0);
  });
});

describe('bounded: no input overflows the stack (issue 9: analysis never throws)', () => {
  const N = 200_000; // far past where a recursive walk of a 200,000-deep tree overflows V8's stack
  const inScn = (s: string) => `scenario "x" {\n memslot r gpa 0 size 4K\n ${s}\n}\n`;
  it('a chain of 200,000 operators is one E111 at the 256th operator, and the rest of the line is skipped', () => {
    const d = analyze(inScn(`write 0 = ${Array.from({ length: N }, () => '1').join(' + ')}`)).diagnostics;
    // `1 + 1 + …` is left-deep: after k operators the tree is k + 1 deep, so operator 256 makes it 257.
    const col = ' write 0 = '.length + 255 * '1 + '.length + '1 '.length;
    assert.deepEqual(d.map((x) => [x.code, x.range.start.line, x.range.start.character]), [['E111', 2, col]]);
  });
  it('the same over a loop variable, in a `let`, and with 200,000 `(` or `-`: one E111 each', () => {
    for (const text of [
      inScn(`repeat 2 as i { write 0 = ${Array.from({ length: N }, () => 'i').join(' * ')} }`),
      `let a = ${Array.from({ length: N }, () => '1').join(' << ')}\nscenario "s" { smi }\n`,
      inScn(`write 0 = ${'('.repeat(N)}8${')'.repeat(N)}`),
      inScn(`write 0 = ${'-'.repeat(N)}8`),
    ]) assert.deepEqual(codes(text), ['E111'], text.slice(0, 60));
  });
  it('256 levels are allowed: a chain of 255 operators evaluates exactly', () => {
    const a = analyze(inScn(`write 0 = ${Array.from({ length: 256 }, () => '1').join(' + ')}`));
    assert.deepEqual(a.diagnostics, []);
    const op = a.compiled.scenarios[0]!.ops.find((o) => o.k === 'write');
    assert.equal(op && 'value' in op ? op.value : -1, 256);
  });
  it('a `for` list of 200,000 numbers takes its bounds in a loop (no spread into Math.min)', () => {
    const a = analyze(inScn(`for a in [${Array.from({ length: N }, (_, i) => String((i % 512) * 8)).join(', ')}] { write a = 1 }`));
    assert.deepEqual(a.diagnostics, []);
    const v = a.file.variables?.find((x) => x.name === 'a');
    assert.deepEqual([v?.lo, v?.hi], [0, 511 * 8]);
  });
});

describe('bounded: per-diagnostic work is a small constant (issue 9 #4)', () => {
  // The char-by-char scan truncateQuoted had before it jumped between quotes with indexOf: the oracle.
  function charScan(message: string): string {
    if (message.length <= MAX_QUOTED + 2) return message;
    let out = '';
    let from = 0;
    let i = 0;
    while (i < message.length) {
      const c = message.charCodeAt(i);
      if (c !== 96 && c !== 34) { i++; continue; }
      const close = message.indexOf(message[i]!, i + 1);
      if (close < 0) break;
      if (close - i - 1 > MAX_QUOTED) { out += message.slice(from, i + 1 + MAX_QUOTED - 1) + '…'; from = close; }
      i = close + 1;
    }
    const cap = (s: string) => (s.length > 64 * MAX_QUOTED ? s.slice(0, 64 * MAX_QUOTED - 1) + '…' : s);
    return from === 0 ? cap(message) : cap(out + message.slice(from));
  }
  it('an unknown metric or function is looked up once per spelling: 20,000 lines of two typos give two messages, each with its suggestion', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => (i % 2 ? '  expect stal == 1' : '  call kvm_mmu_zap_all_fas'));
    const d = analyze(`scenario "m" {\n${lines.join('\n')}\n}\n`).diagnostics;
    assert.equal(d.length, 20_000);
    assert.deepEqual([...new Set(d.map((x) => x.message))].map((m) => m.match(/did you mean `([^`]+)`/)?.[1]), ['kvm_mmu_zap_all_fast', 'stale']);
    // Past the kept spellings, each still gets its own message.
    const many = Array.from({ length: 5000 }, (_, i) => `  expect zz${i} == 1`);
    const m = analyze(`scenario "m" {\n${many.join('\n')}\n}\n`).diagnostics;
    assert.equal(new Set(m.map((x) => x.message)).size, 5000);
    assert.ok(m.every((x, i) => x.message.includes(`\`zz${i}\``)));
  });

  it('truncateQuoted (indexOf between quotes) gives the char scan\'s result on 5,000 random messages', () => {
    let x = 7;
    const rnd = (k: number) => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x % k; };
    for (let n = 0; n < 5000; n++) {
      let m = '';
      for (let parts = rnd(8); parts >= 0; parts--) m += ['`', '"', 'a'.repeat(rnd(200)), ' x ', '``'][rnd(5)];
      assert.equal(truncateQuoted(m), charScan(m), JSON.stringify(m.slice(0, 80)));
    }
  });
  it('a diagnostic found twice at one position is reported once; another message at that position is kept', () => {
    // A file-level E203 is found once per scenario (three here) and reported once.
    const d = analyze('config host=bare fix=a\nscenario "a" { smi }\nscenario "b" { smi }\nscenario "c" { smi }\n').diagnostics;
    assert.deepEqual(d.map((x) => x.code), ['E203']);
    // Two checks at one token: the unknown metric and nothing else; two tokens: two diagnostics.
    assert.deepEqual(codes('scenario "s" {\n expect nope == 1\n expect nope == 1\n}\n'), ['E220', 'E220']);
  });
});
