// `npm test`: every test layer that exists, in order, and one closing line
// "N passed, N failed" over all of them. Installs what it needs: npm deps when
// node_modules is missing, then the bundles; a layer may have a prepare.mjs that
// provisions its own tools (Chromium, the code-server workbench).
//
// Layers: test/unit (.mocharc.json at the root), then test/<layer>/.mocharc.json for
// stress, grammar, webview, e2e. `npm test -- unit grammar` runs only the named layers.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanNpmEnv } from './lib/npm-env.mjs';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// Children get a clean environment: the same run directly, under npm or from .ci/run.
function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...cleanNpmEnv(process.env), ...env } });
  return r.status ?? 1;
}

if (!existsSync(join(root, 'node_modules'))) {
  console.log('node_modules missing: npm ci');
  if (run(npm, ['ci', '--no-audit', '--no-fund']) !== 0) process.exit(1);
}
if (run(npm, ['run', '--silent', 'build']) !== 0) {
  console.error('build failed');
  process.exit(1);
}

const layers = [
  { name: 'unit', config: '.mocharc.json' },
  // Seeded hostile files through analyser, runner, worker and CLI (issue 9); well under 2 minutes.
  { name: 'stress', config: 'test/stress/.mocharc.json' },
  { name: 'grammar', config: 'test/grammar/.mocharc.json' },
  { name: 'webview', config: 'test/webview/.mocharc.json' },
  { name: 'e2e', config: 'test/e2e/.mocharc.json' },
].filter((l) => existsSync(join(root, l.config)) && (only.length === 0 || only.includes(l.name)));

const statsDir = mkdtempSync(join(tmpdir(), 'mmu-test-'));
let passed = 0;
let failed = 0;
const summary = [];
const secs = (t) => `${Math.round((Date.now() - t) / 1000)} s`;
for (const layer of layers) {
  console.log(`\n=== ${layer.name} ===`);
  const t0 = Date.now();
  const prepare = join(root, 'test', layer.name, 'prepare.mjs');
  if (existsSync(prepare) && run(process.execPath, [prepare]) !== 0) {
    console.error(`${layer.name}: prepare failed`);
    failed += 1;
    summary.push(`${layer.name}: prepare failed (${secs(t0)})`);
    continue;
  }
  const statsFile = join(statsDir, `${layer.name}.json`);
  const code = run(process.execPath, [join(root, 'node_modules/mocha/bin/mocha.js'), '--config', layer.config], { MMU_TEST_STATS: statsFile });
  if (existsSync(statsFile)) {
    const s = JSON.parse(readFileSync(statsFile, 'utf8'));
    passed += s.passes;
    failed += s.failures;
    summary.push(`${layer.name}: ${s.passes} passed, ${s.failures} failed (${secs(t0)})`);
    if (code !== 0 && s.failures === 0) { failed += 1; summary.push(`${layer.name}: mocha exited ${code}`); }
  } else {
    failed += 1;
    summary.push(`${layer.name}: did not report (exit ${code})`);
  }
}
rmSync(statsDir, { recursive: true, force: true });
console.log('\n' + summary.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
