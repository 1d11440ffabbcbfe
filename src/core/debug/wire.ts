// The debugger's message protocol between the adapter (extension host, debug/adapter.ts)
// and the runtime (simulation worker, debug/host.ts). Plain data only: it crosses
// postMessage. Every request has an id and one reply; the host also sends log events.
// Messages carry `channel` so the simulation worker tells them from Run's requests.
import type { ScenarioResult } from '../run/result';
import type { BreakpointSpec, BreakpointState, Frame, Stop } from './runtime';
import type { Scope } from './stateView';
import type { Evaluation } from './evaluate';

export const DEBUG_CHANNEL = 'mmu-debug';

export type Movement = 'continue' | 'next' | 'stepIn' | 'stepOut' | 'stepBack' | 'reverseContinue';

export interface LaunchRequest {
  readonly op: 'launch';
  /** The file's text: the worker analyzes it itself, as Run's worker does. */
  readonly text: string;
  readonly scenario?: string;
  readonly config?: Readonly<Record<string, string>>;
  readonly ghz: number;
  readonly filters: readonly string[] | null;
  readonly breakpoints: readonly BreakpointSpec[] | null;
}

export type HostRequest =
  | LaunchRequest
  | { readonly op: 'start'; readonly stopOnEntry: boolean }
  | { readonly op: 'setBreakpoints'; readonly specs: readonly BreakpointSpec[] }
  | { readonly op: 'setFilters'; readonly filters: readonly string[] }
  | { readonly op: 'move'; readonly how: Movement }
  | { readonly op: 'pause' }
  | { readonly op: 'frames' }
  | { readonly op: 'scopes' }
  | { readonly op: 'evaluate'; readonly expression: string }
  | { readonly op: 'paused' }
  | { readonly op: 'dispose' };

/** What each request answers with. */
export interface HostAnswers {
  launch: { readonly ok: true; readonly scenario: string } | { readonly ok: false; readonly message: string };
  start: Stop;
  setBreakpoints: BreakpointState[];
  setFilters: null;
  move: Stop;
  pause: null;
  frames: Frame[];
  scopes: Scope[];
  evaluate: Evaluation;
  paused: ScenarioResult;
  dispose: null;
}

export interface ToHost { readonly channel: typeof DEBUG_CHANNEL; readonly id: number; readonly req: HostRequest }

export type FromHost =
  | { readonly channel: typeof DEBUG_CHANNEL; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly channel: typeof DEBUG_CHANNEL; readonly id: number; readonly ok: false; readonly message: string }
  | { readonly channel: typeof DEBUG_CHANNEL; readonly id: -1; readonly log: { readonly text: string; readonly line: number } };

/** Two ends of a message pipe: the adapter's view of wherever the runtime runs. */
export interface DebugChannel {
  post(m: ToHost): void;
  onMessage(f: (m: FromHost) => void): void;
  /** Ends the runtime (terminates its worker). */
  close(): void;
}

export function isToHost(m: unknown): m is ToHost {
  return typeof m === 'object' && m !== null && (m as { channel?: unknown }).channel === DEBUG_CHANNEL && 'req' in m;
}
