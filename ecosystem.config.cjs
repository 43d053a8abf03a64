// pm2's entry point: pm2 does not read .ts ecosystem files. This validates the
// typed stack in ecosystem.config.ts and hands pm2 the compiled apps; if the
// stack has any problem, it prints them all and pm2 starts nothing.
require('tsx/cjs');
const path = require('node:path');
const { appsFromFile } = require('./src/ops/ecosystem/entry.ts');

module.exports = { apps: appsFromFile(path.join(__dirname, 'ecosystem.config.ts')) };
