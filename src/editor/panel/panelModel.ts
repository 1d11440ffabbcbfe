// What the panel shows, computed from a stored run: the pushed state and the answers to
// the webview's slice/node requests. No vscode import: the panel host wraps it, the unit
// tests and the webview harness drive it directly.
import { blameView } from './blameView';
import type { CompareResult, FileRunResult, ScenarioResult } from '../../core/run/result';
import {
  MAX_SLICE, TABLE_COLUMNS, type CompareView, type GetLifecycleMessage, type GetNodeMessage, type GetRowsMessage, type PanelState,
  type ScenarioView, type StateMessage, type StepView, type TableName, type ToWebview,
} from '../../protocol';
import { lifecycleView } from './lifecycleView';
import { pageNode } from './pageTables';
import { flushEvents, translationPath } from './translationPath';
import { TableSlicer, traceAtStep } from './tableSlices';

/** The parts of a stored run the panel reads (src/editor/runStore.ts StoredRun). */
export interface PanelRun {
  readonly uri: string;
  readonly version: number;
  readonly result: FileRunResult;
  readonly compare?: CompareResult;
  /** Runs of single Compare points (opened from the Compare view): the point's sweep values and its run. */
  readonly points?: readonly ComparePointRun[];
  /** Restored from the cache after a reload: the text has not changed since, but the run is the previous window's. */
  readonly restored?: boolean;
}

export interface ComparePointRun {
  readonly config: Readonly<Record<string, string>>;
  readonly result: ScenarioResult;
}

/** The panel's scenario list: the file's runs, then the Compare points opened (named by their values). */
function panelScenarios(run: PanelRun | undefined): { s: ScenarioResult; point: Readonly<Record<string, string>> | null; label: string }[] {
  if (!run) return [];
  const axes = run.compare ? sweepAxes(run.compare) : [];
  return [
    ...run.result.scenarios.map((s) => ({ s, point: null, label: s.name })),
    ...(run.points ?? []).map((p) => ({ s: p.result, point: p.config, label: `${p.result.name} @ ${pointText(p.config, axes)}` })),
  ];
}

/** "tlb_flush=asid fix=on": a Compare point's values on the sweep axes, as the Compare view labels its rows. */
export function pointText(config: Readonly<Record<string, string>>, axes: readonly string[]): string {
  return axes.length > 0 ? axes.map((k) => `${k}=${config[k] ?? '?'}`).join(' ') : 'default';
}

/** The sweep axes: the config keys whose value differs between points. */
export function sweepAxes(c: CompareResult): string[] {
  const keys = new Set<string>();
  for (const p of c.points) for (const k of Object.keys(p.config)) keys.add(k);
  return [...keys].filter((k) => new Set(c.points.map((p) => p.config[k])).size > 1);
}

export function fileNameOf(uri: string): string {
  const path = uri.split(/[?#]/)[0]!;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || uri;
}

function stepViews(s: ScenarioResult): StepView[] {
  return s.snapshots.map((snap, index) => {
    const counts: Record<TableName, number> = {
      roots: snap.roots.length, shadows: snap.shadows.length, tlb: snap.tlb.length,
      shadowEntries: snap.shadowEntries.length, memslots: snap.memslots.length, trace: traceAtStep(s.trace, snap).length,
    };
    const asids = [...new Set(snap.tlb.map((t) => t.asid))].sort((a, b) => a - b);
    const spaces = [...new Set([...snap.shadows.map((r) => r.as), ...snap.tlb.map((t) => t.as), ...snap.shadowEntries.map((e) => e.as)])].sort((a, b) => a - b);
    return {
      index, label: snap.label, line: snap.line, step: snap.step, metrics: { ...snap.metrics },
      pageTableRoots: snap.pageTables.map((t) => t.root), counts, asids, spaces,
    };
  });
}

/** The cap of a capped trace, from the run's note (src/core/run/index.ts: "trace capped at N events"). */
export function traceCap(notes: readonly string[]): number | null {
  for (const n of notes) {
    const m = /^trace capped at (\d+) events/.exec(n);
    if (m) return Number(m[1]);
  }
  return null;
}

export function scenarioView(s: ScenarioResult, index: number, point: Readonly<Record<string, string>> | null = null, name = s.name): ScenarioView {
  const flushing = flushEvents(s.trace);
  return {
    index,
    name,
    line: s.line,
    passed: s.passed,
    cancelled: s.cancelled,
    config: { ...s.config },
    metrics: { ...s.metrics },
    timeUs: s.timeUs,
    cost: s.cost.map((c) => ({ kind: c.kind, count: c.count, cycles: c.cycles })),
    stale: s.stale.map((u) => ({
      path: translationPath(s, u, flushing),
      as: u.as ?? null, step: u.step ?? null, iteration: u.iteration ? { ...u.iteration } : null,
      line: u.line, vcpu: u.vcpu, gfn: u.gfn, seen: u.seen, truth: u.truth, source: u.source,
      blame: u.blame.map(blameView),
    })),
    staleExpected: s.staleExpected === true,
    point: point ? { ...point } : null,
    failures: s.failures.map((f) => ({ line: f.line, message: f.message })),
    notes: [...s.notes],
    steps: stepViews(s),
    traceCount: s.trace.length,
    traceCap: traceCap(s.notes),
    traceFunctions: [...new Set(s.trace.flatMap((e) => [e.fn, ...e.path]))].sort(),
  };
}

export function compareView(c: CompareResult): CompareView {
  const axes = sweepAxes(c);
  return {
    scenario: c.scenario,
    line: c.line,
    axes,
    points: [...c.points].sort((a, b) => a.rank - b.rank).map((p) => ({
      config: { ...p.config }, metrics: { ...p.metrics }, passed: p.passed, stale: Math.max(0, Math.round(p.metrics['stale'] ?? 0)), timeUs: p.timeUs, rank: p.rank,
    })),
    cancelled: c.cancelled,
    skipped: (c.skipped ?? []).map((k) => ({ config: { ...k.config }, reason: k.reason })),
  };
}

/** One panel's view of one document's last run. */
export class PanelModel {
  private runId = 0;
  private run: PanelRun | undefined;
  private slicers: TableSlicer[] = [];
  private message = 'Run a scenario (CodeLens "Run" above it) to see its state here.';
  private uri: string | null = null;

  /** Shows `run` (or, when undefined, `message` for `uri`); returns the push for the webview. */
  setRun(run: PanelRun | undefined, uri: string | null, message?: string): StateMessage {
    this.runId += 1;
    this.run = run;
    this.uri = run?.uri ?? uri;
    this.slicers = panelScenarios(run).map(({ s }) => new TableSlicer(s));
    if (message !== undefined) this.message = message;
    return this.state();
  }

  get current(): PanelRun | undefined {
    return this.run;
  }

  /** The id of the run shown now (requests name it). */
  get runIdNow(): number {
    return this.runId;
  }

  get documentUri(): string | null {
    return this.uri;
  }

  state(): StateMessage {
    const run = this.run;
    const state: PanelState = {
      runId: this.runId,
      uri: this.uri,
      fileName: this.uri ? fileNameOf(this.uri) : '',
      version: run?.version ?? 0,
      scenarios: panelScenarios(run).map(({ s, point, label }, i) => scenarioView(s, i, point, label)),
      compare: run?.compare ? compareView(run.compare) : null,
      message: run ? (run.result.scenarios.length === 0 ? 'The file has no scenario to show.' : '') : this.message,
      restored: run?.restored === true,
    };
    return { type: 'state', state };
  }

  /** Answers a slice or node request; requests for an older run get an error. */
  answer(req: GetRowsMessage | GetNodeMessage | GetLifecycleMessage): ToWebview {
    const s = panelScenarios(this.run)[req.scenario]?.s;
    if (req.runId !== this.runId) return { type: 'error', id: req.id, message: 'stale request: the run has changed' };
    if (!s) return { type: 'error', id: req.id, message: `no scenario #${req.scenario} in this run` };
    if (req.type === 'getLifecycle') return { type: 'lifecycle', id: req.id, view: s.lifecycle ? lifecycleView(s.lifecycle) : null };
    if (req.type === 'getNode') {
      return { type: 'node', id: req.id, node: pageNode(s.snapshots[req.step], req.root, req.hpa) };
    }
    if (req.sort && !TABLE_COLUMNS[req.table].some((c) => c.id === req.sort!.column)) {
      return { type: 'error', id: req.id, message: `no column ${req.sort.column} in ${req.table}` };
    }
    const slice = this.slicers[req.scenario]!.slice({
      table: req.table, step: req.step, offset: req.offset, limit: Math.min(req.limit, MAX_SLICE), filter: req.filter, sort: req.sort,
    });
    if (!slice) return { type: 'rows', id: req.id, total: 0, offset: 0, rows: [] };
    return { type: 'rows', id: req.id, total: slice.total, offset: slice.offset, rows: slice.rows };
  }
}
