import { basename, dirname } from 'node:path';
import type { PlannedService } from './types.js';

// Paths init cannot resolve (`$APP_HOME/api`, `$(some command)`): never written
// as code, because pm2 and botstack take paths literally. Each becomes a
// `// FILL IN <field>: …` comment saying what to write, which check and start
// report as unresolved-path until the operator writes it.

// Shell, and the placeholders of the templates units and scripts ship as (Jinja/Ansible `{{ dir }}`, systemd `%h`).
const SHELL = /\$\(|`|\$\{|\$[A-Za-z_0-9]|\{\{|(^|\/)%[hHuUiIn](\/|$)/;

export const isUnresolved = (v: string | null | undefined): v is string => typeof v === 'string' && SHELL.test(v);
const what = (v: string): string => (/\{\{|%[a-zA-Z]/.test(v) ? 'a template placeholder' : 'shell');

type Fill = { field: string; what: string };

/**
 * The cwd, script and dbpath as the stack can say them, and a FILL IN for each
 * that stays shell. A script under an unresolved folder keeps its own name and
 * leaves the folder to fill in as cwd (a script is relative to cwd).
 */
export function resolvePaths(name: string, p: { cwd: string | null; rawCwd: string | null; target: string; kind: PlannedService['kind']; dbpath: string | null }): { cwd: string | null; target: string; dbpath: string | null; unresolved: Fill[] } {
  const out: Fill[] = [];
  let { cwd, target, dbpath } = p;
  if (isUnresolved(p.rawCwd)) out.push({ field: 'cwd', what: `the script runs ${name} in "${p.rawCwd}", which init cannot resolve (${what(p.rawCwd)}); write that folder (relative to the root, or absolute) as cwd: '…'` });
  if ((p.kind === 'python' || p.kind === 'node') && isUnresolved(target)) {
    const folder = dirname(target);
    target = basename(target);
    if (!out.some((f) => f.field === 'cwd')) out.push({ field: 'cwd', what: `the script runs ${target} from "${folder}", which init cannot resolve; write that folder (relative to the root, or absolute) as cwd: '…'` });
    cwd = null;
  }
  if (isUnresolved(dbpath)) {
    out.push({ field: 'dbpath', what: `the script gives mongod --dbpath "${dbpath}", which init cannot resolve; write the data folder as dbpath: '…' (never under /tmp)` });
    dbpath = null;
  }
  return { cwd, target, dbpath, unresolved: out };
}
