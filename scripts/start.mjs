// `npm start`: build, provision the workbench (cached), package and install the
// extension into a fresh code-server, open examples/, print the URL. Ctrl-C stops the
// whole process group (server, extension host, watcher) and removes the temporary dirs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provisionWorkbench } from './provision-workbench.mjs';
import { startCodeServer, workbenchUrl } from './code-server.mjs';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${cmd} ${args.join(' ')} failed`);
    process.exit(1);
  }
}

if (!existsSync(join(root, 'node_modules'))) run(npm, ['ci', '--no-audit', '--no-fund']);
run(npm, ['run', '--silent', 'build']);
const wb = provisionWorkbench();

const scratch = mkdtempSync(join(tmpdir(), 'mmu-start-'));
const vsix = join(scratch, 'nested-mmu-lab.vsix');
run(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', vsix]);

const port = Number(process.env.PORT || 8080);
const server = await startCodeServer({ node: wb.node, entry: wb.entry, port, vsix, root: join(scratch, 'server') });
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
