// Test Explorer: every scenario of every `.mmu` file in the workspace is a test item
// with its range. The run profile and the CodeLens / commands share `runTests`, so both
// report the same results, through the same RunService.
import * as vscode from 'vscode';
import type { analyze, Range } from '../core/lang/index';
import { MAX_SOURCE_BYTES } from '../core/limits';
import { ClosedFileIndexer } from './closedFileIndexer';
import type { AnalysisCache } from './analysisCache';
import { toRange } from './convert';
import { resultFor, scenarioItemIds } from './results/scenarioIds';
import { testOutcome } from './results/testOutcome';
import type { RunResponse, RunService } from './run/runService';
import type { SimRunner } from './run/runner';
import { isMmuDocument } from './settings';
import { debugTests } from './debug/index';

export class ScenarioTests implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('mmu.scenarios', 'MMU scenarios');
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly indexer: ClosedFileIndexer;

  /** `backend`: the simulation backend, which also indexes files that are not open (closedFileIndexer.ts). */
  constructor(private readonly cache: AnalysisCache, private readonly runs: RunService, backend: SimRunner) {
    this.indexer = new ClosedFileIndexer(backend);
    this.subscriptions.push(this.indexer);
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discoverWorkspace();
      else if (item.uri) await this.refreshFile(item.uri);
    };
    this.controller.refreshHandler = () => this.discoverWorkspace();
    this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => this.runRequest(request, token), true);
    this.controller.createRunProfile('Debug', vscode.TestRunProfileKind.Debug, (request) => debugTests(request), true);
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.mmu');
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate((u) => void this.refreshFile(u)),
      watcher.onDidChange((u) => { if (!this.openDocument(u)) void this.refreshFile(u); }),
      watcher.onDidDelete((u) => this.controller.items.delete(u.toString())),
      vscode.workspace.onDidOpenTextDocument((d) => { if (isMmuDocument(d)) this.updateFromText(d.uri, this.cache.get(d)); }),
      vscode.workspace.onDidChangeTextDocument((e) => { if (isMmuDocument(e.document) && e.contentChanges.length) this.updateFromText(e.document.uri, this.cache.get(e.document)); }),
    );
    // After activation returns: activation itself parses nothing.
    const initial = setTimeout(() => vscode.workspace.textDocuments.filter(isMmuDocument).forEach((d) => this.updateFromText(d.uri, this.cache.get(d))), 0);
    this.subscriptions.push({ dispose: () => clearTimeout(initial) });
  }

  private openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  }

  private async discoverWorkspace(): Promise<void> {
    const files = await vscode.workspace.findFiles('**/*.mmu', '**/node_modules/**', 2000);
    await Promise.all(files.map((u) => this.refreshFile(u)));
  }

  private async refreshFile(uri: vscode.Uri): Promise<void> {
    const open = this.openDocument(uri);
    if (open) return this.updateFromText(uri, this.cache.get(open));
    try {
      // Not open: names and ranges from the simulation worker (closedFileIndexer.ts), never an
      // analysis on this thread; a file above the CLI's input limit is not read at all.
      const found = await this.indexer.index(uri.toString(), async () => {
        if ((await vscode.workspace.fs.stat(uri)).size > MAX_SOURCE_BYTES) return undefined;
        return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      });
      // Superseded by a newer read of the file, or the file was opened meanwhile (its analysis wins).
      if (!found || this.openDocument(uri)) return;
      this.updateItems(uri, found);
    } catch {
      this.controller.items.delete(uri.toString());
    }
  }

  private fileItem(uri: vscode.Uri): vscode.TestItem {
    const id = uri.toString();
    let item = this.controller.items.get(id);
    if (!item) {
      item = this.controller.createTestItem(id, uri.path.split('/').pop() ?? id, uri);
      this.controller.items.add(item);
    }
    return item;
  }

  /** Scenario items from the AST (unnamed scenarios cannot be addressed, so they are skipped). */
  private updateFromText(uri: vscode.Uri, analysis: ReturnType<typeof analyze>): void {
    this.updateItems(uri, analysis.file.scenarios.filter((s) => s.name !== null).map((s) => ({ name: s.name!.value, range: s.range })));
  }

  private updateItems(uri: vscode.Uri, found: readonly { readonly name: string; readonly range: Range }[]): void {
    const scenarios = found.map((s) => ({ name: { value: s.name }, range: s.range }));
    if (scenarios.length === 0) {
      this.controller.items.delete(uri.toString());
      return;
    }
    const file = this.fileItem(uri);
    // Unique even while two scenarios share a name (E210): a duplicate id would stop every run.
    const ids = scenarioItemIds(uri.toString(), scenarios.map((s) => ({ name: s.name!.value, line: s.range.start.line })));
    const children = scenarios.map((s, i) => {
      const id = ids[i]!;
      const item = file.children.get(id) ?? this.controller.createTestItem(id, s.name!.value, uri);
      item.range = toRange(s.range);
      return item;
    });
    file.children.replace(children);
  }

  private async runRequest(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    try {
      const byFile = new Map<string, { uri: vscode.Uri; names?: string[] }>();
      const items: vscode.TestItem[] = [];
      if (request.include) items.push(...request.include);
      else this.controller.items.forEach((i) => items.push(i));
      const excluded = new Set((request.exclude ?? []).map((i) => i.id));
      for (const item of items) {
        if (excluded.has(item.id) || !item.uri) continue;
        const key = item.uri.toString();
        const entry = byFile.get(key) ?? { uri: item.uri, names: [] };
        if (item.parent) {
          if (entry.names) entry.names.push(item.label);
        } else {
          entry.names = undefined; // the whole file
        }
        byFile.set(key, entry);
      }
      for (const { uri, names } of byFile.values()) {
        if (token.isCancellationRequested) break;
        await this.runFile(run, uri, names, excluded, token);
      }
    } finally {
      run.end();
    }
  }

  private async runFile(run: vscode.TestRun, uri: vscode.Uri, names: string[] | undefined, excluded: Set<string>, token: vscode.CancellationToken): Promise<RunResponse> {
    const doc = await vscode.workspace.openTextDocument(uri);
    this.updateFromText(uri, this.cache.get(doc));
    const file = this.controller.items.get(uri.toString());
    const items: vscode.TestItem[] = [];
    file?.children.forEach((c) => { if ((!names || names.includes(c.label)) && !excluded.has(c.id)) items.push(c); });
    items.forEach((i) => run.started(i));
    const response = await this.runs.run(doc, names ?? (excluded.size ? items.map((i) => i.label) : undefined), 'run', token);
    if (response.status !== 'done') {
      for (const i of items) {
        if (response.status === 'error') run.errored(i, new vscode.TestMessage(response.message));
        else run.skipped(i);
      }
      return response;
    }
    for (const item of items) {
      const sc = resultFor(response.result.scenarios, { name: item.label, line: item.range?.start.line ?? -1 });
      if (!sc) {
        run.errored(item, new vscode.TestMessage(`Scenario "${item.label}" did not run: fix the errors in it first (see Problems).`));
        continue;
      }
      const outcome = testOutcome(sc);
      run.appendOutput(`${outcome.summary}\r\n`, undefined, item);
      if (outcome.state === 'passed') run.passed(item);
      else if (outcome.state === 'skipped') run.skipped(item);
      else run.failed(item, outcome.messages.map((m) => {
        const msg = new vscode.TestMessage(m.message);
        msg.location = new vscode.Location(uri, toRange(m.range));
        return msg;
      }));
    }
    return response;
  }

  /** The CodeLens / command path: a Test Explorer run of these scenarios (all when undefined). */
  async runFromCommand(doc: vscode.TextDocument, names?: string[]): Promise<RunResponse> {
    this.updateFromText(doc.uri, this.cache.get(doc));
    const file = this.controller.items.get(doc.uri.toString());
    const include: vscode.TestItem[] = [];
    if (file && !names) include.push(file);
    else file?.children.forEach((c) => { if (names!.includes(c.label)) include.push(c); });
    const run = this.controller.createTestRun(new vscode.TestRunRequest(include), names ? `Run ${names.join(', ')}` : 'Run all', false);
    const cts = new vscode.CancellationTokenSource();
    try {
      return await this.runFile(run, doc.uri, names, new Set(), cts.token);
    } finally {
      run.end();
      cts.dispose();
    }
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.controller.dispose();
  }
}
