// Issue 12 in the editor: hover shows a `let`'s value, a loop variable's range and an
// expression's value range; the outline lists the `let`s; completion offers `let`, `for`,
// `as` and `in`. Ranges follow the language reference: `repeat N as i` is 0..N-1, a `for`
// variable takes the list's values.
import * as assert from 'node:assert/strict';
import { analyze } from '../../../src/core/lang/index';
import { completionsAt } from '../../../src/editor/language/completionItems';
import { documentSymbols } from '../../../src/editor/language/outline';
import { expressionHover, withLets } from '../../../src/editor/symbols/variables';

const TEXT = [
  'let base = 0x100000', // 0
  'scenario "five nCR3s" {', // 1
  '  let n = 5', // 2
  '  repeat n as i {', // 3
  '    nested vmrun ncr3 base + i * 0x1000', // 4
  '  }', // 5
  '  for s in [1, 3, 2] {', // 6
  '    write 0x1000 + s * 8 = s', // 7
  '  }', // 8
  '}', // 9
].join('\n');

const hoverAt = (line: number, word: string, nth = 0) => {
  const text = TEXT.split('\n')[line]!;
  let at = -1;
  for (let k = 0; k <= nth; k++) at = text.indexOf(word, at + 1);
  assert.ok(at >= 0);
  return expressionHover(analyze(TEXT).file, { line, character: at })?.markdown;
};

describe('editor: variables in hover, outline and completion', () => {
  it('hover on a let (definition or use) shows its value', () => {
    assert.match(hoverAt(0, 'base')!, /^\*\*let `base`\*\* = `0x100000` \(a constant; 1 use\)/);
    assert.match(hoverAt(4, 'base')!, /let `base`/);
    assert.match(hoverAt(3, 'n')!, /let `n`\*\* = `5`/);
  });

  it('hover on a loop index shows 0..N-1, on a for variable its values and range', () => {
    assert.match(hoverAt(3, 'i')!, /loop index `i`\*\* — values `0`\.\.`4`/);
    assert.match(hoverAt(4, 'i', 0)!, /loop index `i`/);
    assert.match(hoverAt(6, 's')!, /for `s`\*\* in `\[1, 3, 2\]` \(3 values\) — range `1`\.\.`3`/);
  });

  it('hover on an expression over a loop variable shows the values it can take', () => {
    // base + i * 0x1000 for i in 0..4: 0x100000..0x104000.
    const md = hoverAt(4, '*')!;
    assert.equal(md, '**`base + i * 0x1000`** — values `0x100000`..`0x104000` over the loop (each checked when the statement runs)');
    // A write's address is made from its tokens when read (not an own property of the node): still found.
    assert.match(hoverAt(7, '*')!, /^\*\*`0x1000 \+ s \* 8`\*\* — values `0x1008`\.\.`0x1018` over the loop/);
  });

  it('the outline lists file-level and scenario-level lets', () => {
    const file = analyze(TEXT).file;
    const symbols = withLets(documentSymbols(file), file);
    assert.deepEqual(symbols.map((s) => [s.kind, s.name]), [['let', 'base'], ['scenario', 'five nCR3s']]);
    assert.deepEqual(symbols[0]!.detail, '= 0x100000');
    assert.deepEqual(symbols[1]!.children.map((c) => [c.kind, c.name, c.detail]), [['let', 'n', '= 5']]);
  });

  it('completion offers let at file level, let and for inside, `as` after repeat N and `in` after for NAME', () => {
    const labels = (before: string) => completionsAt(before, before).map((c) => c.label);
    assert.ok(labels('').includes('let'));
    const inside = labels('scenario "s" {\n  ');
    assert.ok(inside.includes('let') && inside.includes('for'));
    assert.deepEqual(labels('scenario "s" {\n  repeat 5 '), ['as']);
    assert.deepEqual(labels('scenario "s" {\n  for x '), ['in']);
  });
});
