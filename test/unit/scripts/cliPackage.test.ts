// The CLI outside this repository (issue 8): `npm pack` gives a tarball whose global
// install into any prefix is a working `mmu-lab` — no dev dependencies, no build step,
// run from a folder that is not the repository.
import { strict as assert } from 'node:assert';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

describe('mmu-lab as an installed command (npm pack + npm install -g)', function () {
  this.timeout(180_000);
  let scratch: string;
  let bin: string;
  let work: string;

  const sh = (cmd: string, args: string[], opts: SpawnSyncOptions = {}) =>
    spawnSync(cmd, args, { encoding: 'utf8', ...opts }) as { status: number | null; stdout: string; stderr: string };

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'mmu-cli-pkg-'));
    if (!existsSync(join(ROOT, 'dist/cli.js'))) assert.equal(sh(process.execPath, ['scripts/build.mjs'], { cwd: ROOT }).status, 0);
    // --ignore-scripts: the bundles are already built (prepack would rebuild them, minified).
    const pack = sh('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', scratch], { cwd: ROOT });
    assert.equal(pack.status, 0, pack.stderr);
    const tgz = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
    assert.equal(tgz, `nested-mmu-lab-${VERSION}.tgz`);
    const prefix = join(scratch, 'prefix');
    // A clean cache-free environment would be slower; offline-safe: the package has no dependencies.
    const inst = sh('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', join(scratch, tgz!)], { cwd: scratch });
    assert.equal(inst.status, 0, inst.stderr);
    bin = join(prefix, 'bin', 'mmu-lab');
    work = join(scratch, 'work');
    mkdirSync(work);
    for (const f of ['recycled-root-bug.mmu', 'boot-ranking.mmu', 'fix-b.mmu']) copyFileSync(join(ROOT, 'examples', f), join(work, f));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('installs the bundle and nothing else: no node_modules, no sources, no source maps', () => {
    const pkgDir = join(scratch, 'prefix', 'lib', 'node_modules', 'nested-mmu-lab');
    assert.ok(existsSync(join(pkgDir, 'dist', 'cli.js')));
    assert.ok(!existsSync(join(pkgDir, 'node_modules')), 'no dependencies installed');
    assert.ok(!existsSync(join(pkgDir, 'src')), 'no TypeScript sources');
    assert.ok(!readdirSync(join(pkgDir, 'dist')).some((f) => f.endsWith('.map')));
  });

  it('--version prints the package version and exits 0', () => {
    const r = sh(bin, ['--version'], { cwd: work });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `mmu-lab ${VERSION}\n`);
  });

  it('check, run and compare work on examples outside the repository', () => {
    const check = sh(bin, ['check', 'fix-b.mmu', '--json'], { cwd: work });
    assert.equal(check.status, 0, check.stderr);
    assert.deepEqual(JSON.parse(check.stdout).diagnostics, []);
    // The bug demo expects its stale uses, so it passes (exit 0) and reports them.
    const run = sh(bin, ['run', 'recycled-root-bug.mmu', '--json'], { cwd: work });
    assert.equal(run.status, 0, run.stderr);
    const scen = JSON.parse(run.stdout).scenarios[0];
    assert.ok(scen.metrics.stale > 0);
    const cmp = sh(bin, ['compare', 'boot-ranking.mmu', '--json'], { cwd: work });
    assert.equal(cmp.status, 0, cmp.stderr);
    const points = JSON.parse(cmp.stdout).points as { rank: number; config: Record<string, string> }[];
    assert.ok(points.length > 1);
    assert.deepEqual(points.map((p) => p.rank).sort((a, b) => a - b), points.map((_, i) => i + 1));
  });
});
