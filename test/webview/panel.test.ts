// The side panel's bundle (dist/webview.js) in headless Chromium, on a harness page with
// the real CSP and a stand-in for acquireVsCodeApi whose host side is the real PanelModel
// answering from src/core runs of the examples (harness/results.ts). Every expected value
// below is read from those core results (what the model computed), never from the UI's code.
import * as assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ScenarioResult, Snapshot } from '../../src/core/run/result';
import type { PanelRun } from '../../src/editor/panel/panelModel';
import type { OpenPanel } from './harness/browser';
import { usePanelHarness } from './harness/fixture';
import { BIG_ROWS, type Results } from './harness/results';
import type { ThemeKind } from './harness/themes';

const SHOTS = join(__dirname, '..', '..', 'test-results', 'webview');
const MAX_DOM_NODES = 1500;

let harness: ReturnType<typeof usePanelHarness>;
let results: Results;

/** The example with the reference bug: a scenario with stale uses whose recycled root is blamed. */
function bugRun(): { run: PanelRun; index: number; scenario: ScenarioResult; step: number; snap: Snapshot } {
  // The thread's bug example first: every run now has timeline snapshots, so other examples
  // (the legacy-MMU finding) could match too.
  const ordered = [...results.runs.entries()].sort(([a], [b]) => Number(b === 'recycled-root-bug.mmu') - Number(a === 'recycled-root-bug.mmu'));
  for (const [, run] of ordered) {
    for (const [index, scenario] of run.result.scenarios.entries()) {
      const step = scenario.snapshots.findIndex((s) => s.roots.some((r) => r.blamed && r.recycledFromLine !== null));
      if (scenario.stale.length > 0 && step >= 0) return { run, index, scenario, step, snap: scenario.snapshots[step]! };
    }
  }
  throw new Error('no example has a stale use with a recycled root (examples/recycled-root-bug.mmu should)');
}

async function open(run: PanelRun | undefined, theme: ThemeKind = 'dark', savedState?: unknown, viewport?: { width: number; height: number }): Promise<OpenPanel> {
  return harness.open(run, { theme, savedState }, viewport);
}

async function showTab(page: Page, id: string): Promise<void> {
  await page.click(`#tab-${id}`);
  await page.waitForSelector(`#view-${id}:not([hidden])`);
}

/** Row count the table reports once its first slice has arrived. */
async function total(page: Page, table: string, expected?: number): Promise<number> {
  const sel = `.vt[data-table="${table}"]`;
  if (expected === undefined) {
    await page.waitForSelector(`${sel}[data-total]`);
  } else {
    await page.waitForFunction(([s, n]) => document.querySelector(s as string)?.getAttribute('data-total') === String(n), [sel, expected] as const, { timeout: 10_000 })
      .catch(async () => assert.fail(`${table}: expected ${expected} rows, table says ${await page.getAttribute(sel, 'data-total')}`));
  }
  return Number(await page.getAttribute(sel, 'data-total'));
}

/** Cell texts of the rendered (loaded) rows of a table. */
async function renderedRows(page: Page, table: string): Promise<string[][]> {
  return page.$$eval(`.vt[data-table="${table}"] .vt-body .vt-row:not(.loading)`, (rows) =>
    rows.map((r) => Array.from(r.children, (c) => c.textContent ?? '')));
}

async function waitRows(page: Page, table: string, n: number): Promise<void> {
  await page.waitForFunction(([t, k]) => document.querySelectorAll(`.vt[data-table="${t}"] .vt-body .vt-row:not(.loading)`).length >= (k as number), [table, n] as const);
}

/** Every row of a windowed table, scrolling it through (rows keyed by index). */
async function allRows(page: Page, table: string, n: number): Promise<{ cells: string[]; marked: boolean }[]> {
  const got = new Map<number, { cells: string[]; marked: boolean }>();
  const viewport = `.vt[data-table="${table}"] .vt-viewport`;
  for (let top = 0; got.size < n; top += 200) {
    await page.$eval(viewport, (el, t) => { el.scrollTop = t as number; }, top);
    await page.waitForFunction(([sel, t]) => {
      const rows = Array.from(document.querySelectorAll(`${sel} .vt-body .vt-row:not(.loading)`)) as HTMLElement[];
      return rows.some((r) => Number(r.dataset['index']) * 22 >= Math.min(t as number, (document.querySelector(sel as string) as HTMLElement).scrollTop));
    }, [viewport, top] as const);
    const rows = await page.$$eval(`${viewport} .vt-body .vt-row:not(.loading)`, (l) => l.map((r) => ({
      i: Number((r as HTMLElement).dataset['index']), cells: Array.from(r.children, (c) => c.textContent ?? ''), marked: r.classList.contains('marked') })));
    for (const r of rows) got.set(r.i, { cells: r.cells, marked: r.marked });
    if (top > n * 22 + 400) break;
  }
  return [...got.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
}

/** Cells of the stale rows of a windowed table, all of it scrolled through. */
async function allRowsStale(page: Page, table: string, n: number): Promise<string[][]> {
  const got = new Map<number, string[]>();
  const viewport = `.vt[data-table="${table}"] .vt-viewport`;
  for (let top = 0; top <= n * 22; top += 200) {
    await page.$eval(viewport, (el, t) => { el.scrollTop = t as number; }, top);
    await page.waitForTimeout(50);
    await page.waitForSelector(`${viewport} .vt-body .vt-row:not(.loading)`);
    const rows = await page.$$eval(`${viewport} .vt-body .vt-row.stale:not(.loading)`, (l) => l.map((r) => ({ i: Number((r as HTMLElement).dataset['index']), cells: Array.from(r.children, (c) => c.textContent ?? '') })));
    for (const r of rows) got.set(r.i, r.cells);
  }
  return [...got.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
}

/** Every node of the document, shadow roots included. (A string: tsx would wrap a named inner function.) */
function domNodeCount(page: Page): Promise<number> {
  return page.evaluate(`(() => {
    let n = 0;
    const walk = (root) => {
      const w = document.createTreeWalker(root, NodeFilter.SHOW_ALL);
      for (let node = w.currentNode; node; node = w.nextNode()) {
        n++;
        if (node.shadowRoot) walk(node.shadowRoot);
      }
    };
    walk(document);
    return n;
  })()`);
}

/** Polls a condition of the test process (messages from the page arrive asynchronously). */
async function until(what: string, cond: () => boolean): Promise<void> {
  for (let t = 0; t < 250; t++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

async function selectDropdown(page: Page, id: string, value: string): Promise<void> {
  await page.click(`#${id}`);
  await page.click(`#${id} vscode-option[value="${value}"]`);
}

async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  assert.ok(statSync(path).size > 5000, `${path} is not empty`);
  return path;
}

const hex = (n: number): string => '0x' + n.toString(16);

describe('webview panel in Chromium (real core results)', function () {
  this.timeout(120_000);

  harness = usePanelHarness(SHOTS);
  before(() => { results = harness.results; });

  it('is fed by src/core runs of every example', () => {
    assert.ok(results.runs.size >= 1, 'examples/*.mmu ran');
    for (const [name, run] of results.runs) assert.ok(run.result.scenarios.length > 0, `${name} has scenarios`);
    const { scenario } = bugRun();
    assert.ok(scenario.stale.length > 0);
  });

  it('Roots: L1 roots with the recycled root of a stale use marked, L0 shadows with their stale entries', async () => {
    const { run, scenario, step, snap } = bugRun();
    const { page, host } = await open(run, 'dark', { scenario: scenario.name, step, tab: 'roots' });
    assert.equal(await total(page, 'roots', snap.roots.length), snap.roots.length);
    const recycled = snap.roots.filter((r) => r.blamed && r.recycledFromLine !== null);
    const all = await allRows(page, 'roots', snap.roots.length);
    const marked = all.filter((r) => r.marked).map((r) => r.cells);
    const firstMarked = all.findIndex((r) => r.marked);
    assert.equal(marked.length, recycled.length);
    // Columns: #id, nCR3, MMU, role, refs, state, created, recycled from (1-based lines), loaded by, stale use.
    assert.deepEqual(marked.map((c) => [c[0], c[1], c[5], c[6], c[7], c[9]]),
      recycled.map((r) => [`#${r.id}`, hex(r.hpa), r.state, String(r.createdLine + 1), String(r.recycledFromLine! + 1), 'recycled root']));
    // Shadows per nCR3, the stale ones marked.
    assert.equal(await total(page, 'shadows', snap.shadows.length), snap.shadows.length);
    const staleShadows = (await allRowsStale(page, 'shadows', snap.shadows.length)).map((r) => r[0]);
    assert.deepEqual(staleShadows, snap.shadows.filter((s) => s.stale > 0).map((s) => hex(s.as)));
    assert.equal(await total(page, 'memslots', snap.memslots.length), snap.memslots.length);
    // The header lists the stale uses, one line per distinct translation; a line folds out its blame chain.
    assert.equal(await page.textContent('.stale-uses h2'), `${scenario.stale.length} stale use${scenario.stale.length === 1 ? '' : 's'} in this run`);
    await page.click('.stale-use > summary');
    const firstChain = await page.$$eval('.stale-use[open] .blame li .blame-line', (l) => l.map((x) => x.textContent));
    assert.deepEqual(firstChain, scenario.stale[0]!.blame.map((b) => `line ${b.line + 1}`));
    // Every link of the example's chain is inside its `repeat 32`: each names its own iteration.
    const its = await page.$$eval('.stale-use[open] .blame li .blame-iteration', (l) => l.map((x) => x.textContent!.trim()));
    assert.deepEqual(its, scenario.stale[0]!.blame.map((b) => `iteration ${b.iteration!.index} of 32`));
    // Selecting the marked row explains it; clicking it reveals the line that created it.
    await page.$eval('.vt[data-table="roots"] .vt-viewport', (el, t) => { el.scrollTop = t as number; }, firstMarked * 22);
    await page.click(`.vt[data-table="roots"] .vt-row.marked[data-index="${firstMarked}"]`);
    await page.waitForSelector('.view-roots .detail .note.warn');
    assert.match((await page.textContent('.view-roots .detail .note'))!, /recycled root of a stale use/);
    await until('revealLine of the recycled root', () => host.reveals().at(-1) === recycled[0]!.createdLine);
  });

  it('TLB: hardware and shadow entries per step, ASID / root / stale-only filters and address search', async () => {
    const { run, scenario, step, snap } = bugRun();
    const { page } = await open(run, 'dark', { scenario: scenario.name, step, tab: 'tlb' });
    assert.equal(await total(page, 'tlb', snap.tlb.length), snap.tlb.length);
    const asid = snap.tlb[0]?.asid;
    if (asid !== undefined) {
      await selectDropdown(page, 'tlb-asid', String(asid));
      await total(page, 'tlb', snap.tlb.filter((t) => t.asid === asid).length);
      await selectDropdown(page, 'tlb-asid', '');
    }
    // Shadow entries: the stale ones are where this bug lives (L0 kept shadow[nCR3]).
    await selectDropdown(page, 'tlb-table', 'shadowEntries');
    assert.equal(await total(page, 'shadowEntries', snap.shadowEntries.length), snap.shadowEntries.length);
    await page.click('#tlb-stale');
    const stale = snap.shadowEntries.filter((e) => e.stale);
    assert.ok(stale.length > 0, 'the bug step has stale shadow entries');
    await total(page, 'shadowEntries', stale.length);
    await waitRows(page, 'shadowEntries', stale.length);
    const rows = await renderedRows(page, 'shadowEntries');
    assert.deepEqual(rows.map((r) => [r[0], r[1], r[4]]), stale.map((e) => [hex(e.as), hex(e.gfn), 'stale']));
    // Each stale entry shows the blame chain of the stale use it served — that entry exactly
    // (address space, gfn, fill clock), even where entries share gfn and host page — or none.
    const roleText = { fill: 'filled by', change: 'changed by', recycle: 'root recycled by' } as const;
    let withChain = 0;
    for (let i = 0; i < stale.length; i++) {
      const e = stale[i]!;
      await page.click(`.vt[data-table="shadowEntries"] .vt-row.stale[data-index="${i}"]`);
      await page.waitForFunction((k) => document.querySelector('.view-tlb .detail')?.getAttribute('data-key')?.endsWith(`:${k}`), String(e.fillStep));
      const roles = await page.$$eval('.view-tlb .detail .blame li .blame-role', (l) => l.map((x) => x.textContent));
      const use = scenario.stale.find((u) => u.source === 'shadow' && u.as === e.as && u.gfn === e.gfn && u.fillStep === e.fillStep);
      assert.deepEqual(roles, use ? use.blame.map((b) => roleText[b.role]) : [], `shadow[${hex(e.as)}] gfn ${hex(e.gfn)}`);
      if (use) {
        withChain++;
        assert.match((await page.textContent('.view-tlb .detail .blame li .blame-detail'))!, new RegExp(`shadow\\[nCR3 ${hex(e.as)}\\]`));
      }
    }
    assert.ok(withChain > 0 && withChain < stale.length, 'some stale entries served stale uses, others (same gfn/host) did not');
    // Root filter: only that address space's entries.
    const space = stale[0]!.as;
    await selectDropdown(page, 'tlb-root', String(space));
    await total(page, 'shadowEntries', stale.filter((e) => e.as === space).length);
    // Search by an address inside the entry's page (gfn * 4096 + offset).
    await page.click('#tlb-stale');
    await selectDropdown(page, 'tlb-root', '');
    const target = snap.shadowEntries[snap.shadowEntries.length - 1]!;
    await page.fill('#tlb-search input', hex(target.gfn * 4096 + 0x18));
    const byAddress = snap.shadowEntries.filter((e) => e.gfn === target.gfn || e.hostPage === target.gfn || e.as === target.gfn * 4096 + 0x18);
    await total(page, 'shadowEntries', byAddress.length);
    await waitRows(page, 'shadowEntries', byAddress.length);
    assert.ok((await renderedRows(page, 'shadowEntries')).every((r) => r[1] === hex(target.gfn)));
    await shot(page, 'tlb-filtered-dark');
  });

  it('Page tables: the tree of a root expands one table page at a time', async () => {
    // A step whose first kept tree has a table below the root (the bug scenario's first checkpoint).
    const { run, scenario } = bugRun();
    const step = scenario.snapshots.findIndex((s) => (s.pageTables[0]?.tree.children.length ?? 0) > 0);
    assert.ok(step >= 0, 'a snapshot keeps a page-table tree with entries');
    const tree = scenario.snapshots[step]!.pageTables[0]!;
    const { page, host } = await open(run, 'light', { scenario: scenario.name, step, tab: 'pages' });
    await page.waitForSelector('.tree > .tree-item[aria-expanded="true"] > ul > .tree-item');
    const top = await page.$$eval('.tree > .tree-item > ul > li[role="treeitem"]', (l) => l.length);
    assert.equal(top, tree.tree.entries.length);
    const nodeRequests = () => host.received.filter((m) => m.type === 'getNode').length;
    const before = nodeRequests();
    assert.equal(before, 1, 'only the root page was fetched');
    // Expand the first child table with the keyboard.
    const child = tree.tree.children[0];
    if (child) {
      await page.focus('.tree > .tree-item');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowRight');
      await page.waitForSelector(`.tree-item[data-hpa="${child.hpa}"][aria-expanded="true"] > ul > li[role="treeitem"]`);
      assert.equal(nodeRequests(), 2);
      const entries = await page.$$eval(`.tree-item[data-hpa="${child.hpa}"] > ul > li[role="treeitem"] .tree-label`, (l) => l.map((x) => x.textContent));
      assert.equal(entries.length, child.entries.length);
      assert.match(entries[0]!, new RegExp(`^\\[${child.entries[0]!.index}\\] ${hex(child.entries[0]!.spte)}  (writable|read-only), L1 pfn 0x`));
    }
    await shot(page, 'pages-expanded-light');
  });

  it('Page tables: a state for the same run rebuilds the tree with the tables that were open still open', async () => {
    const { run, scenario } = bugRun();
    const step = scenario.snapshots.findIndex((s) => (s.pageTables[0]?.tree.children.length ?? 0) > 0);
    const child = scenario.snapshots[step]!.pageTables[0]!.tree.children[0]!;
    const { page, host } = await open(run, 'dark', { scenario: scenario.name, step, tab: 'pages' });
    await page.waitForSelector('.tree > .tree-item[aria-expanded="true"] > ul > .tree-item');
    await page.click(`.tree-item[data-hpa="${child.hpa}"] > .tree-row`);
    const opened = `.tree-item[data-hpa="${child.hpa}"][aria-expanded="true"] > ul > li[role="treeitem"]`;
    await page.waitForSelector(opened);
    const requests = () => host.received.filter((m) => m.type === 'getNode').length;
    assert.equal(requests(), 2);
    // The host re-posts the same run's state (VS Code does when it refreshes the panel's label).
    await host.resend();
    await page.waitForFunction(() => document.querySelectorAll('.tree-item').length > 0);
    await page.waitForSelector(opened);
    assert.equal(requests(), 4, 'the root and the open table asked for again');
    assert.equal(await page.$$eval(opened, (l) => l.length), child.entries.length);
  });

  it('Trace: events with call paths, filterable by function; a click reveals the source line', async () => {
    const { run, scenario } = bugRun();
    const { page, host } = await open(run, 'dark', { scenario: scenario.name, tab: 'trace' });
    const last = scenario.snapshots[scenario.snapshots.length - 1]!;
    const upToLast = scenario.trace.filter((e) => (e.step ?? 0) <= last.step);
    assert.equal(await total(page, 'trace', upToLast.length), upToLast.length);
    const fn = 'tdp_mmu_alloc_sp';
    const matching = upToLast.filter((e) => e.fn === fn || e.path.includes(fn));
    assert.ok(matching.length > 0, `${fn} events in the trace`);
    assert.equal(await page.textContent('#trace-count'), `${upToLast.length.toLocaleString('en-US')} events up to this step`);
    await selectDropdown(page, 'trace-fn', fn);
    await total(page, 'trace', matching.length);
    // Under a filter the count says how many match, not "N of N".
    await page.waitForFunction((t) => document.querySelector('#trace-count')?.textContent === t,
      `${matching.length.toLocaleString('en-US')} of ${upToLast.length.toLocaleString('en-US')} events up to this step match`);
    await waitRows(page, 'trace', Math.min(matching.length, 5));
    const rows = await renderedRows(page, 'trace');
    assert.deepEqual(rows.map((r) => r[0]), matching.slice(0, rows.length).map((e) => String(e.seq)));
    await page.click('.vt[data-table="trace"] .vt-body .vt-row');
    await until('revealLine of the first event', () => host.reveals().at(-1) === matching[0]!.line);
    // Keyboard: focus the grid, move down, Enter reveals that event's line.
    if (matching.length > 1) {
      await page.focus('.vt[data-table="trace"]');
      await page.keyboard.press('ArrowDown');
      const before = host.reveals().length;
      await page.keyboard.press('Enter');
      await until('revealLine after Enter', () => host.reveals().length > before);
      assert.equal(host.reveals().at(-1), matching[1]!.line);
      const active = await page.getAttribute('.vt[data-table="trace"]', 'aria-activedescendant');
      assert.equal(await page.getAttribute(`#${active}`, 'aria-rowindex'), '3', 'the second data row is active');
    }
  });

  it('Timeline: the slider and Alt+arrows step through snapshots, every view follows', async () => {
    const { run, scenario } = bugRun();
    assert.ok(scenario.snapshots.length >= 2, 'the bug scenario has checkpoints');
    const { page } = await open(run, 'dark', { scenario: scenario.name, tab: 'roots' });
    const n = scenario.snapshots.length;
    assert.equal(await page.getAttribute('body', 'data-step'), String(n - 1), 'starts at the final state');
    await total(page, 'roots', scenario.snapshots[n - 1]!.roots.length);
    await page.focus('#timeline-slider');
    await page.keyboard.press('Home');
    await page.waitForSelector('body[data-step="0"]');
    await total(page, 'roots', scenario.snapshots[0]!.roots.length);
    assert.match((await page.textContent('#step-label'))!, new RegExp(`^1 / ${n}: ${scenario.snapshots[0]!.label}`));
    await showTab(page, 'tlb');
    await total(page, 'tlb', scenario.snapshots[0]!.tlb.length);
    await page.keyboard.press('Alt+ArrowRight');
    await page.waitForSelector('body[data-step="1"]');
    await total(page, 'tlb', scenario.snapshots[1]!.tlb.length);
    await showTab(page, 'trace');
    await total(page, 'trace', scenario.trace.filter((e) => (e.step ?? 0) <= scenario.snapshots[1]!.step).length);
    await page.click('#step-prev');
    await page.waitForSelector('body[data-step="0"]');
    await total(page, 'trace', scenario.trace.filter((e) => (e.step ?? 0) <= scenario.snapshots[0]!.step).length);
    const counts = await page.textContent('#tab-tlb');
    assert.equal(counts, `TLB (${scenario.snapshots[0]!.tlb.length})`);
  });

  it('Counters and cost: metrics at the step and at the end, the cost labelled as an estimate with its doc link', async () => {
    const { run, scenario, step, snap } = bugRun();
    const { page, host } = await open(run, 'light', { scenario: scenario.name, step, tab: 'counters' });
    await page.waitForSelector('.view-counters tbody tr');
    const rows = await page.$$eval('.view-counters table[aria-label="Metrics"] tbody tr', (trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent)));
    assert.deepEqual(rows.map((r) => r[0]), Object.keys(scenario.metrics));
    const staleRow = rows.find((r) => r[0] === 'stale')!;
    assert.deepEqual([staleRow[1], staleRow[2]], [String(snap.metrics['stale']), String(scenario.metrics['stale'])]);
    const cost = await page.$$eval('.view-counters table[aria-label="Estimated cost by event kind"] tbody tr th', (l) => l.map((x) => x.textContent));
    assert.deepEqual([...cost].sort(), scenario.cost.map((c) => c.kind).sort());
    assert.match((await page.textContent('.estimate-label'))!, /Estimate, not a measurement/);
    await page.click('.cost-doc');
    await until('openDoc', () => host.received.some((m) => m.type === 'openDoc' && m.doc === 'cost-model'));
  });

  it('Compare: the fastest correct configuration, stale/failed ranked apart, metric columns, two rows side by side, chart metric', async () => {
    // The thread's ranking example: a stale point, and sweep points skipped as meaningless.
    const run = results.runs.get('boot-ranking.mmu')!;
    assert.ok(run?.compare && run.compare.points.some((p) => (p.metrics['stale'] ?? 0) > 0), 'boot-ranking has a stale point');
    const compare = run.compare!;
    // The run arrives first without, then with a comparison (Run, then Compare): the panel switches to it.
    const { page, host } = await open({ uri: run.uri, version: run.version, result: run.result }, 'dark', { uri: run.uri, tab: 'counters' });
    await page.waitForSelector('#view-counters:not([hidden]) tbody tr');
    await host.setRun(run);
    await page.waitForSelector('#view-compare:not([hidden]) .compare-table tbody tr');
    const good = compare.points.filter((p) => p.passed && (p.metrics['stale'] ?? 0) === 0).sort((a, b) => a.timeUs - b.timeUs);
    const bad = compare.points.filter((p) => !(p.passed && (p.metrics['stale'] ?? 0) === 0));
    assert.ok(good.length > 0 && bad.length > 0);
    const axes = Object.keys(good[0]!.config).filter((k) => new Set(compare.points.map((p) => p.config[k])).size > 1);
    const headline = (await page.textContent('#compare-headline'))!;
    assert.ok(headline.startsWith(`Fastest correct configuration: ${axes.map((k) => `${k}=${good[0]!.config[k]}`).join(' ')}`), headline);
    // Correct ones ranked 1..n by time; stale or failed ones apart, never numbered.
    const ranked = await page.$$eval('.compare-table.ranked tbody tr', (l) => l.map((tr) => Number(tr.getAttribute('data-point'))));
    assert.deepEqual(ranked, good.map((p) => p.rank));
    assert.deepEqual(await page.$$eval('.compare-table.ranked tbody tr td:first-child', (l) => l.map((x) => x.textContent)), good.map((_, i) => String(i + 1)));
    assert.equal(await page.$$eval('.compare-table.unranked tbody tr', (l) => l.length), bad.length);
    assert.deepEqual(await page.$$eval('.compare-table.unranked tbody tr td:first-child', (l) => l.map((x) => x.textContent)), bad.map(() => '—'));
    assert.equal(await page.$$eval('svg.chart g.bar', (l) => l.length), compare.points.length);
    const stalePoints = compare.points.filter((p) => (p.metrics['stale'] ?? 0) > 0).length;
    assert.equal(await page.$$eval('svg.chart g.bar.stale', (l) => l.length), stalePoints);
    assert.equal(await page.$$eval('.compare-table tr.stale', (l) => l.length), stalePoints);
    // A metric column from the chooser, with the points' values.
    await page.click('#compare-columns');
    await page.check('#cmp-col-npf\\.l0');
    await page.waitForSelector('.compare-table.ranked th[title="npf.l0"]');
    const col = await page.$$eval('.compare-table.ranked thead th', (l) => l.map((x) => x.textContent).indexOf('npf.l0'));
    const npf = await page.$$eval('.compare-table.ranked tbody tr', (l, k) => l.map((tr) => tr.children[k as number]!.textContent), col);
    assert.deepEqual(npf, good.map((p) => p.metrics['npf.l0']!.toLocaleString('en-US')));
    // Two rows: their differing metrics side by side.
    await page.click(`.compare-table tr[data-point="${good[0]!.rank}"]`);
    await page.click(`.compare-table tr[data-point="${bad[0]!.rank}"]`);
    await page.waitForSelector('.compare-diff');
    const differ = Object.keys(good[0]!.metrics).filter((k) => good[0]!.metrics[k] !== bad[0]!.metrics[k]);
    assert.deepEqual(await page.$$eval('.compare-diff tbody th', (l) => l.map((x) => x.textContent)), differ);
    // The chart plots another metric on request.
    await selectDropdown(page, 'compare-metric', 'hypercalls');
    await page.waitForSelector('svg.chart[data-metric="hypercalls"]');
    // Points whose values cannot mean anything together (E203) are listed as not run.
    const skipped = compare.skipped ?? [];
    assert.ok(skipped.length > 0, 'boot-ranking sweeps fix=a with tdp_mmu=off, which E203 rules out');
    assert.equal(await page.$$eval('.skipped-points li', (l) => l.length), skipped.length);
    // The reasons are written with Markdown code spans: shown as code, never as raw backticks.
    assert.ok(skipped.some((k) => k.reason.includes('`')), 'an E203 reason has a code span');
    assert.equal((await page.textContent('.skipped-points'))!.includes('`'), false);
    assert.ok(await page.$$eval('.skipped-points li code', (l) => l.length) > skipped.length, 'code spans of the reasons');
    await shot(page, 'compare-ranking-dark');
  });

  it(`windows a ${BIG_ROWS.toLocaleString('en-US')}-row table under ${MAX_DOM_NODES} DOM nodes, showing the right rows`, async () => {
    const big = results.big.result.scenarios[0]!;
    assert.equal(big.trace.length, BIG_ROWS, 'the generated workload filled the trace');
    const { page, host } = await open(results.big, 'dark', { tab: 'trace' });
    assert.equal(await total(page, 'trace', BIG_ROWS), BIG_ROWS);
    await waitRows(page, 'trace', 10);
    assert.ok(await domNodeCount(page) < MAX_DOM_NODES);
    const viewport = '.vt[data-table="trace"] .vt-viewport';
    for (const target of [BIG_ROWS / 2, BIG_ROWS - 1]) {
      await page.$eval(viewport, (el, t) => { el.scrollTop = (t as number) * 22; }, target);
      await page.waitForFunction(([sel, t]) => {
        const rows = document.querySelectorAll(`${sel} .vt-body .vt-row:not(.loading)`);
        return Array.from(rows).some((r) => (r as HTMLElement).dataset['index'] === String(t));
      }, [viewport, target] as const);
      const row = await page.$eval(`${viewport} .vt-row[data-index="${target}"]`, (r) => ({
        cells: Array.from(r.children, (c) => c.textContent), rowindex: r.getAttribute('aria-rowindex'),
        top: r.getBoundingClientRect().top,
      }));
      const event = big.trace[target]!;
      assert.deepEqual(row.cells.slice(0, 2), [String(event.seq), event.fn]);
      assert.equal(row.rowindex, String(target + 2), 'aria-rowindex counts the header row');
      const nodes = await domNodeCount(page);
      assert.ok(nodes < MAX_DOM_NODES, `${nodes} DOM nodes while scrolled to row ${target}`);
      const rendered = await page.$$eval(`${viewport} .vt-body .vt-row`, (l) => l.length);
      assert.ok(rendered < 100, `${rendered} rows in the DOM`);
    }
    // Only slices crossed the boundary, never the whole table.
    const asked = host.received.flatMap((m) => (m.type === 'getRows' ? [m.limit] : []));
    assert.ok(asked.every((l) => l <= 1000));
    assert.ok(asked.reduce((a, b) => a + b, 0) < BIG_ROWS / 10);
    // Keyboard: End jumps to the last row.
    await page.focus('.vt[data-table="trace"]');
    await page.keyboard.press('End');
    await page.waitForSelector(`${viewport} .vt-row.selected[data-index="${BIG_ROWS - 1}"]:not(.loading)`);
    // The run capped its trace (traceLimit BIG_ROWS): the view says so and offers a re-run with more.
    assert.ok(big.notes.some((n) => n.startsWith(`trace capped at ${BIG_ROWS} events`)));
    assert.equal(await page.textContent('#trace-cap'), `First ${BIG_ROWS.toLocaleString('en-US')} events — mmu.trace.limit. Re-run with 1,000,000`);
    await page.click('#trace-rerun');
    await until('rerunWithTraceLimit', () => host.received.some((m) => m.type === 'rerunWithTraceLimit' && m.limit === 1_000_000));
    await shot(page, 'trace-100k-dark');
  });

  it('drops malformed host messages and keeps working', async () => {
    const { run, scenario } = bugRun();
    const { page, host } = await open(run, 'dark', { scenario: scenario.name, tab: 'roots' });
    await total(page, 'roots');
    for (const bad of [null, 'state', { type: 'state', state: { runId: 'x' } }, { type: 'rows', id: 1, total: -1, offset: 0, rows: [] }, { type: 'evil', html: '<img src=x onerror=alert(1)>' }]) {
      await host.send(bad);
    }
    await page.waitForSelector('body[data-dropped="5"]');
    await host.setRun(run);
    await total(page, 'roots');
    assert.equal(await page.$$eval('img', (l) => l.length), 0);
    // Messages console-logged as warnings, not errors; the afterEach check sees no errors.
  });

  it('keeps its place in getState/setState and restores it (WebviewPanelSerializer)', async () => {
    const { run, scenario } = bugRun();
    const first = await open(run, 'dark', { scenario: scenario.name, tab: 'roots' });
    await total(first.page, 'roots');
    await showTab(first.page, 'trace');
    await selectDropdown(first.page, 'trace-fn', 'kvm_mmu_load');
    await first.page.focus('#timeline-slider');
    await first.page.keyboard.press('Home');
    await first.page.waitForSelector('body[data-step="0"]');
    await until('the step saved', () => (first.host.savedState as Record<string, unknown> | undefined)?.['step'] === 0);
    const saved = first.host.savedState as Record<string, unknown>;
    assert.equal(saved['uri'], run.uri);
    assert.deepEqual([saved['tab'], saved['step'], saved['traceFn'], saved['scenario']], ['trace', 0, 'kvm_mmu_load', scenario.name]);
    const second = await open(run, 'dark', saved);
    await second.page.waitForSelector('#view-trace:not([hidden])');
    assert.equal(await second.page.getAttribute('body', 'data-step'), '0');
    const expected = scenario.trace.filter((e) => (e.step ?? 0) <= scenario.snapshots[0]!.step && (e.fn === 'kvm_mmu_load' || e.path.includes('kvm_mmu_load')));
    await total(second.page, 'trace', expected.length);
  });

  it('shows a message when the document has no run', async () => {
    const { page } = await open(undefined, 'light');
    await page.waitForSelector('.message:not([hidden])');
    assert.match((await page.textContent('.message'))!, /Run a scenario/);
    assert.equal(await page.isHidden('main'), true);
    // No stale banner: not even an empty red box.
    assert.equal(await page.isHidden('.stale-uses'), true);
    assert.equal(await page.$$eval('.stale-uses', (l) => l.filter((e) => (e as HTMLElement).offsetHeight > 0).length), 0);
  });

  it('explains a scenario without snapshots and still shows its trace and counters', async () => {
    // Every run keeps timeline snapshots unless they are turned off (snapshotLimit 0, as in
    // Compare): take a real result and drop its snapshots as such a run would have none.
    const real = results.runs.get('recycled-root-bug.mmu');
    assert.ok(real, 'the bug example ran');
    const s = { ...real.result.scenarios[0]!, snapshots: [] };
    const run = { ...real, result: { ...real.result, scenarios: [s, ...real.result.scenarios.slice(1)] } };
    const { page } = await open(run, 'dark', { uri: run.uri, scenario: s.name, tab: 'trace' });
    await page.waitForSelector('#no-snapshot:not([hidden])');
    assert.equal(await page.isHidden('.timeline'), true);
    assert.equal(await total(page, 'trace', s.trace.length), s.trace.length);
    await waitRows(page, 'trace', 5);
    await shot(page, 'no-snapshot-trace-dark');
    await showTab(page, 'counters');
    const stale = await page.$$eval('.view-counters table[aria-label="Metrics"] tbody tr', (trs) =>
      trs.filter((tr) => tr.children[0]!.textContent === 'stale').map((tr) => [tr.children[1]!.textContent, tr.children[2]!.textContent])[0]);
    assert.deepEqual(stale, ['—', String(s.metrics['stale'])]);
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`renders every view in the ${theme} theme (screenshots under test-results/webview)`, async () => {
      const { run, scenario, step } = bugRun();
      const { page } = await open(run, theme, { scenario: scenario.name, step, tab: 'roots' });
      assert.equal(await page.getAttribute('body', 'class'), `vscode-${theme}`);
      await total(page, 'roots');
      await waitRows(page, 'roots', 1);
      await shot(page, `roots-${theme}`);
      for (const tab of ['tlb', 'pages', 'trace', 'counters', 'compare']) {
        await showTab(page, tab);
        if (tab === 'tlb') await total(page, 'tlb');
        if (tab === 'trace') await waitRows(page, 'trace', 5);
        if (tab === 'pages') await page.waitForSelector('.tree-item');
        await shot(page, `${tab}-${theme}`);
      }
      // Colours come from the theme: the stale banner uses the theme's error background.
      const bg = await page.$eval('.stale-uses', (el) => getComputedStyle(el).backgroundColor);
      assert.notEqual(bg, 'rgba(0, 0, 0, 0)');
    });
  }
});
