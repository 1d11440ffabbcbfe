// Preloaded into a spawned CLI: at exit, writes its peak RSS (KiB) to the file in MMU_RSS_FILE.
const fs = require('fs');
process.on('exit', () => {
  if (process.env.MMU_RSS_FILE) fs.writeFileSync(process.env.MMU_RSS_FILE, String(process.resourceUsage().maxRSS));
});
