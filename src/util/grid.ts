// A shared wall-clock grid for periodic work. Timers set to the same instant
// fire in one wake-up of the process, and on a small VM the wake-up itself
// (~0.2 ms of CPU) costs more than a health probe: so everything periodic in
// the monitor ends its waits on multiples of a common quantum.

/** The first multiple of `quantumMs` at or after `t`. */
export const onGrid = (t: number, quantumMs: number): number => Math.ceil(t / quantumMs) * quantumMs;
