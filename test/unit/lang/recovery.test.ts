// Recovery (language.md, Errors): one typo gives one diagnostic, at the next line or
// brace the parser is back on track, and the other scenarios of the file still compile.
import * as assert from 'node:assert/strict';
import { analyze } from '../../../src/core/lang/index';

const GOOD_A = 'scenario "a" {\n  memslot 1 gpa 0x100000 size 1M\n  write 0x100000 = 1\n  read 0x100000 == 1\n}\n';
const GOOD_B = 'scenario "b" {\n  repeat 10 {\n    smi\n    rsm\n  }\n  expect ok\n}\n';

function names(text: string): string[] {
  return analyze(text).compiled.scenarios.map((s) => s.name);
}

describe('lang: recovery', () => {
  // Each typo is inserted as its own line inside scenario "t", between two good scenarios.
  const typos: Array<[string, string]> = [
    ['unknown statement', 'tuch 0x1000 size 4K'],
    ['missing argument', 'read'],
    ['bad number', 'read 0x1zz0'],
    ['unterminated string', 'checkpoint "oops'],
    ['stray character', 'smi $'],
    ['bad sweep value', 'sweep kernel=[6.2, 6.1]'],
    ['bad word', 'cr4 pge yes'],
    ['unknown metric', 'expect stail == 0'],
    ['unknown function', 'call kvm_zap'],
    ['trailing junk', 'migrate now please'],
    ['misspelt repeat with a block', 'repet 3 {\n    smi\n  }'],
    ['repeat without a count', 'repeat {\n    smi\n  }'],
    ['repeat with a bad count', 'repeat 1x {\n    smi\n  }'],
    ['sweep with a missing bracket', 'sweep tdp_mmu=[on, off'],
    ['lonely brace block', '{ smi }'],
  ];
  for (const [what, typo] of typos) {
    it(`${what}: one diagnostic, at the typo, and the other scenarios compile`, () => {
      const text = `${GOOD_A}scenario "t" {\n  smi\n  ${typo}\n  rsm\n}\n${GOOD_B}`;
      const a = analyze(text);
      const typoLine = GOOD_A.split('\n').length - 1 + 2; // 0-based line of the typo
      assert.equal(a.diagnostics.length, 1, a.diagnostics.map((d) => `${d.code}@${d.range.start.line + 1}: ${d.message}`).join('\n'));
      assert.equal(a.diagnostics[0]!.range.start.line, typoLine, a.diagnostics[0]!.message);
      assert.deepEqual(a.compiled.scenarios.map((s) => s.name), ['a', 'b']);
      // The broken scenario is still in the AST (outline and CodeLens keep showing it).
      assert.deepEqual(a.file.scenarios.map((s) => s.name?.value), ['a', 't', 'b']);
    });
  }

  // Typing a file from the top, character by character: the line being typed is the only one with an error.
  const one = (text: string): Array<[string, number]> => analyze(text).diagnostics.map((d) => [d.code, d.range.start.line + 1]);
  const BODY = '  memslot ram gpa 0 size 64K\n  repeat 2 {\n    memslot ram delete free\n    memslot ram gpa 0 size 64K\n  }\n  expect ok\n}\n';

  it('a half-typed `scenario` line (no `{` yet): one diagnostic, not one per statement of its body', () => {
    for (const head of ['scen', 'scenario', 'scenario "x']) {
      const ds = one(`${head}\n${BODY}${GOOD_A}`);
      assert.equal(ds.length, 1, `${head}: ${JSON.stringify(ds)}`);
      assert.equal(ds[0]![1], 1, head);
      assert.deepEqual(names(`${head}\n${BODY}${GOOD_A}`), ['a'], 'the next scenario still compiles');
    }
  });

  it('a `repeat N` whose `{` is not typed yet: one diagnostic, though its `}` closes the scenario early', () => {
    const text = `scenario "t" {\n  memslot ram gpa 0 size 64K\n  repeat 8\n    smi\n    rsm\n  }\n  expect ok\n  checkpoint "end"\n}\n${GOOD_A}`;
    assert.deepEqual(one(text), [['E102', 3]]);
    assert.deepEqual(names(text), ['a']);
  });

  it('a half-typed `memslot` line: no E211/E212 blamed on the memslot lines below it', () => {
    for (const typed of ['mems', 'memslot', 'memslot ra']) {
      const text = `scenario "t" {\n  ${typed}\n  write 0x1000 = 1\n  memslot ram delete free\n  memslot ram gpa 0 size 64K\n}\n`;
      assert.deepEqual(one(text), [[typed === 'mems' ? 'E101' : 'E102', 2]], typed);
    }
    // A complete but wrong memslot line keeps the checks for the other ids.
    assert.deepEqual(one('scenario "t" {\n  memslot ram gpa 0 size 1x\n  memslot other delete\n}\n').map((d) => d[0]), ['E003', 'E211']);
  });

  it('an unclosed scenario name string: only E002, no "empty name" on top', () => {
    assert.deepEqual(one('scenario "\n'), [['E002', 1]]);
    assert.deepEqual(one('scenario ""\n').map((d) => d[0]).includes('E102'), true, 'a closed empty name is still an error');
  });

  it('a scenario missing its `}` before the next scenario: one diagnostic; the next one compiles', () => {
    const text = `scenario "open" {\n  smi\n${GOOD_A}${GOOD_B}`;
    const a = analyze(text);
    assert.deepEqual(a.diagnostics.map((d) => [d.code, d.range.start.line]), [['E103', 0]]);
    assert.deepEqual(names(text), ['a', 'b']);
  });

  it('a repeat missing its `}`: one diagnostic (the scenario\'s `}` closes the repeat)', () => {
    const text = `scenario "t" {\n  repeat 2 {\n    smi\n}\n${GOOD_A}`;
    const a = analyze(text);
    assert.equal(a.diagnostics.length, 1);
    assert.equal(a.diagnostics[0]!.code, 'E103');
    assert.deepEqual(names(text), ['a']);
  });

  it('an unclosed block at end of file: one diagnostic at its `{`', () => {
    const a = analyze(`${GOOD_A}scenario "t" {\n  repeat 3 {\n    smi\n`);
    assert.deepEqual(a.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['E103', 6, 11]]);
    assert.deepEqual(a.compiled.scenarios.map((s) => s.name), ['a']);
  });

  it('two typos in different scenarios: two diagnostics, the clean scenario compiles', () => {
    const text = `scenario "x" {\n  tuch\n}\n${GOOD_A}scenario "y" {\n  read 0x1000 ==\n}\n`;
    assert.deepEqual(analyze(text).diagnostics.map((d) => d.range.start.line + 1), [2, 10]);
    assert.deepEqual(names(text), ['a']);
  });

  it('an error in a file-level config line blocks every scenario (they would run with a wrong config)', () => {
    assert.deepEqual(names(`config kernel=9.9\n${GOOD_A}${GOOD_B}`), []);
  });

  it('… also when the file-level line is too broken to parse', () => {
    assert.deepEqual(names(`config kernel=6.2 cpu\n${GOOD_A}`), []);
    assert.deepEqual(names(`sweep tdp_mmu=[on\n${GOOD_A}`), []);
  });

  it('a stray `}` or unknown word at file level does not block the scenarios', () => {
    assert.deepEqual(names(`}\n${GOOD_A}garbage here\n${GOOD_B}`), ['a', 'b']);
  });

  it('an empty file and a comment-only file are valid and have no scenarios', () => {
    for (const t of ['', '\n\n', '# nothing\n  # here']) {
      const a = analyze(t);
      assert.deepEqual(a.diagnostics, []);
      assert.deepEqual(a.compiled.scenarios, []);
    }
  });
});
