// `A..B` in a sweep list (language.md, Sweeps): every integer from A to B, inclusive, as if
// each were listed — so the values, their checks and Compare's points are those of the list.
import * as assert from 'node:assert/strict';
import { analyze, SWEEP_RANGE_MAX } from '../../../src/core/lang/index';
import { compareScenario } from '../../../src/core/run/index';

const values = (text: string): string[][] => analyze(text).file.sweeps.flatMap((s) => s.entries.map((e) => e.values.map((v) => v.text)));

describe('language: ranges in sweep lists', () => {
  it('expands A..B inclusively, in decimal, hex and with size suffixes, mixed with listed values', () => {
    assert.deepEqual(values('sweep tlb_entries=[1, 4..6, 0x10..0x12] seed=[1K..1025]\n'), [['1', '4', '5', '6', '16', '17', '18'], ['1024', '1025']]);
    assert.deepEqual(values('sweep seed=[7..7]\n'), [['7']]);
  });

  it('checks each value as if listed: a value outside the key\'s bounds is E202 at the range', () => {
    const d = analyze('sweep tlb_entries=[0..2]\nscenario "s" { smi }\n').diagnostics;
    assert.deepEqual(d.map((x) => [x.code, x.range.start.character, x.range.end.character]), [['E202', 19, 23]]);
  });

  it('says what is wrong with a range: reversed, not integers, open, too long', () => {
    const msg = (v: string) => analyze(`sweep seed=[${v}]\nscenario "s" { smi }\n`).diagnostics.map((d) => `${d.code} ${d.message}`)[0];
    assert.match(msg('5..3')!, /^E202 expected a range of integers `A\.\.B` for `seed`, found `5\.\.3`: the end is below the start \(write `3\.\.5`\)$/);
    assert.match(msg('1.5..3')!, /its start: expected a digit.*found a `\.`/);
    assert.match(msg('1..')!, /: no end$/);
    assert.match(msg('..4')!, /^E001 .*found `\.\.`$/, 'a word cannot start with `.`: the scanner says so');
    assert.match(msg(`0..${SWEEP_RANGE_MAX}`)!, new RegExp(`${(SWEEP_RANGE_MAX + 1).toLocaleString('en-US')} values; a range gives at most ${SWEEP_RANGE_MAX.toLocaleString('en-US')}$`));
    assert.match(msg(`1..${SWEEP_RANGE_MAX}`)!, /^W302 /, 'exactly the maximum is no error (only Compare\'s point-cap warning)');
  });

  it('Compare runs one point per value of the range', () => {
    const { compiled } = analyze('sweep tlb_entries=[2..4]\nscenario "s" {\n  memslot r gpa 0 size 64K\n  touch 0 size 64K\n}\n');
    const points = compareScenario(compiled.scenarios[0]!).points.map((p) => p.config['tlb_entries']).sort();
    assert.deepEqual(points, ['2', '3', '4']);
  });
});
