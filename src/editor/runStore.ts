// The last run per document, shared by the editor features (inline results, Test
// Explorer, status bar) and the side panel. Results carry the document version they
// came from; the editor drops them when the text changes.
import * as vscode from 'vscode';
import type { CompareResult, FileRunResult, ScenarioResult } from '../core/run/result';
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

export class RunStore implements vscode.Disposable {
  private readonly runs = new Map<string, StoredRun>();
  private readonly changed = new vscode.EventEmitter<StoredRun | { readonly uri: string; readonly cleared: true }>();
  readonly onDidChange = this.changed.event;

  set(run: StoredRun): void {
    this.runs.set(run.uri, run);
    this.changed.fire(run);
  }

  get(uri: string): StoredRun | undefined {
    return this.runs.get(uri);
  }

  clear(uri: string): void {
    if (this.runs.delete(uri)) this.changed.fire({ uri, cleared: true });
  }

  dispose(): void {
    this.changed.dispose();
    this.runs.clear();
  }
}
