import { CliError, EXIT, type CliIO } from '../../util/io.js';
import { loadConfig, withPm2 } from '../shared/context.js';
import { installStartup, removeStartup, verifyResurrect, type Outcome } from './install.js';
import { planStartup, type StartupPlan } from './plan.js';
import { execaRunner, type Runner } from './run.js';
import type { Stack } from '../../stack/types.js';
import { findLogrotate, installLogrotate } from '../logrotate/install.js';
import { planLogrotate, type LogrotatePlan } from '../logrotate/plan.js';
import { rotationSettings } from '../logrotate/flags.js';
import { installTimer, removeRotation, timerUnits } from '../logrotate/timer.js';

// `botstack startup`: --dry-run prints, --remove undoes, otherwise install,
// save, and verify that resurrect restores the running stack.

export interface StartupFlags {
  readonly config: string;
  readonly dryRun?: boolean;
  readonly remove?: boolean;
  readonly user?: string;
  readonly home?: string;
  readonly logMaxSize?: string;
  readonly logKeep?: string;
  readonly logMaxAge?: string;
}

export interface StartupDeps {
  readonly run?: Runner;
  readonly unitDir?: string;
  readonly isRoot?: () => boolean;
  /** Where the logrotate file goes (default /etc/logrotate.d); tests pass a temp dir. */
  readonly logrotateDir?: string;
}

const print = (io: CliIO, o: Outcome): number => {
  for (const l of o.lines) io.stdout.write(l + '\n');
  return o.ok ? EXIT.OK : EXIT.FAIL;
};

function needRoot(plan: StartupPlan, what: string, deps: StartupDeps): void {
  const root = deps.isRoot ?? (() => process.getuid?.() === 0);
  if (!root()) throw new CliError(`${what} writes ${plan.unitFile}, which needs root; run: sudo env PATH="$PATH" PM2_HOME=${plan.pm2Home} botstack startup${what.includes('remove') ? ' --remove' : ''} --user ${plan.user} --home ${plan.home}`, EXIT.USAGE);
}

async function dryRun(io: CliIO, plan: StartupPlan, flags: StartupFlags, deps: StartupDeps): Promise<number> {
  io.stdout.write(`# ${plan.unitFile}, from pm2 ${plan.pm2Version}'s systemd template\n${plan.unit}`);
  io.stdout.write(`# would run: pm2 startup systemd -u ${plan.user} --hp ${plan.home} --service-name ${plan.serviceName}\n`);
  io.stdout.write(`#            (PM2_HOME=${plan.pm2Home}), then pm2 save, then check that resurrect restores every service\n`);
  const stack = await loadConfig(io, flags.config).catch((err: unknown) => err as Error);
  if (stack instanceof Error) {
    io.stdout.write(`# log rotation not shown: ${stack.message.split('\n')[0]}\n`);
    return EXIT.OK;
  }
  const rot = rotationPlan(stack, plan, flags, deps);
  io.stdout.write(`# ${rot.file}, log rotation for every service (logrotate(8))\n${rot.text}`);
  const units = timerUnits(stack.name, rot.file, findLogrotate(io.env) ?? '/usr/sbin/logrotate', deps.unitDir);
  io.stdout.write(`# ${units.serviceFile}\n${units.service}# ${units.timerFile}, enabled with systemctl enable --now ${units.name}.timer\n${units.timer}`);
  return EXIT.OK;
}

function rotationPlan(stack: Stack, plan: StartupPlan, flags: StartupFlags, deps: StartupDeps): LogrotatePlan {
  return planLogrotate({ stack, user: plan.user, pm2Home: plan.pm2Home, nodeBin: plan.nodeBin, pm2Bin: plan.pm2Bin, settings: rotationSettings(flags), ...(deps.logrotateDir ? { dir: deps.logrotateDir } : {}) });
}

export async function runStartup(io: CliIO, flags: StartupFlags, deps: StartupDeps = {}): Promise<number> {
  if (flags.dryRun && flags.remove) throw new CliError('--dry-run and --remove do not go together; pick one', EXIT.USAGE);
  const plan = planStartup({ env: io.env, ...(flags.user ? { user: flags.user } : {}), ...(flags.home ? { home: flags.home } : {}), ...(deps.unitDir ? { unitDir: deps.unitDir } : {}) });
  rotationSettings(flags);
  if (flags.dryRun) return dryRun(io, plan, flags, deps);
  const run = deps.run ?? execaRunner;
  if (flags.remove) {
    needRoot(plan, 'startup --remove', deps);
    const removed = await removeStartup(plan, run);
    // Log rotation is per stack: with no loadable stack file, it stays (and says so).
    const stack = await loadConfig(io, flags.config).catch(() => null);
    const rot = stack ? rotationPlan(stack, plan, flags, deps) : null;
    const lines = rot && stack ? await removeRotation(timerUnits(stack.name, rot.file, '', deps.unitDir), rot.file, run, plan.env) : [`warn  log rotation left in place: ${flags.config} does not load, so botstack cannot tell which stack's files are its`];
    return print(io, { ok: removed.ok && !lines.some((l) => l.startsWith('fail')), lines: [...removed.lines, ...lines] });
  }
  needRoot(plan, 'startup', deps);
  const stack = await loadConfig(io, flags.config);
  const ioHome = { ...io, env: { ...io.env, PM2_HOME: plan.pm2Home } };
  const before = await withPm2(ioHome, false, (c) => c.list());
  const absent = stack.services.filter((s) => !before.some((p) => p.name === s.name && p.status === 'online')).map((s) => s.name);
  if (absent.length > 0) throw new CliError(`not online in pm2 (PM2_HOME=${plan.pm2Home}): ${absent.join(', ')}; pm2 save would leave them out of the boot list. Run botstack start first`, EXIT.FAIL);
  const installed = await installStartup(plan, run);
  if (print(io, installed) !== EXIT.OK) return EXIT.FAIL;
  const rotPlan = rotationPlan(stack, plan, flags, deps);
  const logrotateBin = findLogrotate(plan.env);
  const rotation = installLogrotate(rotPlan, logrotateBin);
  io.stdout.write(rotation.line + '\n');
  if (rotation.ok && logrotateBin) io.stdout.write((await installTimer(timerUnits(stack.name, rotPlan.file, logrotateBin, deps.unitDir), run, plan.env)) + '\n');
  const running = await withPm2(ioHome, false, (c) => c.list());
  const verified = print(io, verifyResurrect(plan, stack, running));
  return rotation.ok ? verified : EXIT.FAIL;
}
