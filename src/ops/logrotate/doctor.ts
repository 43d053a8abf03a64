import { existsSync, readFileSync } from 'node:fs';
import { fail, ok, warn, type CheckResult, type DoctorContext } from '../doctor/types.js';
import { HEADER } from './config.js';
import { findLogrotate } from './install.js';
import { logrotateFile, stackLogFiles } from './plan.js';
import { timerUnits } from './timer.js';
import { daemonNodeOptions, daemonReopenFix } from '../../pm2/daemon-options.js';

// `doctor`: is log rotation set up, and does it still match the stack? What
// matters is checked, not the sizes an operator may have chosen: every log
// file listed, PM2_HOME pinned to this daemon, the pm2 it runs still there,
// and no copytruncate (which loses lines).

export function logRotation(ctx: DoctorContext): CheckResult[] {
  const file = logrotateFile(ctx.stack.name, ctx.logrotateDir);
  const fix = `sudo botstack startup (writes ${file}; --dry-run shows it)`;
  const out: CheckResult[] = [];
  const bin = findLogrotate(ctx.env);
  out.push(bin ? ok('logrotate', `logrotate is installed (${bin})`) : fail('logrotate', 'logrotate is not installed: nothing rotates the logs, and a full disk stops mongod', 'apt-get install logrotate'));
  if (!existsSync(file)) return [...out, fail('logrotate', `no ${file}: the stack's logs grow without end`, fix)];
  const text = readFileSync(file, 'utf8');
  if (!text.startsWith(HEADER)) return [...out, warn('logrotate', `${file} was not written by botstack`, `move it aside, then ${fix}`)];
  const problems: string[] = [];
  const missing = stackLogFiles(ctx.stack).filter((f) => !text.includes(`"${f}"`));
  if (missing.length > 0) problems.push(`does not rotate ${missing.join(', ')}`);
  if (/^\s*copytruncate\b/m.test(text)) problems.push('uses copytruncate, which loses lines');
  const home = /PM2_HOME='((?:[^']|'\\'')*)'/.exec(text)?.[1]?.replace(/'\\''/g, "'");
  if (home !== ctx.pm2Home) problems.push(`reloads the pm2 at PM2_HOME=${home ?? '(none)'}, but this stack's is ${ctx.pm2Home}`);
  const pm2Bin = /' '((?:[^']|'\\'')*)' reloadLogs/.exec(text)?.[1];
  if (!pm2Bin || !existsSync(pm2Bin)) problems.push(`runs pm2 from ${pm2Bin ?? '(nowhere)'}, which does not exist`);
  if (problems.length > 0) return [...out, fail('logrotate', `${file} ${problems.join('; ')}`, `run again: ${fix}`)];
  out.push(ok('logrotate', `${file} rotates all ${stackLogFiles(ctx.stack).length} log files and reloads pm2 at ${ctx.pm2Home}`));
  const preload = ctx.live === null ? null : daemonReopenFix(ctx.pm2Home);
  if (preload === 'missing' || preload === 'outdated') {
    const what = preload === 'missing'
      ? "runs without botstack's log-reopen preload: pm2 reloadLogs can drop lines still queued at each rotation"
      : "runs an older botstack log-reopen preload, which keeps every rotated log file open (one file descriptor per log file per rotation, until the daemon restarts)";
    out.push(warn('logrotate', `the pm2 daemon at ${ctx.pm2Home} ${what}`, `when a restart of every service is acceptable: PM2_HOME=${ctx.pm2Home} PM2_NODE_OPTIONS=${daemonNodeOptions(undefined)} pm2 update (botstack start and the boot unit start the daemon with it)`));
  }
  const timer = timerUnits(ctx.stack.name, file, bin ?? 'logrotate', ctx.unitDir).timerFile;
  if (!existsSync(timer)) out.push(warn('logrotate', `no ${timer}: sizes are checked only at the daily logrotate run`, fix));
  return out;
}
