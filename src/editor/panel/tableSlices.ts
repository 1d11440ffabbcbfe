// Filtering, sorting and slicing of the panel's tables, answered from a stored run.
// No vscode import: unit-tested directly and reused by the webview test harness.
// The webview asks for a window of rows (`getRows`); we keep the filtered/sorted order of
// the last few queries so scrolling a 100,000-row table only slices.
import { blameView } from './blameView';
import type { ScenarioResult, Snapshot, StaleUse, TraceEvent } from '../../core/run/result';
import { MAX_SLICE, TABLE_COLUMNS, type BlameView, type RowFilter, type RowSort, type RowView, type TableName } from '../../protocol';

export const hex = (n: number): string => '0x' + n.toString(16);
const lineText = (l: number | null): string => (l === null ? '' : String(l + 1));

/** One table's rows in a uniform shape: raw sort keys, formatted cells, marks. */
interface TableSource {
  readonly length: number;
  /** Raw value of a column for sorting (numbers for numeric columns). */
  value(i: number, column: string): number | string;
  row(i: number): RowView;
  stale(i: number): boolean;
  /** Numbers a search for an address may equal (addresses and page numbers). */
  addresses(i: number): readonly number[];
  asid(i: number): number | null;
  as(i: number): number | null;
  fn(i: number): readonly string[] | null;
}

const toBlame = (u: StaleUse): BlameView[] => u.blame.map(blameView);

function staleNote(u: StaleUse): string {
  const truth = u.truth === null ? 'nothing (unmapped)' : hex(u.truth);
  return `stale use at line ${u.line + 1}: vCPU ${u.vcpu} gfn ${hex(u.gfn)} reached host page ${hex(u.seen)}, L1's tables give ${truth}`;
}

/**
 * The stale use an entry served, identified exactly: the same source, address space, gfn,
 * host page and fill (the statement clock of the fill), and the vCPU for the TLB. Entries
 * sharing a gfn and host page (shadow[A] and shadow[B] after a recycle) are different
 * entries with different stories. A TLB entry copied from a stale shadow entry by the
 * access that was the stale use names that use (same vCPU, address space, gfn; the use's
 * clock is the TLB fill's). Results without fill clocks (older stored runs) match on the
 * fill line of the blame chain instead.
 */
export function findStaleUse(uses: readonly StaleUse[], source: 'tlb' | 'shadow', r: TranslationRow, vcpu: number | null): StaleUse | undefined {
  const same = (u: StaleUse): boolean => u.gfn === r.gfn && u.seen === r.hostPage && (vcpu === null || u.vcpu === vcpu);
  if (r.fillStep !== undefined && uses.some((u) => u.fillStep !== undefined)) {
    return uses.find((u) => u.source === source && same(u) && u.as === r.as && u.fillStep === r.fillStep)
      ?? (source === 'tlb' ? uses.find((u) => u.source === 'shadow' && same(u) && u.as === r.as && u.step === r.fillStep) : undefined);
  }
  return uses.find((u) => u.source === source && same(u) && (u.as === undefined || u.as === r.as)
    && (source === 'tlb' || u.blame.some((b) => b.role === 'fill' && b.line === r.filledLine)));
}

function rootsSource(s: ScenarioResult, snap: Snapshot): TableSource {
  const rows = snap.roots;
  return {
    length: rows.length,
    value: (i, c) => {
      const r = rows[i]!;
      switch (c) {
        case 'loadedBy': return r.loadedBy.join(',');
        case 'recycledFromLine': return r.recycledFromLine ?? -1;
        case 'blame': return r.blamed ? (r.recycledFromLine !== null ? 2 : 1) : 0;
        case 'id': return r.id ?? -1;
        default: return (r as unknown as Record<string, number | string>)[c] ?? '';
      }
    },
    row: (i) => {
      const r = rows[i]!;
      // The recycled root of a stale use: allocated on a page that was a root before, while
      // L0 still kept the shadow of that nCR3 (domain §1.2, §2.2). Other roots in a blame
      // chain (the freed root whose shadow was reused) are named but not highlighted.
      const recycled = r.blamed && r.recycledFromLine !== null;
      const page = hex(r.hpa);
      // The stale use whose chain names this root (oracle.ts: "root #N …"), else one on its page.
      const named = r.id === undefined ? undefined : new RegExp(`#${r.id}\\b`);
      const use = !r.blamed ? undefined
        : (named ? s.stale.find((u) => u.blame.some((b) => named.test(b.detail))) : undefined)
          ?? s.stale.find((u) => u.blame.some((b) => b.line === r.createdLine && b.detail.includes(page)))
          ?? s.stale.find((u) => u.blame.some((b) => b.detail.includes(page))) ?? s.stale[0];
      const note = recycled ? `recycled root of a stale use: this page was a root allocated at line ${r.recycledFromLine! + 1}, and L0 still had its shadow`
        : r.blamed ? 'in the blame chain of a stale use: L0 kept the shadow of this root page'
          : r.loadedBy.length > 0 ? `current root of vCPU ${r.loadedBy.join(', ')}` : '';
      return {
        key: `root:${i}:${r.hpa}:${r.createdLine}`,
        cells: [r.id === undefined ? '' : `#${r.id}`, hex(r.hpa), r.mmu, r.role.replace(/^4-level /, ''), String(r.refcount), r.state, lineText(r.createdLine), lineText(r.recycledFromLine),
          r.loadedBy.length > 0 ? r.loadedBy.map((v) => `vCPU ${v}`).join(', ') : '',
          recycled ? 'recycled root' : r.blamed ? 'in blame chain' : ''],
        line: r.createdLine,
        stale: false,
        marked: recycled,
        note,
        blame: use ? toBlame(use) : [],
      };
    },
    stale: (i) => rows[i]!.blamed,
    addresses: (i) => [rows[i]!.hpa],
    asid: () => null,
    as: (i) => rows[i]!.hpa,
    fn: () => null,
  };
}

function shadowsSource(snap: Snapshot): TableSource {
  const rows = snap.shadows;
  return {
    length: rows.length,
    value: (i, c) => (rows[i] as unknown as Record<string, number | null>)[c] ?? -1,
    row: (i) => {
      const r = rows[i]!;
      return {
        key: `shadow:${r.as}`,
        cells: [hex(r.as), String(r.entries), String(r.stale), r.lastFlushedLine === null ? 'never' : lineText(r.lastFlushedLine)],
        line: r.lastFlushedLine,
        stale: r.stale > 0,
        marked: false,
        note: r.stale > 0 ? `${r.stale} of L0's entries for this address space are stale` : '',
        blame: [],
      };
    },
    stale: (i) => rows[i]!.stale > 0,
    addresses: (i) => [rows[i]!.as],
    asid: () => null,
    as: (i) => rows[i]!.as,
    fn: () => null,
  };
}

/** TLB and shadow entries share one shape: a cached translation, stale or not, with the
 *  stale use it caused (and that use's blame chain). */
export interface TranslationRow {
  readonly gfn: number;
  readonly hostPage: number;
  readonly as: number;
  readonly filledLine: number;
  readonly stale: boolean;
  readonly fillStep?: number;
}

function translationSource<R extends TranslationRow>(s: ScenarioResult, rows: readonly R[], kind: {
  readonly source: 'tlb' | 'shadow';
  key(r: R): string;
  /** The table's own leading cells; "filled at" and "stale" follow. */
  cells(r: R): string[];
  vcpu(r: R): number | null;
  asid(r: R): number | null;
}): TableSource {
  return {
    length: rows.length,
    value: (i, c) => {
      const r = rows[i]!;
      return c === 'stale' ? (r.stale ? 1 : 0) : (r as unknown as Record<string, number>)[c] ?? 0;
    },
    row: (i) => {
      const r = rows[i]!;
      const use = r.stale ? findStaleUse(s.stale, kind.source, r, kind.vcpu(r)) : undefined;
      return {
        key: kind.key(r),
        cells: [...kind.cells(r), lineText(r.filledLine), r.stale ? 'stale' : ''],
        line: r.filledLine,
        stale: r.stale,
        marked: false,
        note: r.stale ? (use ? staleNote(use) : 'stale: L1\'s current tables do not back this translation; no access used this entry (so no blame chain)') : '',
        blame: use ? toBlame(use) : [],
      };
    },
    stale: (i) => rows[i]!.stale,
    addresses: (i) => [rows[i]!.gfn, rows[i]!.hostPage, rows[i]!.as],
    asid: (i) => kind.asid(rows[i]!),
    as: (i) => rows[i]!.as,
    fn: () => null,
  };
}

function tlbSource(s: ScenarioResult, snap: Snapshot): TableSource {
  return translationSource(s, snap.tlb, {
    source: 'tlb',
    key: (r) => `tlb:${r.vcpu}:${r.asid}:${r.as}:${r.gfn}:${r.fillStep ?? r.filledLine}`,
    cells: (r) => [String(r.vcpu), String(r.asid), hex(r.gfn), hex(r.hostPage), hex(r.as)],
    vcpu: (r) => r.vcpu,
    asid: (r) => r.asid,
  });
}

function shadowEntriesSource(s: ScenarioResult, snap: Snapshot): TableSource {
  return translationSource(s, snap.shadowEntries, {
    source: 'shadow',
    key: (r) => `sh:${r.as}:${r.gfn}:${r.fillStep ?? r.filledLine}`,
    cells: (r) => [hex(r.as), hex(r.gfn), hex(r.hostPage)],
    vcpu: () => null,
    asid: () => null,
  });
}

/** Trace events up to the snapshot's step when the model records steps; all of them otherwise. */
export function traceAtStep(trace: readonly TraceEvent[], snap: Snapshot | undefined): readonly TraceEvent[] {
  if (!snap || trace.length === 0 || trace[0]!.step === undefined) return trace;
  let n = 0;
  while (n < trace.length && (trace[n]!.step ?? 0) <= snap.step) n++;
  return n === trace.length ? trace : trace.slice(0, n);
}

function traceSource(events: readonly TraceEvent[]): TableSource {
  return {
    length: events.length,
    value: (i, c) => {
      const e = events[i]!;
      switch (c) {
        case 'path': return e.path.join(' > ');
        case 'vcpu': return e.vcpu ?? -1;
        default: return (e as unknown as Record<string, number | string>)[c] ?? '';
      }
    },
    row: (i) => {
      const e = events[i]!;
      return {
        key: `ev:${e.seq}`,
        cells: [String(e.seq), e.fn, e.path.join(' › '), lineText(e.line), e.vcpu === null ? '' : String(e.vcpu), e.detail],
        line: e.line,
        stale: false,
        marked: false,
        note: '',
        blame: [],
      };
    },
    stale: () => false,
    addresses: () => [],
    asid: () => null,
    as: () => null,
    fn: (i) => [events[i]!.fn, ...events[i]!.path],
  };
}

function memslotsSource(snap: Snapshot): TableSource {
  const rows = snap.memslots;
  return {
    length: rows.length,
    value: (i, c) => {
      const r = rows[i]!;
      return c === 'flags' ? `${r.readonly ? 'ro' : 'rw'}${r.dirtyLog ? ' dirty-log' : ''}` : (r as unknown as Record<string, number | string>)[c] ?? '';
    },
    row: (i) => {
      const r = rows[i]!;
      return {
        key: `slot:${r.id}`,
        cells: [r.id, hex(r.gpa), hex(r.size), `${r.readonly ? 'readonly' : 'read/write'}${r.dirtyLog ? ', dirty log' : ''}`, String(r.backed)],
        line: null,
        stale: false,
        marked: false,
        note: '',
        blame: [],
      };
    },
    stale: () => false,
    addresses: (i) => [rows[i]!.gpa],
    asid: () => null,
    as: () => null,
    fn: () => null,
  };
}

export function tableSource(s: ScenarioResult, stepIndex: number, table: TableName): TableSource | undefined {
  const snap = s.snapshots[stepIndex];
  if (table === 'trace') return traceSource(traceAtStep(s.trace, snap));
  if (!snap) return undefined;
  switch (table) {
    case 'roots': return rootsSource(s, snap);
    case 'shadows': return shadowsSource(snap);
    case 'tlb': return tlbSource(s, snap);
    case 'shadowEntries': return shadowEntriesSource(s, snap);
    case 'memslots': return memslotsSource(snap);
  }
}

/** Parses `0x1f000`, `1f000` or `12345` as an address; null when the text is not a number. */
export function parseAddress(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (/^0x[0-9a-f]+$/.test(t)) return parseInt(t.slice(2), 16);
  if (/^[0-9]+$/.test(t)) return parseInt(t, 10);
  if (/^[0-9a-f]+$/.test(t)) return parseInt(t, 16);
  return null;
}

function matcher(src: TableSource, filter: RowFilter): ((i: number) => boolean) | null {
  const tests: ((i: number) => boolean)[] = [];
  if (filter.staleOnly) tests.push((i) => src.stale(i));
  if (filter.asid !== undefined) tests.push((i) => src.asid(i) === filter.asid);
  if (filter.as !== undefined) tests.push((i) => src.as(i) === filter.as);
  if (filter.fn) {
    const fn = filter.fn;
    tests.push((i) => src.fn(i)?.includes(fn) ?? false);
  }
  const text = filter.text?.trim().toLowerCase();
  if (text) {
    const addr = parseAddress(text);
    // An address matches itself, its page number (gfn / host page) and, as text, any cell.
    const page = addr === null ? null : Math.floor(addr / 4096);
    tests.push((i) => {
      if (addr !== null) {
        const a = src.addresses(i);
        if (a.includes(addr) || (page !== null && page > 0 && a.includes(page))) return true;
      }
      return src.row(i).cells.some((c) => c.toLowerCase().includes(text));
    });
  }
  if (tests.length === 0) return null;
  return (i) => tests.every((t) => t(i));
}

function order(src: TableSource, table: TableName, filter: RowFilter, sort: RowSort | null): Int32Array | null {
  const match = matcher(src, filter);
  const column = sort ? TABLE_COLUMNS[table].find((c) => c.id === sort.column) : undefined;
  if (!match && !column) return null; // identity order: slice directly
  let idx: number[] = [];
  for (let i = 0; i < src.length; i++) if (!match || match(i)) idx.push(i);
  if (column) {
    const keys = new Map<number, number | string>();
    for (const i of idx) keys.set(i, src.value(i, column.id));
    const dir = sort!.descending ? -1 : 1;
    idx = idx.sort((a, b) => {
      const ka = keys.get(a)!;
      const kb = keys.get(b)!;
      const c = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb));
      return c !== 0 ? c * dir : a - b; // stable: ties keep the model's order
    });
  }
  return Int32Array.from(idx);
}

export interface Slice {
  readonly total: number;
  readonly offset: number;
  readonly rows: readonly RowView[];
}

export interface SliceQuery {
  readonly table: TableName;
  readonly step: number;
  readonly offset: number;
  readonly limit: number;
  readonly filter: RowFilter;
  readonly sort: RowSort | null;
}

/**
 * Answers slice queries for one scenario result. Keeps the row order of the last few
 * (step, table, filter, sort) combinations: a scroll re-slices without re-filtering.
 */
export class TableSlicer {
  private readonly cache = new Map<string, Int32Array | null>();

  constructor(private readonly scenario: ScenarioResult) {}

  slice(q: SliceQuery): Slice | undefined {
    const src = tableSource(this.scenario, q.step, q.table);
    if (!src) return undefined;
    const key = JSON.stringify([q.step, q.table, q.filter, q.sort]);
    let ord = this.cache.get(key);
    if (ord === undefined) {
      ord = order(src, q.table, q.filter, q.sort);
      this.cache.set(key, ord);
      if (this.cache.size > 8) this.cache.delete(this.cache.keys().next().value!);
    }
    const total = ord ? ord.length : src.length;
    const offset = Math.min(q.offset, total);
    const end = Math.min(total, offset + Math.min(q.limit, MAX_SLICE));
    const rows: RowView[] = [];
    for (let k = offset; k < end; k++) rows.push(src.row(ord ? ord[k]! : k));
    return { total, offset, rows };
  }
}
