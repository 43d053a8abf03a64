import { checkFiles } from '../../stack/files.js';
import { formatProblem } from '../../stack/problems.js';
import type { ProcessInfo } from '../../pm2/types.js';
import type { Service, Stack } from '../../stack/types.js';
import { canBind, portProblem } from './ports.js';
import { ruleProblems } from './preflight-rules.js';
import { isRunning } from '../status/health.js';

// Everything `start` checks before pm2 sees anything, so a start is all or none:
// files and interpreters, the production rules, and every port it will bind.

async function portProblems(services: readonly Service[], list: readonly ProcessInfo[]): Promise<string[]> {
  const running = new Set(list.filter((p) => isRunning(p)).map((p) => p.name));
  const out: string[] = [];
  for (const s of services) {
    // A service pm2 already runs holds its own port; that is "already up", not a conflict.
    if (s.port === null || running.has(s.name)) continue;
    if (await canBind(s.host, s.port)) continue;
    out.push(portProblem(s.name, s.port));
  }
  return out;
}

/** Every reason not to start `services`, one operator-ready line each; empty means go. */
export async function preflight(stack: Stack, services: readonly Service[], list: readonly ProcessInfo[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const names = new Set(services.map((s) => s.name));
  const files = checkFiles(stack, env).filter((p) => p.service === undefined || names.has(p.service)).map(formatProblem);
  const rules = await ruleProblems(stack, services);
  const ports = await portProblems(services, list);
  return [...files, ...rules, ...ports];
}
