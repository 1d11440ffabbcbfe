// The last run per document, shared by the editor features (inline results, Test
// Explorer, status bar) and the side panel. Results carry the document version they
// came from; the editor drops them when the text changes.
import * as vscode from 'vscode';
import type { CompareResult, FileRunResult, ScenarioResult } from '../core/run/result';
import type { ExploreResult } from '../core/explore/result';
import type { CancelInfo } from './run/progressText';

export interface StoredRun {
  /** Document URI as a string. */
  readonly uri: string;
  /** Document version the run was computed from. */
  readonly version: number;
  readonly result: FileRunResult;
  /** Present when the last action was a Compare. */
  readonly compare?: CompareResult;
  /** Present when the run was cancelled (by the user or an edit): where it stopped. */
  readonly cancelled?: CancelInfo;
  /** Runs of single Compare points the panel opened (their configuration and result); dropped with the Compare. */
  readonly points?: readonly { readonly config: Readonly<Record<string, string>>; readonly result: ScenarioResult }[];
  /** Restored from the run cache after a window reload (runCache.ts): the previous window's run of the same text. */
  readonly restored?: boolean;
}

/** The last search of each `explore` block of a document (the blocks' own sweep points together). */
export interface StoredExplorations {
  readonly uri: string;
  /** Document version the searches ran on: all of them (an edit drops the older ones). */
  readonly version: number;
  readonly results: readonly ExploreResult[];
  /** Restored from the run cache after a window reload (runCache.ts). */
  readonly restored?: boolean;
}

export class RunStore implements vscode.Disposable {
  private readonly runs = new Map<string, StoredRun>();
  private readonly explored = new Map<string, StoredExplorations>();
  private readonly changed = new vscode.EventEmitter<StoredRun | { readonly uri: string; readonly cleared: true }>();
  private readonly exploredChanged = new vscode.EventEmitter<StoredExplorations>();
  readonly onDidChange = this.changed.event;
  readonly onDidChangeExplorations = this.exploredChanged.event;

  /**
   * Records searches of `version`: they replace earlier results of the same blocks (name and
   * line) of that version and keep the other blocks' results; results of an older version go.
   */
  setExplorations(uri: string, version: number, results: readonly ExploreResult[], restored = false): void {
    const old = this.explored.get(uri);
    const same = (a: ExploreResult, b: ExploreResult) => a.name === b.name && a.line === b.line;
    const kept = old && old.version === version ? old.results.filter((r) => !results.some((n) => same(r, n))) : [];
    const entry = { uri, version, results: [...kept, ...results].sort((a, b) => a.line - b.line), ...(restored ? { restored: true } : {}) };
    this.explored.set(uri, entry);
    this.exploredChanged.fire(entry);
  }

  explorations(uri: string): StoredExplorations | undefined {
    return this.explored.get(uri);
  }

  set(run: StoredRun): void {
    this.runs.set(run.uri, run);
    this.changed.fire(run);
  }

  get(uri: string): StoredRun | undefined {
    return this.runs.get(uri);
  }

  clear(uri: string): void {
    // The blocks' searches describe the same text: an edit drops them with the run.
    const hadRun = this.runs.delete(uri);
    if (this.explored.delete(uri) || hadRun) this.changed.fire({ uri, cleared: true });
  }

  dispose(): void {
    this.changed.dispose();
    this.exploredChanged.dispose();
    this.runs.clear();
    this.explored.clear();
  }
}
