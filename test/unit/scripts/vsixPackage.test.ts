// `npm start` installs the extension from a .vsix that `vsce package` builds; vsce refuses
// some manifests (for example a package.json `files` list next to .vscodeignore), which the
// e2e layer (it loads the extension from source) would not notice.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

describe('the .vsix npm start installs', function () {
  this.timeout(120_000);
  it('vsce packages the built extension with the bundles, the CLI and the examples', () => {
    if (!existsSync(join(ROOT, 'dist/extension.js'))) assert.equal(spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT }).status, 0);
    const dir = mkdtempSync(join(tmpdir(), 'mmu-vsix-'));
    try {
      const out = join(dir, 'x.vsix');
      const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.ok(statSync(out).size > 100_000);
      const ls = spawnSync(process.execPath, [join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' });
      for (const f of ['dist/extension.js', 'dist/web/extension.js', 'dist/simWorker.js', 'dist/cli.js', 'dist/webview.js', 'examples/recycled-root-bug.mmu', 'media/mmu.tmLanguage.json']) {
        assert.ok(ls.stdout.split('\n').includes(f), `${f} in the .vsix`);
      }
      assert.ok(!ls.stdout.split('\n').some((f) => f.startsWith('src/') || f.startsWith('node_modules/')), 'no sources or dependencies');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
