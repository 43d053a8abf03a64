import type { Vars } from './expand.js';

// The state a script's walk carries from command to command (run.ts), which the
// builtins change (builtins.ts): its folder, venv, variables and exports.

export interface ScriptState {
  cwd: string | null;
  venv: boolean;
  memoryBytes: number | null;
  vars: Vars;
  exported: Record<string, string>;
  /** Where the script's own stdout/stderr went after `exec >> log 2>&1`; optional so callers' states stay valid. */
  stdout?: string | null;
  stderr?: string | null;
  /** The folder of the venv `source …/bin/activate` switched to. */
  venvDir?: string;
  /** An `exec <program>` or `exit` ran: nothing after it runs. */
  done?: boolean;
}

export const freshState = (): ScriptState => ({ cwd: null, venv: false, memoryBytes: null, vars: new Map(), exported: {} });

export const clone = (s: ScriptState): ScriptState => ({ ...s, vars: new Map(s.vars), exported: { ...s.exported } });

/** Merges the states after an if/case: a variable holds every value a branch gave it. */
export function merge(into: ScriptState, ends: readonly ScriptState[]): void {
  into.venv = ends.some((e) => e.venv);
  into.done = ends.every((e) => e.done === true);
  into.cwd = ends.find((e) => e.cwd !== into.cwd)?.cwd ?? into.cwd;
  into.memoryBytes = ends.find((e) => e.memoryBytes !== null)?.memoryBytes ?? into.memoryBytes;
  const keys = new Set(ends.flatMap((e) => [...e.vars.keys()]));
  for (const k of keys) {
    const values = [...new Set(ends.flatMap((e) => e.vars.get(k) ?? []))];
    if (values.length > 0) into.vars.set(k, values);
  }
  for (const e of ends) Object.assign(into.exported, e.exported);
}
