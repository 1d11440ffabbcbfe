// The workbench's nested npm installs must not inherit an outer npm's configuration.
// Regression (issue 8): under `npm test`, `npm_config_user_agent` still named the outer
// Node major, and code-server's postinstall (which reads the Node major from it) refused
// to install although Node 24 was first on PATH. The package below has a postinstall that
// makes the same check; it is installed the way provisioning installs code-server.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type NpmEnv = { cleanNpmEnv(env: NodeJS.ProcessEnv): Record<string, string>; underNpm(env: NodeJS.ProcessEnv): boolean };
type Provision = {
  npmInstallScratch(dir: string, spec: string, o: { logFile: string; baseEnv?: NodeJS.ProcessEnv; what?: string }): void;
  ProvisionError: new (...a: unknown[]) => Error;
};

const ROOT = join(__dirname, '..', '..', '..');
const load = <T>(p: string): Promise<T> => import(join(ROOT, p)) as Promise<T>;

// code-server's postinstall.sh: `major_node_version` from the user agent's "node/vNN",
// compared with the Node that runs the install.
const CHECK = `
const ua = process.env.npm_config_user_agent || '';
const m = /node\\/v(\\d+)/.exec(ua);
const want = process.versions.node.split('.')[0];
if (!m || m[1] !== want) { console.error('ERROR: requires node v' + want + '; user agent says ' + ua); process.exit(1); }
`;

/** An npm-like environment: what an outer `npm test` under another Node major leaves behind. */
function outerNpmEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    npm_config_user_agent: 'npm/10.8.2 node/v18.20.4 linux x64 workspaces/false',
    npm_config_node_gyp: '/nonexistent/node-gyp.js',
    npm_lifecycle_event: 'test',
    npm_lifecycle_script: 'node scripts/test-all.mjs',
    npm_package_name: 'nested-mmu-lab',
    npm_execpath: '/nonexistent/npm-cli.js',
    npm_node_execpath: '/nonexistent/node18',
    INIT_CWD: '/nonexistent',
    NODE: '/nonexistent/node18',
    PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH}`,
  };
}

describe('workbench provisioning under npm (issue 8)', function () {
  this.timeout(120_000);
  let scratch: string;
  let tarball: string;

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'mmu-provision-test-'));
    const pkg = join(scratch, 'pkg');
    mkdirSync(pkg);
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'ua-check', version: '1.0.0', scripts: { postinstall: 'node check.js' } }));
    writeFileSync(join(pkg, 'check.js'), CHECK);
    const r = spawnSync('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: pkg, encoding: 'utf8', env: process.env });
    assert.equal(r.status, 0, r.stderr);
    tarball = join(scratch, r.stdout.trim().split('\n').pop()!);
    assert.ok(existsSync(tarball), tarball);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('cleanNpmEnv drops every variable an outer npm run sets, and its PATH entries', async () => {
    const { cleanNpmEnv, underNpm } = await load<NpmEnv>('scripts/lib/npm-env.mjs');
    const outer = outerNpmEnv();
    assert.equal(underNpm(outer), true);
    const clean = cleanNpmEnv(outer);
    assert.equal(underNpm(clean), false);
    for (const k of Object.keys(clean)) {
      assert.ok(!/^npm_(config|lifecycle|package)_/i.test(k) && !['INIT_CWD', 'NODE', 'npm_execpath', 'npm_node_execpath'].includes(k), k);
    }
    assert.ok(!clean.PATH!.split(':').some((d) => d.endsWith('node_modules/.bin')));
    assert.equal(clean.HOME, process.env.HOME);
  });

  it('the nested install succeeds from an npm-like environment naming another Node major', async () => {
    const { npmInstallScratch } = await load<Provision>('scripts/provision-workbench.mjs');
    const dir = join(scratch, 'clean');
    const logFile = join(scratch, 'clean.log');
    npmInstallScratch(dir, tarball, { logFile, baseEnv: outerNpmEnv() });
    assert.ok(existsSync(join(dir, 'node_modules/ua-check/check.js')));
  });

  it('the same install without the cleaning fails, so the check above is a real one', () => {
    const dir = join(scratch, 'raw');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), '{"name":"scratch","private":true}');
    const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', tarball], { cwd: dir, encoding: 'utf8', env: outerNpmEnv() });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr + r.stdout, /requires node v\d+; user agent says npm\/10\.8\.2 node\/v18/);
  });

  it('a failed step is one paragraph naming the step, the log and the retry command', async () => {
    const { npmInstallScratch, ProvisionError } = await load<Provision>('scripts/provision-workbench.mjs');
    const logFile = join(scratch, 'fail.log');
    let err: unknown;
    try {
      npmInstallScratch(join(scratch, 'fail'), join(scratch, 'no-such.tgz'), { logFile, what: 'npm install no-such' });
    } catch (e) { err = e; }
    assert.ok(err instanceof ProvisionError);
    const msg = (err as Error).message;
    assert.match(msg, /^Could not provision the VS Code workbench: npm install no-such failed \(exit \d+\)\./);
    assert.ok(msg.includes(`The full output is in ${logFile}.`));
    assert.match(msg, /To retry: node scripts\/provision-workbench\.mjs/);
    assert.ok(!msg.includes('\n'), 'one paragraph');
    assert.match(readFileSync(logFile, 'utf8'), /\$ npm install/);
  });
});
