// The set-up every webview test file shares: results computed once, one harness server and
// one Chromium per file (before), every page opened by a test closed after it with a check
// that none hit a console error, an exception or a CSP violation (afterEach), and the
// browser and server stopped (after). Call usePanelHarness() inside the file's describe().
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import type { PanelRun } from '../../../src/editor/panel/panelModel';
import { launch, openPanel, type OpenPanel } from './browser';
import { loadResults, type Results } from './results';
import { HarnessServer, type PageConfig } from './server';

export interface PanelHarness {
  /** The examples' core results (valid from the first test on). */
  readonly results: Results;
  /** Opens the panel page on `run`; the page is closed (and its errors checked) after the test. */
  open(run: PanelRun | undefined, cfg: PageConfig, viewport?: { width: number; height: number }): Promise<OpenPanel>;
  /** The pages the running test opened, in order. */
  readonly opened: readonly OpenPanel[];
}

/** Registers the before/afterEach/after hooks; `shots` directories are created up front. */
export function usePanelHarness(...shots: string[]): PanelHarness {
  let browser: Browser | undefined;
  let server: HarnessServer | undefined;
  let results: Results | undefined;
  const opened: OpenPanel[] = [];

  before(async () => {
    results = loadResults();
    server = new HarnessServer();
    await server.start();
    browser = await launch();
    for (const dir of shots) mkdirSync(dir, { recursive: true });
  });

  afterEach(async () => {
    // No page may have hit a CSP violation, a console error or an exception.
    const errors = opened.flatMap((p) => p.errors);
    for (const p of opened.splice(0)) if (!p.page.isClosed()) await p.page.close();
    assert.deepEqual(errors, []);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  return {
    get results(): Results {
      if (!results) throw new Error('usePanelHarness: results are loaded in before()');
      return results;
    },
    opened,
    async open(run, cfg, viewport) {
      if (!browser || !server) throw new Error('usePanelHarness: open() before the harness started');
      const p = await openPanel(browser, server, run, cfg, viewport);
      opened.push(p);
      return p;
    },
  };
}
