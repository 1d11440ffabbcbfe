// Titles of the tests that run inside the extension host. Shared with the outer mocha
// layer, which reports each inner result under the same title (so the counting
// reporter counts them like any other test).
export const HOST_TESTS = {
  languageId: 'a .mmu file opens in the mmu language',
  badDiagnostics: 'a bad file gets parser/checker diagnostics with codes and suggestions',
  codeLens: 'CodeLens shows Run all, and Run / Compare / Show state per scenario',
  languageFeatures: 'hover, completion and the outline answer through the VS Code API',
  runTwo: 'the run command runs through the test path and returns per-scenario verdicts',
  staleDiagnostics: 'running the recycled-root example gives stale-use diagnostics with the blame chain',
  dropOnEdit: 'an edit drops the run results (stale-use diagnostics disappear)',
  editCancels: 'an edit cancels a runaway run in flight',
  exportRun: 'Export writes the last run as JSON where asked',
  compare: 'Compare runs the sweep, ranks it and opens the state panel',
  duplicateNames: 'a file with two scenarios of one name runs the others (E210 stays the diagnostic)',
  quickFix: 'a did-you-mean quick fix from the lightbulb fixes the metric',
  cancelledState: 'a run cancelled by an edit says where it stopped',
  runInTerminal: 'Run in Terminal opens the MMU Lab terminal with the bundled CLI',
  defaultConfigRecheck: 'changing mmu.defaultConfig re-diagnoses an open editor (E203 appears, then goes)',
  exploreRunAll: 'Run all covers explore blocks: the block is a test, a violation comes back with its counterexample',
  exploreCommand: 'the Explore CodeLens searches in the worker and hands back the counterexample scenario',
  openCounterexample: 'Open counterexample opens the scenario beside the file, runs it and shows its state; Insert below appends it',
} as const;

export const HOST_TEST_TITLES: readonly string[] = Object.values(HOST_TESTS);
