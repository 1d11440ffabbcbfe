// Issue 12, quick fixes and expected results: a code action for every "did you mean"
// (E101, E201, E202, E220, E221), E203's "remove one of the two values", "add
// `expect stale > 0`" on an unexpected stale use; expected stale uses as information with
// the blame chain; pass marks that show the value. Each fix is applied to the text and the
// result analyzed again: the expectation is that the diagnostic is gone (the language's
// own rule), not a copy of the fix's output.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyze } from '../../../src/core/lang/index';
import type { FileRunResult } from '../../../src/core/run/result';
import { executeRequest } from '../../../src/editor/run/execute';
import { quickFixes, type TextEditSpec } from '../../../src/editor/fixes/quickFixes';
import { inlineMarks } from '../../../src/editor/results/inlineMarks';
import { EXPECTED_STALE_USE_CODE, STALE_USE_CODE, staleDiagnostics } from '../../../src/editor/results/staleDiagnostics';
import { check, scenario, staleUse } from './fixtures';

function apply(text: string, edits: readonly TextEditSpec[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (p: { line: number; character: number }) => (starts[p.line] ?? text.length) + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => off(b.range.start) - off(a.range.start))) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}

function fixesFor(text: string, code: string) {
  const a = analyze(text);
  const d = a.diagnostics.find((x) => x.code === code);
  assert.ok(d, `${code} in ${JSON.stringify(a.diagnostics.map((x) => x.code))}`);
  return { d, fixes: quickFixes(d, a.file, text.split('\n')) };
}

const run = (text: string): FileRunResult => {
  const out = executeRequest({ id: 1, kind: 'run', text, fileName: 'f.mmu', version: 1, settings: { defaultConfig: {}, traceLimit: 0, ghz: 3 } });
  assert.equal(out.kind, 'run');
  return out.kind === 'run' ? out.result : { file: '', scenarios: [] };
};

describe('quick fixes: did you mean', () => {
  const cases: [string, string, string][] = [
    ['E101', 'scenario "s" {\n  memslt 1 gpa 0 size 4K\n}\n', 'memslot'],
    ['E201', 'config hots=bare\nscenario "s" {\n  smi\n  rsm\n}\n', 'host'],
    ['E202', 'config host=hyprv\nscenario "s" {\n  smi\n  rsm\n}\n', 'hyperv'],
    ['E220', 'scenario "s" {\n  expect stail == 0\n}\n', 'stale'],
    ['E221', 'scenario "s" {\n  call kvm_mmu_zap_all_fas\n}\n', 'kvm_mmu_zap_all_fast'],
  ];
  for (const [code, text, word] of cases) {
    it(`${code}: one preferred fix that writes \`${word}\`, after which the file checks clean`, () => {
      const { fixes } = fixesFor(text, code);
      assert.equal(fixes.length, 1);
      assert.equal(fixes[0]!.preferred, true);
      assert.equal(fixes[0]!.title, `Change to \`${word}\``);
      const fixed = apply(text, fixes[0]!.edits);
      assert.deepEqual(analyze(fixed).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), [], fixed);
    });
  }
  it('offers nothing when there is no suggestion', () => {
    const a = analyze('scenario "s" {\n  expect zzzzzzzz == 0\n}\n');
    assert.deepEqual(quickFixes(a.diagnostics[0]!, a.file, []), []);
  });
});

describe('quick fixes: E203 removes one of the two values', () => {
  it('offers removing either value; each leaves a file without E203', () => {
    const text = 'config host=bare enlightened_tlb=on\nscenario "s" {\n  smi\n  rsm\n}\n';
    const { fixes } = fixesFor(text, 'E203');
    assert.deepEqual(fixes.map((f) => f.title).sort(), ['Remove `enlightened_tlb=on`', 'Remove `host=bare`']);
    for (const f of fixes) {
      const fixed = apply(text, f.edits);
      assert.deepEqual(analyze(fixed).diagnostics.map((d) => d.code), [], fixed);
      assert.match(fixed.split('\n')[0]!, /^config (host=bare|enlightened_tlb=on)$/);
    }
  });
  it('removes a whole config line when the value is its only entry (the other on another line)', () => {
    const text = 'config host=bare\nscenario "s" {\n  config enlightened_tlb=on\n  smi\n  rsm\n}\n';
    const { fixes } = fixesFor(text, 'E203');
    assert.equal(fixes.length, 2);
    for (const f of fixes) assert.deepEqual(analyze(apply(text, f.edits)).diagnostics.map((d) => d.code), []);
    const scenarioLine = fixes.find((f) => f.title === 'Remove `enlightened_tlb=on`')!;
    assert.equal(apply(text, scenarioLine.edits), 'config host=bare\nscenario "s" {\n  smi\n  rsm\n}\n');
  });
});

describe('quick fixes: expect stale > 0, and expected stale uses as information', () => {
  const text = readFileSync(resolve(__dirname, '../../e2e/fixtures/recycled-root.mmu'), 'utf8');
  it('an unexpected stale use is an error with a fix that adds `expect stale > 0` to its scenario', () => {
    const result = run(text);
    const [d] = staleDiagnostics(result);
    assert.equal(d!.severity, 'error');
    assert.equal(d!.code, STALE_USE_CODE);
    const fixes = quickFixes(d!, analyze(text).file, text.split('\n'));
    assert.equal(fixes.length, 1);
    const fixed = apply(text, fixes[0]!.edits);
    assert.match(fixed, /  expect ok\n  expect stale > 0\n}\n\nscenario "same with the upstream fix"/);
    // Now the scenario says it demonstrates the stale use: information, with the blame chain.
    const again = staleDiagnostics(run(fixed));
    assert.equal(again.length, 1);
    assert.equal(again[0]!.severity, 'info');
    assert.equal(again[0]!.code, EXPECTED_STALE_USE_CODE);
    assert.deepEqual(again[0]!.related.map((r) => r.message.split(':')[0]), ['fill', 'change', 'recycle']);
    assert.deepEqual(quickFixes(again[0]!, analyze(fixed).file, fixed.split('\n')), [], 'no fix for an expected use');
  });
  it('a passing bug demo from the examples leaves no error', () => {
    const demo = readFileSync(resolve(__dirname, '../../../examples/recycled-root-bug.mmu'), 'utf8');
    const result = run(demo);
    assert.ok(result.scenarios.every((s) => s.passed));
    const ds = staleDiagnostics(result);
    assert.ok(ds.length > 0, 'the demo has stale uses');
    assert.deepEqual([...new Set(ds.map((d) => d.severity))], ['info']);
  });
  it('marks an expected stale use as information from the result flag alone', () => {
    const [d] = staleDiagnostics({ file: 'f', scenarios: [scenario('demo', { stale: [staleUse(4)], staleExpected: true })] });
    assert.equal(d!.severity, 'info');
    assert.match(d!.message, /^Expected stale translation \[demo\]/);
  });
});

describe('pass marks show the value', () => {
  it('shows `✓ stale = 5` and hovers with the check and the value', () => {
    const lines = ['', '', '  expect stale > 0   # demo', '  read 0x1000 == 42'];
    const marks = inlineMarks({ file: 'f', scenarios: [scenario('s', { checks: [check(2, true, 'stale = 5', 5), check(3, true, 'read 0x1000 == 42', 42)] })] }, (l) => lines[l]);
    assert.deepEqual(marks.map((m) => m.text), ['✓ stale = 5', '✓ read 0x1000 == 42']);
    assert.equal(marks[0]!.hover, 'Passed: `expect stale > 0` — stale = 5');
  });
  it('a real run: the recycled-root demo marks `expect stale > 0` with the count it saw', () => {
    const demo = readFileSync(resolve(__dirname, '../../../examples/recycled-root-bug.mmu'), 'utf8');
    const result = run(demo);
    const lines = demo.split('\n');
    const line = lines.findIndex((l) => /^\s*expect stale > 0/.test(l));
    const mark = inlineMarks(result, (l) => lines[l]).find((m) => m.line === line)!;
    assert.equal(mark.text, `✓ stale = ${result.scenarios[0]!.metrics['stale']}`);
  });
});
