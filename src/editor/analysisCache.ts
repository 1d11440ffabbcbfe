// One analysis per document version (and `mmu.defaultConfig`), shared by diagnostics,
// CodeLens, symbols, folding and the Test Explorer. Analysis is near-linear in the file;
// files that are not open are indexed by the simulation worker (closedFileIndexer.ts),
// never analysed on the host's thread.
import * as vscode from 'vscode';
import { analyze, parseConfigOverrides, type Analysis, type ConfigMap } from '../core/lang/index';
import { runSettings } from './settings';

/** `mmu.defaultConfig` as the checker takes it (valid entries only; the run logs the others). */
function defaultConfig(): { readonly defaults: ConfigMap; readonly key: string } {
  const raw = runSettings().defaultConfig;
  const { overrides } = parseConfigOverrides(Object.entries(raw).map(([k, v]) => `${k}=${v}`));
  return { defaults: overrides, key: JSON.stringify(overrides) };
}

export class AnalysisCache implements vscode.Disposable {
  private readonly entries = new Map<string, { version: number; defaultsKey: string; analysis: Analysis }>();
  private readonly closed = vscode.workspace.onDidCloseTextDocument((d) => this.entries.delete(d.uri.toString()));

  get(doc: vscode.TextDocument): Analysis {
    const key = doc.uri.toString();
    const { defaults, key: defaultsKey } = defaultConfig();
    const hit = this.entries.get(key);
    if (hit && hit.version === doc.version && hit.defaultsKey === defaultsKey) return hit.analysis;
    // The defaults take part in the check, so `config fix=a` under a default `host=bare` is the E203 the run would hit.
    const analysis = analyze(doc.getText(), { defaults });
    this.entries.set(key, { version: doc.version, defaultsKey, analysis });
    return analysis;
  }

  dispose(): void {
    this.closed.dispose();
    this.entries.clear();
  }
}

/** Whether an analysis has errors (not warnings). */
export function hasErrors(a: Analysis): boolean {
  return a.diagnostics.some((d) => d.severity === 'error');
}
