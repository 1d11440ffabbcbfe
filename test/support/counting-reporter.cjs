// Mocha's spec reporter plus a stats file, so scripts/test-all.mjs can print one
// "N passed, N failed" line over every test layer.
'use strict';
const Mocha = require('mocha');
const fs = require('fs');

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const file = process.env.MMU_TEST_STATS;
      if (!file) return;
      const s = this.stats;
      fs.writeFileSync(file, JSON.stringify({ passes: s.passes, failures: s.failures, pending: s.pending, tests: s.tests }));
    });
  }
}
module.exports = CountingReporter;
