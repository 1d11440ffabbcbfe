// Keeping results, in Chromium: a panel closed and opened again starts on the tab, step,
// filters and scroll it was left at (the host keeps the webview's `viewState` and puts it on
// the new page); a run restored after a window reload is labelled "from the previous run";
// a capped trace says so and offers a re-run with a higher mmu.trace.limit.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { MAX_TRACE_LIMIT, type ViewStateMessage } from '../../src/protocol';
import { usePanelHarness } from './harness/fixture';

const SHOTS = join(__dirname, '..', '..', 'test-results', 'webview', 'persistence');
const FILE = 'recycled-root-bug.mmu';

async function until(what: string, cond: () => boolean, detail?: () => string): Promise<void> {
  for (let t = 0; t < 250; t++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`timed out waiting for ${what}${detail ? `: ${detail()}` : ''}`);
}

describe('webview: results and places kept', function () {
  this.timeout(120_000);
  const harness = usePanelHarness(SHOTS);

  it('a closed panel opened again restores the tab, the timeline step, the filters and the scroll', async () => {
    const run = harness.results.runs.get(FILE)!;
    const s = run.result.scenarios[0]!;
    const first = await harness.open(run, { theme: 'dark' }, { width: 620, height: 700 });
    const { page, host } = first;
    await page.click('#tab-roots');
    await page.waitForSelector('.vt[data-table="roots"] .vt-body .vt-row:not(.loading)');
    // The step before the last of the timeline (End, then one step back): many roots there.
    const step = s.snapshots.length - 2;
    assert.ok(s.snapshots[step]!.roots.length > 20, 'enough roots to scroll');
    await page.focus('#timeline-slider');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.waitForSelector(`body[data-step="${step}"]`);
    await page.click('#tab-trace');
    await page.waitForSelector('#view-trace:not([hidden])');
    await page.click('#trace-fn');
    await page.click('#trace-fn vscode-option[value="kvm_mmu_load"]');
    await page.click('#tab-roots');
    await page.waitForSelector('#view-roots:not([hidden]) .vt[data-table="roots"] .vt-body .vt-row:not(.loading)');
    await page.$eval('.vt[data-table="roots"] .vt-viewport', (el) => { el.scrollTop = 110; el.dispatchEvent(new Event('scroll')); });
    await until('the view state reached the host', () => {
      const v = host.received.filter((m): m is ViewStateMessage => m.type === 'viewState').at(-1)?.state;
      return v?.['tab'] === 'roots' && v?.['step'] === step && v?.['traceFn'] === 'kvm_mmu_load' && (v?.['scroll'] as Record<string, number> | undefined)?.['roots'] === 110;
    }, () => JSON.stringify(host.received.filter((m) => m.type === 'viewState').at(-1)));
    const kept = host.received.filter((m): m is ViewStateMessage => m.type === 'viewState').at(-1)!.state;
    assert.equal(kept['scenario'], s.name);
    await page.close();
    // A new panel (no getState of its own) gets what the host kept.
    const second = await harness.open(run, { theme: 'dark', initialView: kept }, { width: 620, height: 700 });
    await second.page.waitForSelector('#view-roots:not([hidden]) .vt[data-table="roots"] .vt-body .vt-row:not(.loading)');
    assert.equal(await second.page.getAttribute('body', 'data-step'), String(step));
    await second.page.waitForFunction(() => document.querySelector('.vt[data-table="roots"] .vt-viewport')!.scrollTop === 110);
    await second.page.click('#tab-trace');
    await second.page.waitForSelector('#view-trace:not([hidden])');
    assert.equal(await second.page.$eval('#trace-fn', (el) => (el as HTMLElement & { value: string }).value), 'kvm_mmu_load');
  });

  it('labels a run restored after a reload "from the previous run"', async () => {
    const run = harness.results.runs.get(FILE)!;
    const { page, host } = await harness.open({ ...run, restored: true }, { theme: 'light' }, { width: 620, height: 700 });
    await page.waitForSelector('#restored');
    assert.match((await page.textContent('#restored'))!, /from the previous run/);
    await page.screenshot({ path: join(SHOTS, 'restored-620-light.png') });
    // A fresh run of the same text replaces it: the label goes.
    await host.setRun(run);
    await page.waitForSelector('#restored', { state: 'detached' });
  });

  it('a capped trace says so and re-runs with a higher mmu.trace.limit', async () => {
    const big = harness.results.big;
    const cap = big.result.scenarios[0]!.notes.map((n) => /^trace capped at (\d+) events/.exec(n)).find((m) => m)?.[1];
    assert.ok(cap, 'the generated workload capped its trace (core note)');
    const { page, host } = await harness.open(big, { theme: 'dark', savedState: { uri: big.uri, tab: 'trace' } }, { width: 620, height: 700 });
    await page.waitForSelector('#trace-cap:not([hidden])');
    assert.match((await page.textContent('#trace-cap'))!, new RegExp(`First ${Number(cap).toLocaleString('en-US')} events — mmu\\.trace\\.limit`));
    await page.click('#trace-rerun');
    await until('rerunWithTraceLimit', () => host.received.some((m) => m.type === 'rerunWithTraceLimit'));
    const m = host.received.find((x) => x.type === 'rerunWithTraceLimit')!;
    assert.ok(m.type === 'rerunWithTraceLimit' && m.limit > Number(cap) && m.limit <= MAX_TRACE_LIMIT, JSON.stringify(m));
  });
});
