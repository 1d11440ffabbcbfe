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
