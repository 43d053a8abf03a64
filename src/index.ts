// The public API of the botstack package.
export * from './stack/index.js';
