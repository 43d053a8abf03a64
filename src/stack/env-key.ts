// The one constant the monitor needs from src/stack, on its own: importing it
// from compile.ts would load zod (~6 MiB RSS) into the monitor for nothing.

/** The resolved stack as the monitor receives it, through its environment. */
export const STACK_ENV_KEY = 'BOTSTACK_STACK';
