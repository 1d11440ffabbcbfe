// Breakpoint conditions, hit conditions and logpoint messages in the metric language of
// `expect` (docs/language.md): `stale > 0`, `roots.recycled >= 2 && hypercalls == 0`,
// hit conditions `3`, `>= 3`, `% 2`, logpoints `recycled {roots.recycled} roots`.
import { COMPARE_OPS, METRIC_NAMES, type CompareOp, type MetricName } from '../lang/schema';
import { parseNumber } from '../lang/scanner';
import { compareOp as compare } from '../run/compareOp';

export type MetricReader = (name: MetricName) => number;

export type Condition = { readonly ok: true; readonly test: (read: MetricReader) => boolean } | { readonly ok: false; readonly message: string };

/** One `METRIC OP VALUE`, or several joined by `&&` / `and` (all must hold). */
export function parseCondition(text: string): Condition {
  const parts = text.split(/&&|\band\b/).map((p) => p.trim());
  const terms: { metric: MetricName; op: CompareOp; value: number }[] = [];
  for (const p of parts) {
    const m = /^([a-z_.]+)\s*(==|!=|<=|>=|<|>)\s*(\S+)$/.exec(p);
    if (!m) return { ok: false, message: `condition \`${p}\`: expected METRIC OP VALUE, e.g. \`stale > 0\`` };
    if (!METRIC_NAMES.has(m[1]!)) return { ok: false, message: `condition \`${p}\`: unknown metric \`${m[1]}\`` };
    const n = parseNumber(m[3]!);
    if (!n.ok) return { ok: false, message: `condition \`${p}\`: ${n.reason}` };
    if (!COMPARE_OPS.includes(m[2] as CompareOp)) return { ok: false, message: `condition \`${p}\`: unknown operator` };
    terms.push({ metric: m[1] as MetricName, op: m[2] as CompareOp, value: n.value });
  }
  return { ok: true, test: (read) => terms.every((t) => compare(read(t.metric), t.op, t.value)) };
}

export type HitCondition = { readonly ok: true; readonly test: (hits: number) => boolean } | { readonly ok: false; readonly message: string };

/** DAP hit conditions: `N` / `== N` (the N-th time), `>= N`, `> N`, `% N` (every N-th). */
export function parseHitCondition(text: string): HitCondition {
  const m = /^\s*(==|>=|>|<=|<|%)?\s*(\d+)\s*$/.exec(text);
  if (!m) return { ok: false, message: `hit count \`${text}\`: expected N, >= N or % N` };
  const n = Number(m[2]);
  switch (m[1]) {
    case '%': return n > 0 ? { ok: true, test: (h) => h % n === 0 } : { ok: false, message: 'hit count `% 0`' };
    case '>=': return { ok: true, test: (h) => h >= n };
    case '>': return { ok: true, test: (h) => h > n };
    case '<=': return { ok: true, test: (h) => h <= n };
    case '<': return { ok: true, test: (h) => h < n };
    default: return { ok: true, test: (h) => h === n };
  }
}

/** A logpoint's text with each `{metric}` replaced by its value (unknown names stay as written). */
export function interpolate(message: string, read: MetricReader): string {
  return message.replace(/\{([a-z_.]+)\}/g, (all, name: string) => (METRIC_NAMES.has(name) ? String(read(name as MetricName)) : all));
}
