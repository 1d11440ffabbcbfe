// Cancellation inside state-sized work: a loop over model state (snapshot rows, pages
// freed or allocated by one statement) polls `shouldCancel` every few thousand steps and
// unwinds with RunCancelled; the runner marks the run cancelled (the model's state is
// not looked at again).

export class RunCancelled extends Error {
  constructor() { super('run cancelled'); }
}

/** Steps between polls: cheap enough for hot loops, well under a millisecond apart. */
export const POLL_EVERY = 4096;

/** Units of state-sized work not counted elsewhere (entries snapshots walked), so tests can
 *  check polls come every so many units of work rather than every so many milliseconds. */
export class WorkMeter {
  snapshotEntries = 0;
}
