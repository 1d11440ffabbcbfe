// Headless Debian Chromium through playwright-core (no browser download: /usr/bin/chromium).
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PanelRun } from '../../../src/editor/panel/panelModel';
import { HostStandIn } from './hostStandIn';
import type { HarnessServer, PageConfig } from './server';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launch(): Promise<Browser> {
  // Keep Chromium's profile and caches out of the home directory.
  const tmp = mkdtempSync(join(tmpdir(), 'mmu-webview-'));
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, env: { ...process.env, HOME: tmp, XDG_CONFIG_HOME: tmp, XDG_CACHE_HOME: tmp } });
}

export interface OpenPanel {
  readonly page: Page;
  readonly host: HostStandIn;
  /** Console errors and CSP violations seen by the page. */
  readonly errors: string[];
}

const contexts = new WeakMap<Browser, BrowserContext>();

/** Pages share one browser context (a new context per page costs a second or two here). */
export async function openPanel(browser: Browser, server: HarnessServer, run: PanelRun | undefined, cfg: PageConfig, viewport = { width: 1100, height: 900 }): Promise<OpenPanel> {
  let context = contexts.get(browser);
  if (!context) {
    context = await browser.newContext();
    contexts.set(browser, context);
  }
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  const host = new HostStandIn(page, run);
  await host.attach();
  await page.goto(server.page(cfg));
  await page.waitForSelector('body[data-run-id]');
  return { page, host, errors };
}
