// The one run path: CodeLens, commands, the Test Explorer and run-on-save all come
// here. A run is computed off the extension host's thread, tagged with the document
// version it came from, logged to the Output channel, and dropped if the text changed
// meanwhile. A new run or edit of the same document cancels the one in flight; runs
// that take longer than a moment show a cancellable progress notification.
import * as vscode from 'vscode';
import type { CompareResult, FileRunResult } from '../../core/run/result';
import type { RunStore } from '../runStore';
import { runSettings } from '../settings';
import { CancelledError, type SimJob, type SimRunner } from './runner';

const PROGRESS_AFTER_MS = 400;

export type RunResponse =
  | { readonly status: 'done'; readonly version: number; readonly result: FileRunResult; readonly compare?: CompareResult }
  | { readonly status: 'cancelled' | 'stale' }
  | { readonly status: 'error'; readonly message: string };

export class RunService implements vscode.Disposable {
  private readonly inFlight = new Map<string, SimJob>();
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
        this.cancel(uri, 'edited');
        this.store.clear(uri);
      }),
    ];
  }

  cancel(uri: string, why: string): void {
    const job = this.inFlight.get(uri);
    if (!job) return;
    this.inFlight.delete(uri);
    job.cancel();
    this.log.info(`cancelled run of ${vscode.Uri.parse(uri).path.split('/').pop()} (${why})`);
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
    const job = this.runner.start({ kind, text: doc.getText(), fileName: doc.uri.fsPath || name, version, scenarios, settings: runSettings() }, (n) => { done = n; });
    this.inFlight.set(uri, job);
    const cancelSub = token?.onCancellationRequested(() => this.cancel(uri, 'cancelled'));
    const timer = setTimeout(() => {
      if (this.inFlight.get(uri) !== job) return;
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `MMU: ${what}`, cancellable: true }, (progress, ptoken) => {
        ptoken.onCancellationRequested(() => this.cancel(uri, 'cancelled from the notification'));
        const tick = setInterval(() => progress.report({ message: `${done.toLocaleString('en-US')} statements` }), 250);
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
      const result = this.merge(uri, version, outcome.result);
      for (const sc of outcome.result.scenarios) {
        this.log.info(`  ${sc.passed ? 'PASS' : 'FAIL'} "${sc.name}" stale=${sc.metrics['stale'] ?? sc.stale.length} checks=${sc.checks.length} ~${sc.timeUs.toFixed(1)} µs (estimate)${sc.cancelled ? ' [cancelled]' : ''}`);
        for (const p of sc.prints) this.log.info(`    line ${p.line + 1}: ${p.text}`);
        for (const n of sc.notes) this.log.info(`    note: ${n}`);
      }
      this.log.info(`${what}: ${outcome.result.scenarios.length} scenario(s) in ${ms} ms`);
      this.store.set({ uri, version, result });
      return { status: 'done', version, result };
    } catch (e) {
      if (e instanceof CancelledError) return { status: 'cancelled' };
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`${what} failed: ${message}`);
      return { status: 'error', message };
    } finally {
      clearTimeout(timer);
      cancelSub?.dispose();
      if (this.inFlight.get(uri) === job) this.inFlight.delete(uri);
    }
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
    this.runner.dispose();
  }
}
