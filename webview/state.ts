// What the panel remembers across hides and reloads (getState/setState; the host's
// WebviewPanelSerializer reads `uri` to restore the same document).

export type TabId = 'life' | 'roots' | 'tlb' | 'pages' | 'trace' | 'counters' | 'compare';
export const TAB_IDS: readonly TabId[] = ['life', 'roots', 'tlb', 'pages', 'trace', 'counters', 'compare'];

export interface ViewState {
  uri: string | null;
  scenario: string | null;
  /** Snapshot index; null = the last one (the final state). */
  step: number | null;
  tab: TabId;
  /** The user (or a saved state) chose the tab; until then a run with a stale use opens on the lifecycle chart. */
  tabChosen: boolean;
  tlbTable: 'tlb' | 'shadowEntries';
  tlbAsid: string;
  tlbRoot: string;
  tlbStaleOnly: boolean;
  tlbSearch: string;
  traceFn: string;
  traceSearch: string;
  pageRoot: string;
  sorts: Record<string, { column: string; descending: boolean } | null>;
  /** The stale box in the header is open (folded to one line when not). */
  staleOpen: boolean;
  /** Column chooser: per table, column id -> shown (true) or hidden (false); absent = by width. */
  columns: Record<string, Record<string, boolean>>;
  /** Scroll offsets of the windowed tables, per table. */
  scroll: Record<string, number>;
  /** Compare: metric columns shown beside the time, and the metric the chart plots. */
  compareColumns: string[];
  compareMetric: string;
}

export function defaultState(): ViewState {
  return {
    uri: null, scenario: null, step: null, tab: 'roots', tabChosen: false, tlbTable: 'tlb', tlbAsid: '', tlbRoot: '', tlbStaleOnly: false,
    tlbSearch: '', traceFn: '', traceSearch: '', pageRoot: '', sorts: {}, staleOpen: true, columns: {}, scroll: {},
    compareColumns: ['hypercalls', 'npf.l1', 'roots.allocated'], compareMetric: 'time_us',
  };
}

/** Restores saved state, keeping only fields of the right type (it may come from an older bundle). */
export function restoreState(saved: unknown): ViewState {
  const s = defaultState();
  if (typeof saved !== 'object' || saved === null) return s;
  const o = saved as Record<string, unknown>;
  const str = (k: keyof ViewState): void => { if (typeof o[k] === 'string') (s as unknown as Record<string, unknown>)[k] = o[k]; };
  (['tlbAsid', 'tlbRoot', 'tlbSearch', 'traceFn', 'traceSearch', 'pageRoot'] as const).forEach(str);
  if (typeof o['uri'] === 'string') s.uri = o['uri'];
  if (typeof o['scenario'] === 'string') s.scenario = o['scenario'];
  if (Number.isSafeInteger(o['step']) && (o['step'] as number) >= 0) s.step = o['step'] as number;
  if (typeof o['tab'] === 'string' && (TAB_IDS as readonly string[]).includes(o['tab'])) { s.tab = o['tab'] as TabId; s.tabChosen = true; }
  if (typeof o['tabChosen'] === 'boolean') s.tabChosen = o['tabChosen'];
  if (o['tlbTable'] === 'shadowEntries') s.tlbTable = 'shadowEntries';
  if (typeof o['tlbStaleOnly'] === 'boolean') s.tlbStaleOnly = o['tlbStaleOnly'];
  if (typeof o['staleOpen'] === 'boolean') s.staleOpen = o['staleOpen'];
  if (Array.isArray(o['compareColumns']) && o['compareColumns'].every((c) => typeof c === 'string')) s.compareColumns = (o['compareColumns'] as string[]).slice(0, 20);
  if (typeof o['compareMetric'] === 'string') s.compareMetric = o['compareMetric'];
  if (typeof o['columns'] === 'object' && o['columns'] !== null) {
    for (const [t, v] of Object.entries(o['columns'] as Record<string, unknown>)) {
      if (typeof v !== 'object' || v === null) continue;
      const cols: Record<string, boolean> = {};
      for (const [c, on] of Object.entries(v as Record<string, unknown>)) if (typeof on === 'boolean') cols[c] = on;
      s.columns[t] = cols;
    }
  }
  if (typeof o['scroll'] === 'object' && o['scroll'] !== null) {
    for (const [t, v] of Object.entries(o['scroll'] as Record<string, unknown>)) if (Number.isFinite(v) && (v as number) >= 0) s.scroll[t] = v as number;
  }
  if (typeof o['sorts'] === 'object' && o['sorts'] !== null) {
    for (const [k, v] of Object.entries(o['sorts'] as Record<string, unknown>)) {
      if (typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)['column'] === 'string' && typeof (v as Record<string, unknown>)['descending'] === 'boolean') {
        s.sorts[k] = { column: (v as { column: string }).column, descending: (v as { descending: boolean }).descending };
      }
    }
  }
  return s;
}
