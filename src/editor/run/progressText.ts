// The progress notification's text (pure, no vscode import): a percentage and an ETA
// from the statement total (known from the loop counts before the run), and the rate
// measured so far, so `repeat 1000000000 { smi; rsm }` says how long it will take before
// anyone waits for it. A cancelled run's one line comes from the last progress seen.
import { cancelledText } from '../../core/run/index';
import type { ProgressDetail } from './protocol';

/** "12.3M", "456k", "789": statements and rates at a glance. */
export function compactCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  return String(Math.round(n));
}

/** "about 40 s", "about 12 min", "about 1 h", "about 3.5 h". */
export function aboutDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown time';
  if (seconds < 1) return 'under a second';
  if (seconds < 90) return `about ${Math.round(seconds)} s`;
  if (seconds < 55 * 60) return `about ${Math.round(seconds / 60)} min`;
  const h = seconds / 3600;
  return `about ${h < 10 ? Math.round(h * 10) / 10 : Math.round(h)} h`;
}

export interface ProgressView {
  /** Whole percent done, when the total is known. */
  readonly percent: number | undefined;
  readonly message: string;
}

/** @param elapsedMs time since the run started; the rate is the statements done over it. */
export function progressView(done: number, detail: ProgressDetail | undefined, elapsedMs: number): ProgressView {
  const rate = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0;
  const rateText = rate > 0 ? `${compactCount(rate)} statements/s` : '';
  if (!detail || detail.total <= 0) {
    return { percent: undefined, message: [`${done.toLocaleString('en-US')} statements`, rateText].filter(Boolean).join(' · ') };
  }
  const where = `"${detail.scenario}" line ${detail.line + 1}`;
  if (detail.totalAtLeast) {
    // A lower bound: no percentage (it would overstate progress), the ETA as a minimum.
    const left = detail.total - detail.done;
    const eta = rate > 0 && left > 0 ? `at least ${aboutDuration(left / rate)} left` : '';
    const of = left > 0 ? ` of at least ${compactCount(detail.total)}` : '';
    return { percent: undefined, message: [`${detail.done.toLocaleString('en-US')} statements${of}`, rateText, eta, where].filter(Boolean).join(' · ') };
  }
  const percent = Math.min(100, Math.floor((100 * detail.done) / detail.total));
  const left = detail.total - detail.done;
  const eta = rate > 0 ? `${aboutDuration(left / rate)} left` : '';
  // The count done comes first (it grows; the total does not), then the rate and the ETA.
  return { percent, message: [`${percent}% · ${detail.done.toLocaleString('en-US')} statements of ${compactCount(detail.total)}`, rateText, eta, where].filter(Boolean).join(' · ') };
}

/** What a cancelled run shows: where it stopped. */
export interface CancelInfo {
  readonly scenario: string;
  readonly scenarioLine: number;
  /** 0-based line running when it stopped. */
  readonly line: number;
  /** Statements of that scenario executed. */
  readonly statements: number;
  /** 'user' (notification, Test Explorer) or 'edit' (the text changed). */
  readonly by: 'user' | 'edit';
}

export function cancelInfo(detail: ProgressDetail | undefined, by: CancelInfo['by']): CancelInfo | undefined {
  return detail ? { scenario: detail.scenario, scenarioLine: detail.scenarioLine, line: detail.line, statements: detail.scenarioDone, by } : undefined;
}

/** "cancelled at line N after M statements" (as the core says it), with who cancelled. */
export function cancelText(c: CancelInfo): string {
  return cancelledText(c) + cancelWhy(c);
}

export function cancelWhy(c: CancelInfo): string {
  return c.by === 'edit' ? ' (the file was edited)' : ' (by the user)';
}
