// Runs `explore` blocks off the extension host's thread: an `explore` request to the same
// simulation worker as Run (Node worker thread on desktop, Web Worker in the web extension
// host; the in-process fallback yields between chunks), with a cancellable progress
// notification (states, distinct states, depth, states/s). An edit of the file, the
// notification's Cancel or the caller's token cancels the search (the worker is terminated).
import * as vscode from 'vscode';
import type { ExploreResult } from '../../core/explore/index';
import type { ExploreProgress } from '../run/protocol';
import { jobFailure, type SimRunner } from '../run/runner';
import type { RunStore } from '../runStore';
import { runSettings } from '../settings';
import { exploreProgressText } from './progressText';

export type ExploreResponse =
  | { readonly status: 'done'; readonly version: number; readonly results: readonly ExploreResult[]; readonly missing: readonly string[] }
  | { readonly status: 'cancelled' | 'stale' }
  | { readonly status: 'error'; readonly message: string };

const PROGRESS_AFTER_MS = 300;

export class ExploreService {
  constructor(private readonly runner: SimRunner, private readonly log: vscode.LogOutputChannel, private readonly store?: RunStore) {}

  /** Searches the named blocks (all when undefined) of `doc`'s current text. */
  async explore(doc: vscode.TextDocument, names: readonly string[] | undefined, token?: vscode.CancellationToken): Promise<ExploreResponse> {
    const file = doc.uri.path.split('/').pop() ?? doc.uri.toString();
    const version = doc.version;
    const what = names ? `explore ${names.map((n) => `"${n}"`).join(', ')}` : 'explore all';
    this.log.info(`${what} in ${file} (version ${version})`);
    let latest: ExploreProgress | undefined;
    const job = this.runner.start({ kind: 'explore', text: doc.getText(), fileName: doc.uri.fsPath || file, version, explorations: names, settings: runSettings() }, (_n, d) => { if (d?.explore) latest = d.explore; });
    const subs: vscode.Disposable[] = [];
    const cancel = (why: string) => { this.log.info(`cancelled ${what} in ${file} (${why})`); job.cancel(); };
    if (token) subs.push(token.onCancellationRequested(() => cancel('cancelled')));
    subs.push(vscode.workspace.onDidChangeTextDocument((e) => { if (e.document === doc && e.contentChanges.length) cancel('the file was edited'); }));
    const timer = setTimeout(() => {
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `MMU: ${what}`, cancellable: true }, (progress, ptoken) => {
        ptoken.onCancellationRequested(() => cancel('cancelled from the notification'));
        const tick = setInterval(() => { if (latest) progress.report({ message: exploreProgressText(latest, !names || names.length > 1) }); }, 250);
        return job.promise.then(() => undefined, () => undefined).finally(() => clearInterval(tick));
      });
    }, PROGRESS_AFTER_MS);
    try {
      const outcome = await job.promise;
      outcome.warnings.forEach((w) => this.log.warn(w));
      if (outcome.kind !== 'explore') return { status: 'error', message: 'the worker answered an explore request with a run' };
      if (doc.isClosed || doc.version !== version) return { status: 'stale' };
      // The status bar, Export and the panel read the blocks' last searches from the store.
      this.store?.setExplorations(doc.uri.toString(), version, outcome.results);
      for (const r of outcome.results) this.log.info(`  ${r.verdict.toUpperCase()} explore "${r.name}": ${r.summary} (${r.seconds.toFixed(1)} s, ${r.statesPerSecond.toLocaleString('en-US')} distinct states/s)`);
      return { status: 'done', version, results: outcome.results, missing: outcome.missing };
    } catch (e) {
      return jobFailure(e, what, this.log);
    } finally {
      clearTimeout(timer);
      subs.forEach((s) => s.dispose());
    }
  }
}
