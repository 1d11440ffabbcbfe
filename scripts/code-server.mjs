// Starts and stops a code-server workbench (a real VS Code) the way the verified recipe
// says: fresh config/user-data/extensions dirs, XDG dirs redirected (nothing written to
// the home directory), its own process group so stopping it also stops the extension
// host and file watcher. Used by `npm start` and the e2e tests.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Settings that keep the workbench quiet and offline-friendly (recipe). */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'git.enabled': false,
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url, child, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${ms} ms`);
}

/**
 * @param {{ node: string, entry: string, port?: number, vsix?: string, smokeTestDriver?: boolean,
 *           settings?: Record<string, unknown>, env?: Record<string, string>, root?: string, log?: string }} opts
 * @returns {Promise<{ url: string, root: string, logFile: string, pid: number, stop: () => Promise<void> }>}
 */
export async function startCodeServer(opts) {
  const port = opts.port ?? await freePort();
  const root = opts.root ?? mkdtempSync(join(tmpdir(), 'mmu-code-server-'));
  const ud = join(root, 'ud');
  const ext = join(root, 'ext');
  mkdirSync(join(ud, 'User'), { recursive: true });
  mkdirSync(ext, { recursive: true });
  writeFileSync(join(ud, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...opts.settings }, null, 2));
  const config = join(root, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(root, 'xdg-config'),
    XDG_DATA_HOME: join(root, 'xdg-data'),
    XDG_CACHE_HOME: join(root, 'xdg-cache'),
    ...opts.env,
  };
  const common = ['--user-data-dir', ud, '--extensions-dir', ext];
  if (opts.vsix) {
    const r = spawnSync(opts.node, [opts.entry, '--config', config, ...common, '--install-extension', opts.vsix, '--force'], { env, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`installing ${opts.vsix} failed: ${r.stdout}${r.stderr}`);
  }
  const args = [
    opts.entry, '--config', config, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', ...common,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--reconnection-grace-time', '5',
    ...(opts.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  const logFile = opts.log ?? join(root, 'code-server.log');
  const out = openSync(logFile, 'a');
  // detached = its own process group (setsid), so stop() can signal the whole group.
  const child = spawn(opts.node, args, { env, detached: true, stdio: ['ignore', out, out] });
  const url = `http://127.0.0.1:${port}`;
  // If the caller dies without stop() (an exception, mocha interrupted), take the group down too.
  const onExit = () => {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    if (!opts.root) rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    const kill = (sig) => { try { process.kill(-child.pid, sig); } catch { /* already gone */ } };
    kill('SIGTERM');
    const t0 = Date.now();
    while (Date.now() - t0 < 5000) {
      try { process.kill(-child.pid, 0); } catch { break; }
      await new Promise((r) => setTimeout(r, 100));
    }
    kill('SIGKILL');
    if (!opts.root) rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    await waitHealthy(url, child, 60_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, root, logFile, pid: child.pid, stop };
}

/** `?folder=` (+ optional payload) URL for a workbench. Authority of remote files is literally `remote`. */
export function workbenchUrl(base, folder, { extensionDevelopmentPath, extensionTestsPath } = {}) {
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', `vscode-remote://remote${extensionDevelopmentPath}`]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://remote${extensionTestsPath}`]);
  const q = `folder=${encodeURIComponent(folder)}${payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
  return `${base}/?${q}`;
}
