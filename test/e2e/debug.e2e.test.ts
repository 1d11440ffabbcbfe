// The debugger driven like a user in code-server: a breakpoint in the recycled-root example,
// F5 without a launch.json, the Variables view with vCPU 0's root, "step into" a kernel frame,
// "step back" out of it. Screenshots go to test-results/e2e/ (git-ignored).
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
// @ts-expect-error — plain .mjs helper shared with `npm start`.
import { workbenchUrl } from '../../scripts/code-server.mjs';
import { repo, resultsDir, workbench } from './workbench';

const EXAMPLE = 'recycled-root-bug.mmu';
const SOURCE = readFileSync(join(repo, 'examples', EXAMPLE), 'utf8').split('\n');
/** 1-based line of the statement the breakpoint goes on. */
const DELETE_LINE = SOURCE.findIndex((l) => l.trimStart().startsWith('memslot ram delete free')) + 1;

describe('debugger in code-server (Chromium)', () => {
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: join(resultsDir, name) });
  const callStack = () => page.locator('.debug-call-stack .monaco-list-row');
  const command = async (title: string): Promise<void> => {
    await page.keyboard.press('F1');
    // Typed into the palette's input itself: if F1 did not open it, nothing is typed into the editor.
    const input = page.locator('.quick-input-widget input').first();
    await input.waitFor({ timeout: 10_000 });
    await input.pressSequentially(title);
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
  };
  /** The top frame's name in the Call Stack view. */
  const topFrame = async (): Promise<string> => (await callStack().first().innerText()).split('\n')[0]!.trim();
  const topRow = (): Promise<string> => page.evaluate(() => document.querySelector('.debug-call-stack .monaco-list-row')?.textContent ?? '');
  /** Runs `act` (a step) and waits until the top frame has changed. */
  const stepAndWait = async (act: () => Promise<void>): Promise<void> => {
    const before = await topRow();
    await act();
    await page.waitForFunction((b) => (document.querySelector('.debug-call-stack .monaco-list-row')?.textContent ?? '') !== b, before, { timeout: 20_000 });
  };

  before(async function () {
    this.timeout(90_000);
    page = await workbench().browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(workbenchUrl(workbench().url, join(repo, 'examples'), { extensionDevelopmentPath: repo }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await shot('debug-failed.png').catch(() => undefined);
  });

  after(async () => {
    await page?.close();
  });

  it('breakpoint, F5, vCPU 0 with its root in Variables, step into a kernel frame, step back', async function () {
    this.timeout(150_000);
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: EXAMPLE });
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    await page.locator('#status\\.editor\\.mode', { hasText: 'MMU scenario' }).waitFor({ timeout: 30_000 });
    // A failed earlier run may have left the file edited in this workbench: the text on disk, please.
    await page.locator('.monaco-editor .view-lines').first().click();
    for (let i = 0; i < 3 && await page.locator('.tabs-container .tab.active.dirty').count() > 0; i++) {
      await command('File: Revert File');
      await page.waitForTimeout(500);
    }
    assert.equal(await page.locator('.tabs-container .tab.active.dirty').count(), 0, 'the example is as on disk');
    // The extension is active once its CodeLens shows.
    await page.locator('.monaco-editor .codelens-decoration a', { hasText: /Debug$/ }).first().waitFor({ timeout: 60_000 });
    await page.locator('.monaco-editor .view-lines').first().click();

    // A breakpoint on `memslot ram delete free` (Go to Line, then Toggle Breakpoint).
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(DELETE_LINE));
    await page.keyboard.press('Enter');
    await command('Debug: Toggle Breakpoint');
    await page.locator('.monaco-editor .codicon-debug-breakpoint').first().waitFor({ timeout: 15_000 });

    // F5 without a launch.json: the debugger stops on entry, F5 again runs to the breakpoint.
    await page.keyboard.press('F5');
    await page.locator('.debug-toolbar').waitFor({ timeout: 60_000 });
    // The Run and Debug view (the workbench may show it already, from an earlier session).
    if (!(await page.locator('.debug-call-stack').isVisible())) await page.locator('.activitybar .action-item a[aria-label^="Run and Debug"]').first().click({ force: true });
    await callStack().first().waitFor({ timeout: 30_000 });
    await page.locator('.debug-call-stack', { hasText: 'memslot ram gpa 0 size 64K' }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('F5');
    await page.locator('.debug-call-stack', { hasText: 'memslot ram delete free' }).waitFor({ timeout: 30_000 });
    await shot('debug-1-breakpoint.png');

    // Variables: the first scope is vCPU 0 (expanded); at the first `memslot … delete` the write's
    // entry has loaded a root (kvm_mmu_load -> mmu_alloc_direct_roots), so its root is a TDP root.
    const variables = page.locator('.debug-variables');
    await variables.locator('.monaco-list-row', { hasText: /^vCPU 0/ }).first().waitFor({ timeout: 20_000 });
    const rootRow = variables.locator('.monaco-list-row', { hasText: /^root/ }).first();
    await rootRow.waitFor({ timeout: 20_000 });
    // The view asks for the variables again after each stop: until its answer lands it may still
    // show the entry stop's row (no root yet, INVALID_PAGE). Wait for the refresh, then check it.
    const TDP_ROOT = /root[\s\S]*0x[0-9a-f]+ tdp valid refcount \d+/;
    await variables.locator('.monaco-list-row', { hasText: TDP_ROOT }).first().waitFor({ timeout: 20_000 }).catch(() => undefined);
    assert.match(await rootRow.innerText(), TDP_ROOT);

    // Step into: the first kernel event of the statement is a frame above the scenario's.
    await stepAndWait(() => page.keyboard.press('F11'));
    const inside = await topFrame();
    assert.match(inside, /^kvm_set_memslot/);
    await shot('debug-2-step-into.png');

    // Further in, kvm_tdp_mmu_invalidate_all_roots: a function docs/kernel-reference.md describes
    // (its "Fast zap" section), so as the top frame it opens the doc there.
    const activeTab = page.locator('.tabs-container .tab.active');
    for (let i = 0; i < 12 && !/^kvm_tdp_mmu_invalidate_all_roots/.test(await topFrame()); i++) await stepAndWait(() => page.keyboard.press('F11'));
    assert.match(await topFrame(), /^kvm_tdp_mmu_invalidate_all_roots/);
    await page.locator('.tabs-container .tab.active', { hasText: 'kernel-reference.md' }).waitFor({ timeout: 15_000 });
    await page.locator('.monaco-editor .view-line', { hasText: '## Fast zap' }).first().waitFor({ timeout: 10_000 });
    await shot('debug-3-kernel-doc.png');

    // Step back, event by event, to the statement itself: no kernel frame, the .mmu file again.
    for (let i = 0; i < 10 && /kvm_|tdp_/.test(await topFrame()); i++) {
      await stepAndWait(() => page.locator('.debug-toolbar .codicon-debug-step-back').click());
    }
    assert.match(await topFrame(), /memslot ram delete free/);
    assert.equal(await callStack().count(), 1);
    assert.match(await activeTab.innerText(), /recycled-root-bug\s*\.mmu/);
    await shot('debug-4-step-back.png');

    await page.locator('.debug-toolbar .codicon-debug-stop').click();
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 20_000 });
  });
  it('the state panel follows the paused position and goes back to the last run when the session ends', async function () {
    this.timeout(120_000);
    await page.locator('.monaco-editor .codelens-decoration a', { hasText: /Show state$/ }).first().click();
    const panel = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const panelTab = page.locator('.tabs-container .tab', { hasText: 'MMU State: recycled-root-bug.mmu' }).first();
    await panelTab.waitFor({ timeout: 30_000 });
    // The breakpoint of the test above is still set: F5 stops on entry, F5 again at the breakpoint.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('F5');
    await panel.locator('#step-label', { hasText: 'paused at line 20' }).waitFor({ timeout: 60_000 });
    await page.locator('.debug-toolbar .codicon-debug-continue').click(); // the panel may hold the keyboard focus now
    const label = panel.locator('#step-label', { hasText: `paused at line ${DELETE_LINE}: memslot ram delete free` });
    await label.waitFor({ timeout: 30_000 });
    // Three statements and the `repeat` before the first delete: the timeline's clock says 5
    // (Interpreter.stepOnce counts the repeat op and each statement once).
    assert.match(await label.innerText(), /after 5 statements/);
    await shot('debug-5-panel.png');
    assert.match(await panelTab.innerText(), /\(debugging\)/);
    await page.locator('.debug-toolbar .codicon-debug-stop').click();
    // Back to the file's last Run (none in this workbench, or one an earlier spec made).
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.tabs-container .tab')).some((t) => /MMU State: recycled-root-bug\.mmu/.test(t.textContent ?? '') && !/debugging/.test(t.textContent ?? '')), undefined, { timeout: 30_000 });
    assert.doesNotMatch(await panel.locator('#step-label').innerText().catch(() => ''), /paused at/);
  });
});
