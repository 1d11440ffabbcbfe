// `npm start`: build, provision the workbench (cached), package and install the
// extension into a fresh code-server, open examples/, print the URL. Ctrl-C stops the
// whole process group (server, extension host, watcher) and removes the temporary dirs.
// Any failure is one paragraph for a person and a non-zero exit, never a stack trace.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFailure, provisionWorkbench } from './provision-workbench.mjs';
import { startCodeServer, workbenchUrl } from './code-server.mjs';
import { cleanNpmEnv } from './lib/npm-env.mjs';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function fail(paragraph) {
  console.error(`\nnpm start: ${paragraph}\n`);
  process.exit(1);
}

function run(what, cmd, args, env) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.error || r.status !== 0) fail(`${what} failed (${r.error ? r.error.message : `exit ${r.status ?? r.signal}`}); its output is above. To retry: npm start`);
}

if (!existsSync(join(root, 'node_modules'))) run('installing the dependencies (npm ci)', npm, ['ci', '--no-audit', '--no-fund'], cleanNpmEnv());
run('building the extension (npm run build)', npm, ['run', '--silent', 'build'], cleanNpmEnv());
let wb;
try {
  wb = provisionWorkbench();
} catch (e) {
  fail(describeFailure(e));
}

const scratch = mkdtempSync(join(tmpdir(), 'mmu-start-'));
const vsix = join(scratch, 'nested-mmu-lab.vsix');
run('packaging the extension (vsce package)', process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', vsix]);

const port = Number(process.env.PORT || 8080);
let server;
try {
  server = await startCodeServer({ node: wb.node, entry: wb.entry, port, vsix, root: join(scratch, 'server') });
} catch (e) {
  const log = join(scratch, 'server', 'code-server.log');
  fail(`the VS Code workbench (code-server) did not start on port ${port}: ${e instanceof Error ? e.message.split('\n')[0] : e}. ` +
    `Its log is ${log}. Is the port taken? Try another: PORT=9000 npm start`);
}
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping code-server…');
  await server.stop();
  rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);

console.log(`\nNested MMU Lab is running in VS Code (code-server ${wb.entry.match(/code-server-([\d.]+)/)?.[1] ?? ''}):`);
console.log(`  ${workbenchUrl(server.url, join(root, 'examples'))}`);
console.log(`  (server log: ${server.logFile}; Ctrl-C to stop)`);
