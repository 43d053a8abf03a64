import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { planInit } from '../../src/init/run.js';
import type { InitPlan } from '../../src/init/types.js';
import { checkFile } from '../../src/rules/check-file.js';
import { loadStack } from '../../src/rules/stack-load.js';
import { checkFiles } from '../../src/stack/files.js';

// init on one real script, in its own checkout (the whole repo at the pinned
// commit): does the stack compile with every path resolved, do its services'
// folders and scripts exist in that layout, and which health routes came from
// the app code. The stack is written where a user would run init: in the
// script's own folder of the checkout, with node_modules/botstack linked to this
// clone for the run (both removed after).

export interface InitReal {
  readonly label: string;
  readonly outcome: 'written' | 'no-service' | 'unreadable';
  /** FILL IN comments left (paths init could not resolve). */
  readonly fillIns: number;
  /** Loads with botstack's own loader. */
  readonly loads: boolean;
  /** Every service's folder and script exist in the checkout (venvs and binaries are not in a repo). */
  readonly layout: boolean;
  readonly layoutProblems: readonly string[];
  /** Planned services: name, kind, health path and where it came from. */
  readonly services: readonly { name: string; kind: string; health: string | null; from: string | null; looked: string | null }[];
  readonly errors: readonly string[];
}

export async function initReal(file: string, label: string): Promise<InitReal> {
  const dir = dirname(file);
  const modules = join(dir, 'node_modules');
  const ownModules = !existsSync(modules);
  if (ownModules) {
    mkdirSync(modules);
    symlinkSync(resolve(import.meta.dirname, '..', '..'), join(modules, 'botstack'));
  }
  const none = { fillIns: 0, loads: false, layout: false, layoutProblems: [], services: [], errors: [] };
  try {
    const r = await planInit({ from: [file], out: join(dir, '.botstack-init-real.ts'), force: true, cwd: dir, env: {} });
    if (!r.ok) return { label, outcome: r.errors.some((e) => e.includes('no service found')) ? 'no-service' : 'unreadable', ...none, errors: r.errors };
    writeFileSync(r.out, r.text);
    const plan: InitPlan = r.plan;
    const services = plan.services.map((s) => ({ name: s.name, kind: s.kind, health: s.healthPath, from: s.healthFrom ?? null, looked: s.healthLooked ?? null }));
    const fillIns = (r.text.match(/\/\/ FILL IN /g) ?? []).length;
    const loaded = await loadStack(r.out, { env: {} });
    if (!loaded.ok) return { label, outcome: 'written', ...none, fillIns, services, errors: loaded.problems.map((p) => `${p.path}: ${p.message}`) };
    // A replica of the layout: the repo's own files; venvs, mongod and secrets are the host's, not the repo's.
    const layoutProblems = checkFiles(loaded.stack, { PATH: process.env.PATH ?? '' }).filter((p) => /\.(cwd|script)$/.test(p.path)).map((p) => `${p.path}: ${p.message}`);
    const c = await checkFile(r.out, `${label} -> stack`, {});
    const errors = c.ok ? c.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.message}`) : c.errors;
    return { label, outcome: 'written', fillIns, loads: true, layout: layoutProblems.length === 0, layoutProblems, services, errors };
  } finally {
    rmSync(join(dir, '.botstack-init-real.ts'), { force: true });
    if (ownModules) rmSync(modules, { recursive: true, force: true });
  }
}
