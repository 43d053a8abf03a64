import type { StackInput } from './schema.js';

/** Identity: its only job is type inference and editor completion in ecosystem.config.ts. */
export function defineStack<const T extends StackInput>(stack: T): T {
  return stack;
}
