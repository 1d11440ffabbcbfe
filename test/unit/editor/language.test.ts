// Hover, completion, numbers, outline and CodeLens anchors (the pure modules behind the
// providers). Expected texts come from schema.ts (the single vocabulary) and the
// language reference.
import * as assert from 'node:assert/strict';
import { analyze } from '../../../src/core/lang/index';
import { CONFIG_BY_KEY, KERNEL_FUNCTIONS, METRICS, STATEMENT_DOCS } from '../../../src/core/lang/schema';
import { completionsAt, memslotIds } from '../../../src/editor/language/completionItems';
import { hoverMarkdown } from '../../../src/editor/language/hoverText';
import { describeNumber, parseNumberLiteral, sizeUnit } from '../../../src/editor/language/numberFormat';
import { documentSymbols, foldingRanges, lensAnchors } from '../../../src/editor/language/outline';

const hoverAt = (line: string, word: string, nth = 0) => {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = line.indexOf(word, at + 1);
  assert.ok(at >= 0, `"${word}" in "${line}"`);
  return hoverMarkdown(line, at)?.markdown;
};

describe('editor language: numbers', () => {
  it('parses the language\'s number forms (size suffixes are powers of 1024)', () => {
    assert.equal(parseNumberLiteral('4096'), 4096);
    assert.equal(parseNumberLiteral('0xffff_f000'), 0xfffff000);
    assert.equal(parseNumberLiteral('64M'), 64 * 1024 * 1024);
    assert.equal(parseNumberLiteral('4K'), 4096);
    assert.equal(parseNumberLiteral('ram'), undefined);
  });

  it('describes a number in hex, decimal, size and 4K pages', () => {
    assert.equal(sizeUnit(2 * 1024 * 1024), '2M');
    assert.equal(sizeUnit(4097), undefined);
    const lines = describeNumber(0x200000).join('\n');
    assert.match(lines, /`0x200000` · `2,097,152`/);
    assert.match(lines, /size: `2M`/);
    assert.match(lines, /512 pages of 4K · as an address: gfn `0x200`/);
    assert.match(describeNumber(0x100010).join('\n'), /gfn `0x100` \+ offset `0x10`/);
  });
});

describe('editor language: hover', () => {
  it('explains statements with their domain section', () => {
    const md = hoverAt('  memslot ram delete free', 'memslot')!;
    assert.ok(md.includes(STATEMENT_DOCS['memslot']!));
    assert.match(md, /Kernel reference:\* \[Fast zap\]\(docs\/kernel-reference\.md#fast-zap\) \(domain §5 #1\)/);
    assert.ok(hoverAt('  vcpu 1 read 0x1000', 'read')!.includes(STATEMENT_DOCS['read']!));
    assert.ok(hoverAt('  vcpu 1 read 0x1000', 'vcpu')!.includes(STATEMENT_DOCS['vcpu']!));
  });

  it('explains config keys (default, values) and config values', () => {
    const key = hoverAt('config kernel=6.2 tdp_mmu=on', 'kernel')!;
    assert.match(key, /config `kernel`\*\* — default `6\.2`; values: `5\.17`, `6\.2`, `6\.3`, `6\.4`/);
    const value = hoverAt('config kernel=6.2 tdp_mmu=on', '6.2')!;
    assert.ok(value.includes(CONFIG_BY_KEY.get('kernel')!.valueDocs!['6.2']!));
    assert.match(value, /§2\.5, §5 #3/);
    const sweep = hoverAt('sweep fix=[none, a, b]', 'b')!;
    assert.ok(sweep.includes(CONFIG_BY_KEY.get('fix')!.valueDocs!['b']!));
    assert.match(hoverAt('config vcpus=4', 'vcpus')!, /values: 1\.\.64/);
  });

  it('explains every metric and every kernel function', () => {
    for (const m of METRICS) assert.ok(hoverAt(`expect ${m.name} == 0`, m.name)!.includes(m.doc), m.name);
    for (const f of KERNEL_FUNCTIONS) assert.ok(hoverAt(`call ${f.name}`, f.name)!.includes(f.doc), f.name);
  });

  it('explains modifiers and the touch form of write', () => {
    assert.match(hoverAt('memslot ram delete free', 'free')!, /L1 allocator/);
    assert.match(hoverAt('touch 0 size 4K write', 'write')!, /stores instead of loads/);
    assert.match(hoverAt('expect ok', 'ok')!, /no stale translation use/);
  });

  it('shows numbers in hex, decimal and pages, and stays quiet in comments and strings', () => {
    assert.match(hoverAt('read 0x100000', '0x100000')!, /`0x100000` · `1,048,576`[\s\S]*256 pages of 4K/);
    assert.equal(hoverAt('read 1  # memslot here', 'memslot'), undefined);
    assert.equal(hoverAt('checkpoint "read it"', 'read'), undefined);
  });
});

describe('editor language: completion', () => {
  const labels = (before: string, full = before) => completionsAt(before, full).map((c) => c.label);

  it('offers file-level keywords outside a scenario and statements inside one', () => {
    assert.deepEqual(labels('').sort(), ['config', 'let', 'scenario', 'sweep'], 'let is a file-level statement too (issue 12)');
    const inside = labels('scenario "s" {\n  ');
    for (const s of ['read', 'write', 'memslot', 'call', 'expect', 'repeat', 'checkpoint', 'config']) assert.ok(inside.includes(s), s);
    assert.ok(!inside.includes('scenario'));
    const read = completionsAt('scenario "s" {\n  ', '').find((c) => c.label === 'read')!;
    assert.equal(read.insertText, 'read ${1:0x100000}', 'statements insert their shape with tab stops');
  });

  it('offers config keys, then the key\'s values (config and sweep)', () => {
    assert.deepEqual(labels('config ').sort(), [...CONFIG_BY_KEY.keys()].sort());
    assert.deepEqual(labels('config host='), ['bare', 'hyperv']);
    assert.deepEqual(labels('config host=bare cpu=v'), ['svm', 'vmx']);
    assert.deepEqual(labels('sweep fix=[none, '), ['none', 'a', 'b']);
    assert.deepEqual(labels('config vcpus='), ['1']);
  });

  it('offers metrics and operators after expect, metrics after print', () => {
    const afterExpect = labels('  expect ');
    assert.equal(afterExpect[0], 'ok');
    assert.deepEqual(afterExpect.slice(1), METRICS.map((m) => m.name));
    assert.deepEqual(labels('  expect stale '), ['==', '!=', '<', '<=', '>', '>=']);
    assert.deepEqual(labels('  print '), METRICS.map((m) => m.name));
  });

  it('offers kernel functions after call, and root after hyperv_flush_guest_mapping', () => {
    assert.deepEqual(labels('  call '), KERNEL_FUNCTIONS.map((f) => f.name));
    assert.deepEqual(labels('  vcpu 1 call kvm_'), KERNEL_FUNCTIONS.map((f) => f.name));
    assert.deepEqual(labels('  call hyperv_flush_guest_mapping '), ['root']);
  });

  it('offers the memslot ids defined in the file, then what can follow', () => {
    const text = 'scenario "s" {\n  memslot ram gpa 0x100000 size 2M\n  memslot 2 gpa 0x400000 size 4K\n  memslot ';
    assert.deepEqual(memslotIds(text), ['ram', '2']);
    assert.deepEqual(labels(text), ['ram', '2']);
    assert.deepEqual(labels('  memslot ram '), ['delete', 'move', 'dirty_log', 'clear_dirty_log', 'gpa']);
    assert.deepEqual(labels('  memslot ram delete '), ['free']);
  });

  it('offers nothing inside comments and strings', () => {
    assert.deepEqual(labels('  # call '), []);
    assert.deepEqual(labels('  checkpoint "call '), []);
  });
});

describe('editor language: outline, folding, CodeLens anchors', () => {
  const text = [
    'config host=hyperv',                      // 0
    'scenario "first" {',                      // 1
    '  memslot ram gpa 0x100000 size 2M',      // 2
    '  checkpoint "start"',                    // 3
    '  repeat 2 {',                            // 4
    '    checkpoint "in loop"',                // 5
    '  }',                                     // 6
    '}',                                       // 7
    '# a comment',                             // 8
    '# more',                                  // 9
    'scenario "second" {',                     // 10
    '  expect ok',                             // 11
    '}',                                       // 12
  ].join('\n');

  it('lists scenarios with their checkpoints (also inside repeat)', () => {
    const syms = documentSymbols(analyze(text).file);
    assert.deepEqual(syms.map((s) => s.name), ['first', 'second']);
    assert.deepEqual(syms[0]!.children.map((c) => c.name), ['start', 'repeat 2']);
    assert.deepEqual(syms[0]!.children[1]!.children.map((c) => c.name), ['in loop']);
    assert.equal(syms[0]!.range.start.line, 1);
    assert.equal(syms[0]!.range.end.line, 7);
  });

  it('folds scenario and repeat blocks and comment runs', () => {
    const folds = foldingRanges(analyze(text).file, text).map((f) => [f.start, f.end, f.kind ?? '']);
    assert.deepEqual(folds.sort((a, b) => (a[0] as number) - (b[0] as number)), [[1, 6, ''], [4, 5, ''], [8, 9, 'comment'], [10, 11, '']]);
  });

  it('anchors lenses at scenario lines and keeps them while the text does not parse', () => {
    const a = analyze(text);
    const anchors = lensAnchors(a.file, false, undefined);
    assert.deepEqual(anchors, [{ scenario: 'first', line: 1 }, { scenario: 'second', line: 10 }]);
    const typing = analyze('\n\n' + text.replace('expect ok', 'expect o'));
    assert.ok(typing.diagnostics.some((d) => d.severity === 'error'), 'the edit is an error');
    assert.deepEqual(lensAnchors(typing.file, true, anchors), anchors, 'no jump while the parse fails');
    const fixed = analyze('\n\n' + text);
    assert.deepEqual(lensAnchors(fixed.file, false, anchors).map((x) => x.line), [3, 12], 'moves once it parses');
  });
});
