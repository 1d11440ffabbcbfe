// Test Explorer: every scenario and every `explore` block of every `.mmu` file in the
// workspace is a test item with its range. The run profile and the CodeLens / commands
// share `runFile`, so both report the same results: scenarios through the RunService,
// explore blocks through the ExploreService (both in the simulation worker).
import * as vscode from 'vscode';
import type { analyze, Range } from '../core/lang/index';
import { MAX_SOURCE_BYTES } from '../core/limits';
import { indexScenarios } from './scenarioIndex';
import type { AnalysisCache } from './analysisCache';
import { toRange } from './convert';
import { resultFor, scenarioItemIds } from './results/scenarioIds';
import { testOutcome } from './results/testOutcome';
import type { RunResponse, RunService } from './run/runService';
import { isMmuDocument } from './settings';
import { debugTests } from './debug/index';
import { exploreOutcome, exploreSource } from './explore/exploreOutcome';
import type { ExploreService } from './explore/exploreService';

/** Which tests of a file to run: names of scenarios and of explore blocks (undefined = all of that kind). */
export interface FileSelection {
  readonly scenarios?: readonly string[];
  readonly explorations?: readonly string[];
}

/** A file's items as found in its text. */
interface FoundItem { readonly name: string; readonly range: Range; readonly explore?: boolean }

export class ScenarioTests implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('mmu.scenarios', 'MMU scenarios');
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Items that are `explore` blocks (the others are scenarios). */
  private readonly exploreItems = new WeakSet<vscode.TestItem>();

  constructor(private readonly cache: AnalysisCache, private readonly runs: RunService, private readonly explores: ExploreService) {
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discoverWorkspace();
      else if (item.uri) await this.refreshFile(item.uri);
    };
    this.controller.refreshHandler = () => this.discoverWorkspace();
    this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => this.runRequest(request, token), true);
    this.controller.createRunProfile('Debug', vscode.TestRunProfileKind.Debug, (request, token) => this.debugRequest(request, token), true);
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
      // Not open: only names and ranges, read in slices off the host's critical path (scenarioIndex.ts);
      // a file above the CLI's input limit is not read at all.
      if ((await vscode.workspace.fs.stat(uri)).size > MAX_SOURCE_BYTES) { this.controller.items.delete(uri.toString()); return; }
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      this.updateItems(uri, (await indexScenarios(text)).map((s) => ({ name: s.name, range: s.range, explore: s.kind === 'explore' })));
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

  /** Scenario and explore items from the AST (unnamed ones cannot be addressed, so they are skipped). */
  private updateFromText(uri: vscode.Uri, analysis: ReturnType<typeof analyze>): void {
    const found: FoundItem[] = [
      ...analysis.file.scenarios.filter((s) => s.name !== null).map((s) => ({ name: s.name!.value, range: s.range })),
      ...analysis.file.explorations.filter((e) => e.name !== null).map((e) => ({ name: e.name!.value, range: e.range, explore: true })),
    ].sort((a, b) => a.range.start.line - b.range.start.line);
    this.updateItems(uri, found);
  }

  private updateItems(uri: vscode.Uri, found: readonly FoundItem[]): void {
    if (found.length === 0) {
      this.controller.items.delete(uri.toString());
      return;
    }
    const file = this.fileItem(uri);
    // Unique even while two scenarios share a name (E210): a duplicate id would stop every run.
    // Explore blocks have ids of their own (`#explore:NAME`): a block may share a scenario's name.
    const ids = scenarioItemIds(uri.toString(), found.map((s) => ({ name: s.explore ? `explore:${s.name}` : s.name, line: s.range.start.line })));
    const children = found.map((s, i) => {
      const id = ids[i]!;
      const item = file.children.get(id) ?? this.controller.createTestItem(id, s.name, uri);
      item.range = toRange(s.range);
      if (s.explore) { this.exploreItems.add(item); item.description = 'explore'; }
      return item;
    });
    file.children.replace(children);
  }

  private isExplore(item: vscode.TestItem): boolean {
    return this.exploreItems.has(item);
  }

  /** The debugger steps through scenarios: an explore block is a search, debugged through its counterexample. */
  private debugRequest(request: vscode.TestRunRequest, token: vscode.CancellationToken): void {
    const include = request.include?.filter((i) => !this.isExplore(i));
    if (request.include && include && include.length === 0) {
      void vscode.window.showInformationMessage('MMU debug: an explore block is a search, not a program to step through. Run it, then debug its counterexample (Open counterexample).');
      return;
    }
    // Excluded also where a file item stands for its children.
    const explore: vscode.TestItem[] = [];
    this.controller.items.forEach((f) => f.children.forEach((c) => { if (this.isExplore(c)) explore.push(c); }));
    debugTests(new vscode.TestRunRequest(include, [...(request.exclude ?? []), ...explore], request.profile), token, this.controller.items);
  }

  private async runRequest(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    try {
      const byFile = new Map<string, { uri: vscode.Uri; all: boolean; scenarios: string[]; explorations: string[] }>();
      const items: vscode.TestItem[] = [];
      if (request.include) items.push(...request.include);
      else this.controller.items.forEach((i) => items.push(i));
      const excluded = new Set((request.exclude ?? []).map((i) => i.id));
      for (const item of items) {
        if (excluded.has(item.id) || !item.uri) continue;
        const key = item.uri.toString();
        const entry = byFile.get(key) ?? { uri: item.uri, all: false, scenarios: [], explorations: [] };
        if (!item.parent) entry.all = true; // the whole file
        else (this.isExplore(item) ? entry.explorations : entry.scenarios).push(item.label);
        byFile.set(key, entry);
      }
      for (const e of byFile.values()) {
        if (token.isCancellationRequested) break;
        await this.runFile(run, e.uri, e.all ? {} : { scenarios: e.scenarios, explorations: e.explorations }, excluded, token);
      }
    } finally {
      run.end();
    }
  }

  private async runFile(run: vscode.TestRun, uri: vscode.Uri, sel: FileSelection, excluded: Set<string>, token: vscode.CancellationToken): Promise<RunResponse> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const analysis = this.cache.get(doc);
    this.updateFromText(uri, analysis);
    const file = this.controller.items.get(uri.toString());
    const scenarioItems: vscode.TestItem[] = [];
    const exploreItems: vscode.TestItem[] = [];
    file?.children.forEach((c) => {
      if (excluded.has(c.id)) return;
      const explore = this.isExplore(c);
      const wanted = explore ? sel.explorations : sel.scenarios;
      if (!wanted || wanted.includes(c.label)) (explore ? exploreItems : scenarioItems).push(c);
    });
    [...scenarioItems, ...exploreItems].forEach((i) => run.started(i));
    const names = sel.scenarios ?? (excluded.size ? scenarioItems.map((i) => i.label) : undefined);
    // A request of explore blocks only runs no scenario.
    const response: RunResponse = scenarioItems.length > 0 || (!sel.scenarios && !sel.explorations && exploreItems.length === 0)
      ? await this.runs.run(doc, names, 'run', token)
      : { status: 'done', version: doc.version, result: { file: doc.uri.fsPath, scenarios: [] } };
    if (response.status !== 'done') {
      for (const i of [...scenarioItems, ...exploreItems]) {
        if (response.status === 'error') run.errored(i, new vscode.TestMessage(response.message));
        else run.skipped(i);
      }
      return response;
    }
    for (const item of scenarioItems) {
      const sc = resultFor(response.result.scenarios, { name: item.label, line: item.range?.start.line ?? -1 });
      if (!sc) {
        run.errored(item, new vscode.TestMessage(`Scenario "${item.label}" did not run: fix the errors in it first (see Problems).`));
        continue;
      }
      this.report(run, item, uri, testOutcome(sc));
    }
    if (exploreItems.length === 0 || token.isCancellationRequested) {
      exploreItems.forEach((i) => run.skipped(i));
      return response;
    }
    const ex = await this.explores.explore(doc, sel.explorations ? [...new Set(exploreItems.map((i) => i.label))] : undefined, token);
    if (ex.status !== 'done') {
      for (const i of exploreItems) {
        if (ex.status === 'error') run.errored(i, new vscode.TestMessage(ex.message));
        else run.skipped(i);
      }
      return response;
    }
    const compiled = analysis.compiled.explorations ?? [];
    for (const item of exploreItems) {
      const line = item.range?.start.line ?? -1;
      const exp = compiled.find((e) => e.name === item.label && e.range.start.line === line);
      if (!exp) {
        run.errored(item, new vscode.TestMessage(`Explore block "${item.label}" did not run: fix the errors in it first (see Problems).`));
        continue;
      }
      this.report(run, item, uri, exploreOutcome(ex.results.filter((r) => r.name === item.label && r.line === line), exploreSource(exp)));
    }
    return { ...response, explorations: ex.results };
  }

  private report(run: vscode.TestRun, item: vscode.TestItem, uri: vscode.Uri, outcome: ReturnType<typeof testOutcome>): void {
    run.appendOutput(`${outcome.summary.replace(/\n/g, '\r\n')}\r\n`, undefined, item);
    if (outcome.state === 'passed') run.passed(item);
    else if (outcome.state === 'skipped') run.skipped(item);
    else run.failed(item, outcome.messages.map((m) => {
      const msg = new vscode.TestMessage(m.message);
      msg.location = new vscode.Location(uri, toRange(m.range));
      return msg;
    }));
  }

  /** The CodeLens / command path: a Test Explorer run of these tests (all scenarios and explore blocks when `sel` is empty). */
  async runFromCommand(doc: vscode.TextDocument, names?: string[], explorations?: string[]): Promise<RunResponse> {
    this.updateFromText(doc.uri, this.cache.get(doc));
    const file = this.controller.items.get(doc.uri.toString());
    const sel: FileSelection = names || explorations ? { scenarios: names ?? [], explorations: explorations ?? [] } : {};
    const include: vscode.TestItem[] = [];
    if (file && !names && !explorations) include.push(file);
    else file?.children.forEach((c) => { if ((this.isExplore(c) ? sel.explorations : sel.scenarios)!.includes(c.label)) include.push(c); });
    const title = names || explorations ? `Run ${[...(names ?? []), ...(explorations ?? []).map((n) => `explore ${n}`)].join(', ')}` : 'Run all';
    const run = this.controller.createTestRun(new vscode.TestRunRequest(include), title, false);
    const cts = new vscode.CancellationTokenSource();
    try {
      return await this.runFile(run, doc.uri, sel, new Set(), cts.token);
    } finally {
      run.end();
      cts.dispose();
    }
  }

  /** The Explore CodeLens path: one block, reported in the Test Explorer (`explorations` holds its results). */
  exploreFromCommand(doc: vscode.TextDocument, name: string): Promise<RunResponse> {
    return this.runFromCommand(doc, undefined, [name]);
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.controller.dispose();
  }
}
