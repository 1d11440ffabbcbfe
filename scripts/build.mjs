// One script builds every bundle: the extension (desktop and web), the CLI, the
// simulation workers (Node and web) and the webview. `--watch` rebuilds on change; `--production` minifies.
import * as esbuild from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

const common = {
  bundle: true,
  define: { __MMU_LAB_VERSION__: JSON.stringify(version) },
  sourcemap: production ? false : 'linked',
  minify: production,
  target: 'es2022',
  logLevel: 'warning',
  legalComments: 'none',
};

/** @type {import('esbuild').BuildOptions[]} */
const bundles = [
  // Desktop extension host (Node).
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode'] },
  // Web extension host (browser worker): same glue, no Node APIs.
  { entryPoints: ['src/extension.web.ts'], outfile: 'dist/web/extension.js', platform: 'browser', format: 'cjs', external: ['vscode'] },
  // Simulation worker (runs src/core off the extension host's thread).
  { entryPoints: ['src/editor/run/simWorker.ts'], outfile: 'dist/simWorker.js', platform: 'node', format: 'cjs' },
  // The same worker for the web extension host: a dedicated Web Worker it nests.
  { entryPoints: ['src/editor/run/simWorker.web.ts'], outfile: 'dist/web/simWorker.js', platform: 'browser', format: 'iife' },
  // Worker thread of `mmu-lab explore --workers N`.
  { entryPoints: ['src/cli/exploreWorker.ts'], outfile: 'dist/exploreWorker.js', platform: 'node', format: 'cjs' },
  // Command-line runner.
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs' },
  // Side panel (webview, browser).
  { entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife' },
].filter((b) => existsSync(b.entryPoints[0]));

const t0 = Date.now();
if (watch) {
  for (const b of bundles) {
    const ctx = await esbuild.context({ ...common, ...b });
    await ctx.watch();
  }
  console.log(`watching ${bundles.length} bundles…`);
} else {
  await Promise.all(bundles.map((b) => esbuild.build({ ...common, ...b })));
  console.log(`built ${bundles.length} bundles in ${Date.now() - t0} ms`);
}
