import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { applies } from './checks/applies.js';
import { dbDataInTmp } from './checks/data-dir.js';
import { dbPublicBind, shortKillTimeoutDb } from './checks/database.js';
import { dupName, dupPort } from './checks/duplicates.js';
import { noMemoryLimit, unboundedRestarts } from './checks/limits.js';
import { noLogs } from './checks/logs.js';
import { noVenv, pythonBuffered } from './checks/python.js';
import { reloadFlag, watchOn } from './checks/reload.js';
import { unresolvedPath } from './checks/unresolved.js';
import type { App, Finding, Rule, RuleContext } from './types.js';

// The production rules behind `botstack check`, by id. inline-secret reads the
// file's text rather than apps, so it lives in checks/secrets.ts and is run by
// the checker next to these.

export const APP_RULES: Readonly<Record<string, Rule>> = {
  'watch-on': watchOn,
  'reload-flag': reloadFlag,
  'no-memory-limit': noMemoryLimit,
  'unbounded-restarts': unboundedRestarts,
  'short-kill-timeout-db': shortKillTimeoutDb,
  'db-public-bind': dbPublicBind,
  'python-buffered': pythonBuffered,
  'no-venv': noVenv,
  'dup-name': dupName,
  'dup-port': dupPort,
  'no-logs': noLogs,
  'db-data-in-tmp': dbDataInTmp,
  'unresolved-path': unresolvedPath,
};

const hasVenv = (cwd: string | null): boolean => cwd !== null && ['venv', '.venv'].some((v) => existsSync(join(cwd, v, 'bin', 'python')));

/**
 * A system python is only a slip where a venv is expected: another Python app in
 * the same file runs from one, or the app's folder holds one. Anything else is a
 * deliberate choice (Debian's python3-uvicorn) and not worth an alarm.
 */
export function withVenvExpectation(apps: readonly App[]): App[] {
  const fileUsesVenv = apps.some((a) => a.isPython && a.inVenv);
  return apps.map((a) => (a.isPython && !a.venvExpected && (fileUsesVenv || hasVenv(a.cwd)) ? { ...a, venvExpected: true } : a));
}

/** Runs the named rules (all by default) over every app, in app order then rule order. */
export function runRules(ctx: RuleContext, ids: readonly string[] = Object.keys(APP_RULES)): Finding[] {
  const rules = ids.flatMap((id) => (APP_RULES[id] ? [[id, APP_RULES[id]] as const] : []));
  return ctx.apps.flatMap((app) => rules.flatMap(([id, rule]) => (applies(id, app.origin) ? rule(app, ctx) : [])));
}

export type { App, Finding, Rule, RuleContext, Severity } from './types.js';
