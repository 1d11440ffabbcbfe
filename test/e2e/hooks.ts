// Root hooks of the e2e layer: start one code-server (with the smoke-test driver, so
// extension-host tests can run in it) and one headless Chromium, and stop both at the end.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
// @ts-expect-error — plain .mjs helpers shared with `npm start`, no type declarations.
import { provisionWorkbench } from '../../scripts/provision-workbench.mjs';
// @ts-expect-error — see above.
import { startCodeServer } from '../../scripts/code-server.mjs';
import { resultsDir, setWorkbench } from './workbench';

let stopServer: (() => Promise<void>) | undefined;
let browser: Browser | undefined;

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    mkdirSync(resultsDir, { recursive: true });
    const wb = provisionWorkbench({ apt: false });
    const server = await startCodeServer({ node: wb.node, entry: wb.entry, smokeTestDriver: true, log: `${resultsDir}/code-server.log` });
    stopServer = server.stop;
    browser = await chromium.launch({
      executablePath: wb.chromium ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    setWorkbench({ url: server.url, browser, logFile: server.logFile });
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(30_000);
    await browser?.close();
    setWorkbench(undefined);
    await stopServer?.();
  },
};
