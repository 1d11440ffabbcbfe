// allocator=any offers each free page as an option, in ascending pfn order (docs/explore.md:
// option i >= 1 is the i-th lowest free page). The free list is that order itself, kept
// ascending without a copy per allocation; frees in any order must still give ascending options.
import * as assert from 'node:assert/strict';
import { L1Memory, KIND_DATA, FIRST_PFN } from '../../../src/core/model/memory';
import { ModelBudget } from '../../../src/core/model/budget';

describe('explore: allocator=any options', () => {
  it('are the free pages in ascending order whatever order they were freed in, and a pick removes just that page', () => {
    const mem = new L1Memory(true, new ModelBudget(), true);
    const seen: number[][] = [];
    let pick = 0;
    mem.chooser = { choose: (free) => { seen.push([...free]); return pick; } };
    const pages = Array.from({ length: 6 }, () => mem.alloc(KIND_DATA));
    assert.deepEqual(pages, [0, 1, 2, 3, 4, 5].map((i) => FIRST_PFN + i), 'no page free: every allocation is a fresh page');
    for (const i of [4, 1, 5, 0]) mem.freeNow(pages[i]!); // out of order
    pick = 2; // the second-lowest free page
    const got = mem.alloc(KIND_DATA);
    assert.deepEqual(seen.at(-1), [0, 1, 4, 5].map((i) => FIRST_PFN + i));
    assert.equal(got, FIRST_PFN + 1);
    pick = 0;
    mem.freeNow(pages[3]!);
    mem.alloc(KIND_DATA);
    assert.deepEqual(seen.at(-1), [0, 3, 4, 5].map((i) => FIRST_PFN + i), 'the picked page left the options; a fresh pick took none');
  });
});
