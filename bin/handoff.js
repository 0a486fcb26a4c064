#!/usr/bin/env node
'use strict';
// The CLI runs from TypeScript sources, transpiled without type-checking by swc (tsconfig.json "ts-node"),
// which keeps start-up fast; `npm test` type-checks separately.
process.env.TS_NODE_TRANSPILE_ONLY = 'true';
process.env.TS_NODE_PROJECT = require('node:path').join(__dirname, '..', 'tsconfig.json');
require('ts-node/register/transpile-only');
require('../src/cli/index.ts').main(process.argv.slice(2));
