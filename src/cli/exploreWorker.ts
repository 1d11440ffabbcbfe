// A worker thread of `mmu-lab explore --workers N`: compiles the same file, builds the same
// Expander and expands the chunks of frontier paths it is sent. Results depend only on the
// paths, so the coordinator's merge (core/explore/bfs.ts) is identical for any N.
import { parentPort, workerData } from 'node:worker_threads';
import { analyze } from '../core/lang/index';
import type { ConfigMap } from '../core/lang/schema';
import { Expander, walkBatch, withConfigDefaults } from '../core/explore/index';

/** `defaults` and `memoryBudget` come from the editor (mmu.defaultConfig, mmu.model.memoryBudgetMB). */
interface Init { readonly text: string; readonly name: string; readonly overrides: ConfigMap; readonly depth?: number; readonly defaults?: ConfigMap; readonly memoryBudget?: number }

const init = workerData as Init;
const defaults = (init.defaults ?? {}) as Record<string, string>;
const a = analyze(init.text, { overrides: init.overrides, defaults });
const found = (a.compiled.explorations ?? []).find((e) => e.name === init.name);
const exp0 = found && withConfigDefaults(found, defaults);
if (!exp0) throw new Error(`explore worker: no exploration "${init.name}"`);
const exp = init.depth ? { ...exp0, depth: init.depth } : exp0;
const ex = new Expander(exp, { configOverrides: init.overrides as Record<string, string>, ...(init.memoryBudget !== undefined ? { memoryBudget: init.memoryBudget } : {}) });
parentPort!.on('message', (msg: { id: number; paths: Int32Array } | { id: number; walks: { seed: number; from: number; to: number } }) => {
  if ('walks' in msg) {
    const w = walkBatch(ex, msg.walks.seed, msg.walks.from, msg.walks.to);
    parentPort!.postMessage({ id: msg.id, result: w }, [w.fps.buffer as ArrayBuffer, w.enabled.buffer as ArrayBuffer, w.taken.buffer as ArrayBuffer]);
    return;
  }
  const r = ex.expandChunk(msg.paths);
  parentPort!.postMessage({ id: msg.id, result: r }, [r.data.buffer as ArrayBuffer, r.enabled.buffer as ArrayBuffer, r.taken.buffer as ArrayBuffer]);
});
parentPort!.postMessage({ ready: true });
