// The web entry (package.json `browser` → dist/web/extension.js) in VS Code's browser
// extension host, a web worker. A second code-server whose user settings say
// `remote.extensionKind: { "<publisher>.<name>": ["web"] }` (the setting VS Code reads
// for where an extension runs; `extensions.extensionKind` does not exist) makes the
// workbench run the extension in its web worker host instead of the Node host, so
// everything seen here comes from the browser bundle, whose runs go to a Web Worker nested
// in that host (dist/web/simWorker.js). The workspace is a copy of the fixtures plus a
// runaway scenario, which only a worker can run without freezing the extension host.
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
// @ts-expect-error — plain .mjs helpers shared with `npm start`.
import { provisionWorkbench } from '../../scripts/provision-workbench.mjs';
// @ts-expect-error — see above.
import { startCodeServer, workbenchUrl } from '../../scripts/code-server.mjs';
import { repo, resultsDir, workbench } from './workbench';

const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { publisher: string; name: string; browser?: string };
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
// A billion reads: hours of simulation, so only cancellation ends it.
const RUNAWAY = 'config host=bare\nscenario "forever" {\n  memslot ram gpa 0 size 64K\n  repeat 1000000000 {\n    read 0x1000\n  }\n}\n';
// A search of minutes (2 vCPUs, six moves, depth 12, clean on 6.3): only cancellation ends it.
const LONG_EXPLORE = [
  'config host=hyperv cpu=svm kernel=6.3 tdp_mmu=on enlightened_tlb=on',
  'explore "long" {', '  config allocator=any vcpus=2', '  memslot ram gpa 0 size 64K', '  write 0x1000 = 1',
  '  steps {', '    memslot ram delete free', '    memslot ram gpa 0 size 64K', '    vcpu 0 read 0x1000', '    vcpu 1 read 0x1000', '    vcpu 1 smi', '    vcpu 1 rsm', '  }',
  '  depth 12', '}', '',
].join('\n');

/** Shows an Output channel through the palette and returns its text once `until` matches it. */
async function outputChannelText(page: Page, channel: string, until: RegExp): Promise<string> {
  await page.keyboard.press('F1');
  await page.keyboard.type('Output: Show Output Channels');
  await page.keyboard.press('Enter');
  const quickInput = page.locator('.quick-input-widget input');
  await quickInput.waitFor({ timeout: 10_000 });
  await quickInput.fill(channel);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: channel }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  // Only the visible lines are in the DOM: read short channels, or match their last lines.
  const lines = page.locator('.output-view .monaco-editor .view-lines').first();
  let text = '';
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    // Monaco renders spaces as no-break spaces.
    text = (await lines.innerText().catch(() => '')).replace(/\u00a0/g, ' ');
    if (until.test(text)) break;
    await page.waitForTimeout(250);
  }
  return text;
}

/** Opens the Notifications center and returns the notification whose text has `title`. */
async function showNotification(page: Page, title: string) {
  const item = page.locator('.notifications-center .notification-list-item', { hasText: title });
  const deadline = Date.now() + 30_000;
  // The notification appears once the run has taken a moment; the center closes when empty.
  while (Date.now() < deadline && !(await item.isVisible())) {
    await page.keyboard.press('F1');
    await page.keyboard.type('Notifications: Show Notifications');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
  }
  await item.waitFor({ timeout: 1_000 });
  return item;
}

describe('web extension host (browser entry in a web worker)', () => {
  let page: Page;
  let stopServer: (() => Promise<void>) | undefined;
  let workspace: string | undefined;
  const shot = (name: string) => page.screenshot({ path: join(resultsDir, name) });

  before(async function () {
    this.timeout(90_000);
    assert.equal(manifest.browser, './dist/web/extension.js', 'package.json declares the web entry');
    const wb = provisionWorkbench({ apt: false });
    // The smoke-test driver makes the workbench honour the extensionDevelopmentPath payload.
    const server = await startCodeServer({
      node: wb.node, entry: wb.entry, smokeTestDriver: true, log: join(resultsDir, 'code-server-web.log'),
      // Two explore threads: Web Workers nested in the simulation worker (itself nested in the host).
      settings: { 'remote.extensionKind': { [EXTENSION_ID]: ['web'] }, 'mmu.explore.workers': 2 },
    });
    stopServer = server.stop;
    workspace = mkdtempSync(join(tmpdir(), 'mmu-web-ws-'));
    cpSync(join(repo, 'test', 'e2e', 'fixtures'), workspace, { recursive: true });
    writeFileSync(join(workspace, 'runaway.mmu'), RUNAWAY);
    writeFileSync(join(workspace, 'long-explore.mmu'), LONG_EXPLORE);
    page = await workbench().browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(workbenchUrl(server.url, workspace, { extensionDevelopmentPath: repo }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  after(async function () {
    this.timeout(30_000);
    await page?.close();
    await stopServer?.();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('shows diagnostics for the bad lines of a file', async function () {
    this.timeout(60_000);
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'bad.mmu' });
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    await page.locator('#status\\.editor\\.mode', { hasText: 'MMU scenario' }).waitFor({ timeout: 30_000 });
    // bad.mmu has an unknown config key (line 2) and an unknown kernel function (line 6).
    await page.locator('.monaco-editor .squiggly-error').nth(1).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel', { hasText: 'kvm_do_magic' });
    await problems.waitFor({ timeout: 20_000 });
    await shot('web-1-diagnostics.png');
    const text = await problems.innerText();
    assert.match(text, /tdpmmu/, 'the unknown key is reported');
    assert.match(text, /tdp_mmu/, 'naming the keys it expected');
    assert.match(text, /kvm_do_magic/, 'the unknown kernel function is reported');
  });

  it('runs a scenario from the Run CodeLens and marks the failing read', async function () {
    this.timeout(60_000);
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'two.mmu' }).click();
    // two.mmu: "wrong value" writes 0x1111 and reads expecting 0x2222 on bare metal, so the
    // read sees 0x1111 and fails (nothing can go stale without an L0; domain §2).
    const run = page.locator('.monaco-editor .codelens-decoration a', { hasText: /^\W*Run$/ }).nth(1);
    await run.waitFor({ timeout: 30_000 });
    await run.click();
    const message = page.locator('.monaco-editor', { hasText: 'expected 0x2222, seen 0x1111' }).first();
    await message.waitFor({ timeout: 30_000 });
    // Only "wrong value" ran: the status bar counts the file's other scenario as not run (issue 12).
    await page.locator('.statusbar', { hasText: /MMU 1\/2 failed · 1 did not run/ }).first().waitFor({ timeout: 10_000 });
    await shot('web-2-run.png');
    const log = await outputChannelText(page, 'MMU', /FAIL "wrong value"/);
    await shot('web-3-mmu-log.png');
    assert.match(log, /run "wrong value" in two\.mmu/);
    assert.match(log, /FAIL "wrong value" stale=0 checks=1/);
  });

  it('runs a runaway scenario in a nested worker: progress updates, hovers answer, Cancel and edits end it', async function () {
    this.timeout(120_000);
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'runaway.mmu' }).click();
    const run = page.locator('.monaco-editor .codelens-decoration a', { hasText: /^\W*Run$/ }).first();
    await run.waitFor({ timeout: 30_000 });
    await run.click();
    // With the smoke-test driver the workbench shows no toasts: the progress notification is
    // in the Notifications center. The total is known from the loop count, so it says the
    // share done of the statement total (in G), the measured rate and an ETA; the text must change while
    // the run goes on, which it cannot while a run blocks the extension host.
    const progress = await showNotification(page, 'MMU: run "forever"');
    const text = async () => (await progress.innerText().catch(() => '')).replace(/\s+/g, ' ');
    let first = '';
    for (let i = 0; i < 80 && !/statements\/s/.test(first); i++) { first = await text(); if (!/statements\/s/.test(first)) await page.waitForTimeout(250); }
    assert.match(first, /\d+% · [\d,]+ statements of [\d.]+G · [\d.]+[kMG]? statements\/s · about [\d.]+ (s|min|h) left/, `percentage, rate and ETA from the loop count: "${first}"`);
    let later = first;
    for (let i = 0; i < 40 && later === first; i++) { await page.waitForTimeout(250); later = await text(); }
    assert.notEqual(later, first, 'progress updates during the run');
    // The extension host still answers a hover while the simulation runs.
    await page.locator('.monaco-editor .view-line span', { hasText: /^repeat$/ }).first().hover();
    const hover = page.locator('.monaco-hover', { hasText: 'the run stays cancellable' });
    await hover.waitFor({ timeout: 15_000 });
    assert.ok(await progress.isVisible(), 'the run was still going when the hover answered');
    await shot('web-4-runaway-progress-hover.png');
    await page.mouse.move(700, 400); // away from the hover (Escape would close the center too)
    // Cancel in the notification terminates the worker: the notification goes away.
    await (await showNotification(page, 'MMU: run "forever"')).getByRole('button', { name: 'Cancel' }).click();
    await progress.waitFor({ state: 'detached', timeout: 15_000 });
    // A new run, then an edit, cancels the run in flight too.
    await run.click();
    const again = await showNotification(page, 'MMU: run "forever"');
    await page.locator('.monaco-editor .view-line span', { hasText: /^read$/ }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.type(' ');
    await again.waitFor({ state: 'detached', timeout: 15_000 });
    await page.keyboard.press('Control+z');
    const log = await outputChannelText(page, 'MMU', /cancelled run of runaway\.mmu \(edited\)/);
    await shot('web-5-runaway-log.png');
    assert.match(log, /cancelled run of runaway\.mmu \(cancelled from the notification\)/);
    assert.match(log, /cancelled run of runaway\.mmu \(edited\)/);
    assert.doesNotMatch(log, /no simulation worker/, 'runs did not fall back to the extension host thread');
  });

  it('explores in the nested worker: states, distinct, depth and rate update, hovers answer, Cancel ends it', async function () {
    this.timeout(120_000);
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'long-explore.mmu' }).click();
    const explore = page.locator('.monaco-editor .codelens-decoration a', { hasText: /Explore$/ }).first();
    await explore.waitFor({ timeout: 30_000 });
    await explore.click();
    const progress = await showNotification(page, 'MMU: explore "long"');
    const text = async () => (await progress.innerText().catch(() => '')).replace(/\s+/g, ' ');
    const shape = /MMU: explore "long".*depth \d+ · [\d,]+ states · [\d,]+ distinct · [\d,]+ distinct states\/s/;
    let first = '';
    for (let i = 0; i < 80 && !shape.test(first); i++) { first = await text(); if (!shape.test(first)) await page.waitForTimeout(250); }
    assert.match(first, shape, `states, distinct states, depth and rate: "${first}"`);
    assert.match(first, / · 2 threads/, `the search runs on the two explore threads (mmu.explore.workers): "${first}"`);
    let later = first;
    for (let i = 0; i < 40 && later === first; i++) { await page.waitForTimeout(250); later = await text(); }
    assert.notEqual(later, first, 'progress updates during the search');
    // The extension host still answers a hover while the search runs.
    await page.locator('.monaco-editor .view-line span', { hasText: /^memslot$/ }).first().hover();
    await page.locator('.monaco-hover', { hasText: 'KVM memslot ioctl' }).waitFor({ timeout: 15_000 });
    assert.ok(await progress.isVisible(), 'the search was still going when the hover answered');
    await shot('web-7-explore-progress.png');
    await page.mouse.move(700, 400);
    await (await showNotification(page, 'MMU: explore "long"')).getByRole('button', { name: 'Cancel' }).click();
    await progress.waitFor({ state: 'detached', timeout: 15_000 });
    const log = await outputChannelText(page, 'MMU', /cancelled explore "long" in long-explore\.mmu/);
    assert.match(log, /cancelled explore "long" in long-explore\.mmu \((cancelled|cancelled from the notification)\)/);
    assert.doesNotMatch(log, /no simulation worker/, 'the search did not fall back to the extension host thread');
  });

  it('was activated by the web worker extension host', async function () {
    this.timeout(60_000);
    const activated = new RegExp(`_doActivateExtension ${EXTENSION_ID.replace(/\./g, '\\.')}\\b`);
    const worker = await outputChannelText(page, 'Extension Host (Worker)', activated);
    await shot('web-6-worker-host-log.png');
    assert.match(worker, activated, 'the worker extension host activated the extension');
  });
});
