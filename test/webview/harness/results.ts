// Real results for the harness: every example runs through src/core in this process
// (analyze → runFile with the trace on; compareScenario on a scenario with a sweep), plus
// one generated workload whose trace holds 100,000 events for the windowing test.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze } from '../../../src/core/lang/index';
import { compareScenario, runFile, runScenario } from '../../../src/core/run/index';
import type { PanelRun } from '../../../src/editor/panel/panelModel';

const ROOT = join(__dirname, '..', '..', '..');
/** Overridable for trying the harness on other scenario files. */
export const EXAMPLES_DIR = process.env['MMU_WEBVIEW_EXAMPLES'] ?? join(ROOT, 'examples');

export const BIG_ROWS = 100_000;

/**
 * 40,960 pages touched once on a fresh VM: each first touch faults in L1 KVM and fills L0's
 * shadow (about three trace events per page), more than BIG_ROWS events, so the trace is
 * capped at exactly BIG_ROWS by `traceLimit`.
 */
export const BIG_SCENARIO = [
  'scenario "forty thousand first touches" {',
  '  memslot big gpa 0x0 size 0x10000000',
  '  touch 0x0 size 0xa000000',
  '  checkpoint "touched"',
  '}',
  '',
].join('\n');

export interface Results {
  /** One run per example file, keyed by file name. */
  readonly runs: ReadonlyMap<string, PanelRun>;
  readonly texts: ReadonlyMap<string, string>;
  /** The generated workload (trace of BIG_ROWS events). */
  readonly big: PanelRun;
}

let cached: Results | undefined;

export function loadResults(): Results {
  if (cached) return cached;
  const runs = new Map<string, PanelRun>();
  const texts = new Map<string, string>();
  for (const name of readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.mmu')).sort()) {
    const path = join(EXAMPLES_DIR, name);
    const text = readFileSync(path, 'utf8');
    const { compiled } = analyze(text);
    const result = runFile(compiled, name, { trace: true });
    const swept = compiled.scenarios.find((s) => s.sweep.length > 0) ?? compiled.scenarios[0];
    const compare = swept ? compareScenario(swept, {}) : undefined;
    texts.set(name, text);
    runs.set(name, { uri: pathToFileURL(path).toString(), version: 1, result, ...(compare ? { compare } : {}) });
  }
  const { compiled } = analyze(BIG_SCENARIO);
  const big = runFile(compiled, 'big.mmu', { trace: true, traceLimit: BIG_ROWS });
  cached = { runs, texts, big: { uri: 'file:///tmp/big.mmu', version: 1, result: big } };
  return cached;
}

/** The run with the Compare points ranked `ranks` run at their configuration (as RunService.runPoints does). */
export function withPointRuns(run: PanelRun, text: string, ranks: readonly number[]): PanelRun {
  const compare = run.compare;
  if (!compare) return run;
  const { compiled } = analyze(text);
  const sc = compiled.scenarios.find((s) => s.name === compare.scenario)!;
  const have = run.points ?? [];
  const fresh = compare.points.filter((p) => ranks.includes(p.rank) && !have.some((h) => JSON.stringify(h.config) === JSON.stringify(p.config)))
    .map((p) => ({ config: p.config, result: runScenario(sc, { trace: true, configOverrides: p.config }) }));
  return { ...run, points: [...have, ...fresh] };
}
