// What the ecosystem.config.cjs that `botstack init` writes in a user's folder
// requires, by absolute path (a global package does not resolve from there).
// pm2 loads ecosystem files synchronously: tsx's CJS hook compiles the typed
// stack, and appsFromFile validates it, printing every problem and throwing,
// so that pm2 starts nothing from a bad stack.
'use strict';
require('tsx/cjs');
const { appsFromFile } = require('../dist/src/ops/ecosystem/entry.js');

module.exports = { appsFromFile };
