// Results kept across a window reload, in code-server driven by Chromium: Run a scenario,
// reload the window, and the last run's marks and stale-use diagnostics are back (from the
// run cache, src/editor/runCache.ts), labelled "from the previous run". The workspace is a
// fresh copy of one fixture, so its storage and this test's run are its own.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
// @ts-expect-error — plain .mjs helper shared with `npm start`.
import { workbenchUrl } from '../../scripts/code-server.mjs';
import { repo, resultsDir, workbench } from './workbench';

const FILE = 'kept.mmu';

/** Gutter marks of the run shown: the background images of the glyph-margin decorations. */
async function gutterMarks(page: Page): Promise<string[]> {
  return page.evaluate(() => Array.from(document.querySelectorAll('.monaco-editor .margin *'))
    .map((el) => getComputedStyle(el).backgroundImage)
    .filter((b) => b.includes('mark-')));
}

async function waitForMarks(page: Page, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let marks: string[] = [];
  while (Date.now() < deadline) {
    marks = await gutterMarks(page);
    if (marks.some((m) => m.includes('mark-fail.svg')) && marks.some((m) => m.includes('mark-pass.svg'))) break;
    await page.waitForTimeout(250);
  }
  return marks;
}

describe('results kept across a window reload (Chromium + code-server)', () => {
  let page: Page;
  let workspace: string;
  const shot = (name: string) => page.screenshot({ path: join(resultsDir, name) });

  before(async function () {
    this.timeout(90_000);
    workspace = mkdtempSync(join(tmpdir(), 'mmu-reload-ws-'));
    // The recycled-root fixture fails on the unfixed kernel: a failure mark, pass marks and a stale-use error.
    copyFileSync(join(repo, 'test', 'e2e', 'fixtures', 'recycled-root.mmu'), join(workspace, FILE));
    copyFileSync(join(repo, 'test', 'e2e', 'fixtures', 'explore.mmu'), join(workspace, 'explore.mmu'));
    page = await workbench().browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(workbenchUrl(workbench().url, workspace, { extensionDevelopmentPath: repo }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await page?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('Run, reload the window: the marks and the stale-use diagnostic are back, labelled from the previous run', async function () {
    this.timeout(170_000);
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FILE }).click({ timeout: 30_000 });
    const run = page.locator('.monaco-editor .codelens-decoration a', { hasText: /^\W*Run$/ }).first();
    await run.waitFor({ timeout: 30_000 });
    await run.click();
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
    const before = await waitForMarks(page, 20_000);
    assert.ok(before.some((m) => m.includes('mark-fail.svg')), `a failure mark after the run; saw ${JSON.stringify(before)}`);
    // Nothing says "previous" about a fresh run.
    await page.keyboard.press('Control+Shift+M');
    const fresh = page.locator('.markers-panel', { hasText: 'Stale translation' });
    await fresh.waitFor({ timeout: 20_000 });
    assert.doesNotMatch(await fresh.innerText(), /from the previous run/);
    await shot('reload-1-after-run.png');
    // The cache writes half a second after the run; give it that, then reload the window.
    await page.waitForTimeout(2_000);
    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The editor comes back with the workbench; open it if it did not.
    const editor = page.locator('.monaco-editor .view-lines').first();
    if (!(await editor.isVisible().catch(() => false))) {
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FILE }).click({ timeout: 30_000 });
    }
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 60_000 });
    const after = await waitForMarks(page, 30_000);
    assert.ok(after.some((m) => m.includes('mark-fail.svg')), `the failure mark is back; saw ${JSON.stringify(after)}`);
    assert.ok(after.some((m) => m.includes('mark-pass.svg')), 'and the pass marks');
    // (The marks' inline text is CSS content, not in the DOM: the Problems view carries the label.)
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel', { hasText: 'from the previous run' });
    await problems.waitFor({ timeout: 20_000 });
    assert.match(await problems.innerText(), /Stale translation.*from the previous run/);
    await shot('reload-2-after-reload.png');
  });

  it('Run all with an explore block, reload: the block\'s violation is back in the status bar, from the previous run', async function () {
    this.timeout(170_000);
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'explore.mmu' }).click({ timeout: 30_000 });
    await page.locator('.tabs-container .tab.active', { hasText: 'explore.mmu' }).first().waitFor({ timeout: 30_000 });
    const runAll = page.locator('.editor-group-container.active .monaco-editor .codelens-decoration a:visible', { hasText: 'Run all (2)' }).first();
    await runAll.waitFor({ timeout: 30_000 });
    await runAll.click();
    const verdict = page.locator('.statusbar', { hasText: /MMU 1\/2 failed · 1 explore violation/ }).first();
    await verdict.waitFor({ timeout: 90_000 });
    assert.doesNotMatch(await verdict.innerText(), /previous run/);
    await page.waitForTimeout(2_000);
    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const tab = page.locator('.tabs-container .tab', { hasText: 'explore.mmu' }).first();
    if (await tab.isVisible().catch(() => false)) await tab.click();
    else await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'explore.mmu' }).click({ timeout: 30_000 });
    await page.locator('.statusbar', { hasText: /MMU 1\/2 failed · 1 explore violation \(previous run\)/ }).first().waitFor({ timeout: 60_000 });
    await shot('reload-3-explore-after-reload.png');
  });
});
