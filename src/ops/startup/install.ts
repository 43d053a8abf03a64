import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import type { ProcessInfo } from '../../pm2/types.js';
import type { Stack } from '../../stack/types.js';
import { compareDump, describeDifference, dumpFile, dumpInfo, readDump, unresolvedPaths } from './dump.js';
import type { StartupPlan } from './plan.js';
import { pm2Cli, tailText, type Runner } from './run.js';
import { unitValue } from './unit.js';

// `botstack startup`: install the boot unit through pm2, correct what pm2 gets
// wrong, save the process list, and prove resurrect would restore it. And the
// way back out, which pm2 alone does not reliably do.

export interface Outcome {
  readonly ok: boolean;
  readonly lines: readonly string[];
}

/** Would `pm2 resurrect` bring back every stack service, watch off, same settings? */
export function verifyResurrect(plan: Pick<StartupPlan, 'pm2Home'>, stack: Stack, running: readonly ProcessInfo[]): Outcome {
  const dump = readDump(plan.pm2Home);
  if (!dump.ok) return { ok: false, lines: [`fail  ${dump.message}; run: PM2_HOME=${plan.pm2Home} pm2 save`] };
  const saved = dump.apps.map(dumpInfo);
  const lines: string[] = [];
  const missing = stack.services.filter((s) => !saved.some((a) => a.name === s.name)).map((s) => s.name);
  if (missing.length > 0) lines.push(`fail  not in ${dumpFile(plan.pm2Home)}: ${missing.join(', ')}; start them (botstack start), then run botstack startup again`);
  for (const a of saved.filter((x) => x.watch)) lines.push(`fail  ${a.name} is saved with watch on; resurrect would restart it on every file change. Restart it from the stack (botstack restart ${a.name}) and save again`);
  for (const d of compareDump(saved, running)) lines.push(`fail  ${describeDifference(d)}; run: PM2_HOME=${plan.pm2Home} pm2 save`);
  for (const u of unresolvedPaths(dump.apps)) lines.push(`fail  ${u}; resurrect at boot would not start it. Start the stack again (botstack start), then run botstack startup again`);
  if (lines.length > 0) return { ok: false, lines };
  return { ok: true, lines: [`ok    resurrect would restore ${saved.length} app${saved.length === 1 ? '' : 's'} (${saved.map((a) => a.name).join(', ')}) with watch off and the running limits`] };
}

/** pm2 writes PM2_HOME=<hp>/.pm2 whatever PM2_HOME is; put the plan's unit in its place. */
function correctUnit(plan: StartupPlan): string[] {
  const written = existsSync(plan.unitFile) ? readFileSync(plan.unitFile, 'utf8') : '';
  if (written === plan.unit) return [`ok    ${plan.unitFile} written by pm2 startup: User=${plan.user}, PM2_HOME=${plan.pm2Home}`];
  const was = (k: string) => unitValue(written, k) ?? 'missing';
  writeFileSync(plan.unitFile, plan.unit);
  return [`ok    ${plan.unitFile} corrected (pm2 wrote User=${was('User')}, PM2_HOME=${was('PM2_HOME')}); now User=${plan.user}, PM2_HOME=${plan.pm2Home}`];
}

export async function installStartup(plan: StartupPlan, run: Runner): Promise<Outcome> {
  const r = await pm2Cli(plan, run, ['startup', 'systemd', '-u', plan.user, '--hp', plan.home, '--service-name', plan.serviceName]);
  if (r.exitCode !== 0 && !existsSync(plan.unitFile)) {
    return { ok: false, lines: [`fail  pm2 startup systemd exited ${r.exitCode}: ${tailText(r)}`] };
  }
  const lines = correctUnit(plan);
  if (r.exitCode !== 0) lines.push(`warn  pm2 startup exited ${r.exitCode} after writing the unit (${tailText(r, 1)}); enable it with: systemctl enable ${plan.serviceName}`);
  const save = await pm2Cli(plan, run, ['save']);
  if (save.exitCode !== 0) return { ok: false, lines: [...lines, `fail  pm2 save exited ${save.exitCode}: ${tailText(save)}`] };
  lines.push(`ok    pm2 save wrote ${dumpFile(plan.pm2Home)}`);
  return { ok: true, lines };
}

/**
 * `pm2 unstartup systemd` chains `systemctl stop && disable && rm`: when systemd
 * cannot stop the unit (not PID 1, or already stopped) the file stays, and
 * pm2 7.0.4 still exits 0 (older notes saw 1). So the exit code is not trusted:
 * the file's absence is.
 */
export async function removeStartup(plan: StartupPlan, run: Runner): Promise<Outcome> {
  if (!existsSync(plan.unitFile)) return { ok: true, lines: [`ok    no boot unit at ${plan.unitFile}; nothing to remove`] };
  const r = await pm2Cli(plan, run, ['unstartup', 'systemd', '-u', plan.user, '--service-name', plan.serviceName]);
  const lines = [`${r.exitCode === 0 ? 'ok  ' : 'warn'}  pm2 unstartup systemd exited ${r.exitCode}${r.exitCode === 0 ? '' : `: ${tailText(r, 1)}`}`];
  if (existsSync(plan.unitFile)) {
    await run('systemctl', ['disable', plan.serviceName], { env: plan.env, timeoutMs: 20_000 }).catch(() => undefined);
    try {
      unlinkSync(plan.unitFile);
    } catch (err) {
      return { ok: false, lines: [...lines, `fail  cannot remove ${plan.unitFile}: ${err instanceof Error ? err.message : String(err)}; remove it as root`] };
    }
    lines.push(`ok    pm2 left ${plan.unitFile} in place (${tailText(r, 1) || 'no reason given'}); removed it`);
  }
  lines.push(`ok    boot startup removed; the saved list ${dumpFile(plan.pm2Home)} is kept (delete it to forget it)`);
  return { ok: true, lines };
}
