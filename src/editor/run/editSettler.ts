// Re-running after edits (pure, no vscode import; the timer is injected so tests drive it):
// a run an edit cancelled, or every file when `mmu.runOnEdit` is on, runs again once the
// document has had no edit for `settleMs`. Another edit restarts the wait; a run that is
// wanted for all scenarios wins over one for some.

export interface Timer {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const SETTLE_MS = 1000;

interface Pending {
  handle: unknown;
  /** undefined = all scenarios. */
  scenarios: readonly string[] | undefined;
}

export class EditSettler {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly timer: Timer, private readonly rerun: (uri: string, scenarios: readonly string[] | undefined) => void, private readonly settleMs = SETTLE_MS) {}

  /** Ask for a run of `uri` once its edits settle (scenarios undefined = all). */
  request(uri: string, scenarios: readonly string[] | undefined): void {
    const prev = this.pending.get(uri);
    if (!prev) return this.arm(uri, scenarios);
    this.arm(uri, prev.scenarios && scenarios ? [...new Set([...prev.scenarios, ...scenarios])] : undefined);
  }

  /** An edit of `uri`: a pending run waits again from now. */
  edited(uri: string): void {
    const p = this.pending.get(uri);
    if (p) this.arm(uri, p.scenarios);
  }

  /** Forget `uri` (closed), or everything. */
  drop(uri?: string): void {
    for (const [k, p] of [...this.pending]) if (uri === undefined || k === uri) { this.timer.clear(p.handle); this.pending.delete(k); }
  }

  private arm(uri: string, scenarios: readonly string[] | undefined): void {
    const prev = this.pending.get(uri);
    if (prev) this.timer.clear(prev.handle);
    const handle = this.timer.set(() => {
      this.pending.delete(uri);
      this.rerun(uri, scenarios);
    }, this.settleMs);
    this.pending.set(uri, { handle, scenarios });
  }
}
