// `mmu-lab check FILE [--json]` exactly as product.md's CLI contract says: JSON
// {"diagnostics":[{"code","severity","line","column","message"}]} with 1-based lines and
// columns; exit 0 without errors, 1 with errors, 2 on usage or I/O errors. Tested both by
// calling the command directly and by spawning the bundled CLI.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { parseArgs } from '../../../src/cli/args';
import { checkCommand } from '../../../src/cli/commands/check';
import type { CliIO } from '../../../src/cli/io';

const ROOT = resolve(__dirname, '../../..');
const GOOD = 'scenario "ok" {\n  memslot 1 gpa 0x100000 size 1M\n  read 0x100000\n}\n';
const BAD = 'scenario "bad" {\n  smi\n  tuch 0x1000 size 4K\n}\n';
const WARN = 'scenario "w" {\n  checkpoint "c"\n  checkpoint "c"\n}\n';

function memoryIO(files: Record<string, string>): CliIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) { io.stdout += t; },
    err(t: string) { io.stderr += t; },
    readFile(p: string) {
      if (!(p in files)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return files[p]!;
    },
  };
  return io;
}

function check(argv: string[], files: Record<string, string>): { code: number; stdout: string; stderr: string } {
  const p = parseArgs(['check', ...argv]);
  assert.ok(p.ok);
  const io = memoryIO(files);
  const code = checkCommand(p.args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('cli: check (command function)', () => {
  it('a clean file: exit 0, JSON with an empty list', () => {
    const r = check(['a.mmu', '--json'], { 'a.mmu': GOOD });
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), { diagnostics: [] });
  });

  it('errors: exit 1, JSON objects with exactly code, severity, line, column, message (1-based)', () => {
    const r = check(['a.mmu', '--json'], { 'a.mmu': BAD });
    assert.equal(r.code, 1);
    const j = JSON.parse(r.stdout) as { diagnostics: Record<string, unknown>[] };
    assert.equal(j.diagnostics.length, 1);
    const d = j.diagnostics[0]!;
    assert.deepEqual(Object.keys(d).sort(), ['code', 'column', 'line', 'message', 'severity']);
    // `tuch` is on the 3rd line, after two spaces: column 3.
    assert.deepEqual({ ...d, message: undefined }, { code: 'E101', severity: 'error', line: 3, column: 3, message: undefined });
    assert.match(d.message as string, /unknown statement `tuch`; did you mean `touch`\?/);
  });

  it('warnings only: exit 0, severity "warning"', () => {
    const r = check(['w.mmu', '--json'], { 'w.mmu': WARN });
    assert.equal(r.code, 0);
    assert.deepEqual((JSON.parse(r.stdout) as { diagnostics: { severity: string }[] }).diagnostics.map((d) => d.severity), ['warning']);
  });

  it('text output: file:line:col  severity code  message, the source line and a caret', () => {
    const r = check(['b.mmu'], { 'b.mmu': BAD });
    assert.equal(r.code, 1);
    const lines = r.stdout.split('\n');
    assert.match(lines[0]!, /^b\.mmu:3:3 {2}error E101 {2}unknown statement `tuch`/);
    assert.equal(lines[1], '  3 |   tuch 0x1000 size 4K');
    assert.equal(lines[2], '    |   ^~~~');
    assert.match(r.stdout, /b\.mmu: 1 error \(1 scenario, 0 without errors\)\n$/);
  });

  it('text output for a clean file says so', () => {
    const r = check(['a.mmu'], { 'a.mmu': GOOD });
    assert.equal(r.stdout, 'a.mmu: no problems (1 scenario)\n');
  });

  it('usage and I/O errors: exit 2 with a message on stderr', () => {
    assert.equal(check([], {}).code, 2);
    assert.equal(check(['a.mmu', 'b.mmu'], { 'a.mmu': GOOD, 'b.mmu': GOOD }).code, 2);
    const r = check(['missing.mmu'], {});
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read missing\.mmu: no such file/);
    assert.equal(r.stdout, '');
  });
});

describe('cli: main dispatch and the bundled binary', function () {
  this.timeout(60000);
  let dir = '';
  let cli = '';
  const run = (script: string, args: string[]) => spawnSync(process.execPath, [script, ...args], { cwd: ROOT, encoding: 'utf8' });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmu-cli-'));
    // Build the CLI bundle fresh (same options as scripts/build.mjs), so this test never
    // runs a stale dist/cli.js and does not depend on the other bundles building.
    cli = join(dir, 'cli.js');
    await esbuild.build({ entryPoints: [join(ROOT, 'src/cli/main.ts')], outfile: cli, bundle: true, platform: 'node', format: 'cjs', target: 'es2022', logLevel: 'silent' });
    writeFileSync(join(dir, 'good.mmu'), GOOD);
    writeFileSync(join(dir, 'bad.mmu'), BAD);
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('check --json on a good and a bad file: exit 0 / 1 and the contract\'s JSON', () => {
    const g = run(cli, ['check', join(dir, 'good.mmu'), '--json']);
    assert.equal(g.status, 0, g.stderr);
    assert.deepEqual(JSON.parse(g.stdout), { diagnostics: [] });
    const b = run(cli, ['check', join(dir, 'bad.mmu'), '--json']);
    assert.equal(b.status, 1, b.stderr);
    assert.deepEqual((JSON.parse(b.stdout) as { diagnostics: { code: string; line: number; column: number }[] }).diagnostics.map((d) => [d.code, d.line, d.column]), [['E101', 3, 3]]);
  });

  it('usage errors exit 2: no command, unknown command, unknown option, missing file', () => {
    assert.equal(run(cli, []).status, 2);
    const u = run(cli, ['chek', 'x.mmu']);
    assert.equal(u.status, 2);
    assert.match(u.stderr, /unknown command `chek`/);
    const o = run(cli, ['check', join(dir, 'good.mmu'), '--jsn']);
    assert.equal(o.status, 2);
    assert.match(o.stderr, /unknown option `--jsn`/);
    assert.equal(run(cli, ['check', join(dir, 'nope.mmu')]).status, 2);
  });

  it('help exits 0 and lists the commands', () => {
    const h = run(cli, ['help']);
    assert.equal(h.status, 0);
    assert.match(h.stdout, /mmu-lab check FILE \[--json\]/);
    assert.match(h.stdout, /mmu-lab run FILE/);
    assert.match(h.stdout, /mmu-lab compare FILE/);
  });

  it('bin/mmu-lab.js runs dist/cli.js after `npm run build` (or says to build first)', () => {
    const r = run(join(ROOT, 'bin/mmu-lab.js'), ['check', join(dir, 'bad.mmu'), '--json']);
    if (existsSync(join(ROOT, 'dist/cli.js'))) {
      assert.equal(r.status, 1, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { diagnostics: unknown[] }).diagnostics.length, 1);
    } else {
      assert.equal(r.status, 2);
      assert.match(r.stderr, /npm run build/);
    }
  });
});
