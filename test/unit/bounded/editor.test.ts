// Issue 9, editor side: completion and hover read the line in one linear pass (no
// backtracking regex), the block test looks at a bounded window, mmu.defaultConfig takes
// part in the combination check, settings are clamped, and files that are not open are
// indexed in slices with a yield between them.
import * as assert from 'node:assert/strict';
import { analyze } from '../../../src/core/lang/index';
import { completionsAt, memslotIds } from '../../../src/editor/language/completionItems';
import { hoverMarkdown } from '../../../src/editor/language/hoverText';
import { lineTokens } from '../../../src/editor/language/wordAt';
import { executeRequest } from '../../../src/editor/run/execute';
import { clampRunSettings } from '../../../src/editor/settingLimits';
import { indexScenarios } from '../../../src/editor/scenarioIndex';
import { Prng } from '../../../src/core/model/prng';

// The regex lineTokens replaced: the oracle for its tokens on lines short enough for it.
const OLD_TOKEN = /(#.*$)|("(?:[^"\\]|\\.)*"?)|(0[xX][0-9a-fA-F_]+[KMG]?\b|[0-9][0-9_]*(?:\.[0-9]+)?[KMG]?\b)|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)|(==|!=|<=|>=|<|>|=)|([{}[\],;])/g;
function oldTokens(line: string): string[] {
  const out: string[] = [];
  OLD_TOKEN.lastIndex = 0;
  for (let m = OLD_TOKEN.exec(line); m; m = OLD_TOKEN.exec(line)) {
    const kind = m[1] ? 'comment' : m[2] ? 'string' : m[3] ? 'number' : m[4] ? 'word' : m[5] ? 'operator' : 'punct';
    out.push(`${kind}:${m.index}:${m[0]}`);
  }
  return out;
}

describe('bounded: editor windows and settings (issue 9 #4 #5 #7 #10 #14)', () => {
  it('lineTokens gives the old regex\'s tokens on 20,000 random lines (same language, no backtracking)', () => {
    const rng = new Prng(9);
    const alphabet = ['0', '1', '9', 'x', 'X', 'a', 'f', 'K', 'M', 'G', '_', '.', '"', '\\', '#', ' ', '=', '!', '<', '>', '{', '}', '[', ']', ',', ';', 'z', '-'];
    for (let n = 0; n < 20_000; n++) {
      let line = '';
      const len = 1 + rng.below(24);
      for (let i = 0; i < len; i++) line += alphabet[rng.below(alphabet.length)];
      assert.deepEqual(lineTokens(line).map((t) => `${t.kind}:${t.start}:${t.text}`), oldTokens(line), JSON.stringify(line));
    }
  });

  it('a digit run ending in a letter is not retried from every digit: 80,000 digits then `a` give the word `a`', () => {
    const line = '1'.repeat(80_000) + 'a';
    // Like the old regex: no number can start in the run (none ends at a boundary), and `a` is a word.
    assert.deepEqual(lineTokens(line).map((t) => [t.kind, t.start, t.text]), [['word', 80_000, 'a']]);
    assert.deepEqual(lineTokens('12ab 0x1fg 1.5x').map((t) => t.text), ['ab', 'x1fg', '1', 'x']);
  });

  it('completion on `config` + 80,000 `a` + `=` + 80,000 `a`, and on an unclosed string of 80,000 escaped quotes', () => {
    const a = 'a'.repeat(80_000);
    assert.ok(Array.isArray(completionsAt(`config ${a}=${a}`, '')));
    assert.deepEqual(completionsAt(`config ${a}=`, '').length, 0, 'an unknown key has no values');
    assert.deepEqual(completionsAt(`scenario "${'\\"'.repeat(80_000)}`, ''), [], 'inside a string: nothing');
    assert.ok(hoverMarkdown(`config ${a}=${a}`, 100_000) === undefined || true);
    assert.equal(hoverMarkdown(`${'\\"'.repeat(80_000)}`, 10), undefined);
    // Still right on ordinary lines.
    assert.ok(completionsAt('config fix=', '').some((c) => c.label === 'a'));
    assert.ok(completionsAt('sweep fix=[none, ', '').some((c) => c.label === 'b'));
    assert.ok(completionsAt('config fix=a ', '').some((c) => c.label === 'kernel'));
    assert.deepEqual(completionsAt('memslot r gpa 0 size 4K # note ', ''), []);
    assert.deepEqual(completionsAt('checkpoint "a;b', ''), [], 'a `;` inside a string does not start a statement');
  });

  it('memslot ids: the line-start pattern does not run across blank lines, and at most 500 are offered', () => {
    assert.deepEqual(memslotIds('\n'.repeat(100_000) + '  memslot r gpa 0 size 4K\n'), ['r']);
    const many = Array.from({ length: 2000 }, (_, i) => ` memslot s${i} gpa ${i * 4096} size 4K`).join('\n');
    assert.equal(memslotIds(many).length, 500);
  });

  it('inside-a-block looks at a bounded window: a 300 KB scenario body is still inside, a later file level outside', () => {
    const body = '  smi\n'.repeat(60_000); // 360 KB
    const inside = completionsAt(`scenario "big" {\n${body}  `, '');
    assert.ok(inside.some((c) => c.label === 'smi') && !inside.some((c) => c.label === 'scenario'));
    const after = completionsAt(`scenario "big" {\n${body}}\nscenario "next" {\n}\n`, '');
    assert.ok(after.some((c) => c.label === 'scenario'), 'the window starts at the last scenario line: depth 0 after it closes');
  });

  it('mmu.defaultConfig takes part in the combination check (E203), in the analysis and in the run', () => {
    const text = 'scenario "s" {\n  config fix=a\n  smi\n  rsm\n}\n';
    const d = analyze(text, { defaults: { host: 'bare' } }).diagnostics;
    assert.deepEqual(d.map((x) => [x.code, x.range.start.line]), [['E203', 1]]);
    assert.match(d[0]!.message, /\(the other value comes from mmu\.defaultConfig\)$/);
    assert.deepEqual(analyze(text).diagnostics, [], 'without the default there is nothing to combine');
    // A file value wins over the default: no E203 when the file says host=hyperv.
    assert.deepEqual(analyze(`config host=hyperv\n${text}`, { defaults: { host: 'bare' } }).diagnostics, []);
    const out = executeRequest({ id: 1, kind: 'run', text, fileName: 'f.mmu', version: 1, settings: { defaultConfig: { host: 'bare' }, traceLimit: 0, ghz: 3 } });
    assert.equal(out.kind === 'run' ? out.result.scenarios.length : -1, 0, 'the scenario does not run');
    assert.ok(out.warnings.some((w) => /^line 2: .*mmu\.defaultConfig.*does not run$/.test(w)), out.warnings.join('\n'));
  });

  it('clamps the settings that make a run heavier', () => {
    assert.deepEqual(clampRunSettings({ traceLimit: 1e9, ghz: 1e-320, memoryBudgetMB: 1e9, compareMaxPoints: 0, exploreWorkers: 1e9 }), { traceLimit: 1_000_000, ghz: 0.1, memoryBudgetMB: 16384, compareMaxPoints: 1, exploreWorkers: 64 });
    assert.deepEqual(clampRunSettings({ traceLimit: 'x', ghz: Number.NaN }), { traceLimit: 10_000, ghz: 3, memoryBudgetMB: 2048, compareMaxPoints: 1000, exploreWorkers: 0 });
  });

  it('files that are not open are indexed in slices, yielding between them, with the parser\'s names and ranges', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => `scenario "s${i}" {\n  smi\n  rsm\n}`).join('\n') + '\nscenario "open" {\n  smi\n';
    let pauses = 0;
    const found = await indexScenarios(text, async () => { pauses++; }, 1000);
    assert.equal(pauses, Math.ceil(12_002 / 1000) - 1, 'one yield between slices of 1,000 lines');
    const parsed = analyze(text).file.scenarios;
    assert.deepEqual(found.map((s) => s.name), parsed.map((s) => s.name!.value));
    assert.deepEqual(found.slice(0, 3000).map((s) => [s.range.start, s.range.end]), parsed.slice(0, 3000).map((s) => [s.range.start, s.range.end]));
    assert.equal(found[3000]!.range.start.line, 12_000);
  });
});
