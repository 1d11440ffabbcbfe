// The one run path: CodeLens, commands, the Test Explorer and run-on-save all come
// here. A run is computed off the extension host's thread, tagged with the document
// version it came from, logged to the Output channel, and dropped if the text changed
// meanwhile. A new run or edit of the same document cancels the one in flight; runs
// that take longer than a moment show a cancellable progress notification.
import * as vscode from 'vscode';
import { stoppedResult } from '../../core/run/index';
import type { CompareResult, FileRunResult, ScenarioResult } from '../../core/run/result';
import type { ExploreResult } from '../../core/explore/result';
import type { RunStore } from '../runStore';
import { runSettings } from '../settings';
import type { ProgressDetail } from './protocol';
import { cancelInfo, cancelText, cancelWhy, progressView, type CancelInfo } from './progressText';
import { CancelledError, jobFailure, type SimJob, type SimRunner } from './runner';

const PROGRESS_AFTER_MS = 400;
/** Compare points the panel keeps runs of (per document). */
const MAX_POINT_RUNS = 4;

export type RunResponse =
  | { readonly status: 'done'; readonly version: number; readonly result: FileRunResult; readonly compare?: CompareResult; readonly explorations?: readonly ExploreResult[] }
  | { readonly status: 'cancelled' | 'stale' }
  | { readonly status: 'error'; readonly message: string };

/** A run the user or an edit cancelled: which scenarios it was running, and where it stopped. */
export interface CancelledRun {
  readonly uri: string;
  readonly scenarios: readonly string[] | undefined;
  readonly info: CancelInfo;
}

export class RunService implements vscode.Disposable {
  private readonly inFlight = new Map<string, SimJob>();
  /** The last progress of the job in flight per document, and what it runs. */
  private readonly where = new Map<string, { job: SimJob; detail?: ProgressDetail; scenarios: readonly string[] | undefined; fileName: string }>();
  private readonly cancelledEmitter = new vscode.EventEmitter<CancelledRun>();
  /** Fires when a run is cancelled by the user or by an edit (not when a new run supersedes it). */
  readonly onDidCancel = this.cancelledEmitter.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly runner: SimRunner,
    private readonly store: RunStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      // Results describe the text they came from: an edit cancels the run and drops them.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        const uri = e.document.uri.toString();
        this.store.clear(uri);
        this.cancel(uri, 'edited', { by: 'edit', version: e.document.version });
      }),
    ];
  }

  /**
   * Cancels the run in flight. `visible` (a cancel by the user or an edit) leaves a cancelled
   * result in the store — "cancelled at line N after M statements" in the status bar, the
   * marks and the panel — tagged with `version` (the edited text's, after an edit).
   */
  cancel(uri: string, why: string, visible?: { readonly by: CancelInfo['by']; readonly version: number }): void {
    const job = this.inFlight.get(uri);
    if (!job) return;
    this.inFlight.delete(uri);
    job.cancel();
    const at = this.where.get(uri);
    this.where.delete(uri);
    const info = visible && at?.job === job ? cancelInfo(at.detail, visible.by) : undefined;
    this.log.info(`cancelled run of ${vscode.Uri.parse(uri).path.split('/').pop()} (${why})${info ? `: ${cancelText(info)}` : ''}`);
    if (!visible || !at || at.job !== job) return;
    if (info) {
      const result = { file: at.fileName, scenarios: [stoppedResult(info.scenario, info.scenarioLine, { line: info.line, statements: info.statements }, cancelWhy(info))] };
      this.store.set({ uri, version: visible.version, result, cancelled: info });
    }
    this.cancelledEmitter.fire({ uri, scenarios: at.scenarios, info: info ?? { scenario: '', scenarioLine: 0, line: 0, statements: 0, by: visible.by } });
  }

  /** Runs the named scenarios (all when undefined), or a Compare of one scenario. */
  async run(doc: vscode.TextDocument, scenarios?: readonly string[], kind: 'run' | 'compare' = 'run', token?: vscode.CancellationToken): Promise<RunResponse> {
    const uri = doc.uri.toString();
    const name = doc.uri.path.split('/').pop() ?? uri;
    this.cancel(uri, 'superseded by a new run');
    const version = doc.version;
    const what = kind === 'compare' ? `compare "${scenarios?.[0]}"` : scenarios ? `run ${scenarios.map((s) => `"${s}"`).join(', ')}` : 'run all';
    this.log.info(`${what} in ${name} (version ${version})`);
    const t0 = Date.now();
    let done = 0;
    let detail: ProgressDetail | undefined;
    const fileName = doc.uri.fsPath || name;
    const job = this.runner.start({ kind, text: doc.getText(), fileName, version, scenarios, settings: runSettings() }, (n, d) => {
      done = n;
      detail = d ?? detail;
      const w = this.where.get(uri);
      if (w?.job === job && d) w.detail = d;
    });
    this.inFlight.set(uri, job);
    this.where.set(uri, { job, scenarios, fileName });
    const byUser = () => ({ by: 'user' as const, version: doc.isClosed ? version : doc.version });
    const cancelSub = token?.onCancellationRequested(() => this.cancel(uri, 'cancelled', byUser()));
    const timer = setTimeout(() => {
      if (this.inFlight.get(uri) !== job) return;
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `MMU: ${what}`, cancellable: true }, (progress, ptoken) => {
        ptoken.onCancellationRequested(() => this.cancel(uri, 'cancelled from the notification', byUser()));
        // Percentage (as increments), ETA and rate, from the total known from the loop counts.
        let shown = 0;
        const tick = setInterval(() => {
          const view = progressView(done, detail, Date.now() - t0);
          const increment = view.percent === undefined ? undefined : Math.max(0, view.percent - shown);
          if (view.percent !== undefined) shown = Math.max(shown, view.percent);
          progress.report({ message: view.message, ...(increment ? { increment } : {}) });
        }, 250);
        return job.promise.then(() => undefined, () => undefined).finally(() => clearInterval(tick));
      });
    }, PROGRESS_AFTER_MS);
    try {
      const outcome = await job.promise;
      outcome.warnings.forEach((w) => this.log.warn(w));
      if (doc.isClosed || doc.version !== version) {
        this.log.info(`dropped the result of ${what}: the document changed (version ${version} → ${doc.version})`);
        return { status: 'stale' };
      }
      const ms = Date.now() - t0;
      if (outcome.kind === 'index') throw new Error('a run answered with a scenario index');
      if (outcome.kind === 'compare') {
        const best = outcome.result.points.find((p) => p.rank === 1);
        this.log.info(`compare "${outcome.result.scenario}": ${outcome.result.points.length} configurations in ${ms} ms; fastest ${best ? JSON.stringify(best.config) : '-'}`);
        let previous = this.store.get(uri);
        if (!previous || previous.version !== version || !previous.result.scenarios.some((s) => s.name === outcome.result.scenario)) {
          // The panel shows the compared scenario's state beside the ranking, so a Compare
          // without a run of this text also runs the scenario at the file's own configuration.
          if (this.inFlight.get(uri) === job) this.inFlight.delete(uri);
          const own = await this.run(doc, [outcome.result.scenario], 'run', token);
          if (own.status !== 'done') return own;
          previous = this.store.get(uri);
        }
        const result = previous && previous.version === version ? previous.result : { file: name, scenarios: [] };
        this.store.set({ uri, version, result, compare: outcome.result });
        return { status: 'done', version, result, compare: outcome.result };
      }
      if (outcome.kind === 'explore') return { status: 'error', message: 'an explore outcome reached the run path' };
      const result = this.merge(uri, version, outcome.result);
      for (const sc of outcome.result.scenarios) {
        this.log.info(`  ${sc.passed ? 'PASS' : 'FAIL'} "${sc.name}" stale=${sc.metrics['stale'] ?? sc.stale.length} checks=${sc.checks.length} ~${sc.timeUs.toFixed(1)} µs (estimate)${sc.cancelled ? ' [cancelled]' : ''}`);
        for (const p of sc.prints) this.log.info(`    line ${p.line + 1}: ${p.text}`);
        for (const n of sc.notes) this.log.info(`    note: ${n}`);
      }
      this.log.info(`${what}: ${outcome.result.scenarios.length} scenario(s) in ${ms} ms`);
      // A run of the same text (Test Explorer, CodeLens) keeps the panel's Compare and the points it opened.
      const before = this.store.get(uri);
      const keep = before && before.version === version && before.compare
        ? { compare: before.compare, ...(before.points ? { points: before.points } : {}) } : {};
      this.store.set({ uri, version, result, ...keep });
      return { status: 'done', version, result };
    } catch (e) {
      return jobFailure(e, what, this.log);
    } finally {
      clearTimeout(timer);
      cancelSub?.dispose();
      if (this.inFlight.get(uri) === job) this.inFlight.delete(uri);
      if (this.where.get(uri)?.job === job) this.where.delete(uri);
    }
  }

  /**
   * Runs one scenario at Compare points' configurations (the panel's "Show state" and side-by-side
   * diff) and adds them to the stored run beside its Compare; points already run are not run again.
   */
  async runPoints(doc: vscode.TextDocument, scenario: string, configs: readonly Readonly<Record<string, string>>[]): Promise<void> {
    const uri = doc.uri.toString();
    const version = doc.version;
    const key = (c: Readonly<Record<string, string>>): string => JSON.stringify(Object.entries(c).sort(([a], [b]) => a.localeCompare(b)));
    const have = new Set((this.store.get(uri)?.points ?? []).map((p) => key(p.config)));
    const fresh: { config: Readonly<Record<string, string>>; result: ScenarioResult }[] = [];
    for (const config of configs) {
      if (have.has(key(config))) continue;
      const job = this.runner.start({ kind: 'run', text: doc.getText(), fileName: doc.uri.fsPath || uri, version, scenarios: [scenario], settings: runSettings(), configOverrides: config });
      try {
        const outcome = await job.promise;
        const sc = outcome.kind === 'run' ? outcome.result.scenarios[0] : undefined;
        if (sc) fresh.push({ config, result: sc });
      } catch (e) {
        if (!(e instanceof CancelledError)) this.log.error(`run of a Compare point of "${scenario}" failed: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
    }
    const now = this.store.get(uri);
    if (fresh.length === 0 || !now || now.version !== version || doc.isClosed || doc.version !== version) return;
    // Bounded: the last MAX_POINT_RUNS points opened (each holds a run's snapshots and trace).
    const points = [...(now.points ?? []), ...fresh].slice(-MAX_POINT_RUNS);
    this.log.info(`ran ${fresh.length} Compare point(s) of "${scenario}" for the panel`);
    this.store.set({ ...now, points });
  }

  /** Running one scenario keeps the other scenarios' results of the same text version. */
  private merge(uri: string, version: number, fresh: FileRunResult): FileRunResult {
    const previous = this.store.get(uri);
    if (!previous || previous.version !== version) return fresh;
    const names = new Set(fresh.scenarios.map((s) => s.name));
    const kept = previous.result.scenarios.filter((s) => !names.has(s.name));
    const scenarios = [...kept, ...fresh.scenarios].sort((a, b) => a.line - b.line);
    return { file: fresh.file, scenarios };
  }

  dispose(): void {
    for (const uri of [...this.inFlight.keys()]) this.cancel(uri, 'shutting down');
    this.subscriptions.forEach((d) => d.dispose());
    this.cancelledEmitter.dispose();
    this.runner.dispose();
  }
}
