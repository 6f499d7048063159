#!/usr/bin/env node
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'main', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('icp: not built yet: run `npm run build` (npm ci and npm install build it for you)\n');
  process.exit(2);
}
require(entry)
  .main(process.argv.slice(2))
  .then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`icp: ${error && error.message ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
