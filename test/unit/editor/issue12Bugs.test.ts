// Issue 12's bugs: duplicate scenario names (unique Test Explorer ids, E210 still the
// diagnostic, the others still run), the recycled-root snippet's placeholder name, the
// status bar counting scenarios that did not run, completion after `vcpu N ` and of
// modifiers, and E220/E221 putting the suggestion before the list.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyze } from '../../../src/core/lang/index';
import { GUEST_KEYWORDS } from '../../../src/core/lang/parser';
import { executeRequest } from '../../../src/editor/run/execute';
import { completionsAt } from '../../../src/editor/language/completionItems';
import { resultFor, scenarioItemIds } from '../../../src/editor/results/scenarioIds';
import { verdictText } from '../../../src/editor/results/testOutcome';
import { scenario } from './fixtures';

const ROOT = resolve(__dirname, '../../..');
const DUP = [
  'scenario "same" {', '  memslot 1 gpa 0 size 64K', '  write 0x1000 = 1', '  read 0x1000 == 1', '}',
  'scenario "other" {', '  memslot 1 gpa 0 size 64K', '  expect stale == 0', '}',
  'scenario "same" {', '  memslot 1 gpa 0 size 64K', '  expect stale == 0', '}',
].join('\n');

describe('issue 12 bugs: duplicate scenario names', () => {
  it('gives every scenario its own test item id, the first keeping uri#name', () => {
    const ids = scenarioItemIds('file:///d.mmu', [{ name: 'same', line: 0 }, { name: 'other', line: 5 }, { name: 'same', line: 9 }, { name: 'same', line: 9 }]);
    assert.equal(new Set(ids).size, 4);
    assert.equal(ids[0], 'file:///d.mmu#same');
    assert.equal(ids[1], 'file:///d.mmu#other');
    assert.equal(ids[2], 'file:///d.mmu#same@10');
  });

  it('keeps E210 as the diagnostic and runs the other scenarios, matched by name and line', () => {
    const a = analyze(DUP);
    assert.deepEqual(a.diagnostics.map((d) => [d.code, d.range.start.line]), [['E210', 9]]);
    const out = executeRequest({ id: 1, kind: 'run', text: DUP, fileName: 'd.mmu', version: 1, scenarios: ['same', 'other'], settings: { defaultConfig: {}, traceLimit: 0, ghz: 3 } });
    assert.equal(out.kind, 'run');
    const results = out.kind === 'run' ? out.result.scenarios : [];
    // The first "same" (line 0) and "other" ran and passed; the duplicate at line 9 has no result.
    assert.equal(resultFor(results, { name: 'same', line: 0 })?.passed, true);
    assert.equal(resultFor(results, { name: 'other', line: 5 })?.passed, true);
    assert.equal(resultFor(results, { name: 'same', line: 9 }), undefined);
  });

  it('the recycled-root snippet inserted into its example file adds no duplicate name', () => {
    const snippets = JSON.parse(readFileSync(resolve(ROOT, 'media/snippets.json'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
    const snip = Object.values(snippets).find((s) => s.prefix === 'recycled-root')!;
    const example = readFileSync(resolve(ROOT, 'examples/recycled-root-bug.mmu'), 'utf8');
    const line = example.split('\n').length + 1;
    // Expand as VS Code does: a placeholder's default, a choice's first value, $TM_LINE_NUMBER (1-based).
    const body = snip.body.join('\n')
      .replace(/\$TM_LINE_NUMBER/g, String(line))
      .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
      .replace(/\$\{\d+:([^}]*)\}/g, '$1')
      .replace(/\$\d+/g, '');
    const codes = analyze(`${example}\n${body}\n`).diagnostics.map((d) => d.code);
    assert.ok(!codes.includes('E210'), codes.join(','));
    assert.deepEqual(codes.filter((c) => c.startsWith('E')), []);
  });
});

describe('issue 12 snippets for loop variables', () => {
  it('ncr3-cycle and for expand to statements that check clean inside a scenario', () => {
    const snippets = JSON.parse(readFileSync(resolve(ROOT, 'media/snippets.json'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
    for (const prefix of ['ncr3-cycle', 'for']) {
      const snip = Object.values(snippets).find((s) => s.prefix === prefix)!;
      // Expand as VS Code does: a placeholder's default, a mirror ($1) repeats it, $0 is empty.
      const defaults = new Map<string, string>();
      let body = snip.body.join('\n').replace(/\$\{(\d+):([^}]*)\}/g, (_m, n: string, v: string) => { defaults.set(n, v); return v; });
      body = body.replace(/\$(\d+)/g, (_m, n: string) => defaults.get(n) ?? '');
      const text = `config host=hyperv cpu=svm\nscenario "s" {\n  memslot 1 gpa 0 size 4M\n${body}\n}\n`;
      assert.deepEqual(analyze(text).diagnostics.map((d) => `${d.code} ${d.message}`), [], text);
    }
  });
});

describe('issue 12 bugs: status bar counts scenarios that did not run', () => {
  it('says "did not run" for a file scenario without a result, and is not green', () => {
    const inFile = [{ name: 'a', line: 0 }, { name: 'b', line: 5 }, { name: 'c', line: 9 }];
    const v = verdictText([scenario('a', { line: 0 }), scenario('b', { line: 5 })], inFile);
    assert.equal(v.text, '$(warning) MMU 2/3 passed · 1 did not run');
    assert.match(v.tooltip, /c \(line 10\): did not run/);
    const all = verdictText([scenario('a', { line: 0 })], [{ name: 'a', line: 0 }]);
    assert.equal(all.text, '$(pass) MMU 1/1 passed');
    const failedToo = verdictText([scenario('a', { line: 0, passed: false })], inFile);
    assert.equal(failedToo.text, '$(error) MMU 1/3 failed · 2 did not run');
    const cancelled = verdictText([scenario('a', { line: 0, cancelled: true, passed: false })], [{ name: 'a', line: 0 }]);
    assert.equal(cancelled.text, '$(warning) MMU 0/1 passed · 1 cancelled');
  });
});

describe('issue 12 bugs: completion', () => {
  const labels = (line: string) => completionsAt(`scenario "s" {\n  ${line}`, '').map((c) => c.label);
  it('offers the guest statements (and only those) after `vcpu N `', () => {
    const got = labels('vcpu 1 ');
    assert.deepEqual([...got].sort(), [...GUEST_KEYWORDS].sort());
  });
  it('offers modifiers: ncr3, free, readonly, noflush, pattern and touch options', () => {
    assert.deepEqual(labels('nested vmrun '), ['ncr3']);
    assert.deepEqual(labels('vcpu 1 nested vmrun '), ['ncr3']);
    assert.deepEqual(labels('nested vmexit '), []);
    assert.deepEqual(labels('memslot ram delete '), ['free']);
    assert.deepEqual(labels('memslot ram gpa 0x1000 size 4K '), ['readonly', 'hugepages']);
    assert.deepEqual(labels('memslot ram gpa 0x1000 size 4K hugepages '), ['readonly']);
    assert.deepEqual(labels('cr3 0x1000 '), ['noflush']);
    assert.deepEqual(labels('verify 0x1000 size 4K '), ['pattern']);
    assert.deepEqual(labels('touch 0x1000 size 4K '), ['stride', 'count', 'random', 'write']);
    assert.deepEqual(labels('touch 0x1000 size 4K random '), ['stride', 'count', 'write']);
    assert.deepEqual(labels('touch 0x1000 size 4K stride '), [], 'a number comes after stride');
    assert.deepEqual(labels('touch 0x1000 size '), [], 'a size comes after size');
  });
});

describe('issue 12 bugs: the suggestion comes before the list', () => {
  it('E220 and E221 start with the did-you-mean, the list after', () => {
    const [m] = analyze('scenario "s" {\n  expect stail == 0\n}\n').diagnostics;
    assert.equal(m!.code, 'E220');
    assert.match(m!.message, /^found `stail`; did you mean `stale`\? \(expected a metric: stale, /);
    const [f] = analyze('scenario "s" {\n  call kvm_mmu_zap_al\n}\n').diagnostics;
    assert.equal(f!.code, 'E221');
    assert.match(f!.message, /^found `kvm_mmu_zap_al`; did you mean `kvm_mmu_zap_all_fast`\?/);
  });
});
