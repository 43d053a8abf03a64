export { defineStack } from './define.js';
export { profileFromArgv } from './load-light.js';
export { compileStack, compileService, STACK_ENV_KEY, type Pm2App } from './compile.js';
export { startLevels, withDependencies, withDependents } from './order.js';
export { formatProblem } from './problems.js';
export { KIND_DEFAULTS, ENV_DEFAULTS } from './defaults.js';
export type { StackInput, ServiceInput, HealthInput, Kind, Profile } from './schema.js';
export type { Stack, Service, Health, Launch, Problem, LoadResult, Timing } from './types.js';
export { checkFiles, which } from './files.js';
