// Compare and the stale box, in Chromium: a Compare row opens its configuration's state (the
// host stand-in runs the point through src/core, as RunService.runPoints does), two rows show
// their metrics and final roots / L0 shadows side by side, the tables fit a side panel, and
// stale uses a scenario expects read as information. Expected values come from core results.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { analyze } from '../../src/core/lang/index';
import { runScenario } from '../../src/core/run/index';
import type { ComparePoint, RootRow, ScenarioResult, ShadowRow } from '../../src/core/run/result';
import type { PanelRun } from '../../src/editor/panel/panelModel';
import type { OpenPanel } from './harness/browser';
import { usePanelHarness } from './harness/fixture';
import { withPointRuns } from './harness/results';
import type { ThemeKind } from './harness/themes';

const SHOTS = join(__dirname, '..', '..', 'test-results', 'webview', 'compare');
const FILE = 'recycled-root-bug.mmu';
const hex = (n: number): string => '0x' + n.toString(16);

describe('webview: Compare rows open their state, two rows side by side', function () {
  this.timeout(180_000);
  const harness = usePanelHarness(SHOTS);

  function bug(): { run: PanelRun; text: string } {
    const run = harness.results.runs.get(FILE)!;
    assert.ok(run.compare && run.compare.points.length >= 2, `${FILE} has a Compare with points`);
    return { run, text: harness.results.texts.get(FILE)! };
  }

  async function open(run: PanelRun, text: string, saved: Record<string, unknown>, width = 620, theme: ThemeKind = 'dark'): Promise<OpenPanel> {
    const p = await harness.open(run, { theme, savedState: { uri: run.uri, ...saved } }, { width, height: 900 });
    p.host.pointRunner = (r, ranks) => withPointRuns(r, text, ranks);
    return p;
  }

  /** The point's own run, straight from src/core (what the panel's Roots must show). */
  function pointRun(text: string, scenario: string, p: ComparePoint): ScenarioResult {
    const sc = analyze(text).compiled.scenarios.find((s) => s.name === scenario)!;
    return runScenario(sc, { trace: true, configOverrides: p.config });
  }

  const correct = (p: ComparePoint): boolean => p.passed && (p.metrics['stale'] ?? 0) === 0;

  /** Every .table-scroll in the Compare view shows its table whole (nothing cut or scrolled sideways). */
  async function cutTables(page: Page): Promise<string[]> {
    return page.$$eval('#view-compare .table-scroll', (l) => l.filter((d) => d.scrollWidth > d.clientWidth + 1)
      .map((d) => `${d.querySelector('table')?.getAttribute('aria-label')}: ${d.scrollWidth} > ${d.clientWidth}`));
  }

  it('fits the ranking tables at 480, 620 and 1100 px in three themes (screenshots)', async () => {
    const { run, text } = bug();
    for (const width of [480, 620, 1100]) {
      for (const theme of ['light', 'dark', 'high-contrast'] as const) {
        const { page } = await open(run, text, { tab: 'compare' }, width, theme);
        await page.waitForSelector('#view-compare:not([hidden]) .compare-table tbody tr');
        assert.deepEqual(await cutTables(page), [], `at ${width} px in ${theme}`);
        // Numbers never wrap inside a cell ("1.24 / ms").
        const wrapped = await page.$$eval('.compare-table td.num', (l) => l.filter((td) => td.getBoundingClientRect().height > 30).map((td) => td.textContent));
        assert.deepEqual(wrapped, [], `wrapped numbers at ${width} px`);
        // Columns left out to fit are said so, with their number.
        const left = await page.$$eval('.compare-table.ranked thead th[data-metric-col][hidden]', (l) => l.length);
        const note = await page.$eval('#compare-hidden-cols', (el) => ((el as HTMLElement).hidden ? '' : el.textContent ?? ''));
        assert.equal(note, left === 0 ? '' : ` ${left} column${left === 1 ? '' : 's'} left out at this width`);
        if (width >= 1100) assert.equal(left, 0, 'every chosen column at 1100 px');
        await page.screenshot({ path: join(SHOTS, `compare-${width}-${theme}.png`), fullPage: true });
        await page.close();
      }
    }
  });

  it('a picked row opens its configuration\'s state: the point runs and the panel shows its roots', async () => {
    const { run, text } = bug();
    const compare = run.compare!;
    const { page, host } = await open(run, text, { tab: 'compare' });
    await page.waitForSelector('#view-compare:not([hidden]) .compare-table tbody tr');
    // The stale point: its state is where the bug is.
    const point = compare.points.find((p) => !correct(p)) ?? compare.points[0]!;
    await page.click(`.compare-table tr[data-point="${point.rank}"]`);
    await page.waitForSelector('#compare-pick');
    await page.click('#compare-pick .compare-open');
    await page.waitForSelector('#view-roots:not([hidden])');
    const asked = host.received.filter((m) => m.type === 'runComparePoints');
    assert.deepEqual(asked.map((m) => m.type === 'runComparePoints' && m.ranks), [[point.rank]]);
    const own = pointRun(text, compare.scenario, point);
    const final = own.snapshots.at(-1)!;
    await page.waitForFunction((n) => document.querySelector('.vt[data-table="roots"]')?.getAttribute('data-total') === String(n), final.roots.length);
    // The picker names the point by its sweep values; its verdict is the point's.
    const axes = Object.keys(point.config).filter((k) => new Set(compare.points.map((p) => p.config[k])).size > 1);
    const picked = await page.$eval('#scenario', (el) => (el as HTMLElement & { value: string }).value);
    assert.equal(picked, `${compare.scenario} @ ${axes.map((k) => `${k}=${point.config[k]}`).join(' ')}`);
    assert.equal(await page.$$eval('.stale-uses:not([hidden]) h2', (l) => l.map((x) => x.textContent)[0] ?? 'none'),
      own.stale.length > 0 ? `${own.stale.length} stale use${own.stale.length === 1 ? '' : 's'} in this run` : 'none');
    await page.screenshot({ path: join(SHOTS, 'point-state-620-dark.png'), fullPage: true });
  });

  it('two picked rows: metrics side by side, then their final roots and L0 shadows per nCR3', async () => {
    const { run, text } = bug();
    const compare = run.compare!;
    const { page } = await open(run, text, { tab: 'compare' }, 620);
    await page.waitForSelector('#view-compare:not([hidden]) .compare-table tbody tr');
    const good = compare.points.filter(correct).sort((a, b) => a.timeUs - b.timeUs)[0]!;
    const bad = compare.points.find((p) => !correct(p))!;
    await page.click(`.compare-table tr[data-point="${good.rank}"]`);
    await page.click(`.compare-table tr[data-point="${bad.rank}"]`);
    await page.waitForSelector('.compare-diff[aria-label="Two configurations side by side"]');
    await page.waitForSelector('#compare-state .compare-diff[data-diff="roots"], #compare-state h4 + p', { timeout: 15_000 });
    await page.waitForFunction(() => document.querySelectorAll('#compare-state h4').length === 2);
    // Expected from the two points' own core runs: the root pages whose roots (id, state) differ.
    const [ra, rb] = [pointRun(text, compare.scenario, good), pointRun(text, compare.scenario, bad)];
    const byPage = (rows: readonly RootRow[]): Map<string, string> => {
      const m = new Map<string, string[]>();
      for (const r of rows) m.set(hex(r.hpa), [...(m.get(hex(r.hpa)) ?? []), `#${r.id} ${r.state} ${r.role}`]);
      return new Map([...m].map(([k, v]) => [k, v.join('; ')]));
    };
    const fa = byPage(ra.snapshots.at(-1)!.roots);
    const fb = byPage(rb.snapshots.at(-1)!.roots);
    const pages = [...new Set([...fa.keys(), ...fb.keys()])];
    const differ = pages.filter((k) => fa.get(k) !== fb.get(k)).sort((x, y) => Number(x) - Number(y));
    const shownPages = await page.$$eval('#compare-state .compare-diff[data-diff="roots"] tbody th', (l) => l.map((x) => x.textContent));
    assert.deepEqual(shownPages, differ);
    assert.ok(differ.length > 0, 'the recycling configuration and the correct one end with different roots');
    // Shadows: the stale point keeps a shadow with stale entries; the row says so.
    const staleShadows = (rows: readonly ShadowRow[]): string[] => rows.filter((s) => s.stale > 0).map((s) => hex(s.as));
    const badStale = staleShadows(rb.snapshots.at(-1)!.shadows);
    const shadowCells = await page.$$eval('#compare-state .compare-diff[data-diff="shadows"] tbody tr', (l) => l.map((tr) => [tr.children[0]!.textContent, tr.children[2]!.textContent]));
    for (const as of badStale) {
      const row = shadowCells.find((c) => c[0] === as);
      const s = rb.snapshots.at(-1)!.shadows.find((x) => hex(x.as) === as)!;
      if (row) assert.match(row[1]!, new RegExp(`^${s.entries} ${s.entries === 1 ? "entry" : "entries"}, ${s.stale} stale`));
    }
    // Shadows per nCR3 differ where entries, stale entries or the last flush differ (from the core rows).
    const shadowKey = (rows: readonly ShadowRow[]): Map<string, string> => new Map(rows.map((x) => [hex(x.as), `${x.entries}/${x.stale}/${x.lastFlushedLine}`]));
    const [sa, sb] = [shadowKey(ra.snapshots.at(-1)!.shadows), shadowKey(rb.snapshots.at(-1)!.shadows)];
    const shadowDiffer = [...new Set([...sa.keys(), ...sb.keys()])].filter((k) => sa.get(k) !== sb.get(k)).length;
    const visible = (): Promise<number> => page.$$eval('#compare-state .compare-diff[data-diff="shadows"] tbody tr:not([hidden])', (l) => l.length);
    assert.equal(await visible(), Math.min(12, shadowDiffer), 'the first 12 differing pages');
    if (shadowDiffer > 12) {
      await page.click('#compare-state .compare-all-rows');
      await page.waitForFunction((n) => document.querySelectorAll('#compare-state .compare-diff[data-diff="shadows"] tbody tr:not([hidden])').length === n, shadowDiffer);
    }
    assert.deepEqual(await cutTables(page), []);
    await page.screenshot({ path: join(SHOTS, 'side-by-side-620-dark.png'), fullPage: true });
  });

  it('a Test Explorer run (a new push without a new Compare) keeps the ranking and the picked rows', async () => {
    const { run, text } = bug();
    const { page, host } = await open(run, text, { tab: 'compare' });
    await page.waitForSelector('#view-compare:not([hidden]) .compare-table tbody tr');
    const rank = run.compare!.points[0]!.rank;
    await page.click(`.compare-table tr[data-point="${rank}"]`);
    await page.waitForSelector(`.compare-table tr.picked[data-point="${rank}"]`);
    // RunService keeps the Compare of the same text on a run: the push carries it again.
    await host.setRun({ ...run, result: { ...run.result } });
    await page.waitForFunction((r) => document.body.dataset['runId'] === String(r), host.model.runIdNow);
    assert.equal(await page.isVisible('#view-compare'), true);
    assert.equal(await page.$$eval('.compare-table tr.picked', (l) => l.length), 1);
  });

  it('stale uses the scenario expects are information (not red); unexpected ones stay an error', async () => {
    const { run, text } = bug();
    const s = run.result.scenarios.find((x) => x.stale.length > 0)!;
    assert.equal(s.staleExpected, true, `${FILE} expects its stale uses (expect stale > 0)`);
    const first = await open(run, text, { scenario: s.name, tab: 'roots' });
    await first.page.waitForSelector('.stale-uses:not([hidden])');
    assert.equal(await first.page.$eval('.stale-uses', (el) => el.classList.contains('expected')), true);
    assert.match((await first.page.textContent('.stale-uses summary'))!, /expected by the scenario/);
    const expectedColour = await first.page.$eval('.stale-uses', (el) => getComputedStyle(el).borderLeftColor);
    // The same uses in a scenario that does not expect them (and so fails): the error box.
    const failing = { ...s, staleExpected: false, passed: false };
    const other: PanelRun = { ...run, result: { ...run.result, scenarios: run.result.scenarios.map((x) => (x === s ? failing : x)) } };
    const second = await open(other, text, { scenario: s.name, tab: 'roots' });
    await second.page.waitForSelector('.stale-uses:not([hidden])');
    assert.equal(await second.page.$eval('.stale-uses', (el) => el.classList.contains('expected')), false);
    assert.notEqual(await second.page.$eval('.stale-uses', (el) => getComputedStyle(el).borderLeftColor), expectedColour);
    await first.page.screenshot({ path: join(SHOTS, 'stale-expected-620-dark.png') });
    await second.page.screenshot({ path: join(SHOTS, 'stale-unexpected-620-dark.png') });
  });

  it('stale-use lists name iterations as links that move the timeline there', async () => {
    const { run, text } = bug();
    const s = run.result.scenarios.find((x) => x.stale.some((u) => u.iteration && u.step !== undefined))!;
    const use = s.stale.find((u) => u.iteration && u.step !== undefined)!;
    const { page } = await open(run, text, { scenario: s.name, tab: 'roots' });
    await page.waitForSelector('.stale-uses:not([hidden]) .iteration-link');
    const title = `Timeline: line ${use.line + 1}, iteration ${use.iteration!.index} of ${use.iteration!.count}${use.iteration!.name ? ` (${use.iteration!.name})` : ''}`;
    const links = await page.$$eval('.stale-uses .iteration-link', (l) => l.map((x) => [x.textContent, x.getAttribute('title')]));
    assert.ok(links.some(([t, tt]) => t === String(use.iteration!.index) && tt === title), JSON.stringify(links));
    await page.click(`.stale-uses .iteration-link[title="${title}"]`);
    // The first snapshot at or after the use's statement clock.
    const at = s.snapshots.findIndex((x) => x.step >= use.step!);
    const want = at < 0 || at === s.snapshots.length - 1 ? s.snapshots.length - 1 : at;
    await page.waitForFunction((w) => document.body.dataset['step'] === String(w), want);
  });
});
