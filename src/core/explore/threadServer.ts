// A worker thread's side of an explore search (threadPool.ts is the coordinator's): compile
// the same text, build the same Expander, then answer chunks of frontier paths and batches of
// random walks. Shared by the CLI's worker (src/cli/exploreWorker.ts) and the web simulation
// worker's explore threads. No Node built-ins.
import { analyze } from '../lang/index';
import { Expander } from './expand';
import { walkBatch } from './random';
import { withConfigDefaults } from './defaults';

/** What a thread needs to rebuild the coordinator's search. */
export interface ThreadInit {
  readonly text: string;
  readonly name: string;
  readonly overrides: Readonly<Record<string, string>>;
  readonly depth?: number;
  /** The editor's `mmu.defaultConfig` and `mmu.model.memoryBudgetMB` (bytes here). */
  readonly defaults?: Readonly<Record<string, string>>;
  readonly memoryBudget?: number;
}

type Request = { id: number; paths: Int32Array } | { id: number; walks: { seed: number; from: number; to: number } };

/** Builds the thread's Expander; the returned function answers one request: the message and its transfer list. */
export function threadServer(init: ThreadInit): (msg: unknown) => { reply: unknown; transfer: ArrayBuffer[] } {
  const defaults = { ...(init.defaults ?? {}) };
  const a = analyze(init.text, { overrides: init.overrides, defaults });
  const found = (a.compiled.explorations ?? []).find((e) => e.name === init.name);
  if (!found) throw new Error(`explore worker: no exploration "${init.name}"`);
  const exp0 = withConfigDefaults(found, defaults);
  const exp = init.depth ? { ...exp0, depth: init.depth } : exp0;
  const ex = new Expander(exp, { configOverrides: { ...init.overrides }, ...(init.memoryBudget !== undefined ? { memoryBudget: init.memoryBudget } : {}) });
  return (raw) => {
    const msg = raw as Request;
    if ('walks' in msg) {
      const w = walkBatch(ex, msg.walks.seed, msg.walks.from, msg.walks.to);
      return { reply: { id: msg.id, result: w }, transfer: [w.fps.buffer as ArrayBuffer, w.enabled.buffer as ArrayBuffer, w.taken.buffer as ArrayBuffer] };
    }
    const r = ex.expandChunk(msg.paths);
    return { reply: { id: msg.id, result: r }, transfer: [r.data.buffer as ArrayBuffer, r.enabled.buffer as ArrayBuffer, r.taken.buffer as ArrayBuffer] };
  };
}
