#!/usr/bin/env node
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'main', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('icp: not built yet: run `npm run build` (npm ci and npm install build it for you)\n');
  process.exit(2);
}
/**
 * Exits once stdout and stderr have flushed: writes to a pipe are asynchronous, and exiting at once
 * would cut a long output (`icp verify --json` of a whole catalogue) short.
 */
function exitFlushed(code) {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

require(entry)
  .main(process.argv.slice(2))
  .then(
    (code) => exitFlushed(code),
    (error) => {
      process.stderr.write(`icp: ${error && error.message ? error.message : String(error)}\n`);
      exitFlushed(1);
    },
  );
