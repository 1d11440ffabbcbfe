// The root lifecycle chart in Chromium, fed by real src/core runs (harness/results.ts): its
// lanes, bars and marks are the run's Lifecycle (src/core/run/lifecycle.ts) as recorded, and
// a synthetic run with 10,000 roots and 100,000 marks stays windowed (canvas, few nodes).
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { LifeMark, Lifecycle, RootLife } from '../../src/core/run/result';
import type { PanelRun } from '../../src/editor/panel/panelModel';
import type { OpenPanel } from './harness/browser';
import { usePanelHarness } from './harness/fixture';
import { HostStandIn } from './harness/hostStandIn';
import type { Results } from './harness/results';

const SHOTS = join(__dirname, '..', '..', 'test-results', 'webview', 'lifecycle');
const hex = (n: number): string => '0x' + n.toString(16);

let harness: ReturnType<typeof usePanelHarness>;
let results: Results;

async function open(run: PanelRun, saved: Record<string, unknown>, width = 620, theme: 'light' | 'dark' | 'high-contrast' = 'dark'): Promise<OpenPanel> {
  return harness.open(run, { theme, savedState: { uri: run.uri, ...saved } }, { width, height: 900 });
}

async function nodes(page: Page): Promise<number> {
  return page.evaluate(() => document.getElementsByTagName('*').length);
}

/** 10,000 roots on `pages` pages (each page recycled 10,000 / pages times) and 100,000 marks. */
function bigLifecycle(pages: number): Lifecycle {
  const roots: RootLife[] = [];
  const marks: LifeMark[] = [];
  const kinds = ['fill', 'asid', 'drop', 'stale'] as const;
  for (let i = 0; i < 10_000; i++) {
    const hpa = 0x100000 + (i % pages) * 0x1000;
    const created = i * 10;
    roots.push({ id: i + 1, hpa, mmu: 'tdp', role: '4-level !smm', createdStep: created, createdLine: 3, invalidatedStep: created + 6, invalidatedLine: 4,
      freedStep: created + 9, freedLine: 5, recycled: i >= pages });
    for (let k = 0; k < 10; k++) marks.push({ kind: kinds[k % 4]!, lane: hpa, step: created + k, line: 6, count: 1, detail: 'synthetic' });
  }
  return { roots, marks, steps: 100_000, capped: false };
}

describe('webview: root lifecycle chart', function () {
  this.timeout(180_000);

  harness = usePanelHarness(SHOTS);
  before(() => { results = harness.results; });

  it('asks again when a state for the same run supersedes its request (it stayed "Loading" in VS Code)', async () => {
    const run = results.runs.get('recycled-root-bug.mmu')!;
    HostStandIn.supersedeLifecycle = 1;
    try {
      const { page, host } = await open(run, {});
      await page.waitForSelector('#view-life:not([hidden]) .life-svg');
      assert.match((await page.textContent('#life-summary'))!, /^\d+ roots on \d+ pages/);
      assert.equal(host.received.filter((m) => m.type === 'getLifecycle').length, 2, 'the superseded request, then one more');
    } finally {
      HostStandIn.supersedeLifecycle = 0;
    }
  });

  it('opens by default on a run with a stale use and shows the recycled lane of recycled-root-bug.mmu', async () => {
    const run = results.runs.get('recycled-root-bug.mmu')!;
    const s = run.result.scenarios[0]!;
    const life = s.lifecycle!;
    const { page, host } = await open(run, {});
    await page.waitForSelector('#view-life:not([hidden]) .life-svg');
    const lanes = [...new Set(life.roots.map((r) => r.hpa))];
    assert.equal(await page.getAttribute('.view-life', 'data-lanes'), String(lanes.length));
    // Lanes are windowed: scroll each into view.
    const inView = async (hpa: number): Promise<void> => {
      await page.$eval('.life-viewport', (el, y) => { el.scrollTop = y as number; }, lanes.indexOf(hpa) * 22);
      await page.waitForSelector(`.life-svg .lane[data-hpa="${hex(hpa)}"]`);
    };
    let outlined: number[] = [];
    let staleShown = 0;
    for (const hpa of lanes) {
      await inView(hpa);
      const bars = await page.$$eval(`.life-svg .lane[data-hpa="${hex(hpa)}"] .root`, (l) => l.map((g) => Number(g.getAttribute('data-root'))));
      outlined = outlined.concat(await page.$$eval(`.life-svg .lane[data-hpa="${hex(hpa)}"] .root.kept`, (l) => l.map((g) => Number(g.getAttribute('data-root')))));
      staleShown += await page.$$eval(`.life-svg .lane[data-hpa="${hex(hpa)}"] .mark-stale`, (l) => l.length);
      assert.deepEqual(bars.sort((a, b) => a - b), life.roots.filter((r) => r.hpa === hpa).map((r) => r.id), `bars on lane ${hex(hpa)}`);
    }
    // A recycled root on a lane with no drop of its shadow since the previous root is outlined.
    const kept = life.roots.filter((r, i) => r.recycled && !life.marks.some((m) => m.kind === 'drop' && m.lane === r.hpa
      && m.step <= r.createdStep && m.step >= (life.roots.slice(0, i).reverse().find((p) => p.hpa === r.hpa)?.createdStep ?? 0)));
    assert.ok(kept.length > 0, 'the bug run recycles a root page L0 still shadows');
    assert.deepEqual(outlined.sort((a, b) => a - b), kept.map((r) => r.id));
    // One red mark per statement with stale uses, on the lane of the recycled nCR3.
    const staleMarks = life.marks.filter((m) => m.kind === 'stale');
    assert.equal(staleShown, staleMarks.length, 'marks 4 px apart or more are drawn one each');
    assert.equal(staleMarks.reduce((a, m) => a + m.count, 0), s.stale.length);
    // Hover explains a mark (with its iteration), click reveals the line and moves the timeline.
    const first = staleMarks[0]!;
    await inView(first.lane);
    await page.hover(`.life-svg .lane[data-hpa="${hex(first.lane)}"] .mark-stale`);
    await page.waitForSelector('#life-tip:not([hidden])');
    const tip = (await page.textContent('#life-tip'))!;
    assert.match(tip, new RegExp(`^stale use on ${hex(first.lane)} — line ${first.line + 1}, iteration ${first.iteration!.index} of ${first.iteration!.count}`));
    await page.click(`.life-svg .lane[data-hpa="${hex(first.lane)}"] .mark-stale`);
    const want = s.snapshots.findIndex((x) => x.step >= first.step);
    await page.waitForSelector(`body[data-step="${want}"]`);
    assert.equal(host.reveals().at(-1), first.line);
    // Below the chart: the translation path of the clicked stale use (the first one).
    const u = s.stale.find((x) => x.step === first.step)!;
    await page.waitForSelector(`.xlate[data-step="${u.step}"]`);
    assert.equal(await page.textContent('.xlate h3'), `Stale use at line ${u.line + 1}, iteration ${u.iteration!.index} of ${u.iteration!.count}: vCPU ${u.vcpu}, L2 gfn ${hex(u.gfn)}`);
    const hw = await page.$$eval('.xl-hw .xl-node', (l) => l.map((n) => n.firstChild!.textContent));
    assert.deepEqual(hw, [`L2 gfn ${hex(u.gfn)}`, `shadow[nCR3 ${hex(u.as!)}]`, `host page ${hex(u.seen)}`]);
    // L1's truth: the walk from the current root, as the core took it, ending where L1's tables end.
    const truth = await page.$$eval('.xl-truth .xl-node', (l) => l.map((n) => n.firstChild!.textContent));
    assert.equal(truth.length, 1 + u.walk!.length + 1);
    assert.equal(truth.at(-1), u.truth === null ? 'gfn not mapped' : `host page ${hex(u.truth)}`);
    // recycled-root-bug.mmu runs SVM on Hyper-V with the enlightened TLB (its config line):
    // the ASID flush on the way keeps shadow[nCR3]; only the guest-mapping hypercall drops it.
    assert.match((await page.textContent('.xlate .xl-flushes'))!, new RegExp(`ASID only: the enlightened TLB keeps shadow\\[${hex(u.as!)}\\]`));
    assert.match((await page.textContent('.xl-would'))!, new RegExp(`HvCallFlushGuestPhysicalAddressSpace\\(${hex(u.as!)}\\)`));
    // Another stale mark draws its own path.
    const other = staleMarks.find((m) => m.lane !== first.lane)!;
    await inView(other.lane);
    await page.click(`.life-svg .lane[data-hpa="${hex(other.lane)}"] .mark-stale`);
    await page.waitForSelector(`.xlate[data-step="${other.step}"]`);
    for (const theme of ['light', 'dark', 'high-contrast'] as const) {
      for (const width of [480, 620, 1100]) {
        const p = await open(run, { tab: 'life' }, width, theme);
        await p.page.waitForSelector('#view-life:not([hidden]) .life-svg');
        await p.page.screenshot({ path: join(SHOTS, `life-${width}-${theme}.png`), fullPage: true });
        await p.page.close();
      }
    }
  });

  const bigRun = (pages: number): PanelRun => {
    const base = results.runs.get('recycled-root-bug.mmu')!;
    const s = { ...base.result.scenarios[0]!, lifecycle: bigLifecycle(pages) };
    return { ...base, uri: `file:///tmp/big-life-${pages}.mmu`, result: { ...base.result, scenarios: [s] } };
  };

  it('draws 10,000 roots and 100,000 marks on ten lanes on a canvas, the DOM stays small, hover still explains', async () => {
    const { page } = await open(bigRun(10), { tab: 'life' }, 620);
    await page.waitForSelector('.view-life[data-lanes="10"] .life-layer > canvas');
    assert.equal(await page.getAttribute('.view-life', 'data-mode'), 'canvas');
    assert.ok(await nodes(page) < 1500, 'the DOM stays small');
    assert.match((await page.textContent('#life-summary'))!, /^10,000 roots on 10 pages over 100,000 statements; 9,990 recycled a page/);
    // Hit-testing on the canvas: the first lane, near its first marks.
    const box = (await page.$('.life-canvas'))!;
    const b = (await box.boundingBox())!;
    await page.mouse.move(b.x + 89, b.y + 11);
    await page.waitForSelector('#life-tip:not([hidden])');
    assert.match((await page.textContent('#life-tip'))!, /on 0x100000/);
    await page.screenshot({ path: join(SHOTS, 'life-big-canvas-620-dark.png') });
  });

  it('windows 2,500 lanes: only the lanes in view are drawn, scrolling reaches the last one', async () => {
    const { page } = await open(bigRun(2500), { tab: 'life' }, 620);
    await page.waitForSelector('.view-life[data-lanes="2500"] .life-layer > *');
    assert.ok(await nodes(page) < 3000, 'the DOM stays small');
    assert.ok(await page.$$eval('.life-svg .lane', (l) => l.length) < 60, 'only lanes in view are drawn');
    await page.$eval('.life-viewport', (el) => { el.scrollTop = el.scrollHeight; });
    await page.waitForFunction(() => Number(document.querySelector('.view-life')!.getAttribute('data-first')) > 2400);
    await page.waitForSelector(`.life-svg .lane[data-hpa="${hex(0x100000 + 2499 * 0x1000)}"]`);
  });
});
