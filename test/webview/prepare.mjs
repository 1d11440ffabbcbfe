// Provisions the webview layer's browser: Debian's chromium at /usr/bin/chromium (driven by
// playwright-core, which downloads no browser). Installs it with apt when missing and we are root.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const CHROMIUM = '/usr/bin/chromium';

if (!existsSync(CHROMIUM)) {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    console.error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) and run again.`);
    process.exit(1);
  }
  console.log('webview: installing chromium with apt-get …');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) {
      console.error(`apt-get ${args.join(' ')} failed`);
      process.exit(1);
    }
  }
}
if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} still missing after apt-get install chromium`);
  process.exit(1);
}
