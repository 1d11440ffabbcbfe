// Seeded fuzzing (product.md, Bad input): thousands of random mutations of valid files
// never throw, and every diagnostic has a range inside the text with a code and a message.
import * as assert from 'node:assert/strict';
import { analyze, CODE_LIST } from '../../../src/core/lang/index';

/** mulberry32: a tiny deterministic PRNG (same seed → same mutations → same failures). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [
  `# seed file 1
config host=hyperv cpu=svm kernel=6.2
sweep tdp_mmu=[on, off] enlightened_tlb=[on, off]

scenario "recycled root" {
  config vcpus=2 allocator=lifo
  memslot 1 gpa 0x100000 size 64M
  write 0x100000 = 0xdead
  vcpu 1 read 0x100000 == 0xdead
  repeat 1000 {
    memslot 1 delete free; memslot 1 gpa 0x100000 size 64M
    smi
    rsm
  }
  checkpoint "after churn"
  expect stale == 0
  expect ok
}
`,
  `scenario "everything" {
  memslot ram gpa 0x0 size 1M readonly
  memslot ram dirty_log on
  memslot ram move 0x200000
  unmap 0x200000 size 4K
  write 0x200000 size 64K pattern abc
  verify 0x200000 size 64K pattern abc
  touch 0x200000 size 1M stride 64 count 100 random write
  cr4 pge off; cr3 0x1000 noflush
  nested vmrun
  nested vmexit
  avic on
  migrate
  reset
  call hyperv_flush_guest_mapping root
  call kvm_mmu_zap_all_fast
  print hypercalls.flush_space
  expect npf.l0 >= 1
  memslot ram delete
}
scenario "second" { repeat 3 { smi } }
`,
];

const TOKENS = ['{', '}', '[', ']', '"', '=', '==', ';', '\n', '#', 'scenario', 'repeat', 'vcpu', 'config', 'sweep', 'memslot',
  '0x', '0x1_', '99999999999999999999999', '4k', 'K', '\\', '\r', '\t', '"x', 'é', '\u0000', '-', '!', '<=', 'read', 'call', 'root'];

function mutate(text: string, rnd: () => number): string {
  const steps = 1 + Math.floor(rnd() * 4);
  let t = text;
  for (let s = 0; s < steps; s++) {
    const at = Math.floor(rnd() * (t.length + 1));
    switch (Math.floor(rnd() * 6)) {
      case 0: t = t.slice(0, at) + t.slice(at + 1 + Math.floor(rnd() * 8)); break; // delete chars
      case 1: t = t.slice(0, at) + String.fromCharCode(32 + Math.floor(rnd() * 95)) + t.slice(at); break; // insert a char
      case 2: { const n = 1 + Math.floor(rnd() * 20); t = t.slice(0, at) + t.slice(at, at + n) + t.slice(at); break; } // duplicate
      case 3: { // swap two lines
        const lines = t.split('\n');
        const i = Math.floor(rnd() * lines.length);
        const j = Math.floor(rnd() * lines.length);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        t = lines.join('\n');
        break;
      }
      case 4: t = t.slice(0, at) + TOKENS[Math.floor(rnd() * TOKENS.length)]! + t.slice(at); break; // insert a token
      default: t = t.slice(0, at); break; // truncate
    }
  }
  return t;
}

/** Line lengths, so a range can be checked against the text (all line-break styles). */
function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

describe('lang: fuzz', () => {
  const known = new Set(CODE_LIST.map((c) => c.code));

  it('5000 seeded mutations never throw and give well-formed diagnostics inside the text', function () {
    this.timeout(60000);
    const rnd = prng(20260225);
    let withDiagnostics = 0;
    for (let i = 0; i < 5000; i++) {
      const text = mutate(SEEDS[i % SEEDS.length]!, rnd);
      let a;
      try {
        a = analyze(text);
      } catch (e) {
        assert.fail(`analyze threw on mutation ${i}: ${(e as Error).stack}\n--- text ---\n${text}`);
      }
      const lens = lineLengths(text);
      if (a.diagnostics.length) withDiagnostics++;
      for (const d of a.diagnostics) {
        const { start, end } = d.range;
        const where = `mutation ${i}, ${d.code} ${JSON.stringify(d.range)}: ${d.message}\n--- text ---\n${text}`;
        assert.ok(known.has(d.code), `unknown code: ${where}`);
        assert.ok(d.message.length > 0 && !/undefined|NaN|\[object/.test(d.message), `bad message: ${where}`);
        assert.ok(start.line >= 0 && start.line < lens.length && end.line < lens.length, `line outside the text: ${where}`);
        assert.ok(start.character >= 0 && start.character <= lens[start.line]!, `start outside its line: ${where}`);
        assert.ok(end.character <= lens[end.line]!, `end outside its line: ${where}`);
        assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `inverted range: ${where}`);
      }
      // Compiled ops stay well-formed: every repeat points past its matching end_repeat.
      for (const s of a.compiled.scenarios) {
        s.ops.forEach((o, idx) => {
          if (o.k === 'repeat') {
            const e = s.ops[o.end - 1];
            assert.ok(e && e.k === 'end_repeat' && e.start === idx, `bad repeat link in mutation ${i}`);
          }
        });
      }
    }
    // The mutations are not too gentle: most of them produce at least one diagnostic.
    assert.ok(withDiagnostics > 2500, `only ${withDiagnostics} of 5000 mutations had diagnostics`);
  });

  it('random printable garbage never throws', () => {
    const rnd = prng(7);
    for (let i = 0; i < 1000; i++) {
      let t = '';
      const n = Math.floor(rnd() * 200);
      for (let k = 0; k < n; k++) t += String.fromCharCode(rnd() < 0.1 ? 10 : 32 + Math.floor(rnd() * 95));
      assert.doesNotThrow(() => analyze(t));
    }
  });

  it('the seed files themselves are valid', () => {
    for (const s of SEEDS) assert.deepEqual(analyze(s).diagnostics, []);
  });
});

describe('lang: pathological inputs', () => {
  it('100,000 nested repeat blocks: no stack overflow, one E110 at the first block too deep', () => {
    const depth = 100000;
    const text = `scenario "deep" {\n${'repeat 1 {\n'.repeat(depth)}smi\n${'}\n'.repeat(depth)}}\nscenario "after" { rsm }\n`;
    const a = analyze(text);
    assert.deepEqual(a.diagnostics.map((d) => [d.code, d.range.start.line]), [['E110', 64]]);
    assert.deepEqual(a.compiled.scenarios.map((s) => s.name), ['after']);
  });

  it('63 nested repeats are fine (the scenario block is level 1)', () => {
    const text = `scenario "ok" {\n${'repeat 2 {\n'.repeat(63)}smi\n${'}\n'.repeat(63)}}\n`;
    const a = analyze(text);
    assert.deepEqual(a.diagnostics, []);
    assert.equal(a.compiled.scenarios[0]!.ops.length, 63 * 2 + 1);
  });

  it('100,000 unclosed `{` at file level and a 1 MB line do not throw', () => {
    assert.doesNotThrow(() => analyze('{'.repeat(100000)));
    assert.doesNotThrow(() => analyze(`scenario "x" { ${'smi; '.repeat(200000)} }`));
  });
});
