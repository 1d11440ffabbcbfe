// Results → inline marks, stale-use diagnostics, Test Explorer messages and the status
// bar verdict. Inputs are hand-built results; expectations follow the wording
// (a mark per checked line with the seen value on failure; a diagnostic per stale access
// with the blame chain fill → change → recycle as related locations).
import * as assert from 'node:assert/strict';
import { inlineMarks } from '../../../src/editor/results/inlineMarks';
import { STALE_USE_CODE, staleDiagnostics } from '../../../src/editor/results/staleDiagnostics';
import { testOutcome, verdictText } from '../../../src/editor/results/testOutcome';
import { check, scenario, staleUse } from './fixtures';

describe('editor mapping: inline marks', () => {
  it('puts one mark per checked line, passed or failed with the message and seen value', () => {
    const marks = inlineMarks({ file: 'f.mmu', scenarios: [scenario('s', {
      checks: [check(4, true, 'read 0x100000 == 0x1111'), check(9, false, 'expected 0x0, found 0x1111', 0x1111)],
    })] });
    assert.deepEqual(marks.map((m) => [m.line, m.passed]), [[4, true], [9, false]]);
    assert.match(marks[0]!.text, /^✓/);
    assert.match(marks[1]!.text, /^✗ expected 0x0, found 0x1111 — seen 0x1111$/);
  });

  it('does not repeat the seen value when the message already says it', () => {
    const [m] = inlineMarks({ file: 'f', scenarios: [scenario('s', { checks: [check(2, false, 'expected 0, seen 5', 5)] })] });
    assert.equal(m!.text, '✗ expected 0, seen 5');
  });

  it('folds the runs of a check inside repeat into one mark that counts failures', () => {
    const checks = [check(6, true, 'ok'), check(6, false, 'stale == 1, expected 0', 1), check(6, false, 'stale == 2, expected 0', 2)];
    const [m] = inlineMarks({ file: 'f', scenarios: [scenario('s', { checks })] });
    assert.equal(m!.passed, false);
    assert.match(m!.text, /^✗ stale == 1, expected 0 — seen 1 \(2 of 3 failed\)$/);
  });

  it('marks a line passed ×N when every run passed', () => {
    const [m] = inlineMarks({ file: 'f', scenarios: [scenario('s', { checks: [check(1, true, 'a'), check(1, true, 'a')] })] });
    assert.equal(m!.text, '✓ a ×2');
  });
});

describe('editor mapping: stale-use diagnostics', () => {
  it('gives one error at the access with the blame chain as related information', () => {
    const [d, ...rest] = staleDiagnostics({ file: 'f', scenarios: [scenario('recycled root', { stale: [staleUse(10)] })] });
    assert.equal(rest.length, 0);
    assert.equal(d!.severity, 'error');
    assert.equal(d!.code, STALE_USE_CODE);
    assert.deepEqual(d!.range, { start: { line: 10, character: 2 }, end: { line: 10, character: 18 } });
    assert.match(d!.message, /vCPU 0 used gfn 0x100 through a stale L0 shadow entry and reached host page 0x5000, but L1's tables map it to host page 0x7000/);
    assert.deepEqual(d!.related.map((r) => r.range.start.line), [3, 5, 7]);
    assert.deepEqual(d!.related.map((r) => r.message.split(':')[0]), ['fill', 'change', 'recycle']);
  });

  it('says when L1 no longer maps the page, and counts repeated uses at one line', () => {
    const uses = [staleUse(4, { truth: null, source: 'tlb' }), staleUse(4, { truth: null, source: 'tlb' })];
    const ds = staleDiagnostics({ file: 'f', scenarios: [scenario('s', { stale: uses })] });
    assert.equal(ds.length, 1);
    assert.match(ds[0]!.message, /stale hardware TLB entry .* L1's tables no longer map it\. \(2 stale uses at this line\)$/);
  });
});

describe('editor mapping: Test Explorer outcome and verdict', () => {
  it('fails a scenario with messages at the failing check and the stale access', () => {
    const sc = scenario('bug', { passed: false, checks: [check(8, false, 'expected stale == 0, found 1', 1), check(8, false, 'again', 1)], stale: [staleUse(6)] });
    const o = testOutcome(sc);
    assert.equal(o.state, 'failed');
    assert.deepEqual(o.messages.map((m) => m.range.start.line), [8, 6]);
    assert.match(o.summary, /^bug: FAILED · stale 1 · ~12\.5 µs \(estimate\)$/);
  });

  it('does not repeat a stale use the runner already reported as a failure at that line', () => {
    const sc = scenario('s', { passed: false, stale: [staleUse(6)], failures: [{ line: 6, range: staleUse(6).range, message: '1 stale translation use(s)' }] });
    assert.deepEqual(testOutcome(sc).messages.map((m) => m.message), ['1 stale translation use(s)']);
  });

  it('gives one message per failing line of a repeated check, with how many runs failed', () => {
    const checks = [check(5, true, 'ok'), check(5, false, 'expected 0, seen 1', 1), check(5, false, 'expected 0, seen 2', 2)];
    const o = testOutcome(scenario('loop', { checks }));
    assert.deepEqual(o.messages.map((m) => m.message), ['expected 0, seen 1 (2 of 3 runs failed)']);
  });

  it('passes a passing scenario without messages, and skips a cancelled one', () => {
    assert.deepEqual(testOutcome(scenario('fine', { checks: [check(2, true, 'ok')] })).messages, []);
    assert.equal(testOutcome(scenario('fine', { checks: [check(2, true, 'ok')] })).state, 'passed');
    assert.equal(testOutcome(scenario('stop', { cancelled: true, passed: false })).state, 'skipped');
  });

  it('still points at the scenario when it failed without a located reason', () => {
    const o = testOutcome(scenario('odd', { passed: false, line: 3 }));
    assert.deepEqual(o.messages.map((m) => m.range.start.line), [3]);
  });

  it('summarises a file run for the status bar', () => {
    const ok = verdictText([scenario('a'), scenario('b')]);
    assert.equal(ok.text, '$(pass) MMU 2/2 passed');
    const bad = verdictText([scenario('a'), scenario('b', { stale: [staleUse(1), staleUse(2)] })]);
    assert.equal(bad.passed, false);
    assert.equal(bad.text, '$(error) MMU 1/2 failed · 2 stale');
  });
});
