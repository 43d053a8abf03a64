// The public API of the botstack package.
export * from './stack/index.js';
export { loadStack, fromInput } from './rules/stack-load.js';
