// Results → editor diagnostics (pure, no vscode import): every stale use at its access,
// with the blame chain (fill, change, recycle) as related locations. Uses at the same
// line (a stale access inside `repeat`) become one diagnostic that says how many.
import type { FileRunResult, StaleUse } from '../../core/run/result';
import type { Range } from '../../core/lang/source';

export const STALE_USE_CODE = 'stale-use';
/** A stale use the scenario expects (`expect stale > 0`): information, not an error. */
export const EXPECTED_STALE_USE_CODE = 'stale-use-expected';
export const FAILED_CHECK_CODE = 'failed-check';

export interface DiagnosticSpec {
  readonly range: Range;
  readonly message: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly code: string;
  readonly related: readonly { readonly range: Range; readonly message: string }[];
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** One sentence: what the hardware path reached and what L1's tables say. */
export function staleMessage(use: StaleUse, scenario: string, count = 1): string {
  const truth = use.truth === null ? 'L1\'s tables no longer map it' : `L1's tables map it to host page ${hex(use.truth)}`;
  const via = use.source === 'tlb' ? 'a stale hardware TLB entry' : 'a stale L0 shadow entry';
  const more = count > 1 ? ` (${count} stale uses at this line)` : '';
  return `Stale translation [${scenario}]: vCPU ${use.vcpu} used gfn ${hex(use.gfn)} through ${via} and reached host page ${hex(use.seen)}, but ${truth}.${more}`;
}

const ROLE_TEXT = { fill: 'filled here', change: 'L1 changed the translation here', recycle: 'root page recycled here' } as const;

export function staleDiagnostics(result: FileRunResult): DiagnosticSpec[] {
  const out: DiagnosticSpec[] = [];
  for (const sc of result.scenarios) {
    const byLine = new Map<number, StaleUse[]>();
    for (const s of sc.stale) byLine.set(s.line, [...(byLine.get(s.line) ?? []), s]);
    for (const uses of byLine.values()) {
      const first = uses[0]!;
      // A passing bug demo (`expect stale > 0`) must not leave the Problems view and Explorer red.
      const expected = sc.staleExpected === true;
      out.push({
        range: first.range,
        message: expected ? `Expected ${staleMessage(first, sc.name, uses.length).replace(/^Stale/, 'stale')}` : staleMessage(first, sc.name, uses.length),
        severity: expected ? 'info' : 'error',
        code: expected ? EXPECTED_STALE_USE_CODE : STALE_USE_CODE,
        related: first.blame.map((b) => ({ range: b.range, message: `${b.role}: ${ROLE_TEXT[b.role]} — ${b.detail || b.text}` })),
      });
    }
  }
  return out;
}
