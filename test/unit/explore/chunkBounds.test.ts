// How a BFS level is cut into chunks for the workers (bfs.ts chunkBounds): every node once, in
// order; at least 16 chunks when the level allows; the last eighth in chunks a quarter of the
// size, so no worker idles through another's last big chunk at the level's end.
import * as assert from 'node:assert/strict';
import { chunkBounds } from '../../../src/core/explore/bfs';

describe('explore: chunks of a level', () => {
  for (const n of [0, 1, 8, 9, 100, 200, 2048, 5000, 20000]) {
    it(`cover a level of ${n} nodes once, in order, with small chunks at its end`, () => {
      const b = chunkBounds(n);
      assert.equal(b[0], 0);
      assert.equal(b.at(-1), n);
      for (let i = 1; i < b.length; i++) assert.ok(b[i]! > b[i - 1]!, 'no empty chunk');
      const sizes = b.slice(1).map((x, i) => x - b[i]!);
      if (n >= 16 * 8) assert.ok(sizes.length >= 16, `${sizes.length} chunks`);
      const body = Math.max(8, Math.min(128, Math.ceil(n / 16)));
      assert.ok(sizes.every((s) => s <= body), 'no chunk above the level\'s chunk size');
      // Chunks that start in the last eighth of the level are at most a quarter of it (or 8).
      const tailStart = n - Math.floor(n / 8);
      for (let i = 0; i + 1 < b.length; i++) if (b[i]! >= tailStart) assert.ok(sizes[i]! <= Math.max(8, body >> 2));
    });
  }
});
