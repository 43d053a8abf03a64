import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fail, ok, warn, type Check, type CheckResult } from './types.js';

// `/v3/venv/bin/pip check`, done safely: through the venv's own python, with
// a timeout. A venv made --without-pip has no pip to ask: that is a warning.

const PIP_TIMEOUT_MS = 30_000;

export const venvs: Check = async (ctx) => {
  const dirs = [...new Set(ctx.stack.services.map((s) => s.venv).filter((v): v is string => v !== null))];
  const out: CheckResult[] = [];
  for (const venv of dirs) {
    const python = join(venv, 'bin', 'python');
    if (!existsSync(python)) {
      out.push(fail('venv', `${python} does not exist`, `create the venv: python3 -m venv ${venv}, then install the project's requirements`));
      continue;
    }
    const r = await ctx.run(python, ['-m', 'pip', 'check'], { env: { ...ctx.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' }, timeoutMs: PIP_TIMEOUT_MS });
    const text = `${r.stdout}\n${r.stderr}`.trim();
    if (r.timedOut) out.push(warn('venv', `${venv}: pip check did not finish within ${PIP_TIMEOUT_MS / 1000} s`, `run it by hand: ${python} -m pip check`));
    else if (/No module named pip/.test(text)) out.push(warn('venv', `${venv} has no pip (made --without-pip?); dependencies not checked`, `${python} -m ensurepip, then botstack doctor again`));
    else if (r.exitCode === 0) out.push(ok('venv', `${venv}: pip check finds no broken requirements`));
    else if (r.exitCode === 1 && text) out.push(fail('venv', `${venv}: pip check: ${text.split('\n').slice(0, 3).join('; ')}`, `${python} -m pip install the missing or conflicting packages`));
    else out.push(warn('venv', `${venv}: pip check did not finish (exit ${r.exitCode}${text ? `: ${text.split('\n')[0]}` : ''})`, `run it by hand: ${python} -m pip check`));
  }
  return out;
};
