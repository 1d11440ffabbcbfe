// The extension host's side of the protocol, in the test process: the real PanelModel
// (src/editor/panel/panelModel.ts) answering the page's requests from real run results.
// It records what the webview sent (revealLine, selection, …) for the assertions.
import type { Page } from 'playwright-core';
import { PanelModel, type PanelRun } from '../../../src/editor/panel/panelModel';
import { isFromWebview, type FromWebview, type ToWebview } from '../../../src/protocol';

export class HostStandIn {
  readonly model = new PanelModel();
  readonly received: FromWebview[] = [];
  readonly dropped: unknown[] = [];
  savedState: unknown = undefined;
  /** Answers `runComparePoints` as the extension does (RunService.runPoints → a new push with the points). */
  pointRunner: ((run: PanelRun, ranks: readonly number[]) => PanelRun) | undefined;
  /** Lifecycle requests still to supersede: the host re-posts the same run's state before it
   *  answers, as VS Code's panel host does when it refreshes a label (tests set it). */
  static supersedeLifecycle = 0;

  constructor(private readonly page: Page, run: PanelRun | undefined) {
    this.model.setRun(run, run?.uri ?? null);
  }

  async attach(): Promise<void> {
    await this.page.exposeFunction('__toHost', (m: unknown) => this.receive(m));
    await this.page.exposeFunction('__setState', (s: unknown) => { this.savedState = s; });
  }

  /** Shows another run (as the host does after a new Run). */
  async setRun(run: PanelRun | undefined, message?: string): Promise<void> {
    await this.send(this.model.setRun(run, run?.uri ?? null, message));
  }

  /** Posts the current run's state again (VS Code's panel host does on a label refresh). */
  async resend(): Promise<void> {
    await this.send(this.model.state());
  }

  async send(msg: ToWebview | unknown): Promise<void> {
    // As a JSON string: Playwright's structured argument serialization is slow for large
    // answers (a 100,000-mark lifecycle), a string crosses at once. (undefined is not JSON.)
    if (msg === undefined) await this.page.evaluate(() => window.postMessage(undefined, '*'));
    else await this.page.evaluate((json) => window.postMessage(JSON.parse(json), '*'), JSON.stringify(msg));
  }

  reveals(): number[] {
    return this.received.flatMap((m) => (m.type === 'revealLine' ? [m.line] : []));
  }

  private receive(m: unknown): void {
    if (!isFromWebview(m)) {
      this.dropped.push(m);
      return;
    }
    this.received.push(m);
    switch (m.type) {
      case 'ready': void this.send(this.model.state()); return;
      case 'getRows':
      case 'getNode':
      case 'getLifecycle':
        if (m.type === 'getLifecycle' && HostStandIn.supersedeLifecycle > 0) {
          HostStandIn.supersedeLifecycle -= 1;
          const answer = this.model.answer(m);
          void this.send(this.model.state()).then(() => this.send(answer));
          return;
        }
        void this.send(this.model.answer(m)); return;
      case 'runComparePoints': {
        const run = this.model.current;
        if (run && this.pointRunner && m.runId === this.model.runIdNow) void this.setRun(this.pointRunner(run, m.ranks));
        return;
      }
      default: return;
    }
  }
}
