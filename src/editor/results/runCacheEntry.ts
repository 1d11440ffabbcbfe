// What the run cache keeps of a document's last run (pure, no vscode import): the result and
// its Compare, tagged with a hash of the text they came from, trimmed to a size bound. After a
// window reload a run is restored only for the very same text (the hash), never for an edited one.
import type { CompareResult, FileRunResult, ScenarioResult } from '../../core/run/result';
import type { ExploreResult } from '../../core/explore/result';

export const CACHE_FORMAT = 1;
/** Serialized size a cached run may take (its trace and timeline go first when it is larger). */
export const MAX_ENTRY_CHARS = 4_000_000;

export interface CacheEntry {
  readonly format: typeof CACHE_FORMAT;
  readonly uri: string;
  /** textHash() of the text the run came from. */
  readonly textHash: string;
  readonly result: FileRunResult;
  readonly compare?: CompareResult;
  /** The last search of each `explore` block of the same text (the run may have no scenarios then). */
  readonly explorations?: readonly ExploreResult[];
  /** What was left out to fit MAX_ENTRY_CHARS, in words (shown as a note of the restored run). */
  readonly trimmed?: string;
}

/** Two 32-bit FNV-1a hashes (different offsets) and the length: 64 bits is plenty to tell texts apart. */
export function textHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193 + 2) >>> 0;
  }
  return `${text.length.toString(16)}-${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

const withScenarios = (r: FileRunResult, f: (s: ScenarioResult) => ScenarioResult): FileRunResult => ({ file: r.file, scenarios: r.scenarios.map(f) });

/** Lighter and lighter versions of a result: marks and diagnostics (checks, failures, stale uses) always stay. */
const TRIMS: readonly { readonly what: string; readonly apply: (s: ScenarioResult) => ScenarioResult }[] = [
  { what: 'the trace', apply: (s) => ({ ...s, trace: [], notes: [...s.notes.filter((n) => !n.startsWith('trace capped')), 'trace not kept across the reload (too large): run again to see it'] }) },
  { what: 'the trace and the timeline', apply: (s) => ({ ...s, trace: [], snapshots: s.snapshots.slice(-1), lifecycle: undefined }) },
  { what: 'the trace, the timeline and the final state', apply: (s) => ({ ...s, trace: [], snapshots: [], lifecycle: undefined }) },
];

/** The entry to write, or undefined when even the lightest version is over the bound. */
export function cacheEntry(uri: string, hash: string, result: FileRunResult, compare?: CompareResult, explorations?: readonly ExploreResult[]): { entry: CacheEntry; json: string } | undefined {
  const make = (r: FileRunResult, trimmed?: string): { entry: CacheEntry; json: string } => {
    const entry: CacheEntry = { format: CACHE_FORMAT, uri, textHash: hash, result: r, ...(compare ? { compare } : {}), ...(explorations?.length ? { explorations } : {}), ...(trimmed ? { trimmed } : {}) };
    return { entry, json: JSON.stringify(entry) };
  };
  let out = make(result);
  for (const t of TRIMS) {
    if (out.json.length <= MAX_ENTRY_CHARS) return out;
    out = make(withScenarios(result, t.apply), t.what);
  }
  return out.json.length <= MAX_ENTRY_CHARS ? out : undefined;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The cached run for `uri` if it came from text hashing to `hash`: a shape check of what the
 * panel and the marks read (a cache file may come from an older version of the extension).
 */
export function readEntry(json: string, uri: string, hash: string): CacheEntry | undefined {
  let x: unknown;
  try { x = JSON.parse(json); } catch { return undefined; }
  if (!isObj(x) || x['format'] !== CACHE_FORMAT || x['uri'] !== uri || x['textHash'] !== hash) return undefined;
  const r = x['result'];
  if (!isObj(r) || typeof r['file'] !== 'string' || !Array.isArray(r['scenarios'])) return undefined;
  const fields = ['checks', 'failures', 'stale', 'prints', 'snapshots', 'trace', 'cost', 'notes'];
  const ok = r['scenarios'].every((s) => isObj(s) && typeof s['name'] === 'string' && typeof s['line'] === 'number'
    && typeof s['passed'] === 'boolean' && isObj(s['metrics']) && fields.every((f) => Array.isArray(s[f])));
  if (!ok) return undefined;
  const c = x['compare'];
  if (c !== undefined && !(isObj(c) && typeof c['scenario'] === 'string' && Array.isArray(c['points']))) return undefined;
  const e = x['explorations'];
  const verdicts = ['violation', 'clean', 'cancelled'];
  if (e !== undefined && !(Array.isArray(e) && e.every((r) => isObj(r) && typeof r['name'] === 'string' && typeof r['line'] === 'number'
    && verdicts.includes(r['verdict'] as string) && typeof r['summary'] === 'string' && (r['counterexample'] === null || isObj(r['counterexample']))))) return undefined;
  return x as unknown as CacheEntry;
}

/** The cache file name of a document: its URI hashed (file names must not carry the path). */
export function entryFileName(uri: string): string {
  return `${textHash(uri).replace('-', '')}.json`;
}
