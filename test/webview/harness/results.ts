// Real results for the harness: the examples run through src/core in this process
// (analyze → runFile with the trace on, compareScenario for a sweep), plus one generated
// scenario that fills a 100,000-entry TLB for the windowing test.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompareResult, CompiledFileLike, FileRunResult, RunOptionsLike, ScenarioResult } from './coreTypes';
import type { PanelRun } from '../../../src/editor/panel/panelModel';
import { fixtureCompare, fixtureFile } from './devFixture';

const ROOT = join(__dirname, '..', '..', '..');

interface Core {
  analyze(text: string): { compiled: CompiledFileLike; diagnostics: readonly { severity?: unknown; message: string }[] };
  runFile(file: CompiledFileLike, name: string, opts?: RunOptionsLike): FileRunResult;
  runScenario(s: CompiledFileLike['scenarios'][number], opts?: RunOptionsLike): ScenarioResult;
  compareScenario(s: CompiledFileLike['scenarios'][number], opts?: RunOptionsLike): CompareResult;
}

export interface Results {
  readonly source: 'core' | 'fixture';
  /** One run per example file, keyed by file name. */
  readonly runs: ReadonlyMap<string, PanelRun>;
  /** A scenario whose final snapshot holds `BIG_ROWS` TLB entries. */
  readonly big: PanelRun;
}

export const BIG_ROWS = 100_000;

/** 100,000 distinct 4K pages touched once, into a TLB large enough to keep them all. */
export function bigScenarioText(rows = BIG_ROWS): string {
  const size = rows * 4096;
  return [
    'config tlb_entries=131072',
    'scenario "hundred thousand pages" {',
    `  memslot big gpa 0x0 size 0x${(size * 2).toString(16)}`,
    `  touch 0x0 size 0x${size.toString(16)}`,
    '  checkpoint "filled"',
    '}',
    '',
  ].join('\n');
}

function loadCore(): Core | undefined {
  if (!existsSync(join(ROOT, 'src/core/run/index.ts')) || !existsSync(join(ROOT, 'src/core/lang/index.ts'))) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lang = require(join(ROOT, 'src/core/lang/index.ts')) as Pick<Core, 'analyze'>;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const run = require(join(ROOT, 'src/core/run/index.ts')) as Omit<Core, 'analyze'>;
  return { analyze: lang.analyze, runFile: run.runFile, runScenario: run.runScenario, compareScenario: run.compareScenario };
}

let cached: Results | undefined;

export function loadResults(): Results {
  if (cached) return cached;
  const core = loadCore();
  if (!core) {
    cached = {
      source: 'fixture',
      runs: new Map([['fixture.mmu', { uri: 'file:///fixture.mmu', version: 1, result: fixtureFile(), compare: fixtureCompare() }]]),
      big: { uri: 'file:///big.mmu', version: 1, result: fixtureFile(BIG_ROWS) },
    };
    return cached;
  }
  const runs = new Map<string, PanelRun>();
  const dir = join(ROOT, 'examples');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.mmu')).sort()) {
    const path = join(dir, name);
    const { compiled } = core.analyze(readFileSync(path, 'utf8'));
    const result = core.runFile(compiled, name, { trace: true });
    const first = compiled.scenarios[0];
    const compare = first ? core.compareScenario(first, {}) : undefined;
    runs.set(name, { uri: pathToFileURL(path).toString(), version: 1, result, ...(compare ? { compare } : {}) });
  }
  const { compiled } = core.analyze(bigScenarioText());
  const big = core.runFile(compiled, 'big.mmu', {});
  cached = { source: 'core', runs, big: { uri: 'file:///tmp/big.mmu', version: 1, result: big } };
  return cached;
}
