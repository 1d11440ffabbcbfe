// Prepares the e2e layer: the cached code-server workbench (Node 24 + code-server from
// npm), Debian's Chromium, the extension bundles, and the extension-host test bundle
// (out/test/index.js, loaded by the smoke-test driver).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { describeFailure, provisionWorkbench } from '../../scripts/provision-workbench.mjs';

const root = new URL('../..', import.meta.url).pathname;
try {
  const wb = provisionWorkbench();
  if (!wb.chromium) throw new Error('Chromium is missing: apt-get install chromium (as root)');
  for (const f of ['dist/extension.js', 'dist/simWorker.js', 'dist/web/extension.js', 'dist/web/simWorker.js']) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing: npm run build`);
  }
  await esbuild.build({
    entryPoints: [join(root, 'test/e2e/host/index.ts')],
    outfile: join(root, 'out/test/index.js'),
    bundle: true, platform: 'node', format: 'cjs', target: 'es2022', sourcemap: 'inline',
    external: ['vscode', 'mocha'], logLevel: 'warning',
  });
  console.log(`e2e: workbench ${wb.entry}\ne2e: chromium ${wb.chromium}`);
} catch (e) {
  console.error(`e2e prepare: ${describeFailure(e)}`);
  process.exit(1);
}
