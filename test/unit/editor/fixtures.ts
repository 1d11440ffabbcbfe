// Hand-built run results for the editor's pure mapping tests (shapes from result.ts).
import type { BlameLink, CheckResult, ScenarioResult, StaleUse } from '../../../src/core/run/result';
import { range } from '../../../src/core/lang/source';

export function check(line: number, passed: boolean, message: string, seen?: number): CheckResult {
  return { line, range: range(line, 2, line, 20), passed, message, ...(seen === undefined ? {} : { seen }) };
}

export function blame(role: BlameLink['role'], line: number, detail: string): BlameLink {
  return { role, line, range: range(line, 2, line, 30), text: `statement at ${line}`, detail };
}

export function staleUse(line: number, over: Partial<StaleUse> = {}): StaleUse {
  return {
    line, range: range(line, 2, line, 18), vcpu: 0, gfn: 0x100, seen: 0x5000, truth: 0x7000, source: 'shadow',
    blame: [blame('fill', 3, 'shadow[0x1f000] filled gfn 0x100'), blame('change', 5, 'memslot deleted'), blame('recycle', 7, 'root page 0x1f000 reused')],
    ...over,
  };
}

export function scenario(name: string, over: Partial<ScenarioResult> = {}): ScenarioResult {
  const stale = over.stale ?? [];
  const checks = over.checks ?? [];
  const passed = over.passed ?? (stale.length === 0 && checks.every((c) => c.passed));
  return {
    name, line: 0, config: {}, passed, cancelled: false,
    metrics: { stale: stale.length }, checks, failures: [], stale, prints: [], snapshots: [], trace: [], cost: [], timeUs: 12.5, notes: [],
    ...over,
  };
}
