// Runs the benchmarks' TypeScript straight from source: a require hook that compiles each `.ts` file
// with the installed @swc/core, with the options of the Jest transform (jest.config.js) kept in
// swc-options.json. No type checking here: `npm run typecheck` covers bench/ like the rest of the repo.
'use strict';
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('@swc/core');
const options = require('./swc-options.json');

Module._extensions['.ts'] = function compileTypeScript(module, filename) {
  const source = readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...options, filename, sourceMaps: 'inline' });
  module._compile(code, filename);
};
