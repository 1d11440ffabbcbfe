// The panel where it lives: beside the editor at 480-620 px, and wide at 1100 px, in light,
// dark and high contrast. Every view keeps its main columns without sideways scrolling,
// headers are never cut (full names in tooltips), the tab strip never scrolls (overflow
// menu). Screenshots go to test-results/webview/widths (looked at; not compared).
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { TABLE_COLUMNS } from '../../src/protocol';
import { usePanelHarness } from './harness/fixture';
import type { Results } from './harness/results';

const SHOTS = join(__dirname, '..', '..', 'test-results', 'webview', 'widths');
const WIDTHS = [480, 620, 1100] as const;
const THEMES = ['light', 'dark', 'high-contrast'] as const;

let harness: ReturnType<typeof usePanelHarness>;
let results: Results;

async function open(width: number, theme: (typeof THEMES)[number], saved: Record<string, unknown>, file = 'recycled-root-bug.mmu'): Promise<Page> {
  const run = results.runs.get(file)!;
  return (await harness.open(run, { theme, savedState: { uri: run.uri, ...saved } }, { width, height: 900 })).page;
}

/** The tab is shown, from the strip or from the overflow menu. */
async function showTab(page: Page, id: string): Promise<void> {
  if (await page.isVisible(`#tab-${id}`)) await page.click(`#tab-${id}`);
  else {
    await page.click('#tabs-more');
    await page.click(`.tabs-menu [data-tab="${id}"]`);
  }
  await page.waitForSelector(`#view-${id}:not([hidden])`);
}

/** No element of the page is wider than the viewport (nothing scrolls sideways). */
async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Header cells of a table whose label is cut (text wider than its cell). */
async function cutHeaders(page: Page, table: string): Promise<string[]> {
  return page.$$eval(`.vt[data-table="${table}"] .vt-head [role="columnheader"]:not([hidden]) .vt-sort`, (l) =>
    l.filter((b) => b.scrollWidth > b.clientWidth + 1).map((b) => b.textContent ?? ''));
}

describe('webview panel at side-panel widths', function () {
  this.timeout(180_000);

  harness = usePanelHarness(SHOTS);
  before(() => { results = harness.results; });

  for (const width of WIDTHS) {
    it(`at ${width} px: no sideways scrolling, headers not cut, tab strip fits (screenshots in three themes)`, async () => {
      for (const theme of THEMES) {
        const page = await open(width, theme, { tab: 'roots' });
        await page.waitForSelector('.vt[data-table="roots"][data-total] .vt-row:not(.loading)');
        // The tab strip fits: hidden tabs are in the menu, never scrolled to.
        const strip = await page.$eval('.tabs', (el) => {
          const tabs = Array.from(el.querySelectorAll('vscode-panel-tab')).filter((t) => !(t as HTMLElement).hidden);
          const right = Math.max(...tabs.map((t) => t.getBoundingClientRect().right));
          return { right, width: el.getBoundingClientRect().right, overflow: el.getAttribute('data-overflow') ?? '' };
        });
        assert.ok(strip.right <= strip.width + 1, `tabs end at ${strip.right}, strip at ${strip.width}`);
        // No tab runs under the More button (a hidden tab's grid gap once pushed the active one there).
        const more = await page.$eval('#tabs-more', (b) => ((b as HTMLElement).hidden ? Infinity : b.getBoundingClientRect().left));
        assert.ok(strip.right <= more + 1, `tabs end at ${strip.right}, More starts at ${more}`);
        if (width < 620) assert.notEqual(strip.overflow, '', 'at this width some tabs are in the overflow menu');
        for (const tab of ['roots', 'tlb', 'trace', 'counters', 'compare', 'pages']) {
          await showTab(page, tab);
          // The active indicator is under the active tab.
          await page.waitForFunction((id) => {
            const ind = document.querySelector('.tabs')!.shadowRoot!.querySelector('.activeIndicator')!.getBoundingClientRect();
            const t = document.querySelector(`#tab-${id}`)!.getBoundingClientRect();
            return Math.abs(ind.left - t.left) < 2 && Math.abs(ind.right - t.right) < 2;
          }, tab);
          if (tab === 'roots' || tab === 'tlb' || tab === 'trace') {
            const table = tab === 'tlb' ? 'tlb' : tab;
            await page.waitForSelector(`.vt[data-table="${table}"][data-columns]`);
            await page.waitForSelector(`.vt[data-table="${table}"] .vt-body .vt-row:not(.loading)`);
            assert.deepEqual(await cutHeaders(page, table), [], `${table} headers at ${width}px`);
            // The always-shown columns are there.
            const shown = (await page.getAttribute(`.vt[data-table="${table}"]`, 'data-columns'))!.split(' ');
            for (const c of TABLE_COLUMNS[table].filter((x) => x.priority === 1)) assert.ok(shown.includes(c.id), `${table} shows ${c.id} at ${width}px`);
            if (width >= 1100) assert.equal(shown.length, TABLE_COLUMNS[table].length, `${table}: every column at ${width}px`);
          }
          if (tab === 'trace') {
            // Function names are never cut.
            const cut = await page.$$eval('.vt[data-table="trace"] .vt-body .vt-row:not(.loading)', (rows) =>
              rows.map((r) => r.children[1] as HTMLElement).filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent));
            assert.deepEqual(cut, [], `function names cut at ${width}px`);
          }
          assert.ok(await horizontalOverflow(page) <= 0, `${tab} scrolls sideways at ${width}px in ${theme}`);
          await page.screenshot({ path: join(SHOTS, `${tab}-${width}-${theme}.png`), fullPage: true });
        }
        await page.close();
      }
    });
  }

  it('the role column shows guest_mode, and the column chooser adds a column the width left out', async () => {
    // nested-transitions.mmu runs L3 on guest_mmu: roots with the guest_mode role.
    const page = await open(480, 'dark', { tab: 'roots' }, 'nested-transitions.mmu');
    await page.waitForSelector('.vt[data-table="roots"][data-columns] .vt-body .vt-row:not(.loading)');
    const shown = (await page.getAttribute('.vt[data-table="roots"]', 'data-columns'))!.split(' ');
    assert.ok(shown.includes('role'));
    const roles = await page.$$eval('.vt[data-table="roots"] .vt-body .vt-row:not(.loading)', (rows) =>
      rows.map((r) => r.children[3] as HTMLElement).map((c) => ({ text: c.textContent, cut: c.scrollWidth > c.clientWidth + 1 })));
    assert.ok(roles.some((r) => r.text!.includes('guest_mode')), JSON.stringify(roles));
    assert.deepEqual(roles.filter((r) => r.cut), [], 'role cells are not cut');
    assert.ok(!shown.includes('mmu'), 'MMU is left out at 480 px');
    // Full names in tooltips.
    assert.match((await page.getAttribute('.vt[data-table="roots"] [data-col="hpa"] .vt-sort', 'title'))!, /nCR3 \/ EPTP/);
    await page.click('.view-roots .section-head .vt-columns');
    await page.check('.view-roots .vt-menu input[data-col="mmu"]');
    await page.waitForFunction(() => document.querySelector('.vt[data-table="roots"]')!.getAttribute('data-columns')!.split(' ').includes('mmu'));
    const saved = harness.opened.at(-1)!.host.savedState as { columns: Record<string, Record<string, boolean>> };
    assert.deepEqual(saved.columns['roots'], { mmu: true });
  });
});
