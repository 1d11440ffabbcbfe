// The stress layer (issue 9): seeded hostile files through the analyser, the runner, the
// worker and the CLI. Asserted: nothing throws, exits stay in 0/1/2, --json output always
// parses, a CLI run's peak RSS stays under its memory budget plus a margin, a cancel is
// seen within 250 ms (the longest stretch between two cancel polls), and every diagnostic
// range lies inside the text. Bounded to well under two minutes.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { analyze } from '../../src/core/lang/index';
import { compareScenario, runScenario } from '../../src/core/run/index';
import { NodeWorkerRunner } from '../../src/editor/run/nodeWorkerRunner';
import { CancelledError } from '../../src/editor/run/runner';
import { hostileFile } from './hostile';

const ROOT = resolve(__dirname, '../..');
const SEEDS = Array.from({ length: 40 }, (_, i) => 9000 + i);
const MiB = 1024 * 1024;
/** Cancel polls must come at least this often (ms): a cancel is seen within it. */
const CANCEL_MS = 250;

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

/** Options that stop a run after `ms` and record the longest gap between cancel polls. */
function polled(ms: number): { opts: { shouldCancel: () => boolean }; maxGap: () => number } {
  const t0 = performance.now();
  let last = t0;
  let gap = 0;
  return {
    opts: { shouldCancel: () => { const t = performance.now(); gap = Math.max(gap, t - last); last = t; return t - t0 > ms; } },
    maxGap: () => gap,
  };
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

  it('the runner never throws or reports an internal error, stays in its memory budget, and polls for cancellation every 250 ms', () => {
    let ran = 0;
    let limited = 0;
    for (const seed of SEEDS) {
      for (const s of analyze(hostileFile(seed)).compiled.scenarios) {
        const p = polled(300);
        const r = runScenario(s, { memoryBudget: 64 * MiB, snapshotLimit: 64, ...p.opts });
        ran++;
        assert.ok(!r.failures.some((f) => f.message.startsWith('internal model error')), `seed ${seed}: ${r.failures.map((f) => f.message).join('; ')}`);
        if (r.failures.some((f) => f.message.startsWith('model limit:'))) limited++;
        assert.ok(p.maxGap() < CANCEL_MS, `seed ${seed} "${s.name}": ${p.maxGap().toFixed(0)} ms between two cancel polls`);
        const c = polled(200);
        const cr = compareScenario(s, { memoryBudget: 64 * MiB, maxSweepPoints: 8, ...c.opts });
        assert.ok(cr.points.length <= 8);
        assert.ok(c.maxGap() < CANCEL_MS, `seed ${seed} compare: ${c.maxGap().toFixed(0)} ms between two cancel polls`);
      }
    }
    assert.ok(ran > 20, `${ran} scenarios ran`);
    assert.ok(limited > 0, 'some hostile scenario reached the memory budget');
  });

  describe('worker and CLI', () => {
    let dir = '';
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'mmu-stress-'));
      await esbuild.build({ entryPoints: [join(ROOT, 'src/editor/run/simWorker.ts')], outfile: join(dir, 'simWorker.js'), bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
      await esbuild.build({ entryPoints: [join(ROOT, 'src/cli/main.ts')], outfile: join(dir, 'cli.js'), bundle: true, platform: 'node', format: 'cjs', target: 'es2022', logLevel: 'silent' });
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('the worker answers or is cancelled within 250 ms of a cancel', async () => {
      const runner = new NodeWorkerRunner(join(dir, 'simWorker.js'));
      try {
        for (const seed of SEEDS.slice(0, 10)) {
          const job = runner.start({ kind: 'run', text: hostileFile(seed), fileName: `h${seed}.mmu`, version: 1, settings: { defaultConfig: {}, traceLimit: 1000, ghz: 3, memoryBudgetMB: 64 } });
          const settled = job.promise.then(() => 'done', (e) => (e instanceof CancelledError ? 'cancelled' : `error: ${(e as Error).message}`));
          await new Promise((r) => setTimeout(r, 150));
          const t = performance.now();
          job.cancel();
          const how = await settled;
          assert.ok(how === 'done' || how === 'cancelled', `seed ${seed}: ${how}`);
          assert.ok(performance.now() - t < CANCEL_MS, `seed ${seed}: settled ${(performance.now() - t).toFixed(0)} ms after the cancel`);
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
