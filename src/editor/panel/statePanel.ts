// The side panel's host: one webview panel beside the editor showing the last run of a
// `.mmu` document. Validates every message from the webview (src/protocol.ts), answers
// slice requests from the stored run (PanelModel) and reveals source lines on request.
import * as vscode from 'vscode';
import { describeMessage, isFromWebview, type FromWebview, type ToWebview } from '../../protocol';
import type { RunStore } from '../runStore';
import { makeNonce, panelHtml } from './html';
import { fileNameOf, PanelModel, type PanelRun } from './panelModel';

export const STATE_PANEL_VIEW_TYPE = 'mmu.statePanel';

/** Runs a scenario at Compare points and adds them to the stored run (RunService.runPoints). */
export type PointRunner = (doc: vscode.TextDocument, scenario: string, configs: readonly Readonly<Record<string, string>>[]) => Promise<void>;

const NO_RUN = 'No run of this file yet. Use the "Run" CodeLens above a scenario, then the panel shows its state.';
const CHANGED = 'The file changed since the last run. Run it again to see its state.';
/** workspaceState key of the last panel's view state (ViewStateMessage). */
const VIEW_STATE_KEY = 'mmu.panel.viewState';
const NOT_MMU = 'Open a .mmu file and run a scenario to see its state here.';

export class StatePanel implements vscode.Disposable {
  private static current: StatePanel | undefined;
  /** Set by registerStatePanel when a run service is there (the Compare view's "Show state"). */
  static pointRunner: PointRunner | undefined;

  private readonly model = new PanelModel();
  private readonly disposables: vscode.Disposable[] = [];
  private pendingScenario: string | undefined;
  /** The document whose debug session the panel shows, while it does. */
  private paused: string | undefined;
  /** The webview has said `ready`: messages posted now arrive (earlier ones may be lost). */
  private ready = false;

  /** Shows the panel for `uri` (the active `.mmu` editor when undefined), creating it beside the editor. */
  static show(context: vscode.ExtensionContext, store: RunStore, log: vscode.LogOutputChannel, uri: string | undefined, scenario?: string): void {
    if (StatePanel.current) {
      StatePanel.current.panel.reveal(undefined, true);
    } else {
      const panel = vscode.window.createWebviewPanel(STATE_PANEL_VIEW_TYPE, 'MMU State',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, StatePanel.options(context));
      StatePanel.current = new StatePanel(panel, context, store, log);
    }
    StatePanel.current.pendingScenario = scenario;
    StatePanel.current.follow(uri ?? StatePanel.activeMmuUri() ?? StatePanel.current.model.documentUri ?? undefined, true);
  }

  /** Restores a panel VS Code kept across a reload (WebviewPanelSerializer). */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, store: RunStore, log: vscode.LogOutputChannel, uri: string | undefined): void {
    StatePanel.current?.dispose();
    panel.webview.options = StatePanel.options(context);
    StatePanel.current = new StatePanel(panel, context, store, log);
    StatePanel.current.follow(uri ?? StatePanel.activeMmuUri(), true);
  }

  /** The store changed or the active editor changed: show that document if it is a `.mmu` one. */
  static onDocument(uri: string, force: boolean): void {
    StatePanel.current?.follow(uri, force);
  }

  static get isOpen(): boolean {
    return StatePanel.current !== undefined;
  }

  /** The debugger's paused position (src/editor/debug/panelFollow.ts) in place of the last run. */
  static showPaused(run: PanelRun): void {
    const p = StatePanel.current;
    if (!p) return;
    p.paused = run.uri;
    p.panel.title = `MMU State: ${fileNameOf(run.uri)} (debugging)`;
    p.post(p.model.setRun(run, run.uri, ''));
  }

  /** The debug session of `uri` ended: back to its last run. */
  static endPaused(uri: string): void {
    const p = StatePanel.current;
    if (!p || p.paused !== uri) return;
    p.paused = undefined;
    if (p.model.documentUri !== uri) return;
    p.model.setRun(undefined, uri); // the paused run is not a run of the file: no "file changed" message
    p.follow(uri, true);
  }

  static get documentUri(): string | null {
    return StatePanel.current?.model.documentUri ?? null;
  }

  static disposeCurrent(): void {
    StatePanel.current?.dispose();
  }

  private static options(context: vscode.ExtensionContext): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      // Only the bundle and the stylesheet: no other file of the extension or the workspace.
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist'), vscode.Uri.joinPath(context.extensionUri, 'media')],
      enableFindWidget: false,
    };
  }

  static activeMmuUri(): string | undefined {
    const doc = vscode.window.activeTextEditor?.document;
    return doc && (doc.languageId === 'mmu' || doc.uri.path.endsWith('.mmu')) ? doc.uri.toString() : undefined;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly store: RunStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const webview = panel.webview;
    const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(context.extensionUri, 'media');
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css')).toString(),
      initialView: context.workspaceState.get<unknown>(VIEW_STATE_KEY),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** Shows `uri`'s last run. Without `force` only a change of the shown document is picked up. */
  private follow(uri: string | undefined, force: boolean): void {
    if (!uri) {
      if (force && !this.model.documentUri) this.post(this.model.setRun(undefined, null, NOT_MMU));
      return;
    }
    if (!force && uri !== this.model.documentUri) return;
    const run = this.store.get(uri);
    const message = run ? '' : this.model.current?.uri === uri ? CHANGED : NO_RUN;
    this.panel.title = `MMU State: ${decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1))}`;
    this.post(this.model.setRun(run, uri, message));
    this.selectPending();
  }

  private selectPending(): void {
    if (!this.ready) return; // sent again on `ready`
    const name = this.pendingScenario;
    const index = name === undefined ? -1 : this.model.current?.result.scenarios.findIndex((s) => s.name === name) ?? -1;
    if (index >= 0) {
      this.pendingScenario = undefined;
      this.post({ type: 'select', scenario: index });
    }
  }

  private post(msg: ToWebview): void {
    void this.panel.webview.postMessage(msg);
  }

  private receive(raw: unknown): void {
    if (!isFromWebview(raw)) {
      this.log.warn(`state panel: dropped malformed message from the webview (${describeMessage(raw)})`);
      return;
    }
    try {
      this.handle(raw);
    } catch (e) {
      this.log.error(`state panel: ${(raw as FromWebview).type} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private handle(msg: FromWebview): void {
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.post(this.model.state());
        this.selectPending();
        return;
      case 'getRows':
      case 'getNode':
      case 'getLifecycle':
        this.post(this.model.answer(msg));
        return;
      case 'revealLine':
        void this.reveal(msg.line);
        return;
      case 'selection':
        return; // the webview keeps its own selection (getState/setState)
      case 'openDoc':
        void this.openCostModel();
        return;
      case 'rerunWithTraceLimit':
        void this.rerun(msg.limit);
        return;
      case 'viewState':
        void this.context.workspaceState.update(VIEW_STATE_KEY, msg.state);
        return;
      case 'runComparePoints':
        void this.runPoints(msg.runId, msg.ranks);
        return;
    }
  }

  private async reveal(line: number): Promise<void> {
    const uri = this.model.documentUri;
    if (!uri) return;
    const target = vscode.Uri.parse(uri);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
    const doc = visible?.document ?? await vscode.workspace.openTextDocument(target);
    const l = Math.min(line, Math.max(0, doc.lineCount - 1));
    const range = new vscode.Range(l, 0, l, doc.lineAt(l).text.length);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, selection: range, preserveFocus: true });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** Raises mmu.trace.limit (in the workspace when one is open) and runs the document again. */
  private async rerun(limit: number): Promise<void> {
    const uri = this.model.documentUri;
    if (!uri) return;
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration('mmu').update('trace.limit', limit, target);
    await vscode.commands.executeCommand('mmu.runFile', uri);
  }

  /** Runs the Compare's scenario at the points ranked `ranks`; the store's change re-pushes the state with them. */
  private async runPoints(runId: number, ranks: readonly number[]): Promise<void> {
    const run = this.model.current;
    const uri = this.model.documentUri;
    if (!run?.compare || !uri || runId !== this.model.runIdNow || !StatePanel.pointRunner) return;
    const configs = ranks.flatMap((r) => run.compare!.points.filter((p) => p.rank === r).map((p) => p.config));
    if (configs.length === 0) return;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    if (doc.version !== run.version && !run.restored) return;
    await StatePanel.pointRunner(doc, run.compare.scenario, configs);
  }

  private async openCostModel(): Promise<void> {
    const doc = vscode.Uri.joinPath(this.context.extensionUri, 'docs', 'cost-model.md');
    try {
      await vscode.commands.executeCommand('markdown.showPreview', doc);
    } catch {
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    }
  }

  dispose(): void {
    if (StatePanel.current === this) StatePanel.current = undefined;
    while (this.disposables.length > 0) this.disposables.pop()?.dispose();
    this.panel.dispose();
  }
}
