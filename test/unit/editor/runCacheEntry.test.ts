// The run cache's entries (src/editor/results/runCacheEntry.ts): restored only for the same
// text, bounded in size with the marks' and diagnostics' data always kept, and read back
// defensively (a file from another version of the extension is ignored, never thrown on).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/core/lang/index';
import { runFile } from '../../../src/core/run/index';
import { CACHE_FORMAT, MAX_ENTRY_CHARS, cacheEntry, entryFileName, readEntry, textHash } from '../../../src/editor/results/runCacheEntry';
import { exploreFile } from '../../../src/core/explore/index';
import { CHURN } from '../explore/helpers';

const text = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'recycled-root-bug.mmu'), 'utf8');
const uri = 'file:///w/recycled-root-bug.mmu';

describe('run cache entries', () => {
  const result = runFile(analyze(text).compiled, 'recycled-root-bug.mmu', { trace: true });

  it('hashes texts apart: one character changed, or moved, is another text', () => {
    const h = textHash(text);
    assert.equal(textHash(text), h, 'deterministic');
    assert.notEqual(textHash(text.replace('repeat', 'repeaT')), h);
    assert.notEqual(textHash(`${text} `), h);
    assert.notEqual(textHash('ab'), textHash('ba'));
    assert.match(entryFileName(uri), /^[0-9a-f]+\.json$/);
  });

  it('round-trips a run for the same URI and text, and refuses another text, URI or format', () => {
    const made = cacheEntry(uri, textHash(text), result)!;
    assert.ok(made.json.length <= MAX_ENTRY_CHARS);
    assert.equal(made.entry.trimmed, undefined, 'a small run is kept whole');
    const back = readEntry(made.json, uri, textHash(text))!;
    assert.deepEqual(back.result, JSON.parse(JSON.stringify(result)));
    assert.equal(readEntry(made.json, uri, textHash(`${text}\n`)), undefined, 'the text changed');
    assert.equal(readEntry(made.json, 'file:///w/other.mmu', textHash(text)), undefined);
    assert.equal(readEntry(made.json.replace(`"format":${CACHE_FORMAT}`, '"format":0'), uri, textHash(text)), undefined);
    assert.equal(readEntry('{not json', uri, textHash(text)), undefined);
    assert.equal(readEntry(JSON.stringify({ ...made.entry, result: { file: 'x', scenarios: [{ name: 'n' }] } }), uri, textHash(text)), undefined);
  });

  it('drops the trace first, then the timeline, to fit the bound; checks, failures and stale uses stay', () => {
    const s = result.scenarios[0]!;
    // A trace far over the bound: 4,000,000 characters take about 40,000 events of ~100 characters.
    const ev = { seq: 0, fn: 'kvm_tdp_mmu_map', path: ['vcpu_enter_guest', 'kvm_mmu_page_fault'], line: 3, vcpu: 0, detail: 'x'.repeat(60) };
    const heavy = { file: result.file, scenarios: [{ ...s, trace: Array.from({ length: 60_000 }, (_, i) => ({ ...ev, seq: i })) }] };
    const made = cacheEntry(uri, 'h', heavy)!;
    assert.ok(made.json.length <= MAX_ENTRY_CHARS, `${made.json.length} characters`);
    assert.equal(made.entry.trimmed, 'the trace');
    const kept = made.entry.result.scenarios[0]!;
    assert.deepEqual(kept.trace, []);
    assert.deepEqual([kept.checks, kept.failures, kept.stale, kept.snapshots.length], [s.checks, s.failures, s.stale, s.snapshots.length]);
    assert.ok(kept.notes.some((n) => n.includes('trace not kept')));
  });

  it('keeps the explore blocks\' searches with the run (or alone), and refuses a malformed one', async function () {
    this.timeout(60_000);
    const explored = (await exploreFile(analyze(CHURN).compiled, 'churn.mmu')).explorations;
    assert.equal(explored[0]!.verdict, 'violation');
    const both = cacheEntry(uri, textHash(text), result, undefined, explored)!;
    const back = readEntry(both.json, uri, textHash(text))!;
    assert.deepEqual(back.explorations, JSON.parse(JSON.stringify(explored)));
    assert.equal(back.explorations![0]!.counterexample!.scenario, explored[0]!.counterexample!.scenario);
    const alone = readEntry(cacheEntry(uri, textHash(text), { file: '/w/x.mmu', scenarios: [] }, undefined, explored)!.json, uri, textHash(text))!;
    assert.deepEqual([alone.result.scenarios.length, alone.explorations!.length], [0, explored.length]);
    assert.equal(cacheEntry(uri, textHash(text), result)!.entry.explorations, undefined, 'no searches, no field');
    const bad = JSON.stringify({ ...both.entry, explorations: [{ name: 'churn', line: 1, verdict: 'maybe', summary: '' }] });
    assert.equal(readEntry(bad, uri, textHash(text)), undefined);
  });
});
