// The stress layer (issue 9): seeded hostile files through the analyser, the runner, the
// worker and the CLI. Asserted: nothing throws, exits stay in 0/1/2, --json output always
// parses, a CLI run's peak RSS stays under its memory budget plus a margin, the runner polls
// for cancellation at least every WORK_PER_POLL units of work and stops at the poll that sees
// the cancel (counted, not timed: the house rules forbid timed assertions), and every
// diagnostic range lies inside the text. Bounded to well under two minutes.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { analyze } from '../../src/core/lang/index';
import { compareScenario } from '../../src/core/run/index';
import { Session } from '../../src/core/run/session';
import { ModelLimitError } from '../../src/core/model/budget';
import { RunCancelled } from '../../src/core/model/cancel';
import { NodeWorkerRunner } from '../../src/editor/run/nodeWorkerRunner';
import { CancelledError } from '../../src/editor/run/runner';
import { hostileFile } from './hostile';

const ROOT = resolve(__dirname, '../..');
const SEEDS = Array.from({ length: 40 }, (_, i) => 9000 + i);
const MiB = 1024 * 1024;
/**
 * Units of work a run may do between two cancel polls. A unit: a statement, a cost-model event
 * (an access, a walk, a fault, a flush, each SPTE zapped…; cost.ts, counted where the model does
 * the work, not where it polls), a page allocated or freed, an entry a snapshot walks. The runner
 * polls every 64 statements, every 4,096 accesses, allocations and snapshot entries (language.md,
 * Limits); an access is up to ~6 events, so 8 × 4,096 leaves room and still catches any
 * state-sized loop that does not poll. Measured on the 40 seeds: at most 24,388.
 */
const WORK_PER_POLL = 8 * 4096;
/** The poll at which a run is cancelled (runs that end sooner only have their spacing checked). */
const CANCEL_AT_POLL = 400;

/** Work a session has done so far, in the units above. */
function workOf(s: Session): number {
  const c = s.m.cost;
  let n = c.tlbHits + c.hwWalks + c.l0Fills;
  for (let i = 0; i < c.counts.length; i++) n += c.counts[i]!;
  return n + s.it.st.steps + s.m.mem.ticks + s.it.work.snapshotEntries;
}

function linesOf(text: string): number[] {
  // Line lengths as the scanner counts lines (\r\n, \n or \r end a line).
  const out: number[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      out.push(i - start);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  out.push(text.length - start);
  return out;
}

/** A poll that records the work between polls and answers "cancel" from poll `cancelAt` on. */
function polledSession(s: Parameters<typeof compareScenario>[0], cancelAt: number) {
  let last = 0;
  const p = { polls: 0, maxGap: 0, cancelledAtWork: -1, pollsAfterCancel: 0 };
  // The poll reads `session`, assigned before the first poll (polls happen in runToEnd).
  const session: Session = new Session(s, {
    memoryBudget: 64 * MiB, snapshotLimit: 64, ghz: 3, traceLimit: 0,
    shouldCancel: () => {
      const w = workOf(session);
      p.maxGap = Math.max(p.maxGap, w - last);
      last = w;
      if (p.cancelledAtWork >= 0) { p.pollsAfterCancel++; return true; }
      if (++p.polls < cancelAt) return false;
      p.cancelledAtWork = w;
      return true;
    },
  });
  return { session, p };
}

describe('stress: hostile files (issue 9)', function () {
  this.timeout(120_000);

  it('the analyser never throws, and every diagnostic lies inside the text with a short message', () => {
    for (const seed of SEEDS) {
      const text = hostileFile(seed);
      const lens = linesOf(text);
      const a = analyze(text);
      for (const d of a.diagnostics) {
        for (const p of [d.range.start, d.range.end]) {
          assert.ok(p.line >= 0 && p.line < lens.length, `seed ${seed}: ${d.code} line ${p.line} of ${lens.length}`);
          assert.ok(p.character >= 0 && p.character <= lens[p.line]!, `seed ${seed}: ${d.code} at ${p.line}:${p.character}, line length ${lens[p.line]}`);
        }
        assert.ok(d.message.length < 1000, `seed ${seed}: ${d.code} message of ${d.message.length}`);
      }
    }
  });

  it(`the runner never throws or reports an internal error, stays in its memory budget, polls at least every ${WORK_PER_POLL} units of work, and stops at the poll that sees a cancel`, () => {
    let ran = 0;
    let limited = 0;
    let cancelled = 0;
    for (const seed of SEEDS) {
      for (const s of analyze(hostileFile(seed)).compiled.scenarios) {
        const { session, p } = polledSession(s, CANCEL_AT_POLL);
        ran++;
        // As runScenario does: a cancel inside a state-sized step unwinds with RunCancelled; a
        // model limit is a `model limit:` failure; anything else would be an internal error.
        let limit = false;
        try { session.runToEnd(); } catch (e) {
          if (e instanceof RunCancelled) session.it.st.cancelled = true;
          else if (e instanceof ModelLimitError) limit = true;
          else assert.fail(`seed ${seed} "${s.name}": internal model error: ${(e as Error).stack}`);
        }
        if (limit) limited++;
        else session.result();
        assert.ok(p.maxGap <= WORK_PER_POLL, `seed ${seed} "${s.name}": ${p.maxGap} units of work between two cancel polls`);
        if (p.cancelledAtWork >= 0) {
          cancelled++;
          assert.equal(session.it.st.cancelled, true, `seed ${seed} "${s.name}": marked cancelled`);
          // The run ends at the poll that sees the cancel, inside a statement or between two: no
          // end snapshot is taken (it would only poll again and unwind), so no poll follows it.
          assert.equal(p.pollsAfterCancel, 0, `seed ${seed} "${s.name}": polled ${p.pollsAfterCancel} times after the cancel`);
          const after = workOf(session) - p.cancelledAtWork;
          assert.ok(after >= 0 && after <= WORK_PER_POLL, `seed ${seed} "${s.name}": ${after} units of work after the cancel was seen`);
        }
        // Compare: cancelled at its 50th poll, it asks no more and runs no further point.
        let polls = 0;
        let after = 0;
        const cr = compareScenario(s, { memoryBudget: 64 * MiB, maxSweepPoints: 8, shouldCancel: () => (polls >= 50 ? (after++, true) : (++polls, false)) });
        assert.ok(cr.points.length <= 8);
        assert.ok(after <= 1, `seed ${seed} compare: ${after} polls answered "cancel"`);
      }
    }
    assert.ok(ran > 20, `${ran} scenarios ran`);
    assert.ok(limited > 0, 'some hostile scenario reached the memory budget');
    assert.ok(cancelled > 5, `${cancelled} runs were cancelled mid-run`);
  });

  describe('worker and CLI', () => {
    let dir = '';
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'mmu-stress-'));
      await esbuild.build({ entryPoints: [join(ROOT, 'src/editor/run/simWorker.ts')], outfile: join(dir, 'simWorker.js'), bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
      await esbuild.build({ entryPoints: [join(ROOT, 'src/cli/main.ts')], outfile: join(dir, 'cli.js'), bundle: true, platform: 'node', format: 'cjs', target: 'es2022', logLevel: 'silent' });
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('the worker answers or is cancelled (terminated) after a cancel, whatever it was running', async () => {
      const runner = new NodeWorkerRunner(join(dir, 'simWorker.js'));
      try {
        for (const seed of SEEDS.slice(0, 10)) {
          const job = runner.start({ kind: 'run', text: hostileFile(seed), fileName: `h${seed}.mmu`, version: 1, settings: { defaultConfig: {}, traceLimit: 1000, ghz: 3, memoryBudgetMB: 64 } });
          const settled = job.promise.then(() => 'done', (e) => (e instanceof CancelledError ? 'cancelled' : `error: ${(e as Error).message}`));
          // Cancel after the worker has answered at least once or a turn has passed: a cancel
          // terminates the thread, so no poll of the model is involved and nothing is timed.
          await new Promise((r) => setTimeout(r, 0));
          job.cancel();
          const how = await settled;
          assert.ok(how === 'done' || how === 'cancelled', `seed ${seed}: ${how}`);
        }
      } finally {
        runner.dispose();
      }
    });

    const cli = (args: string[]) => {
      const rss = join(dir, 'rss');
      const r = spawnSync(process.execPath, ['--require', join(__dirname, 'rss-preload.cjs'), join(dir, 'cli.js'), ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, MMU_RSS_FILE: rss }, maxBuffer: 64 * MiB });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr, rssKiB: Number(readFileSync(rss, 'utf8')) };
    };

    it('the CLI exits 0, 1 or 2 with one parseable JSON object, under its memory budget plus a margin', () => {
      const budgetMB = 64;
      const marginMB = 320; // node itself, the analysis of a file with 200,000-character words, the JSON
      let n = 0;
      for (const seed of SEEDS.slice(0, 14)) {
        const text = hostileFile(seed);
        const file = join(dir, `h${seed}.mmu`);
        writeFileSync(file, text);
        const cmds: string[][] = [['check', file, '--json']];
        // A billion-iteration loop runs as long as it says (the CLI has no time budget); a big sweep runs up to 1,000 points.
        if (!text.includes('1000000000')) cmds.push(['run', file, '--json', '--memory-budget', String(budgetMB)]);
        if (!text.includes('1000000000') && !text.includes('sweep')) cmds.push(['compare', file, '--json', '--memory-budget', String(budgetMB)]);
        for (const c of cmds) {
          const r = cli(c);
          n++;
          assert.ok(r.status === 0 || r.status === 1 || r.status === 2, `seed ${seed} ${c[0]}: exit ${r.status}\n${r.stderr.slice(0, 500)}`);
          const lines = r.stdout.trim().split('\n');
          assert.equal(lines.length, 1, `seed ${seed} ${c[0]}: one JSON line`);
          JSON.parse(lines[0]!);
          assert.ok(r.rssKiB / 1024 < budgetMB + marginMB, `seed ${seed} ${c[0]}: peak RSS ${(r.rssKiB / 1024).toFixed(0)} MiB`);
        }
      }
      assert.ok(n >= 20);
    });

    it('reproducer 1 at full size: sparse touches end in `model limit:` with the RSS under the budget plus the margin', () => {
      const file = join(dir, 'sparse.mmu');
      writeFileSync(file, 'config host=hyperv\nscenario "sparse" {\n  memslot 1 gpa 0 size 0xFFFFFFFFF000\n  touch 0 size 0xFFFFFFFFF000 count 2000000 random write\n}\n');
      const r = cli(['run', file, '--json', '--memory-budget', '128']);
      assert.equal(r.status, 1);
      const s = JSON.parse(r.stdout).scenarios[0];
      assert.match(s.failures[0].message, /^model limit: the model's memory would grow to/);
      assert.equal(s.failures[0].line, 4);
      assert.ok(r.rssKiB / 1024 < 128 + 320, `peak RSS ${(r.rssKiB / 1024).toFixed(0)} MiB`);
    });
  });
});
