import type { CheckResult, Check, DoctorContext } from './types.js';
import { bootUnit, dumpSecrets, savedList } from './boot.js';
import { disk, logDir } from './disk.js';
import { dotenvOverrides } from './dotenv.js';
import { heartbeats } from './heartbeat.js';
import { envFile, mongodLoopback, watchOrReload } from './live.js';
import { ports } from './ports.js';
import { daemon, nodeVersion, pm2Version } from './runtime.js';
import { venvs } from './venv.js';
import { logRotation } from '../logrotate/doctor.js';

// Every check the incident's troubleshooting section did by hand, in the
// order an operator would run them. A check that throws is itself a failure.

export const CHECKS: readonly (readonly [string, Check])[] = [
  ['node', nodeVersion],
  ['pm2', pm2Version],
  ['daemon', daemon],
  ['dump', savedList],
  ['boot', bootUnit],
  ['port', ports],
  ['venv', venvs],
  ['logs', logDir],
  ['disk', disk],
  ['logrotate', logRotation],
  ['mongod', mongodLoopback],
  ['watch', watchOrReload],
  ['env', envFile],
  ['dotenv', dotenvOverrides],
  ['heartbeat', heartbeats],
  ['dump-secrets', dumpSecrets],
];

export async function runChecks(ctx: DoctorContext, checks = CHECKS): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const [name, check] of checks) {
    try {
      out.push(...(await check(ctx)));
    } catch (err) {
      out.push({ check: name, level: 'fail', message: `the ${name} check itself failed: ${err instanceof Error ? err.message : String(err)}`, fix: 'report this with the output of botstack doctor --json' });
    }
  }
  return out;
}

export function renderDoctor(results: readonly CheckResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.level.padEnd(4)}  ${r.check.padEnd(12)} ${r.message}`);
    if (r.fix && r.level !== 'ok') lines.push(`${' '.repeat(19)}fix: ${r.fix}`);
  }
  const n = (l: string) => results.filter((r) => r.level === l).length;
  lines.push(`doctor: ${n('ok')} ok, ${n('warn')} warn, ${n('fail')} fail`);
  return lines.join('\n') + '\n';
}
