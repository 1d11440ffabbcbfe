// Issue 9, CLI side: inputs are refused before they are read when they are not regular
// files or are above 16 MiB; with --json every outcome is one JSON object; --config is
// checked against the scenario that runs; the trace limit is clamped and nothing the
// output does not print (snapshots, a JSON run's trace) is computed.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, wantsJson } from '../../../src/cli/args';
import { MAX_SOURCE_BYTES, readBoundedFile, type CliIO } from '../../../src/cli/io';
import { runOptions } from '../../../src/cli/commands/run';

(globalThis as { __MMU_LAB_NO_AUTORUN__?: boolean }).__MMU_LAB_NO_AUTORUN__ = true;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require('../../../src/cli/main') as typeof import('../../../src/cli/main');

function fsIO(): CliIO & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out(t: string) { io.stdout += t; }, err(t: string) { io.stderr += t; }, readFile: (p: string) => readBoundedFile(p) };
  return io;
}

async function cli(...argv: string[]) {
  const io = fsIO();
  const code = await main(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

const OK = 'scenario "ok" {\n  memslot r gpa 0 size 64K\n  read 0x1000\n}\n';
const TWO = 'scenario "bare" {\n  config host=bare\n  smi\n  rsm\n}\nscenario "hv" {\n  config host=hyperv\n  memslot r gpa 0 size 64K\n  read 0x1000\n}\n';

describe('bounded: CLI input, JSON outcomes, --config scope, trace (issue 9 #7 #8 #11 #12)', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mmu-bounded-'));
    writeFileSync(join(dir, 'ok.mmu'), OK);
    writeFileSync(join(dir, 'two.mmu'), TWO);
    writeFileSync(join(dir, 'empty.mmu'), '# nothing\n');
    mkdirSync(join(dir, 'sub.mmu'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses /dev/zero (not a regular file) with exit 2 and a clear message, without reading it', async () => {
    const r = await cli('check', '/dev/zero');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read \/dev\/zero: it is not a regular file/);
    const j = await cli('check', '/dev/zero', '--json');
    assert.deepEqual(JSON.parse(j.stdout), { error: { kind: 'input', message: 'mmu-lab: cannot read /dev/zero: it is not a regular file (a device, FIFO or socket)' } });
  });

  it('refuses a file above 16 MiB by its size', async () => {
    assert.equal(MAX_SOURCE_BYTES, 16 * 1024 * 1024);
    const big = join(dir, 'big.mmu');
    writeFileSync(big, Buffer.alloc(MAX_SOURCE_BYTES + 1, 0x23)); // '#' x (16 MiB + 1)
    const r = await cli('check', big, '--json');
    assert.equal(r.code, 2);
    assert.match(JSON.parse(r.stdout).error.message, /it is 16777217 bytes, above the limit of 16777216 bytes/);
    assert.throws(() => readBoundedFile(big), /above the limit/);
    writeFileSync(big, Buffer.alloc(1000, 0x23));
    assert.equal(readBoundedFile(big).length, 1000);
  });

  it('--json: every error outcome prints one JSON object with exit 2', async () => {
    const cases: string[][] = [
      ['run', join(dir, 'missing.mmu'), '--json'],
      ['run', join(dir, 'sub.mmu'), '--json'],
      ['check', join(dir, 'sub.mmu'), '--json'],
      ['run', join(dir, 'ok.mmu'), '--scenario', 'nope', '--json'],
      ['run', join(dir, 'ok.mmu'), '--bogus', '--json'],
      ['compare', join(dir, 'empty.mmu'), '--json'],
      ['run', '--json'],
      ['frobnicate', '--json'],
      ['--json'],
      ['run', join(dir, 'ok.mmu'), '--config', 'kernel=9', '--json'],
      ['run', join(dir, 'ok.mmu'), '--trace-limit', 'x', '--json'],
      ['run', join(dir, 'ok.mmu'), '--json=1'],
      // A command without JSON errors of its own gets one from main: the catch-all.
      ['explore', join(dir, 'missing.mmu'), '--json'],
      ['explore', join(dir, 'ok.mmu'), '--json'],
    ];
    for (const argv of cases) {
      const r = await cli(...argv);
      assert.equal(r.code, 2, argv.join(' '));
      const lines = r.stdout.trim().split('\n');
      assert.equal(lines.length, 1, `${argv.join(' ')}: one line of JSON, got ${JSON.stringify(r.stdout)}`);
      const j = JSON.parse(lines[0]!);
      assert.ok(['usage', 'input', 'parse', 'internal'].includes(j.error.kind), argv.join(' '));
      assert.equal(typeof j.error.message, 'string');
      assert.ok(r.stderr.length > 0, 'people still get the message on stderr');
    }
  });

  it('--json=1 is an error, not text output', async () => {
    assert.equal(parseArgs(['run', 'x.mmu', '--json=1']).ok, false);
    assert.equal(wantsJson(['run', 'x.mmu', '--json=1']), true);
    assert.equal(wantsJson(['run', '--', '--json']), false);
    const r = await cli('run', join(dir, 'ok.mmu'), '--json=1');
    assert.match(JSON.parse(r.stdout).error.message, /option `--json` takes no value, found `--json=1`/);
  });

  it('--config is checked against the chosen scenario only', async () => {
    // fix=a with host=bare is E203; with --scenario hv only the hyperv scenario is checked and run.
    const chosen = await cli('run', join(dir, 'two.mmu'), '--scenario', 'hv', '--config', 'fix=a', '--json');
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.deepEqual(JSON.parse(chosen.stdout).scenarios.map((s: { name: string }) => s.name), ['hv']);
    // Without --scenario, run runs both: the bare one is refused.
    const all = await cli('run', join(dir, 'two.mmu'), '--config', 'fix=a', '--json');
    assert.equal(all.code, 2);
    assert.deepEqual(JSON.parse(all.stdout).diagnostics.map((d: { code: string; line: number }) => [d.code, d.line]), [['E203', 2]]);
    // compare without --scenario compares the first scenario: `bare` here, so it is the one checked.
    const cmp = await cli('compare', join(dir, 'two.mmu'), '--config', 'fix=a', '--json');
    assert.equal(cmp.code, 2);
    const cmpHv = await cli('compare', join(dir, 'two.mmu'), '--scenario', 'hv', '--config', 'fix=a', '--json');
    assert.equal(cmpHv.code, 0, cmpHv.stderr);
  });

  it('the run computes no snapshots, and no trace for --json; --trace-limit is clamped to 1,000,000', async () => {
    assert.deepEqual(runOptions(true, 1_000_000_000, {}), { configOverrides: {}, trace: false, traceLimit: 0, snapshotLimit: 0 });
    assert.deepEqual(runOptions(false, 1_000_000_000, {}), { configOverrides: {}, trace: true, traceLimit: 1_000_000, snapshotLimit: 0 });
    const r = await cli('run', join(dir, 'ok.mmu'), '--trace-limit', '1000000000');
    assert.equal(r.code, 0);
    assert.match(r.stderr, /--trace-limit 1000000000 is above the maximum; recording at most 1000000 events/);
  });
});
