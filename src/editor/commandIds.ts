// Command ids (package.json `contributes.commands`, category "MMU").
export const COMMANDS = {
  runScenario: 'mmu.runScenario',
  runFile: 'mmu.runFile',
  compare: 'mmu.compareScenario',
  showState: 'mmu.showState',
  exportRun: 'mmu.exportRun',
  runInTerminal: 'mmu.runInTerminal',
  debugScenario: 'mmu.debugScenario',
} as const;
